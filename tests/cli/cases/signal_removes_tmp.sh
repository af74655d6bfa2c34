# exit: 0
# SIGTERM (a cron timeout, systemd stopping a job) while an output is being
# written removes the temporary file and still ends the process by that
# signal (exit 143). FILE.tmp.XXXXXX was left behind. The write is held
# open deterministically: predict's closing note goes to a stderr pipe
# that is already full, after it opened its output.
cp "$ROOT"/data/example/* .
"$FC" fit --config config.json -o m.json -q
mkfifo err
exec 3<>err
dd if=/dev/zero of=err bs=4096 count=1000 oflag=nonblock 2>/dev/null || true
"$FC" predict --config config.json --model m.json -o p.csv 2>err &
pid=$!
i=0
while ! ls | grep -q '^p\.csv\.tmp\.'; do
    i=$((i + 1)); test $i -lt 400; sleep 0.05
done
sleep 0.2
kill -TERM $pid
rc=0; wait $pid || rc=$?
exec 3<&-
test "$rc" = 143
test ! -e p.csv
! ls | grep -q '\.tmp\.' || exit 1
