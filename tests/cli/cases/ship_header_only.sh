# exit: 65
cp "$DATA"/ok/* .
head -1 shipments.csv > s && mv s shipments.csv
"$FC" validate --config config.json
