# Monthly data with one row not on the 1st is read as daily (docs/data.md);
# a month's volume then lands on single days, so validate warns and names
# the row.
cp "$DATA"/ok/zips.csv "$DATA"/ok/stations.csv .
cat > shipments.csv <<'CSV'
date,zip,station,packages,stops
2024-01-01,01001,DSP1,3000,2000
2024-01-01,01002,DSP1,2500,1800
2024-02-01,01001,DSP1,3100,2050
2024-02-15,01002,DSP1,2600,1850
2024-03-01,01001,DSP1,3200,2100
2024-03-01,01002,DSP1,2700,1900
CSV
"$FC" validate --shipments shipments.csv --zips zips.csv --stations stations.csv
