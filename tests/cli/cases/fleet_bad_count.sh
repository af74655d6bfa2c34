# exit: 65
cp "$DATA"/ok/* .
sed -i '4s/,5$/,five/' fleet.csv
"$FC" validate --config config.json
