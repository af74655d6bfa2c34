# exit: 0
cp "$DATA"/ok/* .
mkdir other && cp shipments.csv other/s.csv
"$FC" validate --config config.json --shipments other/s.csv | grep -q 'other/s.csv'
