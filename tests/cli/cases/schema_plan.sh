# exit: 0
# plan.json conforms to docs/schema/plan.schema.json on the bundled
# example (electric types, chargers, parking, temperatures, a network
# electric supply): the plan's own fleet checked; a budgeted fleet
# (check_fleet budget, each type's budget); GLPK's branch and bound
# (mip_status) with a scenario (shock, rezoning, a new station), a
# temperature curve and scrap_from.
S=$ROOT/docs/schema/plan.schema.json
cp -r "$ROOT/data/example" ex
sed -i 's/"horizon_months":\t16/"horizon_months": 4/; s/"paths":\t500/"paths": 50/' ex/config.json
"$FC" fit --config ex/config.json -q -o model.json
"$FC" plan --config ex/config.json --model model.json -q -o own.json
grep -q '"check_fleet":	"plan"' own.json
awk -F, 'NR == 1 { print; next } { printf "%s,%s,%d\n", $1, $2, $3 / 2 }' ex/fleet.csv > half.csv
"$FC" plan --config ex/config.json --model model.json --budget half.csv -q -o budget.json
grep -q '"check_fleet":	"budget"' budget.json
sed -e 's/"plan":\t{/"plan": {"integer": true, "scrap_from": 1, "temperature_curve": [[-10, 0.6], [20, 1]],/' \
    -e '0,/"scenario":\t{/s//"scenario": {"shocks": [{"scope": "station", "ids": ["BOS1"], "from": "2025-02", "multiplier": 1.3}], "rezoning": [{"zip": "85016", "to": "PHX1", "from": "2025-03"}], "new_stations": [{"station": "SEA9", "city": "Seattle", "from": "2025-02", "zips": ["98100"]}]/' \
    ex/config.json > ex/mip.json
grep -q '"integer": true' ex/mip.json
grep -q '"SEA9"' ex/mip.json
"$FC" plan --config ex/mip.json --model model.json --horizon 2 -q -o mip.json 2> /dev/null
grep -q '"mip_status":' mip.json
"$SCHEMA_CHECK" "$S" own.json budget.json mip.json
