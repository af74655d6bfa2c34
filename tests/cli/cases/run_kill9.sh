# exit: 0
# kill -9 in the middle of a run leaves the previous outputs intact.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
"$FC" run d/config.json -o out -q > /dev/null
mkdir saved && cp out/*.json out/*.csv saved/
# A different seed: a run that finished would change the outputs. Many
# paths keep it running past the kill (about 1 s on a quiet machine; with
# 500 paths it took 0.3 s, as long as the sleep, and sometimes finished).
sed 's/"seed":.*/"seed": 99,/; s/"paths":.*/"paths": 50000,/' d/config.json > d/config2.json
"$FC" run d/config2.json -o out -q > /dev/null &
pid=$!
sleep 0.3
kill -9 $pid
wait $pid || true
for f in saved/*; do cmp "$f" "out/${f#saved/}"; done
# the next run cleans the killed run's temporary files and succeeds
"$FC" run d/config.json -o out -q > /dev/null
! ls out | grep -q '\.tmp\.' || exit 1
cmp saved/plan.json out/plan.json
