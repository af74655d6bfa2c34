# exit: 0
# station steps on a 2-station network over two years (the station tests
# need >= 700 days for their season controls): on clean data no station is
# flagged for a step or a drift (the step's variance comes from 28-day
# block means, so the model's month-to-month misfit is not taken for a
# step); with every zip BOS1 serves slowed down (service x1.10 from
# 2024-01-01, about +5% of BOS1's route hours) BOS1's step is flagged at
# that date and BOS2's is not. docs/diagnose.md, "Stations".
$FC synth --out "$T/c" --seed 1 --cities 1 --stations 2 --zips 40 --days 731 -q
$FC diagnose --config "$T/c/config.json" --format csv -q > c.csv
test "$(grep -c '^station_step,' c.csv)" -eq 2
test "$(awk -F, '$1 ~ /^station_/ && $18 == 1' c.csv | wc -l)" -eq 0
awk -F, 'NR > 1 && $3 == "BOS1" && !seen[$2]++ {
        s = s (s ? ", " : "") sprintf("{\"from\": \"2024-01-01\", \"zip\": \"%s\", \"factor\": 1.10}", $2) }
    END { print "{\"service\": [" s "]}" }' "$T/c/shipments.csv" > step.json
$FC synth --out "$T/s" --seed 1 --cities 1 --stations 2 --zips 40 --days 731 --scenario step.json -q
$FC diagnose --config "$T/s/config.json" --format csv -q > s.csv
awk -F, '$1 == "station_step" && $2 == "BOS1" && $18 == 1 && $6 == "2024-01-02" && $7 > 3 { ok = 1 }
    END { exit !ok }' s.csv
test "$(awk -F, '$1 == "station_step" && $2 == "BOS2" && $18 == 1' s.csv | wc -l)" -eq 0
$FC diagnose --config "$T/s/config.json" -q > s.txt
grep -q ', 1 with a step$' s.txt
