# exit: 65
cp "$DATA"/ok/* .
gzip shipments.csv && head -c 100 shipments.csv.gz > bad.csv.gz
"$FC" validate --shipments bad.csv.gz --zips zips.csv --stations stations.csv
