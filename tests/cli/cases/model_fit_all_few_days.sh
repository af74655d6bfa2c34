# exit: 0
# No station has min_days route-days: every station takes the network
# values (said so), the model is written and scores every row.
printf '{"model": {"min_days": 1000}}' > c.json
IN="--shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv"
"$FC" fit --config c.json $IN -o m.json
grep -q '"stations":[[:space:]]*0,' m.json
"$FC" predict --model m.json $IN 2>/dev/null | tail -n +2 | wc -l
