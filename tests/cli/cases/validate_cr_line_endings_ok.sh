# exit: 0
# Every file with CR-only line breaks (quoted fields in stations.csv, the
# shipments through the read-ahead thread and gzip) reads as with LF.
cp "$DATA"/ok/* .
for f in *.csv; do sed 's/\r$//' "$f" | tr '\n' '\r' > t && mv t "$f"; done
gzip shipments.csv
"$FC" validate --config config.json --shipments shipments.csv.gz --format json > v.json
grep -q '"rows":	12' v.json
grep -q '"packages":	4060' v.json
