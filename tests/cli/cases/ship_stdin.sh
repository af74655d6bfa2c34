# exit: 0
cp "$DATA"/ok/* .
"$FC" validate --shipments - --zips zips.csv --stations stations.csv < shipments.csv | grep -q "4 days"
