#!/bin/sh
# make_validate_bench.sh DIR [ROWS] -- a large shipments file for timing
# `fleetcast validate`: 41,000 zips, 1,000 stations, dates in order, ROWS rows
# (default 10,000,000). Not run by CI.
set -eu
dir=${1:?usage: make_validate_bench.sh DIR [ROWS]}
rows=${2:-10000000}
mkdir -p "$dir"
awk 'BEGIN { print "zip,lat,lon,area_km2";
  for (z = 0; z < 41000; z++) printf "%05d,%.4f,%.4f,%.2f\n", z + 1000, 30 + (z % 200) / 10, -120 + int(z / 200) / 10, 1 + z % 37 }' > "$dir/zips.csv"
awk 'BEGIN { print "station,lat,lon";
  for (s = 0; s < 1000; s++) printf "S%04d,%.3f,%.3f\n", s, 30 + s % 20, -120 + int(s / 20) }' > "$dir/stations.csv"
awk -v rows="$rows" 'BEGIN { print "date,zip,station,packages,stops"; srand(7);
  day = 0; z = 0;
  for (i = 0; i < rows; i++) {
    if (z == 41000) { z = 0; day++ }
    t = 19358 + day;                       # days since 1970 from 2023-01-01
    # civil date from days (Hinnant)
    zz = t + 719468; era = int(zz / 146097); doe = zz - era * 146097;
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365);
    y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100));
    mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1;
    m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++;
    st = int(z / 41);
    stops = 1 + int(rand() * 300); pk = stops + int(rand() * 200);
    printf "%04d-%02d-%02d,%05d,S%04d,%d,%d\n", y, m, d, z + 1000, st, pk, stops;
    z++
  } }' > "$dir/shipments.csv"
ls -l "$dir"
