# exit: 0
# forecast: a new station takes a zip, a shock multiplies a station; JSON output
D=$DATA/forecast
cat > cfg.json <<JSON
{"shipments": "$D/shipments_monthly.csv", "zips": "$D/zips.csv", "stations": "$D/stations.csv",
 "horizon_months": 3, "paths": 50,
 "scenario": {"new_stations": [{"station": "S9", "city": "Metro", "from": "2024-02", "zips": ["01001"]}],
              "shocks": [{"scope": "city", "ids": ["Metro"], "from": "2024-03", "multiplier": 1.4}]}}
JSON
$FC forecast --config cfg.json --level zip --format csv | grep '^zip,01001,' | cut -d, -f1-4
$FC forecast --config cfg.json --level station --format json -o out.json
grep -c '"schema_version"' out.json
grep -o '"id":"S9","station":"S9","month":"2024-0[0-9]"' out.json
