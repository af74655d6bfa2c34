# exit: 65
# A bad plan setting names the config file, not "config".
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/"ev_supply":/"spare_ratio": 20, "ev_supply":/' d/config.json
"$FC" plan --config d/config.json
