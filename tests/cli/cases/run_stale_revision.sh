# exit: 0
# A run without --previous into a folder where an earlier run wrote
# revision.json removes it: it described other outputs than these.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
"$FC" run d/config.json -o prev -q --threads 1 >/dev/null
"$FC" run d/config.json -o out --previous prev -q --threads 1 >/dev/null
test -f out/revision.json
"$FC" run d/config.json -o out -q --threads 1 >/dev/null
test ! -e out/revision.json
