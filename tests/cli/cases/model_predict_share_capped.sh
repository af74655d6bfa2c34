# exit: 0
# A routes row with far more packages than were shipped to the station's
# zips that day is scored at twice the day's volume at most: predict warns
# (it said nothing, and the routes came out far too few).
$FC fit --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m.json 2>/dev/null
awk -F, 'BEGIN { OFS = "," } NR == 2 { $5 = $5 * 10 } { print }' $DATA/model/routes.csv > r.csv
$FC predict --model m.json --shipments $DATA/model/shipments.csv --routes r.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o p.csv
