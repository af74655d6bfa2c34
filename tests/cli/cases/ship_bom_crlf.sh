# exit: 0
cp "$DATA"/ok/* .
printf '\357\273\277' > s && sed 's/$/\r/' shipments.csv >> s && mv s shipments.csv
"$FC" validate --config config.json --format json | grep -q '"rows":	12'
