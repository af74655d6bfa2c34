# exit: 65
cp "$DATA"/ok/* .
sed -i '3s/large/jumbo/' routes.csv
"$FC" validate --config config.json
