# exit: 0
# run.json's generated_at follows SOURCE_DATE_EPOCH (seconds since 1970);
# a value that is not a number is ignored with a warning (it was read as 0
# and stamped the run 1970-01-01).
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
sed -i 's/"horizon_months":\t16/"horizon_months": 2/; s/"paths":\t500/"paths": 20/' d/config.json
SOURCE_DATE_EPOCH=1767225600 "$FC" run d/config.json -o a -q > /dev/null
grep -q 'generated_at":	"2026-01-01T00:00:00Z"' a/run.json
SOURCE_DATE_EPOCH=yesterday "$FC" run d/config.json -o b > /dev/null
! grep -q 'generated_at":	"1970' b/run.json || exit 1
