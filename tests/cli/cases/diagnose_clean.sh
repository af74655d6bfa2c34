# exit: 0
# diagnose on a small clean synth network (2 stations, 16 zips, 240 days):
# no zip flagged, every zip tested shows in the CSV, the three formats
# agree on the count, output is byte-identical across runs, on one thread
# as on three, and -o writes the same as stdout.
$FC synth --out "$T/d" --seed 3 --cities 1 --stations 2 --zips 16 --days 240 -q
$FC diagnose --config "$T/d/config.json" --format csv -q > a.csv
$FC diagnose --config "$T/d/config.json" --format csv -q -o b.csv
cmp a.csv b.csv
$FC diagnose --config "$T/d/config.json" --format csv -q --threads 1 > a1.csv
$FC diagnose --config "$T/d/config.json" --format csv -q --threads 3 > a3.csv
cmp a.csv a1.csv
cmp a.csv a3.csv
head -1 a.csv
test "$(grep -c '^zip,' a.csv)" -eq 16
test "$(awk -F, '$1 == "zip" && $18 == 1' a.csv | wc -l)" -eq 0
$FC diagnose --config "$T/d/config.json" -q > t.txt
grep -q '^zips: 16 tested' t.txt
grep -q ', 0 flagged$' t.txt
$FC diagnose --config "$T/d/config.json" --format json -q > j.json
grep -q '"flagged_zips":	0' j.json
# a saved model gives the same answer as fitting on the spot
$FC fit --config "$T/d/config.json" -q -o m.json
$FC diagnose --config "$T/d/config.json" --model m.json --format csv -q > c.csv
cmp a.csv c.csv
