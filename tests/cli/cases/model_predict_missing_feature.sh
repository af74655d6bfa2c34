# exit: 0
# A model scored on a zips file without one of its attribute columns: the
# correction's and the ML-only baseline's missing feature was noted twice,
# word for word; once now (the zip-mix note says what else it changes).
"$FC" synth --out d --seed 3 --cities 1 --stations 2 --zips 16 --days 240 -q
"$FC" fit --config d/config.json -q -o m.json
cut -d, -f1-6 d/zips.csv > z.csv
mv z.csv d/zips.csv
"$FC" predict --config d/config.json --model m.json -o p.csv 2> err.txt
cat err.txt >&2
test "$(grep -c "feature 'zip_share_business' of the model is not in these data" err.txt)" -eq 1
