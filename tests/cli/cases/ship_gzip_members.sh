# exit: 0
# Concatenated gzip members (cat a.gz b.gz, valid per RFC 1952) read as one
# stream.
cp "$DATA"/ok/* .
head -n 7 shipments.csv | gzip > s.csv.gz
tail -n +8 shipments.csv | gzip >> s.csv.gz
"$FC" validate --config config.json --shipments s.csv.gz --format json > v.json
grep -q '"rows":	12' v.json
grep -q '"packages":	4060' v.json
