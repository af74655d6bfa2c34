# exit: 74
# A failed write of the forecast or the plan says where and why, as every
# other command does ("could not write the forecast" said neither).
cp "$ROOT"/data/example/* .
rc=0; "$FC" forecast --config config.json > /dev/full 2>e1 || rc=$?
test "$rc" = 74
grep -q '<stdout>: write error: No space left on device' e1
"$FC" plan --config config.json -q > /dev/full
