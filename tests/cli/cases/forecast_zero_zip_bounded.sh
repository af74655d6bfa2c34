# exit: 0
# A zip whose deliveries fall to zero (rows with 0 packages for its last 3
# months) has one-step errors of several log units; its paths, exp of a
# normal, once reached billions of packages: the network's packages_mean was
# 22 billion at month 16 (P50 ~100,000). Paths are capped at 5 x the zip's
# busiest month, so every mean stays within a few times the P90.
"$FC" synth --out d --seed 3 --cities 1 --stations 2 --zips 20 --days 420 -q
awk -F, 'BEGIN { OFS = "," } NR > 1 && $2 == "02104" && $1 >= "2023-12-01" { $4 = 0; $5 = 0 } { print }' \
    d/shipments.csv > s.csv
"$FC" forecast --shipments s.csv --zips d/zips.csv --stations d/stations.csv --level network \
    --format csv --horizon 16 --paths 500 -o n.csv
"$FC" forecast --shipments s.csv --zips d/zips.csv --stations d/stations.csv --level zip \
    --format csv --horizon 16 --paths 500 -o z.csv
# network: mean (col 5) under 2 x P90 (col 8); the zip's mean under 50,000
awk -F, 'NR > 1 && !($5 < 2 * $8) { bad++ } END { exit bad > 0 }' n.csv
awk -F, '$2 == "02104" && !($5 < 50000) { bad++ } END { exit bad > 0 }' z.csv
test "$(grep -c '^zip,02104,' z.csv)" -eq 16
