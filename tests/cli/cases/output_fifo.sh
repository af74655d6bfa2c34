# exit: 0
# -o naming something that is not a regular file (a FIFO; /dev/null; bash's
# -o >(gzip > x.gz)) writes into it. The temporary file was renamed over it:
# the FIFO became a regular file and its reader waited for ever; run as root,
# -o /dev/null replaced the system's /dev/null with a regular file.
cp "$DATA"/ok/* .
"$FC" validate --config config.json -o want.txt
mkfifo pipe
timeout 20 cat pipe > got.txt &
"$FC" validate --config config.json -o pipe
wait
test -p pipe
cmp want.txt got.txt
! ls | grep -q '\.tmp\.' || exit 1
# a full device is a write error that names it (74)
rc=0
"$FC" validate --config config.json -o /dev/full 2>err || rc=$?
test "$rc" = 74
grep -q '/dev/full: write error: No space left on device' err
test -c /dev/full
