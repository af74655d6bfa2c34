# exit: 64
$FC predict --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv
