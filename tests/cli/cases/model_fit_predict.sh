# exit: 0
# fit, then predict the same rows: every row scored, integer routes, no NaN.
$FC fit --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m.json
grep -q '"kind":	"fleetcast.spr_model"' m.json
$FC predict --model m.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o p.csv
head -1 p.csv
test $(wc -l < p.csv) = 81
! grep -qi nan p.csv || exit 1
awk -F, 'NR > 1 && ($6 < 1 || $6 != int($6)) { exit 1 }' p.csv
