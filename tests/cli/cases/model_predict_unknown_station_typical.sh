# exit: 0
# A station the model does not know, with no fitted station in its city,
# takes the typical station; predict says so, as it does for city pooling.
D="$DATA"/model
"$FC" fit --shipments "$D"/shipments.csv --routes "$D"/routes.csv --zips "$D"/zips.csv --stations "$D"/stations.csv \
    --vehicles "$D"/vehicles.csv -o m.json 2>/dev/null
for f in shipments routes stations; do sed 's/SEA1,/SEA9,/' "$D"/$f.csv > $f.csv; done
"$FC" predict --model m.json --shipments shipments.csv --routes routes.csv --zips "$D"/zips.csv \
    --stations stations.csv --vehicles "$D"/vehicles.csv -o p.csv
grep -q ',SEA9,' p.csv
