# exit: 0
# a routes row with no packages is scored as 0 routes, not left out as a
# day "without shipments" (the station has shipments that day).
$FC fit --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m.json 2>/dev/null
awk -F, 'BEGIN { OFS = "," } NR == 2 { $4 = 0; $5 = 0; $6 = 0 } { print }' $DATA/model/routes.csv > r.csv
$FC predict --model m.json --shipments $DATA/model/shipments.csv --routes r.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o p.csv
test "$(wc -l < p.csv)" = 81
grep -q '^2023-01-01,BOS1,medium,0,0,0,0.00,0.00,0.0,0,0$' p.csv
