# exit: 0
# A budgeted fleet (--budget, the fleet file's format) is what the plan's
# scenario check tests: half the current fleet is short, ten times it is
# enough at P50, the service level and the shock. The budget reaches only
# the check (the vans needed are the same), and plan.json says whose fleet
# was checked. Before, a budget could be given only through the C API.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
"$FC" fit --config d/config.json -o model.json -q
awk -F, 'NR == 1 { print; next } { printf "%s,%s,%d\n", $1, $2, $3 / 2 }' d/fleet.csv > half.csv
awk -F, 'NR == 1 { print; next } { printf "%s,%s,%d\n", $1, $2, $3 * 10 }' d/fleet.csv > big.csv
"$FC" plan --config d/config.json --model model.json --horizon 4 --paths 50 -o own.json -q
"$FC" plan --config d/config.json --model model.json --horizon 4 --paths 50 --budget half.csv -o half.json 2> half.err
"$FC" plan --config d/config.json --model model.json --horizon 4 --paths 50 --budget big.csv -o big.json 2> big.err
grep -q '"check_fleet":	"plan"' own.json
grep -q '"check_fleet":	"budget"' half.json
grep -q '"budget":' half.json
! grep -q '"budget":' own.json || exit 1
grep -q 'note: budgeted fleet (half.csv): at P50 short [1-9][0-9]* vans in' half.err
grep -q 'note: budgeted fleet (big.csv): at P50 enough; at the service level enough; under a +30% shock (plan shock_multiplier) enough' big.err
# the vans needed do not depend on the budget
test "$(grep '"needed"' half.json | md5sum)" = "$(grep '"needed"' own.json | md5sum)"
# a budget row naming an unknown station is an error naming the file
printf 'station,van_type,count\nNOPE,medium,3\n' > bad.csv
! "$FC" plan --config d/config.json --model model.json --horizon 4 --paths 50 --budget bad.csv -o x.json 2> bad.err || exit 1
grep -q 'bad.csv:2' bad.err
# run takes it from the config's "budget" key, and says so in its summary
sed -i 's/"fleet":/"budget": "..\/half.csv", "fleet":/' d/config.json
grep -q '"budget"' d/config.json
sed -i 's/"horizon_months":\t16/"horizon_months": 4/; s/"paths":\t500/"paths": 50/' d/config.json
"$FC" run d/config.json -o r -q > run.txt
grep -q '^  budgeted fleet (.*half.csv): at P50 short' run.txt
"$FC" run d/config.json -o r -q --format json > run.json
grep -q '"worst_shortfall":' run.json
# a count beyond a million is refused (three types of 2^31 - 1 summed to
# a surplus of -2^31), and a budget of a type the station may not run says
# what the check does with it
printf 'station,van_type,count\nBOS1,medium,2147483647\n' > huge.csv
! "$FC" plan --config d/config.json --model model.json --horizon 4 --paths 50 --budget huge.csv -o x.json 2> huge.err || exit 1
grep -q 'huge.csv:2:3: .*a van count of at most 1000000' huge.err
sed 's/^BOS1,\(.*\),small;medium;large;ev$/BOS1,\1,medium/' d/stations.csv > st.csv
printf 'station,van_type,count\nBOS1,large,3\n' > nolarge.csv
"$FC" plan --config d/config.json --model model.json --stations st.csv --horizon 2 --paths 20 --budget nolarge.csv -o x.json 2> nolarge.err
grep -q "nolarge.csv:2: station 'BOS1' has 3 budgeted vans of type 'large'.*the scenario check counts them, but the plan would run none" nolarge.err
# run's summary says how many electric vans cannot charge at their
# station: 6 more than BOS1 has chargers for (nothing said so before)
ch=$(awk -F, '$1 == "BOS1" { print $7 }' d/stations.csv)
printf 'station,van_type,count\nBOS1,ev,%d\n' $((ch + 6)) > evfleet.csv
sed -i 's#"fleet":[^,}]*#"fleet": "../evfleet.csv"#' d/config.json
"$FC" run d/config.json -o rev -q > ev.txt
grep -q 'electric vans by .* (6 of them cannot charge at their station)' ev.txt
