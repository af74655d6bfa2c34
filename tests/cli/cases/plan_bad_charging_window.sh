# exit: 65
# A charging window of 0 hours is bad data (it passed, and the site-power
# lift read "+inf kW site power").
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/"ev_supply":/"charging_window_h": 0, "ev_supply":/' d/config.json
"$FC" plan --config d/config.json
