# exit: 0
# A zip with no rows for its last months (closed) is not forecast, with a
# note; it was carried at full volume for ever (the missing months left its
# level as it was), and its station's total with it.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
awk -F, 'NR == 1 || !($2 == "02105" && $1 >= "2023-11-01")' d/shipments.csv > s.csv
"$FC" forecast --shipments s.csv --zips d/zips.csv --stations d/stations.csv --level zip \
    --format csv --horizon 3 --paths 50 -o z.csv
test "$(awk -F, 'NR > 1 && $2 == "02104"' z.csv | wc -l)" -eq 3
test "$(awk -F, 'NR > 1 && $2 == "02105"' z.csv | wc -l)" -eq 0
