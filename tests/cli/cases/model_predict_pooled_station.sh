# exit: 0
# A station the model has without a fit of its own (BOS1: 10 route-days,
# fewer than min_days) is scored from pooled values; predict said nothing
# about it (it did for a station unknown to the model). Both are warnings
# now, and a station without a city is not said to have one.
D="$DATA"/model
awk -F, 'NR == 1 || $2 != "BOS1" || ++n <= 10' "$D"/routes.csv > r.csv
"$FC" fit --shipments "$D"/shipments.csv --routes r.csv --zips "$D"/zips.csv --stations "$D"/stations.csv \
    --vehicles "$D"/vehicles.csv -o m.json 2>/dev/null
grep -q '"few_days"' m.json
"$FC" predict --model m.json --shipments "$D"/shipments.csv --routes "$D"/routes.csv --zips "$D"/zips.csv \
    --stations "$D"/stations.csv --vehicles "$D"/vehicles.csv -o p.csv
for f in shipments routes; do sed 's/SEA1,/SEA9,/' "$D"/$f.csv > $f.csv; done
sed 's/^SEA1,\([^,]*\),\([^,]*\),Seattle,/SEA9,\1,\2,,/' "$D"/stations.csv > s.csv
"$FC" predict --model m.json --shipments shipments.csv --routes routes.csv --zips "$D"/zips.csv \
    --stations s.csv --vehicles "$D"/vehicles.csv -o p9.csv
