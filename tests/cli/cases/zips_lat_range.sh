# exit: 65
cp "$DATA"/ok/* .
sed -i '2s/42.0620/142.0620/' zips.csv
"$FC" validate --config config.json
