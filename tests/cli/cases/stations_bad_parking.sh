# exit: 65
cp "$DATA"/ok/* .
sed -i '2s/,40,/,4.5,/' stations.csv
"$FC" validate --config config.json
