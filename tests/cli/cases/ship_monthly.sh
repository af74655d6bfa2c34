# exit: 0
cp "$DATA"/ok/* .
printf 'date,zip,station,packages,stops\n2024-01-01,01001,DSP1,9000,6000\n2024-02-01,01001,DSP1,9100,6100\n2024-04-01,01001,DSP1,9300,6200\n' > shipments.csv
"$FC" validate --shipments shipments.csv --zips zips.csv --stations stations.csv | grep -q "monthly, 2024-01-01 .. 2024-04-01 (4 months)"
