# exit: 65
cp "$DATA"/ok/* .
sed -i '1s/hilliness/lat/' zips.csv
"$FC" validate --config config.json
