# exit: 74
# A file-size limit (ulimit -f) hit while writing -o FILE is a write error
# that names the file (74), and no temporary file is left. SIGXFSZ killed
# the process and left FILE.tmp.XXXXXX.
cp "$ROOT"/data/example/* .
rc=0
(
    ulimit -f 2
    "$FC" forecast --config config.json -o big.json -q
) || rc=$?
! ls | grep -q '\.tmp\.' || exit 1
test ! -e big.json
exit $rc
