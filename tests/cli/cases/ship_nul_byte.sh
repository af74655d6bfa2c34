# exit: 65
# A NUL byte in a number: not text, not a bad number (through gzip and the
# read-ahead thread).
cp "$DATA"/ok/* .
printf '2024-03-05,01001,DSP1,4\00010,260\n' >> shipments.csv
gzip shipments.csv
"$FC" validate --config config.json --shipments shipments.csv.gz
