# exit: 0
# Columns are matched by name in any order (docs/data.md): the same zips
# with their feature columns swapped must give the same model and plan
# (only the inputs' paths and fingerprints differ).
"$FC" synth --out a --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
cp -r a b
awk -F, 'BEGIN { OFS = "," } { t = $6; $6 = $7; $7 = t; print }' a/zips.csv > b/zips.csv
head -1 b/zips.csv | grep -q 'share_business,share_apartments$'
"$FC" run a/config.json -o a/out --reproducible -q > /dev/null
"$FC" run b/config.json -o b/out --reproducible -q > /dev/null
for f in model.json forecast.json plan.json plan.csv; do
    grep -v '"path"\|"bytes"\|"crc32"' a/out/$f > a.txt
    grep -v '"path"\|"bytes"\|"crc32"' b/out/$f > b.txt
    cmp a.txt b.txt
done
