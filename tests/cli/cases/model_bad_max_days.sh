# exit: 65
# A station is calibrated on at most max_days route-days and needs
# min_days of them: a max_days below min_days is refused, naming both.
printf '{"model": {"max_days": 10, "min_days": 20}}' > c.json
$FC fit --config c.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m.json
