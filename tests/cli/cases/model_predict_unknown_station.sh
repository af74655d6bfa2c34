# exit: 0
# A station the model does not know is scored like a station without its
# own fit: with fitted stations in its city, those pooled. Here BOS1 is
# left out of the fit entirely and SEA1 moved to Boston: predict pools
# SEA1 for BOS1, exactly as fit does when BOS1 is there without routes.
D="$DATA"/model
sed 's/^SEA1,\([^,]*\),\([^,]*\),Seattle,/SEA1,\1,\2,Boston,/' "$D"/stations.csv > st.csv
grep -v '^BOS1,' st.csv > st_nobos.csv
awk -F, 'NR == 1 || $3 != "BOS1"' "$D"/shipments.csv > sh_nobos.csv
awk -F, 'NR == 1 || $2 != "BOS1"' "$D"/routes.csv > r_nobos.csv
"$FC" fit --shipments sh_nobos.csv --zips "$D"/zips.csv --stations st_nobos.csv --vehicles "$D"/vehicles.csv \
    --routes r_nobos.csv -o unknown.json 2>/dev/null
"$FC" fit --shipments "$D"/shipments.csv --zips "$D"/zips.csv --stations st.csv --vehicles "$D"/vehicles.csv \
    --routes r_nobos.csv -o few.json 2>/dev/null
IN="--shipments $D/shipments.csv --zips $D/zips.csv --stations st.csv --vehicles $D/vehicles.csv --routes $D/routes.csv"
"$FC" predict --model unknown.json $IN -o a.csv
"$FC" predict --model few.json $IN -o b.csv 2>/dev/null
# physics and hybrid routes, hours and km of BOS1's rows agree
grep ',BOS1,' a.csv | cut -d, -f1-10 > a1.csv
grep ',BOS1,' b.csv | cut -d, -f1-10 > b1.csv
test -s a1.csv
cmp a1.csv b1.csv
