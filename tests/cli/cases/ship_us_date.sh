# exit: 65
cp "$DATA"/ok/* .
sed -i '6s#2024-03-02#03/02/2024#' shipments.csv
"$FC" validate --config config.json
