# exit: 0
# A station's and a zip's random streams are keyed by their names, not by
# their rows: listing the stations and the zips in another order, or
# adding a station, leaves every other station's forecast as it was. With
# streams by row number, reversing the two files changed 101 of the
# example's 136 station-month rows, and the revision report counted the
# reshuffled draws as new data.
"$FC" synth --out d --seed 5 --cities 2 --stations 4 --zips 40 --days 400 -q
"$FC" forecast --config d/config.json --level zip --format csv --paths 40 -o a.csv
mkdir e
cp d/* e/
(head -1 d/stations.csv; tail -n +2 d/stations.csv | sort -r) > e/stations.csv
(head -1 d/zips.csv; tail -n +2 d/zips.csv | sort -r) > e/zips.csv
"$FC" forecast --config e/config.json --level zip --format csv --paths 40 -o b.csv
sort a.csv > a.sorted
sort b.csv > b.sorted
cmp a.sorted b.sorted
# a new station with no zips of its own, listed first, changes nothing either
(head -1 d/stations.csv; tail -n +2 d/stations.csv | head -1 | sed 's/^[^,]*,/AAA0,/'; tail -n +2 d/stations.csv) > e/stations.csv
cp d/zips.csv e/zips.csv
"$FC" forecast --config e/config.json --level zip --format csv --paths 40 -o c.csv
sort c.csv > c.sorted
cmp a.sorted c.sorted
