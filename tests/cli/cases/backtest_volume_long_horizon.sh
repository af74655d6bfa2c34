# exit: 0
# backtest --what volume --horizon 20: horizons 17-20 are scored and have a
# row, and the all-horizons row says 1..20. The buckets ended at 16: the
# months 17-20 were in no row and the first row still said "1,16".
D=$DATA/forecast
"$FC" backtest --what volume --shipments $D/shipments_monthly.csv --zips $D/zips.csv \
    --stations $D/stations.csv --horizon 20 --origins 2 --step 20 --min-train 12 --paths 50 -o bt.csv
# origins at months 15 (20 months to score) and 35 (1)
grep -q '^zip,ets,1,20,2,106,' bt.csv
grep -q '^zip,ets,17,20,2,20,' bt.csv
! grep -q ',1,16,' bt.csv || exit 1
