# exit: 65
# a model whose zip-mix term is malformed is refused, naming the key: a
# station's mix_centre of the wrong length; a slope out of range.
A="--shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv"
$FC fit $A -o m.json 2>/dev/null
sed '0,/"mix_centre":\t\[[^]]*\]/s//"mix_centre":\t[1]/' m.json > short.json
$FC predict --model short.json $A -o p.csv && exit 1
test ! -e p.csv
sed '0,/"beta":\t[-0-9.e]*/s//"beta":\t500/' m.json > beta.json
$FC predict --model beta.json $A -o p.csv
