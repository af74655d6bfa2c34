# exit: 65
cp "$DATA"/ok/* .
sed -i '2s/01001/1001/' shipments.csv
"$FC" validate --config config.json
