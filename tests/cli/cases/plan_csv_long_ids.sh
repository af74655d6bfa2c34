# exit: 0
# plan.csv and plan.json carry a station id whole, however long: a copy
# into a 256-byte buffer cut one of 256 bytes or more (here 2 + 2 x 150
# bytes, cut in the middle of a UTF-8 character), so plan.csv and plan.json
# named a station that is not in the inputs.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
long=BO$(printf '%0150d' 0 | sed 's/0/Ö/g')
sed -i "s/,BOS1,/,$long,/" d/shipments.csv d/routes.csv
sed -i "s/^BOS1,/$long,/" d/stations.csv d/fleet.csv
"$FC" plan --config d/config.json --horizon 2 --paths 20 --format csv -q -o plan.csv
"$FC" plan --config d/config.json --horizon 2 --paths 20 -q -o plan.json
test "$(grep -c "^$long,20" plan.csv)" -ge 2
grep -q "\"station\":	\"$long\"" plan.json
