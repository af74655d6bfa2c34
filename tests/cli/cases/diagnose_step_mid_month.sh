# exit: 0
# a station step that starts mid-month is dated within its week and with
# its sign: BOS1's route hours (and km) x1.05 from Saturday 2024-03-16 on
# a clean 2-station network. The step was tested at month starts only, and
# the month of misfit left around 2024-04-01 inflated that date's
# block-means variance: the step was read as -4.2% from 2023-03-01.
# Station rows now carry a CI as zip rows do.
# docs/diagnose.md, "Stations".
$FC synth --out "$T/c" --seed 1 --cities 1 --stations 2 --zips 40 --days 731 -q
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
    $c["station"] == "BOS1" && $c["date"] >= "2024-03-16" {
        $c["route_hours"] = sprintf("%.2f", $c["route_hours"] * 1.05)
        $c["route_km"] = sprintf("%.1f", $c["route_km"] * 1.05) }
    { print }' "$T/c/routes.csv" > r.csv
mv r.csv "$T/c/routes.csv"
$FC diagnose --config "$T/c/config.json" --format csv -q > s.csv
awk -F, '$1 == "station_step" && $2 == "BOS1" && $18 == 1 && $6 >= "2024-03-16" && $6 <= "2024-03-22" &&
         $7 > 3 && $7 < 6 { ok = 1 } END { exit !ok }' s.csv
# its 99% CI (station rows had none) holds the estimate and the planted
# log(1.05) = 4.88%
awk -F, '$1 == "station_step" && $2 == "BOS1" && $8 != "" && $8 < $7 && $7 < $9 && $8 < 4.88 && $9 > 4.88 { ok = 1 }
    END { exit !ok }' s.csv
test "$(awk -F, '$1 == "station_step" && $2 == "BOS2" && $18 == 1' s.csv | wc -l)" -eq 0
