# exit: 0
# A station holding vans of a type its van_types do not allow: read, with a
# warning naming the file and line (the plan adds none of that type).
cp "$DATA"/ok/* .
echo 'DSP1,large,3' >> fleet.csv
"$FC" validate --config config.json > /dev/null
