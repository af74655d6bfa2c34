# exit: 0
cp "$DATA"/ok/* .
"$FC" validate --config config.json --format csv -q
