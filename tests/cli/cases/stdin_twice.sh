# exit: 64
# One stdin: the config, a model and the input files cannot share it. A
# config read from stdin and an input '-' read the rest of it as the input
# ("file is empty", 65); predict read the model from stdin and then the
# routes; backtest --what volume read the zips from the shipments' stdin.
cp "$ROOT"/data/example/* .
rc=0; "$FC" validate --config - --shipments - < config.json 2>e1 || rc=$?
test "$rc" = 64
grep -q 'only one input can be read from stdin' e1
"$FC" fit --config config.json -o m.json -q
rc=0; "$FC" predict --config config.json --model - --routes - < m.json 2>e2 || rc=$?
test "$rc" = 64
grep -q 'only one input can be read from stdin' e2
"$FC" backtest --what volume --config config.json --shipments - --zips - < zips.csv
