# exit: 65
# A number beyond a bound the message did not show read as nonsense:
# "expected a number of packages > 0, got "1e-300"", "expected a whole
# number >= 0, got "2147483648"". The messages now name the bound.
cp "$DATA"/ok/* .
sed -i '2s/,180,/,1e-300,/; 3s/,320,/,1e300,/' vehicles.csv
sed -i '2s/^\([^,]*,[^,]*,[^,]*\),[0-9]*,/\1,2147483648,/' shipments.csv
"$FC" validate --config config.json
