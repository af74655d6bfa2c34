# exit: 0
# The scenario moves two zips to BOS3, a station in stations.csv with no
# history yet: the plan gives it the zips' routes from the month they move
# (its SPR from its city's fitted stations), and before that names the
# month's limit as demand with no routes. The synthetic days once placed a
# zip at its old station in every month, so BOS3 got no routes at all.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
echo 'BOS3,42.30,-71.05,Boston,8.75,20,4,19.2,100,2024-06-01,small;medium;large;ev' >> d/stations.csv
sed -i '0,/"scenario":\t{/s//"scenario": {"rezoning": [{"zip": "02100", "to": "BOS3", "from": "2024-06"}, {"zip": "02101", "to": "BOS3", "from": "2024-06"}]/' d/config.json
grep -q '"to": "BOS3"' d/config.json
"$FC" plan --config d/config.json --horizon 6 --paths 50 --format csv -o plan.csv -q
# BOS3 from 2024-06: routes and vans
awk -F, '$1 == "BOS3" && $2 >= "2024-06" && $15 > 0.5 { print $2 }' plan.csv | sort -u > routed
test "$(wc -l < routed)" -eq 3
test "$(awk -F, '$1 == "BOS3" && $2 >= "2024-06" { n[$2] += $5 } END { for (m in n) if (n[m] < 1) bad++; print bad + 0 }' plan.csv)" -eq 0
# before: no routes (the CSV has no rows for them), and plan.json says why
test "$(awk -F, '$1 == "BOS3" && $2 < "2024-06"' plan.csv | wc -l)" -eq 0
"$FC" plan --config d/config.json --horizon 6 --paths 50 -o plan.json -q
test "$(grep -c '"lift":.*"no routes this month"' plan.json)" -eq 3
