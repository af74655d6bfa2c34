# exit: 65
cp "$DATA"/ok/* .
sed -i '7s/01002/99999/' shipments.csv
"$FC" validate --config config.json
