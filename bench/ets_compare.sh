#!/bin/sh
# ets_compare.sh -- fleetcast vs R's forecast::ets() on R's monthly series
# (needs r-base-core and r-cran-forecast; not run in CI).
# Usage: bench/ets_compare.sh [BUILD_DIR] [ORIGINS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
exec Rscript "$here/ets_compare.R" "$build/fleetcast" "${2:-5}"
