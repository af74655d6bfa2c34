# exit: 0
# plan from the raw inputs with a model file; CSV has one row per station,
# month and van type the station may run, and every row names its limit.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
"$FC" fit --config d/config.json -o model.json -q
"$FC" plan --config d/config.json --model model.json --horizon 4 --paths 50 --format csv -o plan.csv
head -1 plan.csv | grep -q '^station,month,van_type,electric,needed,current,to_buy'
test "$(awk -F, 'NR > 1 { print $2 }' plan.csv | sort -u | wc -l)" -eq 4
! awk -F, 'NR > 1 && $21 == ""' plan.csv | grep -q . || exit 1
