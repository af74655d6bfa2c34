# exit: 0
# Volume beyond history (SEA1's shipments and routes packages x3, scaled
# together: no mismatch) and zips far from their station (BOS1 moved to
# SEA1's place, 4000 km from its zips) are warned about, naming the first
# row: routes and hours there rest on the physics alone.
D="$DATA"/model
"$FC" fit --shipments "$D"/shipments.csv --routes "$D"/routes.csv --zips "$D"/zips.csv --stations "$D"/stations.csv \
    --vehicles "$D"/vehicles.csv -o m.json 2>/dev/null
awk -F, 'BEGIN { OFS = "," } NR > 1 && $3 == "SEA1" { $4 *= 3; $5 *= 3 } { print }' "$D"/shipments.csv > sh.csv
awk -F, 'BEGIN { OFS = "," } NR > 1 && $2 == "SEA1" { $5 *= 3; $6 *= 3 } { print }' "$D"/routes.csv > r.csv
awk -F, 'BEGIN { OFS = "," } NR == 3 { lat = $2; lon = $3 } { a[NR] = $0 } END {
    for (i = 1; i <= NR; i++) { if (i == 2) { split(a[i], f, ","); f[2] = lat; f[3] = lon; s = f[1];
        for (k = 2; k <= 11; k++) s = s "," f[k]; print s } else print a[i] } }' "$D"/stations.csv > s.csv
"$FC" predict --model m.json --shipments sh.csv --routes r.csv --zips "$D"/zips.csv --stations s.csv \
    --vehicles "$D"/vehicles.csv -o p.csv
test "$(wc -l < p.csv)" = 81
