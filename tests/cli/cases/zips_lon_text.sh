# exit: 65
cp "$DATA"/ok/* .
sed -i '4s/-72.5250/west/' zips.csv
"$FC" validate --config config.json
