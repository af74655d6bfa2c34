# exit: 65
cp "$DATA"/ok/* .
sed -i 's/"horizon_months": 16/"horizon_months": "sixteen"/' config.json
"$FC" validate --config config.json
