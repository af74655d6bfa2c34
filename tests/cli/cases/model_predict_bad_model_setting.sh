# exit: 65
# a bad value in model.json's settings names the model file, not the config
$FC fit --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m.json 2>/dev/null
sed 's/"max_iter":[^,]*,/"max_iter": "many",/' m.json > bad.json
$FC predict --model bad.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv
