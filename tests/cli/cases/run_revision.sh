# exit: 0
# A second monthly run with one more month of data writes a revision report
# whose attributions add up to the total change.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
mkdir prev
cp d/config.json d/zips.csv d/stations.csv d/vehicles.csv d/fleet.csv prev/
last=$(awk -F, 'NR > 1 { print substr($1, 1, 7) }' d/shipments.csv | sort -u | tail -1)
awk -F, -v m="$last" 'NR == 1 || substr($1, 1, 7) < m' d/shipments.csv > prev/shipments.csv
awk -F, -v m="$last" 'NR == 1 || substr($1, 1, 7) < m' d/routes.csv > prev/routes.csv
"$FC" run prev/config.json -o prev_out -q > /dev/null
"$FC" run d/config.json -o cur_out --previous prev_out -q > summary.txt
grep -q '^revision since prev_out: van need' summary.txt
test -s cur_out/revision.json
# totals: change = new_data + rezoning + scenario + parameter_drift
awk '/"totals"/ { t = 1 } t && /"(change|new_data|rezoning|scenario|parameter_drift|settings)"/ {
        gsub(/[",]/, ""); v[$1] = $2 }
     END { d = v["change:"] - (v["new_data:"] + v["rezoning:"] + v["scenario:"] + v["parameter_drift:"] + v["settings:"]);
           if (d < 0) d = -d; if (d > 1e-6 || v["change:"] == "") exit 1 }' cur_out/revision.json
