# exit: 0
# A station the scenario adds under new_stations (not in stations.csv) is
# not planned: the warning says its zips' routes are not covered and how to
# plan such a station.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i '0,/"scenario":\t{/s//"scenario": {"new_stations": [{"station": "BOS9", "city": "Boston", "from": "2024-05", "zips": ["02100"]}]/' d/config.json
grep -q '"BOS9"' d/config.json
"$FC" plan --config d/config.json --horizon 4 --paths 50 --format csv -o plan.csv
! grep -q '^BOS9,' plan.csv || exit 1
