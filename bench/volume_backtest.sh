#!/bin/sh
# volume_backtest.sh -- the volume backtest on synthetic daily data (600
# zips, 50 stations, 4 years) from bench/gen_volume.c, through a small
# driver linked against BUILD_DIR/libfleetcast_core.a (works whether or not
# `fleetcast backtest` dispatches --what volume yet). Extra arguments go to
# the backtest (e.g. -v for per-origin coverage). Not run in CI.
# Usage: bench/volume_backtest.sh [BUILD_DIR] [WORKDIR] [ARGS...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=${2:-/tmp/fleetcast-vbt}
[ $# -ge 2 ] && shift 2 || shift $#
mkdir -p "$work"
cc -O2 -o "$work/gen_volume" "$here/gen_volume.c" -lm
cc -O2 -o "$work/backtest_volume" "$here/volume_backtest_driver.c" "$build/libfleetcast_core.a" \
    $(pkg-config --libs gsl libcjson lapacke openblas) -lcsv -lglpk -lz -lm -lpthread
"$work/gen_volume" "$work" 600 50 1461 11
"$work/backtest_volume" --what volume --shipments "$work/shipments.csv" --zips "$work/zips.csv" \
    --stations "$work/stations.csv" --min-train 24 --origins 8 --step 3 "$@"
