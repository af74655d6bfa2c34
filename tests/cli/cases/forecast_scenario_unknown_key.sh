# exit: 65
# forecast: a key a scenario entry does not know is an error naming it (a
# shock's "until" for "to" was ignored and the shock ran to the horizon's
# end), and "ids" without "scope" is one too (it shocked the whole network)
D=$DATA/forecast
cat > cfg.json <<JSON
{"scenario": {"shocks": [{"scope": "station", "ids": ["S1"], "from": "2024-02", "until": "2024-02", "multiplier": 1.2},
                         {"ids": ["S2"], "from": "2024-02", "multiplier": 1.2}],
              "rezoning": [{"zip": "01001", "to": "S2", "from": "2024-02", "station": "S1"}],
              "new_stations": [{"station": "S9", "from": "2024-02", "zips": ["01002"], "to": "2024-05"}]}}
JSON
$FC forecast --config cfg.json --shipments $D/shipments_monthly.csv --zips $D/zips.csv --stations $D/stations.csv
