# exit: 0
# The van split of backtest --what spr is named van:TYPE, with the whole
# van type: one that holds a comma or a quote is quoted in the CSV (RFC
# 4180), so the rows keep the header's 9 columns (it was written bare), and
# one of 60 bytes or more is not cut (a 64-byte buffer cut it, in CSV, JSON
# and text alike).
cat > sc.json <<'J'
{"stations": {"BOS2": {"switch": [{"from": "2023-06-01", "van_type": "large"}]}}}
J
"$FC" synth --out d --seed 3 --cities 1 --stations 2 --zips 16 --days 240 --scenario sc.json -q
long=Long_Wheelbase_High_Roof_Extended_Length_2024_model_year_edition
sed -i "s/,large,/,\"lar,\"\"ge\"\"$long\",/" d/routes.csv
sed -i "s/^large,/\"lar,\"\"ge\"\"$long\",/" d/vehicles.csv
sed -i "s/small;medium;large;ev/\"small;medium;lar,\"\"ge\"\"$long;ev\"/" d/stations.csv
"$FC" backtest --what spr --config d/config.json --format csv -q -o bt.csv
sed 's/"[^"]*"/q/g' bt.csv | awk -F, 'NF != 9 { print NR ": " NF " columns"; bad = 1 } END { exit bad }'
grep -q "^\"van:lar,\"\"ge\"\"$long\",hybrid," bt.csv
"$FC" backtest --what spr --config d/config.json --format json -q -o bt.json
grep -q "\"split\":	\"van:lar,\\\\\"ge\\\\\"$long\"" bt.json
