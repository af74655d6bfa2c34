# exit: 0
# validate says what the model will not use: a zip nobody ships to, and
# routes rows whose station has no shipments that day (fit and predict
# leave them out; fit and predict said so, validate did not).
"$FC" synth --out d --seed 3 --cities 1 --stations 2 --zips 12 --days 60 -q
awk -F, 'NR == 1 || $1 != "2023-01-10"' d/shipments.csv > s.csv
mv s.csv d/shipments.csv
tail -1 d/zips.csv | sed 's/^[0-9]*/99999/' >> d/zips.csv
"$FC" validate --config d/config.json > /dev/null
