# exit: 65
# A previous folder whose plan.json is not a fleetcast plan (here another
# tool's JSON) is bad data: read as no rows it gave a revision of +0.0
# everywhere and exit 0.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
"$FC" run d/config.json -o prev -q --threads 1 >/dev/null
echo '{"vans": []}' > prev/plan.json
"$FC" run d/config.json -o out --previous prev -q --threads 1
