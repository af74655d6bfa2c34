# exit: 0
# model.json conforms to docs/schema/model.schema.json: with the zip-mix
# term and without it (model.zip_mix 0; a zips file without attribute
# columns), with station fits that do not converge (exit 79, the model is
# written: not_converged, pooled_city_stations) and with stations of too
# few days (few_days).
S=$ROOT/docs/schema/model.schema.json
M=$DATA/model
IN="--shipments $M/shipments.csv --routes $M/routes.csv --zips $M/zips.csv --stations $M/stations.csv --vehicles $M/vehicles.csv"
"$FC" fit $IN -q -o mix.json
grep -q '"zip_mix":	{' mix.json
printf '{"model": {"zip_mix": 0}}' > c0.json
"$FC" fit --config c0.json $IN -q -o nomix.json
cut -d, -f1-4 "$M/zips.csv" > z.csv
"$FC" fit $IN --zips z.csv -q -o noattr.json
printf '{"model": {"max_iter": 10}}' > c10.json
rc=0
"$FC" fit --config c10.json $IN -o noconv.json 2> /dev/null || rc=$?
test $rc -eq 79
grep -q '"status":	"not_converged"' noconv.json
grep -q '"pooled_city_stations":' noconv.json
printf '{"model": {"min_days": 1000}}' > cfew.json
"$FC" fit --config cfew.json $IN -q -o few.json
grep -q '"status":	"few_days"' few.json
"$SCHEMA_CHECK" "$S" mix.json nomix.json noattr.json noconv.json few.json
