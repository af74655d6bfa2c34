# exit: 0
# Two runs on the same data, the second with another seed and another
# number of sample paths: the change (Monte Carlo) is "settings", and new
# data is exactly 0. It read "new data -0.5 van-months" for seed 42 -> 7
# on the example, with not one new row.
mkdir d
cp "$ROOT"/data/example/* d/
"$FC" run d/config.json -o a -q > /dev/null
sed -i 's/"seed":\t42/"seed": 7/; s/"paths":\t500/"paths": 300/' d/config.json
grep -q '"seed": 7' d/config.json
grep -q '"paths": 300' d/config.json
"$FC" run d/config.json -o b --previous a -q > summary.txt
grep -q 'new data +0.0, rezoning +0.0, scenario +0.0, parameter drift +0.0, settings [+-]' summary.txt
awk '/"totals"/ { t = 1 } t && /"(change|new_data|settings)"/ { gsub(/[",]/, ""); v[$1] = $2 }
     END { if (v["new_data:"] != "0" || v["settings:"] == "" || v["settings:"] == "0" ||
               v["settings:"] != v["change:"]) exit 1 }' b/revision.json
"$SCHEMA_CHECK" "$ROOT/docs/schema/revision.schema.json" b/revision.json
