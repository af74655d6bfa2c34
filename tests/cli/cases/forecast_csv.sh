# exit: 0
# forecast: CSV header, one row per station and month, byte-identical reruns
D=$DATA/forecast
$FC forecast --shipments $D/shipments_monthly.csv --zips $D/zips.csv --stations $D/stations.csv \
    --format csv --horizon 4 --paths 100 --seed 3 -o a.csv
$FC forecast --shipments $D/shipments_monthly.csv --zips $D/zips.csv --stations $D/stations.csv \
    --format csv --horizon 4 --paths 100 --seed 3 --threads 1 > b.csv
cmp a.csv b.csv
head -1 a.csv
cut -d, -f1-4 a.csv | tail -n +2
# every row: p10 <= p50 <= p90, nothing negative
awk -F, 'NR > 1 && !($6 <= $7 && $7 <= $8 && $6 >= 0 && $13 <= $14) { bad = 1 } END { exit bad }' a.csv
