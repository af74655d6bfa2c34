# exit: 0
# Zip rows: the peak day is the month's packages / working days x the zip's
# peak factor, so well under the month. The working days were filled in
# only after the zips' rows were made (zeros, taken as 1): a zip's "peak
# day" was its whole month x the peak factor, 1.5 times the month.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
"$FC" forecast --config d/config.json --level zip --format csv --horizon 3 --paths 50 -o z.csv
test "$(awk -F, 'NR > 1' z.csv | wc -l)" -eq 60
# peak_day_packages_p50 (col 13) < packages_p50 (col 7) / 5 on every row with volume
awk -F, 'NR > 1 && $7 > 0 && !($13 < $7 / 5 && $13 > $7 / 40) { bad++ } END { exit bad > 0 }' z.csv
