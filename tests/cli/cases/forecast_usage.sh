# exit: 64
# forecast: a bad --level is a usage error, and nothing is written
D=$DATA/forecast
$FC forecast --shipments $D/shipments_monthly.csv --zips $D/zips.csv --stations $D/stations.csv \
    --level county -o out.csv || { rc=$?; test ! -e out.csv; exit $rc; }
