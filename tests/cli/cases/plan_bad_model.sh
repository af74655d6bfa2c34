# exit: 65
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
echo '{"kind": "something else"}' > model.json
"$FC" plan --config d/config.json --model model.json
