# exit: 0
# With stdout closed, a command writing to -o FILE succeeds: the temporary
# file took descriptor 1, so closing it "failed" the final flush of stdout
# and a good run exited 74 ("write error on standard output").
cp "$DATA"/ok/* .
"$FC" validate --config config.json -o want.txt
"$FC" validate --config config.json -o got.txt >&-
cmp want.txt got.txt
"$FC" fit --config "$ROOT"/data/example/config.json -o m.json -q >&-
test -s m.json
# results meant for a closed stdout are still a write error (74)
rc=0
"$FC" validate --config config.json >&- 2>err || rc=$?
test "$rc" = 74
grep -q 'write error' err
