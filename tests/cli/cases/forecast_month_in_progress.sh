# exit: 0
# History ending on the 3rd of a month: that month, under half covered,
# leaves the history, and the forecast starts with it (it started the month
# after, so the month in progress was in neither the history nor the plan).
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
awk -F, 'NR == 1 || $1 <= "2024-02-03"' d/shipments.csv > s.csv
"$FC" forecast --shipments s.csv --zips d/zips.csv --stations d/stations.csv --level network \
    --format csv --horizon 3 --paths 50 -o f.csv
test "$(awk -F, 'NR == 2 { print $4 }' f.csv)" = 2024-02
"$FC" forecast --shipments s.csv --zips d/zips.csv --stations d/stations.csv --horizon 3 --paths 50 -o f.json
grep -q '"history_last_month":	"2024-01"' f.json
grep -q '"first_month":	"2024-02"' f.json
