# exit: 65
# A column a typo away from one the file lacks is an error naming both:
# "parkng" in stations.csv was kept as a feature, so the plan put no
# limit on the station's parking; "Hillines" in zips.csv left every zip
# flat for the electric range; "route_hour" in routes.csv was ignored
# with a note. Letter case does not count as a difference.
cp "$DATA"/ok/* .
sed -i '1s/,parking,/,parkng,/' stations.csv
sed -i '1s/,hilliness,/,Hillines,/' zips.csv
if "$FC" validate --config config.json; then exit 1; fi
cp "$DATA"/ok/stations.csv "$DATA"/ok/zips.csv .
sed -i '1s/,route_hours,/,route_hour,/' routes.csv
"$FC" validate --config config.json
