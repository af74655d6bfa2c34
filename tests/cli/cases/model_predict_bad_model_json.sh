# exit: 65
# A model.json cut short names the line and the column where the JSON
# breaks (only the line before); a model naming one station twice is an
# error (the last entry silently won).
$FC fit --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o m.json -q
head -c 2000 m.json > cut.json
! $FC predict --model cut.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o p.csv 2> cut.err || exit 1
grep -q 'cut.json:[0-9]*:[0-9]*: not valid JSON here' cut.err
name=$(grep -m1 '"station":' m.json | sed 's/.*"station":[^"]*"\([^"]*\)".*/\1/')
other=$(grep '"station":' m.json | sed 's/.*"station":[^"]*"\([^"]*\)".*/\1/' | grep -v "^$name\$" | head -1)
test -n "$other"
sed "s/\"station\":\(\s*\)\"$other\"/\"station\":\1\"$name\"/" m.json > dup.json
$FC predict --model dup.json --shipments $DATA/model/shipments.csv --routes $DATA/model/routes.csv --zips $DATA/model/zips.csv --stations $DATA/model/stations.csv --vehicles $DATA/model/vehicles.csv -o p.csv
