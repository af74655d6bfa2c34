# exit: 0
# Empty and constant extra columns in zips.csv (a spreadsheet's blank
# "notes", a country code) have no slope to fit, yet each took one of the
# zip-mix term's 8 places, ahead of the real attributes by name: with 7 of
# them, share_apartments and share_business were left out of the term.
"$FC" synth --out d --seed 3 --cities 1 --stations 2 --zips 16 --days 240 -q
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "a1,a2,a3,a4,a5,a6,a7"; next }
         { print $0, ",,,,,1,1" }' d/zips.csv > z.csv
mv z.csv d/zips.csv
"$FC" fit --config d/config.json -o m.json
grep -q '"name":	"zip_share_apartments"' m.json
# zip_a1 stays a feature of the correction and the ML-only baseline only
test "$(grep -c '"name":	"zip_a1"' m.json)" -eq 2
