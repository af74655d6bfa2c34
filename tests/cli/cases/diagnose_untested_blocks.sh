# exit: 0
# Five months of data give 5 blocks of 28 days: too few degrees of freedom
# for the station tests' batch-means error, so neither drift nor a step is
# tested. The warning said the drift window was the cause and that a
# smaller --drift-weeks would test them, which it does not; it now gives
# the real reason and names the stations.
$FC synth --out "$T/d" --seed 3 --cities 1 --stations 2 --zips 16 --days 150 -q
$FC diagnose --config "$T/d/config.json" --drift-weeks 4 --format json -o dx.json
! grep -q '"drift_tested":	true' dx.json || exit 1
