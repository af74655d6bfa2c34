# exit: 0
# The summary of a revision with many drifted parameters (here 6 stations
# with 400-character names, refitted after the route hours and km of the
# previous run's data were scaled) holds every drift line whole and, first,
# the totals. A fixed 8 KB held them all: past it the last line was cut
# mid-word and the totals line was left out altogether (at ~150 flagged
# parameters with short names, a 1,000-station network's refit).
L=$(awk 'BEGIN { while (n++ < 400) printf "x" }')
mkdir d prev
cp "$ROOT"/data/example/config.json "$ROOT"/data/example/zips.csv "$ROOT"/data/example/vehicles.csv d/
for f in stations fleet; do sed "s/^\([A-Z]*[0-9]\),/\1_$L,/" "$ROOT/data/example/$f.csv" > d/$f.csv; done
for f in shipments routes; do gzip -dc "$ROOT/data/example/$f.csv.gz" | sed "s/,\([A-Z]*[0-9]\),/,\1_$L,/" > d/$f.csv; done
sed -i 's/\.csv\.gz"/.csv"/' d/config.json
cp d/* prev/
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; print; next }
         { $h["route_hours"] *= 1.6; $h["route_km"] *= 0.6; print }' d/routes.csv > prev/routes.csv
"$FC" run prev/config.json -o a -q > /dev/null
"$FC" run d/config.json -o b --previous a -q > summary.txt
test "$(wc -c < summary.txt)" -gt 8192
sed -n 5p summary.txt | grep -q '^revision since a: van need [+-][0-9.]* van-months = new data '
n=$(awk -F'\t' '/"parameters_flagged":/ { v = $NF; sub(/,$/, "", v); print v }' b/revision.json)
test "$n" -gt 10
test "$(grep -c '^  drift: [A-Z]*[0-9]_x* [a-z_]* .* (z = -*[0-9.]*)$' summary.txt)" -eq "$n"
"$SCHEMA_CHECK" "$ROOT/docs/schema/revision.schema.json" b/revision.json
