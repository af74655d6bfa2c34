# exit: 66
# A folder named as an input file is an unreadable input (66), like a
# missing one, not an I/O error (74): "--shipments data/" is a typo.
cp "$DATA"/ok/* .
mkdir data
"$FC" validate --config config.json --shipments data/ && exit 1
test $? = 66 || exit 1
"$FC" validate --config data/
