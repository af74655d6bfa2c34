# exit: 65
cp "$DATA"/ok/* .
sed -i '2s/small;ev/small;hover/' stations.csv
"$FC" validate --config config.json
