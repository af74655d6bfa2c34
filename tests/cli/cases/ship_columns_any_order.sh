# exit: 0
cp "$DATA"/ok/* .
awk -F, -v OFS=, '{print $5,$4,$3,$2,$1}' shipments.csv > s && mv s shipments.csv
"$FC" validate --config config.json --format json | grep -q '"packages":	4060'
