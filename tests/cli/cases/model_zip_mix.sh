# exit: 0
# the zip-mix term: fit logs its slopes and model.json carries them; a
# model scored on a zips file without those columns turns the term off
# (noted), scores every row and writes no NaN.
$FC fit --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m.json
grep -q '"zip_mix":	{' m.json
grep -q '"mix_parameters":' m.json
cut -d, -f1-4 $DATA/model/zips.csv > z.csv
$FC predict --model m.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips z.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o p.csv
test $(wc -l < p.csv) = 81
! grep -qi nan p.csv || exit 1
printf '{"model": {"zip_mix": 0}}' > c.json
$FC fit --config c.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m0.json 2>/dev/null
test -s m0.json
! grep -q '"mix_parameters":' m0.json || exit 1
