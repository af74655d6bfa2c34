# exit: 0
# --threads is accepted by every command that computes (BRIEF: a shared
# option); fit, predict, validate and backtest --what spr used to reject
# it as an unknown option. Their results do not depend on it.
"$FC" synth --out d --seed 5 --cities 1 --stations 2 --zips 20 --days 200 -q
cp d/* .
"$FC" fit --config config.json --threads 1 -o m1.json -q
"$FC" fit --config config.json --threads 2 -o m2.json -q
cmp m1.json m2.json
"$FC" predict --config config.json --model m1.json --threads 1 -o p1.csv -q
"$FC" predict --config config.json --model m1.json --threads 2 -o p2.csv -q
cmp p1.csv p2.csv
"$FC" validate --config config.json --threads 1 --format json -o v1.json -q
"$FC" validate --config config.json --threads 2 --format json -o v2.json -q
cmp v1.json v2.json
"$FC" backtest --what spr --config config.json --threads 1 --format csv -o b1.csv -q
"$FC" backtest --what spr --config config.json --threads 2 --format csv -o b2.csv -q
cmp b1.csv b2.csv
if "$FC" fit --config config.json --threads 0 -o m0.json 2>err; then exit 1; fi
grep -q "threads: expected a whole number in \[1, 64\]" err
