# exit: 0
cp "$DATA"/ok/* .
gzip shipments.csv
"$FC" validate --shipments shipments.csv.gz --zips zips.csv --stations stations.csv --format json | grep -q '"packages":	4060'
