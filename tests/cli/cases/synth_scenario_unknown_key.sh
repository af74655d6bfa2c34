# exit: 65
# synth: keys a scenario entry does not know are errors naming them ("open"
# for "opens" was ignored; "station" for "stations" multiplied the whole
# network), "stations" must be an array (a string multiplied no one), and a
# rezoning's count must be a whole number of zips (1e12 was an undefined
# cast to int, -3 moved nothing)
cat > s.json <<'JSON'
{"stations": {"BOS2": {"open": "2024-01-02", "switch": [{"from": "2024-01-02", "van_type": "large", "until": "x"}]}},
 "volume": [{"from": "2024-01-02", "multiplier": 2, "station": ["BOS1"]},
            {"from": "2024-01-02", "multiplier": 2, "stations": "BOS1"}],
 "rezoning": [{"from": "2024-01-02", "from_station": "BOS1", "to_station": "BOS2", "zips": 1e12},
              {"from": "2024-01-02", "from_station": "BOS1", "to_station": "BOS2", "zips": -3}],
 "service": [{"from": "2024-01-02", "station": "BOS1", "factor": 1.2, "factr": 2}]}
JSON
$FC synth --out o --cities 1 --stations 2 --zips 6 --days 3 --scenario s.json
