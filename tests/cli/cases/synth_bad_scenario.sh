# exit: 65
printf '{"stations": {"NOPE1": {}}, "volume": [{"from": "2023-02-30", "multiplier": 1.45}]}' > "$T/s.json"
$FC synth --out "$T/o" --stations 3 --zips 9 --days 3 --scenario "$T/s.json"
