# exit: 0
# Routes rows on days the shipments file lacks (here 2023-03-10 and -11)
# cannot be fitted; predict warned about them, fit left them out silently.
"$FC" synth --out d --seed 3 --cities 1 --stations 2 --zips 16 --days 240 -q
grep -v '^2023-03-1[01],' d/shipments.csv > s.csv
mv s.csv d/shipments.csv
"$FC" fit --config d/config.json -o m.json
# a station whose routes rows all fall on such days says so (it read "no
# route-days with shipments", as for a station with no routes rows at all)
grep -v ',BOS2,' d/shipments.csv > s.csv
mv s.csv d/shipments.csv
"$FC" fit --config d/config.json -o m2.json 2> e2.txt || true
grep -q "station BOS2: none of its [0-9]* routes rows has shipments that day" e2.txt
