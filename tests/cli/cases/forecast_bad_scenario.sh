# exit: 65
# forecast: a scenario naming an unknown zip is bad data, with the key named
D=$DATA/forecast
echo '{"scenario": {"rezoning": [{"zip": "77777", "to": "S2", "from": "2024-02"}]}}' > cfg.json
$FC forecast --config cfg.json --shipments $D/shipments_monthly.csv --zips $D/zips.csv --stations $D/stations.csv
