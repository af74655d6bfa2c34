# exit: 0
# A station whose shift_hours is left empty is scored with the model's
# default_shift_hours (8 h); fitted with 9 h, its routes rise by ~12%,
# silently. predict now warns, naming the station and both shifts.
D="$DATA"/model
"$FC" fit --shipments "$D"/shipments.csv --routes "$D"/routes.csv --zips "$D"/zips.csv --stations "$D"/stations.csv \
    --vehicles "$D"/vehicles.csv -o m.json 2>/dev/null
sed 's/^\(SEA1,[^,]*,[^,]*,[^,]*,\)9\.0,/\1,/' "$D"/stations.csv > s.csv
grep -q '^SEA1,[^,]*,[^,]*,Seattle,,' s.csv
"$FC" predict --model m.json --shipments "$D"/shipments.csv --routes "$D"/routes.csv --zips "$D"/zips.csv \
    --stations s.csv --vehicles "$D"/vehicles.csv -o p.csv
