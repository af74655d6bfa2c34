# exit: 0
# A station in stations.csv with no history that takes zips by rezoning from
# the second plan month, 140 km from them: its electric range is judged on
# its zips' route lengths (stems out and back), so an electric van cannot
# run them. The route sample was taken from the first plan month alone, when
# the station had no zips: it fell back to default_route_km (80 km) and
# every route looked feasible.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
echo 'BOS3,43.60,-71.05,Boston,8.75,20,10,19.2,300,2024-06-01,small;medium;large;ev' >> d/stations.csv
sed -i '0,/"scenario":\t{/s//"scenario": {"rezoning": [{"zip": "02100", "to": "BOS3", "from": "2024-04"}, {"zip": "02101", "to": "BOS3", "from": "2024-04"}]/' d/config.json
grep -q '"to": "BOS3"' d/config.json
"$FC" plan --config d/config.json --horizon 4 --paths 50 --format csv -o plan.csv -q
# BOS3 has routes from 2024-04 (3 months); its electric type runs none of them
test "$(awk -F, '$1 == "BOS3" && $3 == "ev"' plan.csv | wc -l)" -eq 3
test "$(awk -F, '$1 == "BOS3" && $3 == "ev" && $13 > 0.1' plan.csv | wc -l)" -eq 0
