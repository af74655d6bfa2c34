# exit: 0
# forecast: a shock whose months all fall outside the forecast (a typo'd
# year) is warned of: it changes nothing, and it used to do so silently
D=$DATA/forecast
cat > cfg.json <<JSON
{"horizon_months": 3, "paths": 50,
 "scenario": {"shocks": [{"scope": "station", "ids": ["S1"], "from": "2030-02", "multiplier": 1.2},
                         {"scope": "all", "from": "2019-01", "to": "2019-12", "multiplier": 2},
                         {"scope": "all", "from": "2019-01", "multiplier": 1.1}]}}
JSON
$FC forecast --config cfg.json --shipments $D/shipments_monthly.csv --zips $D/zips.csv --stations $D/stations.csv -o f.json
