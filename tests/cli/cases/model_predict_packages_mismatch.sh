# exit: 0
# A volume what-if that scales the shipments but not the routes rows'
# packages: each row is scored as its share of the zips' work at the zips'
# (now denser) density, so SEA1 came out with fewer routes than before,
# silently. predict now warns, naming the first row and both figures.
D="$DATA"/model
"$FC" fit --shipments "$D"/shipments.csv --routes "$D"/routes.csv --zips "$D"/zips.csv --stations "$D"/stations.csv \
    --vehicles "$D"/vehicles.csv -o m.json 2>/dev/null
awk -F, 'BEGIN { OFS = "," } NR > 1 && $3 == "SEA1" { $4 *= 2; $5 *= 2 } { print }' "$D"/shipments.csv > sh.csv
"$FC" predict --model m.json --shipments sh.csv --routes "$D"/routes.csv --zips "$D"/zips.csv \
    --stations "$D"/stations.csv --vehicles "$D"/vehicles.csv -o p.csv
# two rows of one station-day, a van each, adding up to the day: no warning
awk -F, 'BEGIN { OFS = "," } NR == 2 { a = int($5 / 2); b = $5 - a; s = $6; $5 = a; $6 = int(s / 2); print
    $3 = "small"; $5 = b; $6 = s - int(s / 2); print; next }
    NR == 1 || $2 == "BOS1" { print }' "$D"/routes.csv > r2.csv
"$FC" predict --model m.json --shipments "$D"/shipments.csv --routes r2.csv --zips "$D"/zips.csv \
    --stations "$D"/stations.csv --vehicles "$D"/vehicles.csv -o p2.csv 2> e2.txt
! grep -q 'packages shipped' e2.txt || exit 1
