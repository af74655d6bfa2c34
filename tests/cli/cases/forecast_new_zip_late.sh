# exit: 0
# A zip whose first row is in the last half of the history's last month
# (its only month under half covered by its rows) is forecast from the days
# it has, pooled toward its station; it was not forecast at all, noted as
# "closed?", and its volume was missing from its station's forecast.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
awk -F, 'NR == 1 || !($2 == "02105" && $1 < "2024-02-16")' d/shipments.csv > s.csv
"$FC" forecast --shipments s.csv --zips d/zips.csv --stations d/stations.csv --level zip \
    --format csv --horizon 3 --paths 50 -o z.csv
test "$(awk -F, 'NR > 1 && $2 == "02105"' z.csv | wc -l)" -eq 3
# its level: within 25% of its forecast from the whole history
"$FC" forecast --shipments d/shipments.csv --zips d/zips.csv --stations d/stations.csv --level zip \
    --format csv --horizon 3 --paths 50 -o full.csv
a=$(awk -F, 'NR > 1 && $2 == "02105" && $4 == "2024-03" { print $7 }' z.csv)
b=$(awk -F, 'NR > 1 && $2 == "02105" && $4 == "2024-03" { print $7 }' full.csv)
awk -v a="$a" -v b="$b" 'BEGIN { exit !(a > 0.75 * b && a < 1.25 * b) }'
