# exit: 0
# validate --format json conforms to docs/schema/validate.schema.json: all
# inputs (a station without city or site data, gzip files), a subset of
# them (sections for files not given are absent), and monthly shipments.
S=$ROOT/docs/schema/validate.schema.json
"$FC" validate --config "$DATA/ok/config.json" --format json -q > ok.json
"$FC" validate --config "$ROOT/data/example/config.json" --format json -q > example.json
"$FC" validate --stations "$DATA/ok/stations.csv" --vehicles "$DATA/ok/vehicles.csv" --format json -q > some.json
! grep -q '"shipments"' some.json || exit 1
printf 'date,zip,station,packages,stops\n2024-01-01,01001,DSP1,9000,6000\n2024-02-01,01001,DSP1,9100,6100\n2024-04-01,01001,DSP1,9300,6200\n' > monthly.csv
"$FC" validate --shipments monthly.csv --zips "$DATA/ok/zips.csv" --stations "$DATA/ok/stations.csv" --format json -q > monthly.json
grep -q '"periodicity":	"monthly"' monthly.json
"$SCHEMA_CHECK" "$S" ok.json example.json some.json monthly.json
