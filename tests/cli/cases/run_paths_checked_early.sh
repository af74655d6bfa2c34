# exit: 0
# run checks its outputs and the previous run's files before any work: a
# mistyped --previous and a folder in place of plan.json used to be found
# after the fit, the forecast and the plan. previous_run in the config
# naming a folder with no run in it yet (the first month of a schedule
# whose previous_run is its own output_dir) is a note, not a failure; so
# is --previous naming a folder with no run in it (a warning; CLI case
# run_cron_first_and_failed_month), while one holding part of a run (here
# a model.json alone) is an error.
"$FC" synth --out d --seed 5 --cities 1 --stations 2 --zips 20 --days 400 -q
mkdir nowhere
touch nowhere/model.json
if "$FC" run d/config.json -o o1 --previous nowhere -v 2>err1; then exit 1; else test $? -eq 66 || exit 1; fi
grep -q "nowhere/forecast.json: cannot open: No such file or directory" err1
if grep -q "fitting\|in-sample" err1; then exit 1; fi
test ! -e o1/model.json || exit 1
mkdir -p o2/plan.json
if "$FC" run d/config.json -o o2 -v 2>err2; then exit 1; else test $? -eq 73 || exit 1; fi
grep -q "o2/plan.json: cannot create: Is a directory" err2
if grep -q "in-sample" err2; then exit 1; fi
sed -i 's/^{/{"output_dir": "out", "previous_run": "out",/' d/config.json
"$FC" run d/config.json > s1 2>err3
grep -q "no previous run there yet (previous_run); no revision report this time" err3
test -f d/out/plan.json
"$FC" run d/config.json > s2 2>err4
grep -q "^revision since" s2
