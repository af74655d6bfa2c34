# exit: 0
# Two runs on the same data, the second with spare_ratio 0.3 instead of 0.1
# and service level 0.8 instead of 0.9: the change is "settings", not
# "new data" (it read "new data +X" with not one new row), and the five
# parts add up to the total.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/"horizon_months":\t16/"horizon_months": 4/; s/"paths":\t500/"paths": 50/' d/config.json
"$FC" run d/config.json -o a -q > /dev/null
sed -i 's/"spare_ratio":\t0.1/"spare_ratio": 0.3/; s/"service_level":\t0.9/"service_level": 0.8/' d/config.json
grep -q '"spare_ratio": 0.3' d/config.json
"$FC" run d/config.json -o b --previous a -q > summary.txt
grep -q 'new data +0.0, rezoning +0.0, scenario +0.0, parameter drift +0.0, settings [+-][1-9]' summary.txt
awk '/"totals"/ { t = 1 } t && /"(change|new_data|rezoning|scenario|parameter_drift|settings)"/ {
        gsub(/[",]/, ""); v[$1] = $2 }
     END { d = v["change:"] - (v["new_data:"] + v["rezoning:"] + v["scenario:"] + v["parameter_drift:"] + v["settings:"]);
           if (d < 0) d = -d; if (d > 1e-6 || v["settings:"] == "" || v["change:"] == v["new_data:"]) exit 1 }' b/revision.json
