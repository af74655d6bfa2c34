# exit: 0
# fleetcast synth: the same seed gives byte-identical files whatever the
# thread count (plain and gzip), another seed gives other data, and
# validate accepts what it wrote.
$FC synth --out "$T/a" --seed 5 --stations 3 --zips 24 --days 10 --threads 1 -q
$FC synth --out "$T/b" --seed 5 --stations 3 --zips 24 --days 10 --threads 2 -q
for f in shipments.csv routes.csv zips.csv stations.csv vehicles.csv fleet.csv config.json; do
    cmp "$T/a/$f" "$T/b/$f"
done
$FC synth --out "$T/g1" --seed 5 --stations 3 --zips 24 --days 10 --gzip -q
$FC synth --out "$T/g2" --seed 5 --stations 3 --zips 24 --days 10 --gzip --threads 1 -q
cmp "$T/g1/shipments.csv.gz" "$T/g2/shipments.csv.gz"
cmp "$T/g1/routes.csv.gz" "$T/g2/routes.csv.gz"
$FC synth --out "$T/c" --seed 6 --stations 3 --zips 24 --days 10 -q
! cmp -s "$T/a/shipments.csv" "$T/c/shipments.csv" || exit 1
! cmp -s "$T/a/routes.csv" "$T/c/routes.csv" || exit 1
$FC validate --config "$T/a/config.json" > "$T/v.txt"
$FC validate --config "$T/g1/config.json" > /dev/null
grep -q 'routes     30 rows' "$T/v.txt"
head -1 "$T/a/shipments.csv"
head -1 "$T/a/routes.csv"
head -1 "$T/a/zips.csv"
head -1 "$T/a/stations.csv"
head -1 "$T/a/vehicles.csv"
head -1 "$T/a/fleet.csv"
