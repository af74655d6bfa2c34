# exit: 0
# A van type added to the vehicles file that no station's van_types lists
# is planned nowhere: a warning says so and how to use it. It used to be
# left out of every plan without a word (an analyst adding a new electric
# van to vehicles.csv saw plans with none of it and no reason). A station
# with an empty van_types runs every type, so no warning then.
cp "$DATA"/ok/* .
echo 'ev_large,420,1,150,0.42,170,0.11' >> vehicles.csv
sed -i "s/,small;ev\r\?$/,small;large;ev/; s/,,,,,,,\r\?$/,,,,,,,small;large;ev/" stations.csv
"$FC" validate --config config.json > /dev/null 2> err1
grep -q "stations.csv: van type 'ev_large' of the vehicles file is in no station's van_types: no station may run it, so no plan uses it" err1
cp "$DATA"/ok/stations.csv .
"$FC" validate --config config.json > /dev/null 2> err2
if grep -q "in no station's van_types" err2; then exit 1; fi
