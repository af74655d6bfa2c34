# exit: 65
cp "$DATA"/ok/* .
sed -i '5s/DBO2/DXX9/' shipments.csv
"$FC" validate --config config.json
