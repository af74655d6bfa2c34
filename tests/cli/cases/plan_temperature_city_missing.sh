# exit: 0
# The config's temperatures are per city; a station whose city they do
# not name (spelled otherwise, or left out) is planned at
# default_temperature_c (20 C) in every month, its winter range with it.
# That was silent (plan.json's temperature_c null); now a warning names
# the station and its city (docs/plan.md, config table).
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/^\(BOS2,[^,]*,[^,]*\),Boston,/\1,Cambridge,/' d/stations.csv
grep -q '^BOS2,[^,]*,[^,]*,Cambridge,' d/stations.csv
"$FC" plan --config d/config.json --horizon 2 --paths 50 -o plan.json
