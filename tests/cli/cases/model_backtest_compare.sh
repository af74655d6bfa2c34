# exit: 0
# backtest --what spr: each baseline's row carries the hybrid's MAPE minus its
# own with a 90% paired block-bootstrap interval (lo <= difference <= hi), the
# hybrid's row none; the JSON holds the same; two runs are byte-identical.
IN="--shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv"
"$FC" backtest --what spr --format csv $IN -o a.csv
"$FC" backtest --what spr --format csv $IN -o b.csv
cmp a.csv b.csv
head -1 a.csv | grep -q ',hybrid_minus_pct,hybrid_minus_lo90_pct,hybrid_minus_hi90_pct$'
# physics and ml rows: three numbers in order; hybrid rows: three empty fields
awk -F, 'NR > 1 && $2 != "hybrid" { if ($7 == "" || $8 + 0 > $7 + 0 || $7 + 0 > $9 + 0) exit 1; n++ }
         NR > 1 && $2 == "hybrid" { if ($7 != "" || $8 != "" || $9 != "") exit 1 }
         END { if (n != 8) exit 1 }' a.csv
"$FC" backtest --what spr --format json $IN -o a.json
grep -q "\"hybrid_minus_pct\":[[:space:]]*null" a.json
grep -q '"lo90":' a.json
"$FC" backtest --what spr $IN | head -1
