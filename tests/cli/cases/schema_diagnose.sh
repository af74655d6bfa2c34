# exit: 0
# diagnose --format json conforms to docs/schema/diagnose.schema.json: on
# the bundled example (Bonferroni; stations tested for drift and steps),
# with a drift window longer than the data (drift_tested false), and on
# its first five months (too few blocks: no step tested, step_date null).
S=$ROOT/docs/schema/diagnose.schema.json
cp -r "$ROOT/data/example" ex
"$FC" fit --config ex/config.json -q -o model.json
"$FC" diagnose --config ex/config.json --model model.json --correction bonferroni --format json -q > all.json
grep -q '"drift_tested":	true' all.json
"$FC" diagnose --config ex/config.json --model model.json --drift-weeks 104 --format json -q > long.json 2> /dev/null
grep -q '"drift_tested":	false' long.json
gzip -dc ex/shipments.csv.gz | awk -F, 'NR == 1 || $1 < "2023-06-01"' > ex/s.csv
gzip -dc ex/routes.csv.gz | awk -F, 'NR == 1 || $1 < "2023-06-01"' > ex/r.csv
"$FC" diagnose --config ex/config.json --shipments ex/s.csv --routes ex/r.csv --format json -q > short.json 2> /dev/null
grep -q '"step_date":	null' short.json
! grep -q '"-"' short.json || exit 1
"$SCHEMA_CHECK" "$S" all.json long.json short.json
