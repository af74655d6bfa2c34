# exit: 65
cp "$DATA"/ok/* .
sed -i '2s/2021-03-01/2021-13-01/' stations.csv
"$FC" validate --config config.json
