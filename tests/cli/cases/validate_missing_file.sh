# exit: 66
cp "$DATA"/ok/* .
rm routes.csv
"$FC" validate --config config.json
