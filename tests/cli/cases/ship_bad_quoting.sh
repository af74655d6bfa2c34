# exit: 65
cp "$DATA"/ok/* .
printf '2024-03-05,"01001"x,DSP1,4,2\n' >> shipments.csv
"$FC" validate --config config.json
