#!/bin/sh
# volume_backtest.sh -- the volume backtest on synthetic daily data (600
# zips, 50 stations, 4 years) from bench/gen_volume.c. Needs the backtest
# command wired to cli_backtest_volume(). Not run in CI.
# Usage: bench/volume_backtest.sh [BUILD_DIR] [WORKDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
work=${2:-/tmp/fleetcast-vbt}
mkdir -p "$work"
cc -O2 -o "$work/gen_volume" "$here/gen_volume.c" -lm
"$work/gen_volume" "$work" 600 50 1461 11
"$build/fleetcast" backtest --what volume --shipments "$work/shipments.csv" --zips "$work/zips.csv" \
    --stations "$work/stations.csv" --min-train 24 --origins 8 --step 3
