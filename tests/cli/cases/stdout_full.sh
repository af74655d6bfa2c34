# exit: 74
cp "$DATA"/ok/* .
test -w /dev/full || exit 74
"$FC" validate --config config.json > /dev/full
