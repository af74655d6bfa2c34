# exit: 0
$FC backtest --what spr --format csv --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv | cut -d, -f1-3
