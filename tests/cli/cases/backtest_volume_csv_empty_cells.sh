# exit: 0
# backtest --what volume leaves a figure with nothing to average empty, as
# every other CSV of fleetcast does: coverage80 of snaive (no interval) read
# "NA", and the MASE of series with no change to scale by (flat history)
# read "nan".
awk -F, 'BEGIN { OFS = "," } NR > 1 { $4 = 100; $5 = 60 } { print }' "$DATA"/forecast/shipments_monthly.csv > flat.csv
"$FC" backtest --what volume --shipments flat.csv --zips "$DATA"/forecast/zips.csv \
    --stations "$DATA"/forecast/stations.csv --horizon 6 --origins 2 --step 3 --paths 50 -q -o bt.csv
! grep -qi 'nan\|NA$' bt.csv || exit 1
grep -q '^zip,ets,1,6,2,0,,0\.0001,0\.9333$' bt.csv
grep -q '^zip,snaive,1,6,2,0,,[0-9.]*,$' bt.csv
awk -F, 'NF != 9 { exit 1 }' bt.csv
