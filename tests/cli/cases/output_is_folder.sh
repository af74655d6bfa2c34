# exit: 73
# -o naming a folder is an output that cannot be created (73); it was
# found only at the rename, as a write error (74).
cp "$DATA"/ok/* .
mkdir summary
"$FC" validate --config config.json -o summary
