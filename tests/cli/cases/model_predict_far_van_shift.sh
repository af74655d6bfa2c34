# exit: 0
# What-ifs far outside what the model was fitted on are scored (through the
# physics) and warned about, naming the first row: medium vans of 900
# packages (3x the only van of the training data) and BOS1 on a 4 h shift
# (fitted with 9 h). predict said nothing; the routes are unchanged by it.
D="$DATA"/model
"$FC" fit --shipments "$D"/shipments.csv --routes "$D"/routes.csv --zips "$D"/zips.csv --stations "$D"/stations.csv \
    --vehicles "$D"/vehicles.csv -o m.json 2>/dev/null
sed 's/^medium,300,/medium,900,/' "$D"/vehicles.csv > v.csv
sed 's/^\(BOS1,[^,]*,[^,]*,[^,]*,\)9\.0,/\14,/' "$D"/stations.csv > s.csv
grep -q '^BOS1,[^,]*,[^,]*,Boston,4,' s.csv
"$FC" predict --model m.json --shipments "$D"/shipments.csv --routes "$D"/routes.csv --zips "$D"/zips.csv \
    --stations s.csv --vehicles v.csv -o p.csv
test "$(wc -l < p.csv)" = 81
