# exit: 0
cp "$DATA"/ok/* .
"$FC" validate --config config.json -o summary.txt
test -s summary.txt
grep -q 'SPR' summary.txt
ls | grep -v tmp >/dev/null
