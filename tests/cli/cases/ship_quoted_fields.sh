# exit: 0
cp "$DATA"/ok/* .
sed -i '2s/.*/"2024-03-01","01001","DSP1","410","260"/' shipments.csv
"$FC" validate --config config.json --format json | grep -q '"packages":	4060'
