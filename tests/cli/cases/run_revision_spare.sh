# exit: 0
# Two runs on the same inputs with spare_ratio 0.3: the revision report says
# nothing moved. plan.json once held two "settings" members (the run's, then
# the plan's); the report read the first, which has no spare_ratio, took
# 0.1 for the previous need and called the difference "new data".
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/"spare_ratio":\t0.1/"spare_ratio": 0.3/; s/"horizon_months":\t16/"horizon_months": 4/; s/"paths":\t500/"paths": 50/' d/config.json
grep -q '"spare_ratio": 0.3' d/config.json
"$FC" run d/config.json -o a -q > /dev/null
"$FC" run d/config.json -o b --previous a -q > /dev/null
test "$(grep -c '"settings"' b/plan.json)" -eq 1
grep -q '"horizon_months"' b/plan.json
awk '/"totals"/ { t = 1 } t && /"(change|new_data)"/ { gsub(/[",]/, ""); v[$1] = $2 }
     END { for (k in v) { x = v[k] < 0 ? -v[k] : v[k]; if (x > 0.1) exit 1 }
           if (v["change:"] == "") exit 1 }' b/revision.json
