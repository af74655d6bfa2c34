# exit: 65
printf '{"schema_version": 1}' > m.json
$FC predict --model m.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv
