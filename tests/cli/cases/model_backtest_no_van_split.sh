# exit: 0
# every station runs one van type: the van split cannot be made and says so
$FC backtest --what spr --format csv --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o bt.csv
if grep -q '^van:' bt.csv; then exit 1; fi
