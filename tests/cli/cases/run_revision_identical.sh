# exit: 0
# The same inputs twice revise by exactly 0: the previous need is read
# from plan.json's 3-decimal figures, and this run's is now rounded the
# same way before the two are compared (it read +0.003 van-months of "new
# data" on the example).
"$FC" synth --out d --seed 5 --cities 1 --stations 2 --zips 20 --days 400 -q
"$FC" run d/config.json -o first -q > /dev/null
"$FC" run d/config.json -o second --previous first -q --format json > s.json
grep -q '"change":	0,' s.json || grep -q '"change":0,' s.json
grep -q '"new_data":	0,' s.json || grep -q '"new_data":0,' s.json
grep -q '"parameter_drift":	0,' s.json || grep -q '"parameter_drift":0,' s.json
# and so does every station-month of the forecast revision (current_p50 is
# rounded as forecast.json rounds it; it was not: changes of +-0.05 and -0)
awk -F'\t' '/"change":/ { v = $NF; sub(/,$/, "", v); if (v != "0") bad = 1 } END { exit bad }' second/revision.json
grep -q '"current_p50"' second/revision.json
