# exit: 0
# A van draws one charger at a time: twenty 3 kW chargers give 600 kWh a
# night together, but 30 kWh to one van over the 10 h window, 27 in its
# battery, less than any route of the station needs. The plan put cheap
# electric vans there all the same ("cost" binding). Now none, the
# chargers bind, and the lift names the charger power a van needs;
# re-planned with it, electric vans come (docs/plan.md, "Electric
# feasibility").
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/^ev,300,1,100,0.320,150.00,/ev,300,1,100,0.320,80.00,/' d/vehicles.csv
echo 'station,van_type,count' > d/fleet.csv
sed -i 's/^\(BOS1,.*\),4,19.2,98,/\1,20,3,,/' d/stations.csv
grep -q '^BOS1,.*,20,3,,' d/stations.csv
"$FC" plan --config d/config.json --horizon 2 --paths 50 --format csv -o plan.csv
# BOS1's electric vans: none, in either month; the chargers bind
test "$(awk -F, '$1 == "BOS1" && $3 == "ev" && $5 != 0' plan.csv | wc -l)" -eq 0
test "$(grep -c '^BOS1,.*,chargers,+[0-9.]* kW a charger ([0-9.]* kW) or shorter routes' plan.csv)" -eq 8
# the lift of the first month, applied
kw=$(grep -m1 '^BOS1,2024-03,.*kW a charger' plan.csv | sed 's/.*kW a charger (\([0-9.]*\) kW).*/\1/')
sed -i "s/^\(BOS1,.*\),20,3,,/\1,20,$kw,,/" d/stations.csv
"$FC" plan --config d/config.json --horizon 2 --paths 50 --format csv -o plan2.csv
test "$(awk -F, '$1 == "BOS1" && $2 == "2024-03" && $3 == "ev" && $5 > 0' plan2.csv | wc -l)" -eq 1
