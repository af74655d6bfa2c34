# exit: 64
cp "$DATA"/ok/* .
"$FC" validate --shipments shipments.csv --stations stations.csv
