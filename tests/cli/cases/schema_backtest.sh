# exit: 0
# backtest --what spr --format json conforms to
# docs/schema/backtest-spr.schema.json. --what volume prints CSV only: a
# JSON format for it would need a schema (and this case) first.
S=$ROOT/docs/schema/backtest-spr.schema.json
M=$DATA/model
"$FC" backtest --what spr --shipments $M/shipments.csv --routes $M/routes.csv --zips $M/zips.csv \
    --stations $M/stations.csv --vehicles $M/vehicles.csv --format json -q > spr.json
grep -q '"hybrid_minus_pct":	{' spr.json
grep -q '"hybrid_minus_pct":	null' spr.json
"$SCHEMA_CHECK" "$S" spr.json
rc=0
"$FC" backtest --what volume --config "$ROOT/data/example/config.json" --format json 2> volume.err || rc=$?
test $rc -eq 64
grep -q 'expected one of csv' volume.err
