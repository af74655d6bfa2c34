# exit: 75
# A second run on a folder another run holds is refused (exit 75).
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
mkdir out
flock out/.fleetcast.lock sh -c '"$FC" run d/config.json -o out'
