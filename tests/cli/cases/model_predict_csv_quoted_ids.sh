# exit: 0
# predict's CSV quotes a station id or van type that holds a comma or a
# quote (RFC 4180), so every row keeps the header's 11 columns; both were
# written bare.
cp "$DATA"/model/*.csv .
sed -i 's/,BOS1,/,"BOS,1",/' shipments.csv routes.csv
sed -i 's/,medium,/,"med,""M""",/' routes.csv
sed -i 's/^medium,/"med,""M""",/' vehicles.csv
sed -i 's/^BOS1,/"BOS,1",/; s/small;medium;large;ev/"small;med,""M"";large;ev"/' stations.csv
I="--shipments shipments.csv --routes routes.csv --zips zips.csv --stations stations.csv --vehicles vehicles.csv"
"$FC" fit $I -q -o m.json
"$FC" predict --model m.json $I -q -o p.csv
test "$(wc -l < p.csv)" -eq 81
sed 's/"[^"]*"/q/g' p.csv | awk -F, 'NF != 11 { print NR ": " NF " columns"; bad = 1 } END { exit bad }'
grep -q '^2023-01-01,"BOS,1","med,""M""",231,' p.csv
grep -q '^2023-01-01,SEA1,"med,""M""",198,' p.csv
