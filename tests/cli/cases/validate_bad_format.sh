# exit: 64
cp "$DATA"/ok/* .
"$FC" validate --config config.json --format xml
