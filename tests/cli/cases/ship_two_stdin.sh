# exit: 64
cp "$DATA"/ok/* .
"$FC" validate --shipments - --zips - --stations stations.csv < shipments.csv
