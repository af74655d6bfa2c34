# exit: 0
# the routes column is not needed to score; then no error summary.
$FC fit --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m.json 2>/dev/null
cut -d, -f1-3,5- $DATA/model/routes.csv > r.csv
$FC predict --model m.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv --routes r.csv | wc -l
