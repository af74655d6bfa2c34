# exit: 0
# The scenario knobs show in the data: a van switch (routes.csv van_type),
# a station opening (no rows before it), a rezoning (zip changes station
# in shipments.csv), and the resolved scenario in config.json.
cat > "$T/s.json" <<'JSON'
{"stations": {"SEA1": {"switch": [{"from": "2023-01-05", "van_type": "large"}]},
              "BOS2": {"opens": "2023-01-06"}},
 "rezoning": [{"from": "2023-01-04", "from_station": "PHX1", "to_station": "PHX2", "zips": 1}],
 "volume": [{"from": "2023-01-07", "multiplier": 1.45}]}
JSON
$FC synth --out "$T/o" --stations 6 --zips 36 --days 8 --scenario "$T/s.json" -q
grep -c '^2023-01-0[1-4],SEA1,medium,' "$T/o/routes.csv"
grep -c '^2023-01-0[5-8],SEA1,large,' "$T/o/routes.csv"
grep -c ',BOS2,' "$T/o/routes.csv"
z=$(grep -o '"zips":[^]]*' "$T/o/config.json" | grep -o '[0-9]\{5\}' | head -1)
grep "^2023-01-03,$z," "$T/o/shipments.csv" | cut -d, -f3
grep "^2023-01-04,$z," "$T/o/shipments.csv" | cut -d, -f3
$FC validate --config "$T/o/config.json" > /dev/null
