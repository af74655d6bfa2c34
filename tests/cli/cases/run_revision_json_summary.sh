# exit: 0
# run --format json: the summary carries the revision's totals, as the text
# summary does (it had none: a cron job reading the JSON saw no revision)
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/"horizon_months":\t16/"horizon_months": 4/; s/"paths":\t500/"paths": 50/' d/config.json
"$FC" run d/config.json -o a -q > /dev/null
"$FC" run d/config.json -o b --previous a -q --format json > summary.json
grep -q '"revision":' summary.json
grep -q '"previous":	"a"' summary.json
grep -q '"parameter_drift":' summary.json
"$FC" run d/config.json -o c -q --format json > plain.json
if grep -q '"revision":' plain.json; then exit 1; fi
