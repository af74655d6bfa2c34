# exit: 73
cp "$DATA"/ok/* .
"$FC" validate --config config.json -o no/such/dir/summary.txt
