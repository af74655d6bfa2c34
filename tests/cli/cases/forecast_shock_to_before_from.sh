# exit: 65
# forecast: a shock whose "to" is before its "from" would do nothing; it is
# bad data naming the key (it was accepted silently)
D=$DATA/forecast
echo '{"scenario": {"shocks": [{"scope": "all", "from": "2024-06", "to": "2024-03", "multiplier": 1.2}]}}' > cfg.json
$FC forecast --config cfg.json --shipments $D/shipments_monthly.csv --zips $D/zips.csv --stations $D/stations.csv
