# exit: 0
# The monthly batch writes its five files; the same config and seed give
# byte-identical outputs (run.json too, with --reproducible), on one
# thread as on three (--threads reaches the fit, forecast and plan).
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
"$FC" run d/config.json -o a --reproducible -q > summary.txt
"$FC" run d/config.json -o b --reproducible -q --threads 1 > /dev/null
"$FC" run d/config.json -o c --reproducible -q --threads 3 > /dev/null
for f in model.json forecast.json plan.json plan.csv run.json; do
    test -s a/$f
    cmp a/$f b/$f
    cmp a/$f c/$f
done
grep -q '"kind":	"fleetcast.plan"' a/plan.json
grep -q '^station,month,van_type,electric,needed,current,to_buy' a/plan.csv
grep -q 'generated_at":	"1970-01-01T00:00:00Z"' a/run.json
grep -q '^plan .* for 2 stations' summary.txt
! ls a | grep -q tmp || exit 1
