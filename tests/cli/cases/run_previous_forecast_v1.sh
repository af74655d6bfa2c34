# exit: 0
# forecast.json's schema version 2 has kind "fleetcast.forecast" and a
# numeric schema_version, as the other outputs (version 1: "forecast" and
# "1"). Last month's folder, written before, holds version 1: --previous
# still reads it.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/"horizon_months":\t16/"horizon_months": 4/; s/"paths":\t500/"paths": 50/' d/config.json
"$FC" run d/config.json -o prev -q > /dev/null
grep -q '"kind":	"fleetcast.forecast"' prev/forecast.json
grep -q '"schema_version":	2,' prev/forecast.json
sed -i 's/"kind":\t"fleetcast.forecast"/"kind":\t"forecast"/; s/"schema_version":\t2,/"schema_version":\t"1",/' prev/forecast.json
grep -q '"kind":	"forecast"' prev/forecast.json
"$FC" run d/config.json -o out --previous prev -q > /dev/null
test -s out/revision.json
