# exit: 79
# an iteration limit too small to converge: exit 79, no model file left.
printf '{"model": {"max_iter": 1}}' > c.json
$FC fit --config c.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m.json || { rc=$?; test ! -e m.json; exit $rc; }
