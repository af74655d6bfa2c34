# exit: 0
# synth replaces its files together: one it cannot write leaves the folder's
# previous files as they were. They were replaced one by one, so a failure
# on the fifth left four new files beside the old shipments and routes.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 60 -q
cp -r d saved
rm d/routes.csv
mkdir d/routes.csv
rc=0
"$FC" synth --out d --seed 2 --cities 1 --stations 2 --zips 30 --days 60 -q 2>err || rc=$?
test "$rc" = 73
grep -q 'routes.csv: cannot create' err
for f in vehicles.csv zips.csv stations.csv fleet.csv shipments.csv config.json; do cmp saved/$f d/$f; done
! ls d | grep -q '\.tmp\.' || exit 1
