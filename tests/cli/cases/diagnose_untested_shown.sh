# exit: 0
# A station test that could not be made (114 days: no month start with 56
# days on both sides for a step, too few weeks before the drift window)
# reads as not made: "-" in the text report, empty fields in CSV, null
# dates in JSON. The text and CSV showed +0.00%, p 1 and "no" (a clean
# result), and the CSV a drift window starting before the data.
"$FC" synth --out d --seed 3 --cities 1 --stations 2 --zips 16 --days 114 -q
"$FC" diagnose --config d/config.json -q > dx.txt
grep -q '^BOS1 .* - *- -  *- *- *- -' dx.txt || { cat dx.txt; exit 1; }
! grep -q '+0.00%' dx.txt || exit 1
"$FC" diagnose --config d/config.json --format csv -q > dx.csv
grep -q '^station_drift,BOS1,,drift,route_hours,,,,,,,,,,,,113,0$' dx.csv
grep -q '^station_step,BOS1,,step,route_hours,,,,,,,,,,,,113,0$' dx.csv
"$FC" diagnose --config d/config.json --format json -q > dx.json
grep -q '"step_date":	null' dx.json
"$SCHEMA_CHECK" "$ROOT/docs/schema/diagnose.schema.json" dx.json
