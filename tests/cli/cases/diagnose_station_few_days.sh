# exit: 0
# A station with routes on only its last 30 days is too short to diagnose;
# the note named it by its index ("station 1") instead of its id.
$FC synth --out "$T/d" --seed 3 --cities 1 --stations 2 --zips 16 --days 240 -q
cd "$T/d"
awk -F, 'NR == 1 || $2 != "BOS2" || $1 >= "2023-07-30"' routes.csv > r.csv
mv r.csv routes.csv
$FC diagnose --config config.json -o dx.txt
