# exit: 0
# --drift-weeks longer than the data leaves no days before the window: the
# drift test cannot be made, and diagnose says so (the stations read like
# clean tests before), with drift_tested false in the JSON.
$FC synth --out "$T/d" --seed 3 --cities 1 --stations 2 --zips 16 --days 240 -q
$FC diagnose --config "$T/d/config.json" --drift-weeks 52 --format json -o dx.json
grep -q '"drift_tested":	false' dx.json
! grep -q '"drift_tested":	true' dx.json || exit 1
