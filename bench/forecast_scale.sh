#!/bin/sh
# forecast_scale.sh -- the volume forecast at US scale: 41,000 zips, 1,000
# stations, 3 years of daily history (about 45M rows, 1.3 GB of CSV),
# 16 months x 500 paths on 2 threads. Prints wall time, peak memory and the
# per-stage timing (-v). Not run in CI.
# Usage: bench/forecast_scale.sh [BUILD_DIR] [WORKDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=${2:-/tmp/fleetcast-scale}
mkdir -p "$work"
cc -O2 -o "$work/gen_volume" "$here/gen_volume.c" -lm
[ -s "$work/shipments.csv" ] || "$work/gen_volume" "$work" 41000 1000 1096 3
for level in station zip; do  # -v prints per-stage timing; /usr/bin/time the CPU and memory
    /usr/bin/time -f "level=$level: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
        "$build/fleetcast" forecast --shipments "$work/shipments.csv" --zips "$work/zips.csv" \
        --stations "$work/stations.csv" --horizon 16 --paths 500 --threads 2 \
        --level $level --format csv -v -o "$work/forecast_$level.csv" 2>&1 | grep -E "timing|wall"
done
