# exit: 65
cp "$DATA"/ok/* .
sed -i '3s/DSP1/NOPE/' fleet.csv
"$FC" validate --config config.json
