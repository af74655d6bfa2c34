# exit: 65
cp "$DATA"/ok/* .
printf '{\n  "inputs": {\n    "zips": zips.csv\n  }\n}\n' > config.json
"$FC" validate --config config.json
