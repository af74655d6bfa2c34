# exit: 65
# A NUL byte is an error naming its line and column: the readers stopped at
# it, so "1\0" read as yes and a city "Boston,\0 MA" as "Boston,".
cp "$DATA"/ok/* .
printf 'ev,260,1\000,113,0.35,110,0.12\n' > t && sed -i '$d' vehicles.csv && cat t >> vehicles.csv
sed -i '3s/"Boston, MA"/"Boston,\x00 MA"/' stations.csv
"$FC" validate --config config.json
