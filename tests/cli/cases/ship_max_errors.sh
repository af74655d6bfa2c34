# exit: 65
cp "$DATA"/ok/* .
sed -i 's/DSP1/BAD/' shipments.csv
"$FC" validate --config config.json --max-errors 2
