# exit: 0
# The README's cron line names last month's folder with --previous. In the
# first month of the schedule that folder does not exist, and after a
# failed month it holds no run (only the lock): --previous made both exit
# 66, so the cron job failed in its first month, and one failed month made
# every later month fail too (each failure leaves the empty folder the next
# month names). Such a folder now gives a warning, no revision report and
# a summary line saying so; a folder holding part of a run is still 66.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 400 -q
cd d
# month 1: no runs/2024-12
"$FC" run config.json -q --log-format json -o runs/m1 --previous runs/m0 > s1 2> e1
grep -q '^  no revision report: runs/m0 holds no previous run$' s1
test ! -s e1
test ! -e runs/m1/revision.json
"$FC" run config.json --log-format json -o runs/m1b --previous runs/m0 > /dev/null 2> e1b
grep -q '"level":"warning","command":"run","message":"runs/m0: no previous run there (no model.json, forecast.json or plan.json); no revision report this time"' e1b
# month 2 fails on bad data: month 1 intact, runs/m2 holds only the lock
cp shipments.csv good.csv
echo "2024-02-04,$(sed -n 2p good.csv | cut -d, -f2,3),12x,3" >> shipments.csv
cksum runs/m1/* > sums
if "$FC" run config.json -q -o runs/m2 --previous runs/m1 > /dev/null 2> e2; then exit 1; else test $? -eq 65 || exit 1; fi
cksum runs/m1/* | cmp -s - sums
test ! -e runs/m2/plan.json
mv good.csv shipments.csv
# month 3 runs, against the failed month: a plan, no revision, exit 0
"$FC" run config.json -q -o runs/m3 --previous runs/m2 --format json > s3.json
test -f runs/m3/plan.json
grep -q '"no_previous_run":	"runs/m2"' s3.json
"$SCHEMA_CHECK" "$ROOT/docs/schema/run-summary.schema.json" s3.json
# month 4 against month 3: the revision report is back
"$FC" run config.json -q -o runs/m4 --previous runs/m3 > s4
grep -q '^revision since runs/m3' s4
if grep -q 'no revision report' s4; then exit 1; fi
# part of a run is a damaged folder, not a missing one: still 66
rm runs/m3/forecast.json
if "$FC" run config.json -q -o runs/m5 --previous runs/m3 > /dev/null 2> e5; then exit 1; else test $? -eq 66 || exit 1; fi
grep -q 'runs/m3/forecast.json: cannot open: No such file or directory' e5
