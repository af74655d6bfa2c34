# exit: 65
cp "$DATA"/ok/* .
: > shipments.csv
"$FC" validate --config config.json
