# exit: 0
# Two runs on the same inputs and the same scenario (a rezoning and a
# shock): the revision report attributes nothing to rezoning, scenario or
# new data. The attribution's baseline was no scenario at all, so a
# standing scenario showed every month as "rezoning +X, scenario +Y" and
# "new data -X-Y"; it is now the previous run's scenario.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/"horizon_months":\t16/"horizon_months": 4/; s/"paths":\t500/"paths": 50/' d/config.json
sed -i '0,/"scenario":\t{/s//"scenario": {"rezoning": [{"zip": "02100", "to": "BOS2", "from": "2024-04"}], "shocks": [{"scope": "all", "from": "2024-05", "multiplier": 1.3}]/' d/config.json
grep -q '"to": "BOS2"' d/config.json
"$FC" run d/config.json -o a -q > /dev/null
"$FC" run d/config.json -o b --previous a -q > summary.txt
grep -q 'rezoning +0.0, scenario +0.0' summary.txt
# every station-month's parts, not only the totals (they cancel across stations)
awk '/"(new_data|rezoning|scenario)":/ { gsub(/[",]/, ""); x = $2 < 0 ? -$2 : $2; if (x > 0.05) bad++; n++ }
     END { exit (bad > 0 || n == 0) }' b/revision.json
