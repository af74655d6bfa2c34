# exit: 0
# Two electric van types at a station: their route samples are the same
# routes (the station's zips; only the local km differ by type), so the
# range rows are Hall's condition over the subsets of the types, with no
# warning. Nine electric types: more than the 8 whose subsets (255 rows)
# are enumerated; the rows fall back to nesting by feasible share, and the
# plan says so (docs/plan.md, "Electric vans on the routes they can run").
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
echo 'evbig,420,1,200,0.600,150.00,0.09' >> d/vehicles.csv
sed -i 's/small;medium;large;ev$/small;medium;large;ev;evbig/' d/stations.csv
"$FC" plan --config d/config.json --horizon 4 --paths 50 --format csv -o plan.csv 2>two.err
! grep -q 'range rows' two.err || exit 1
test "$(awk -F, '$3 == "evbig"' plan.csv | wc -l)" -eq 8
for i in 1 2 3 4 5 6 7; do echo "ev$i,300,1,100,0.320,150.00,0.09" >> d/vehicles.csv; done
sed -i 's/;evbig$/;evbig;ev1;ev2;ev3;ev4;ev5;ev6;ev7/' d/stations.csv
"$FC" plan --config d/config.json --horizon 4 --paths 50 --format csv -o plan.csv
test "$(awk -F, '$3 == "ev7"' plan.csv | wc -l)" -eq 8
