# A station without shipments or routes has no packages per stop or SPR:
# the text summary shows "-" (the CSV leaves it empty, the JSON says null),
# not "nan".
cp "$DATA"/ok/zips.csv "$DATA"/ok/stations.csv .
"$FC" validate --zips zips.csv --stations stations.csv > out.txt
cat out.txt
if grep -qi 'nan' out.txt; then exit 1; fi
grep -q '^DSP1 .* -  *0  *-$' out.txt
