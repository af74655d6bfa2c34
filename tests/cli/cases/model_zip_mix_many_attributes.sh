# exit: 0
# zips.csv with more numeric attributes than the zip-mix term takes (8):
# the ones left out are named in a note (they were dropped silently).
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "a1,a2,a3,a4,a5,a6,a7"; next }
         { print $0, NR % 3, NR % 5, NR % 7, NR % 2, NR % 11, NR % 13, NR % 4 }' d/zips.csv > z.csv
mv z.csv d/zips.csv
"$FC" fit --config d/config.json -o m.json
