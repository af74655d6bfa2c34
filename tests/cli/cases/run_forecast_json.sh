# exit: 0
# run's forecast.json is the document `fleetcast forecast` writes (schema
# docs/schema/forecast.schema.json): it once lacked schema_version, kind,
# generated_by, model and scenario, and its settings said less.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/"horizon_months":\t16/"horizon_months": 3/; s/"paths":\t500/"paths": 50/' d/config.json
"$FC" run d/config.json -o out -q > /dev/null
"$FC" forecast --config d/config.json -o f.json -q
for key in schema_version kind generated_by settings inputs model scenario level rows; do
    grep -q "^	\"$key\":" out/forecast.json
done
# the same document from the model on (run reads more inputs)
sed -n '/^	"model":/,$p' out/forecast.json > a.txt
sed -n '/^	"model":/,$p' f.json > b.txt
test -s a.txt
cmp a.txt b.txt
