# exit: 0
# backtest --what volume on monthly series: a CSV table per level and method.
"$FC" backtest --what volume --shipments "$DATA"/forecast/shipments_monthly.csv --zips "$DATA"/forecast/zips.csv \
    --stations "$DATA"/forecast/stations.csv --horizon 6 --origins 2 --step 3 --paths 50 -o bt.csv
head -1 bt.csv | grep -q '^level,method,horizon_from,horizon_to,origins,points,mase,mape,coverage80'
grep -q '^station,ets,' bt.csv
grep -q '^zip,snaive,' bt.csv
