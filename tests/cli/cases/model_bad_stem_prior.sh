# exit: 65
printf '{"model": {"stem_prior_sd": 0}}' > c.json
$FC fit --config c.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m.json
