# exit: 64
# run and synth write a folder of files: '-' (stdout) cannot be that folder.
# Both made a folder named '-' and said nothing.
cp "$DATA"/ok/* .
rc=0; "$FC" synth --out - --seed 1 --cities 1 --stations 2 --zips 20 --days 60 -q 2>e1 || rc=$?
test "$rc" = 64
grep -q "writes a folder" e1
test ! -e ./-
"$FC" run config.json -o -
