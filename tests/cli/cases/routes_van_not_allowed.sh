# exit: 65
cp "$DATA"/ok/* .
sed -i '2s/small/large/' routes.csv
"$FC" validate --config config.json
