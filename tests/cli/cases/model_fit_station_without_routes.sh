# exit: 0
# A station in stations.csv without a single routes row -- here the first
# one, so no row has been gathered when its turn comes -- is reported and
# takes the typical station, here the one fitted station's values (this
# used to crash fit: the zip-mix centre read a buffer not yet allocated);
# predict then scores its rows. With a fitted station in its city it
# pools that city's stations instead.
awk -F, 'NR == 1 || $2 != "BOS1"' "$DATA"/model/routes.csv > r.csv
IN="--shipments $DATA/model/shipments.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv"
"$FC" fit $IN --routes r.csv -o m.json
grep -q '"status":[[:space:]]*"few_days"' m.json
# the typical station of one fitted station is that station: BOS1's first
# parameter (k) is SEA1's
grep -q '"stations":[[:space:]]*1,' m.json
grep -q '"pooled_city_stations":[[:space:]]*0' m.json
awk '/"station":/ { gsub(/[",\t ]/, ""); split($0, a, ":"); st = a[2]; want = 0 }
     /"parameters":/ { want = 1 }
     want && /"value":/ { gsub(/[",\t ]/, ""); split($0, a, ":"); v[st] = a[2]; want = 0 }
     END { if (v["BOS1"] == "" || v["BOS1"] != v["SEA1"]) exit 1 }' m.json
"$FC" predict --model m.json $IN --routes "$DATA"/model/routes.csv -o p.csv 2>/dev/null
grep -c '^[0-9-]*,BOS1,' p.csv
# SEA1 moved to Boston: BOS1 now pools its city's one fitted station
sed 's/^SEA1,\([^,]*\),\([^,]*\),Seattle,/SEA1,\1,\2,Boston,/' "$DATA"/model/stations.csv > st.csv
grep -q '^SEA1,.*,Boston,' st.csv
"$FC" fit --shipments "$DATA"/model/shipments.csv --zips "$DATA"/model/zips.csv --stations st.csv \
    --vehicles "$DATA"/model/vehicles.csv --routes r.csv -o m2.json
grep -q '"pooled_city_stations":[[:space:]]*1' m2.json
