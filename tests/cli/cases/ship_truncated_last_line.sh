# exit: 65
cp "$DATA"/ok/* .
printf '2024-03-05,01001,DS' >> shipments.csv
"$FC" validate --config config.json
