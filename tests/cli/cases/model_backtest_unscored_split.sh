# exit: 0
# routes running past the shipments: the time split's test days (the last
# 20%) have no shipments to score from; the split is skipped with a note,
# not printed as a row of NaN.
awk -F, 'NR == 1 || $1 < "2023-02-01"' $DATA/model/shipments.csv > s.csv
$FC backtest --what spr --format csv --shipments s.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o bt.csv
if grep -qi nan bt.csv; then echo "NaN in the table"; exit 1; fi
if grep -q '^time,' bt.csv; then echo "time split not skipped"; exit 1; fi
grep -q '^volume_top20,hybrid,' bt.csv
