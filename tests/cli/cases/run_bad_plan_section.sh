# exit: 65
# A bad value in the config's plan section stops the run before the fit and
# the forecast (it used to be found only after both), naming the file and key.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/"ev_supply":\t\[3, 3,/"ev_supply": [3, -1,/' d/config.json
grep -q '"ev_supply": \[3, -1,' d/config.json
"$FC" run d/config.json -o out
