# exit: 70
# The shipment arrays are dense days x zips: one far-off date makes them too
# big. The failure must say which row and why, not exit 70 in silence.
if ldd "$FC" 2>/dev/null | grep -q libasan; then
    export ASAN_OPTIONS="allocator_may_return_null=1:${ASAN_OPTIONS:-}"
else
    ulimit -v 2000000
fi
cp "$DATA"/ok/stations.csv .
awk 'BEGIN { print "zip,lat,lon,area_km2"; for (z = 0; z < 100000; z++) printf "%06d,42,-71,1\n", z }' > zips.csv
printf 'date,zip,station,packages,stops\n1900-01-01,000001,DSP1,4,2\n9999-12-31,000002,DSP1,4,2\n' > shipments.csv
"$FC" validate --shipments shipments.csv --zips zips.csv --stations stations.csv
