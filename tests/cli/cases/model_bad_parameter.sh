# exit: 65
# a model whose physics parameter lies outside its bounds is refused,
# naming where: the network's k (read as {value, se}) and the typical
# station's k (read as a plain value).
A="--shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv"
$FC fit $A -o m.json 2>/dev/null
sed '0,/"value":\t[-0-9.e]*/s//"value":\t500/' m.json > net.json
$FC predict --model net.json $A -o p.csv && exit 1
test ! -e p.csv
sed '0,/"k":\t[-0-9.e][-0-9.e]*/s//"k":\t500/' m.json > typical.json
grep -q '"k":	500' typical.json
$FC predict --model typical.json $A -o p.csv
