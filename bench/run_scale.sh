#!/bin/sh
# run_scale.sh -- the monthly batch (`fleetcast run`) at US scale: 41,000
# zips, 1,000 stations, 3 years of daily history (45M shipment rows, 1.26
# GB of CSV, and 1.1M route-days), made by bench/gen_volume.c in its
# `network` mode. Prints the time of each stage (-v), wall and CPU time
# and peak memory. Not run in CI.
# Usage: bench/run_scale.sh [BUILD_DIR] [WORKDIR] [ZIPS STATIONS DAYS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=${2:-/tmp/fleetcast-run-scale}
zips=${3:-41000}
stations=${4:-1000}
days=${5:-1096}
mkdir -p "$work"
cc -O2 -o "$work/gen_volume" "$here/gen_volume.c" -lm
[ -s "$work/routes.csv" ] || "$work/gen_volume" "$work" "$zips" "$stations" "$days" 3 network
rm -rf "$work/out"
/usr/bin/time -f "run: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
    "$build/fleetcast" run "$work/config.json" -o "$work/out" -v 2>&1 | grep -E "timing|wall|: error"
