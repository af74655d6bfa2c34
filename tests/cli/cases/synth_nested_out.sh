# exit: 0
# synth --out creates missing parent folders, as run -o does (it exited 73).
"$FC" synth --out a/b/c --seed 1 --cities 1 --stations 2 --zips 20 --days 60 -q
test -s a/b/c/config.json
"$FC" validate --config a/b/c/config.json > /dev/null
