# exit: 65
# A shipments file of one date (a monthly file of one month, or one day)
# holds no month to forecast from; the message says why (it read "no zip
# has shipment history before the forecast origin").
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 10 --days 40 -q
awk -F, 'NR == 1 || $1 == "2023-01-01"' d/shipments.csv > s1.csv
"$FC" forecast --shipments s1.csv --zips d/zips.csv --stations d/stations.csv --level network
