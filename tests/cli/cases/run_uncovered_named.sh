# exit: 0
# The warning about station-months that cannot cover their demand names
# them (the first four) with the routes short and the limit that binds;
# it gave the count alone, so a cron job's reader had to search plan.csv
# every month. On the bundled example: SEA1, over its parking.
cp -r "$ROOT/data/example" ex
"$FC" run ex/config.json -o out > /dev/null
