# exit: 0
# A station id holding a comma and a zip holding a comma and a quote are
# quoted in diagnose's CSV (RFC 4180), so every row keeps the header's 18
# columns; they were written bare, shifting the rows of that station.
"$FC" synth --out d --seed 3 --cities 1 --stations 2 --zips 16 --days 240 -q
sed -i 's/,BOS1,/,"BOS,1",/; s/,02100,/,"02100,""x""",/' d/shipments.csv
sed -i 's/,BOS1,/,"BOS,1",/' d/routes.csv
sed -i 's/^BOS1,/"BOS,1",/' d/stations.csv d/fleet.csv
sed -i 's/^02100,/"02100,""x""",/' d/zips.csv
"$FC" diagnose --config d/config.json --format csv -q -o dx.csv
# quoted fields counted as one: every row has 18 columns
sed 's/"[^"]*"/q/g' dx.csv | awk -F, 'NF != 18 { print NR ": " NF " columns"; bad = 1 } END { exit bad }'
grep -q '^zip,"BOS,1","02100,""x""",' dx.csv
grep -q '^station_drift,"BOS,1",,drift,' dx.csv
grep -q '^station_step,"BOS,1",,step,' dx.csv
test "$(grep -c '^zip,' dx.csv)" -eq 16
