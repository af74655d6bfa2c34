# exit: 65
# Text that is not UTF-8 (a Latin-1 export) is an error naming the line and
# column: passed through, it made the JSON outputs invalid.
cp "$DATA"/ok/* .
sed -i 's/Springfield/Springfi\xe9ld/' stations.csv
sed -i '2s/Hampden/Hampd\xe9n/' zips.csv
"$FC" validate --config config.json
