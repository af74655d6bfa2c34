# exit: 0
# forecast.json conforms to docs/schema/forecast.schema.json at every level
# and method, with a scenario (a new station, a rezoning from a date,
# shocks with and without a scope) and without one. "scenario": null in
# the config was echoed as null, which the schema does not allow ("{}
# when none"); it is {} now.
D=$DATA/forecast
S=$ROOT/docs/schema/forecast.schema.json
cat > cfg.json <<JSON
{"shipments": "$D/shipments_monthly.csv", "zips": "$D/zips.csv", "stations": "$D/stations.csv",
 "horizon_months": 3, "paths": 50,
 "scenario": {"new_stations": [{"station": "S9", "city": "Metro", "from": "2024-02", "zips": ["01001"]}],
              "rezoning": [{"zip": "01002", "to": "S9", "from": "2024-03-15"}],
              "shocks": [{"scope": "city", "ids": ["Metro"], "from": "2024-03", "multiplier": 1.4},
                         {"from": "2024-02", "to": "2024-02", "multiplier": 0.5}]}}
JSON
for level in zip station network; do
    "$FC" forecast --config cfg.json --level $level -q -o $level.json
done
for method in fourier combo; do
    "$FC" forecast --config cfg.json --method $method -q -o $method.json
done
"$SCHEMA_CHECK" "$S" zip.json station.json network.json fourier.json combo.json
grep -q '"id":"S9","station":"S9"' station.json
printf '{"shipments": "%s/shipments_monthly.csv", "zips": "%s/zips.csv", "stations": "%s/stations.csv",
 "horizon_months": 2, "paths": 20, "scenario": null}' "$D" "$D" "$D" > null.json
"$FC" forecast --config null.json -q -o none.json
"$SCHEMA_CHECK" "$S" none.json
grep -q '"scenario":	{' none.json
# the checker is not vacuous here: a row's misspelt key is caught
sed '0,/"packages_p50":/s//"packages_P50":/' station.json > bad.json
! "$SCHEMA_CHECK" "$S" bad.json 2> bad.err || exit 1
grep -q 'bad.json: \$.rows\[0\]: unexpected key "packages_P50"' bad.err
