# exit: 0
# Every JSON document `run` writes conforms to its schema in docs/schema:
# model.json, forecast.json, plan.json, run.json, and revision.json with
# --previous, and the --format json summary on stdout (with a budgeted
# fleet's check and a revision's totals, and without). The second run
# changes the spare ratio and adds a shock, so the revision's settings and
# scenario parts are not all 0.
S=$ROOT/docs/schema
cp -r "$ROOT/data/example" ex
sed -i 's/"horizon_months":\t16/"horizon_months": 4/; s/"paths":\t500/"paths": 50/' ex/config.json
"$FC" run ex/config.json -o first -q --format json > first.json
test ! -e first/revision.json
awk -F, 'NR == 1 { print; next } { printf "%s,%s,%d\n", $1, $2, $3 / 2 }' ex/fleet.csv > ex/half.csv
sed -e 's/"spare_ratio":\t0.1/"spare_ratio": 0.2/' -e 's/"fleet":/"budget": "half.csv", "fleet":/' \
    -e '0,/"scenario":\t{/s//"scenario": {"shocks": [{"from": "2025-03", "multiplier": 1.2}]/' ex/config.json > ex/next.json
grep -q '"budget": "half.csv"' ex/next.json
"$FC" run ex/next.json -o second --previous first -q --reproducible --format json > second.json
grep -q '"budget":' second.json
grep -q '"revision":' second.json
"$SCHEMA_CHECK" "$S/run-summary.schema.json" first.json second.json
"$SCHEMA_CHECK" "$S/model.schema.json" first/model.json second/model.json
"$SCHEMA_CHECK" "$S/forecast.schema.json" first/forecast.json second/forecast.json
"$SCHEMA_CHECK" "$S/plan.schema.json" first/plan.json second/plan.json
"$SCHEMA_CHECK" "$S/run.schema.json" first/run.json second/run.json
"$SCHEMA_CHECK" "$S/revision.schema.json" second/revision.json
grep -q '"generated_at":	"1970-01-01T00:00:00Z"' second/run.json
grep -q '"previous_run":	"first"' second/run.json
! grep -q '"settings":	0,' second/revision.json || exit 1
