# exit: 0
# One mistyped year leaves months with no rows at all inside the history:
# validate warns, naming the stretch (the history would run to the typo and
# the forecast start after it).
cp "$DATA"/ok/* .
sed -i '$s/^2024-/2026-/' shipments.csv
"$FC" validate --config config.json > /dev/null
