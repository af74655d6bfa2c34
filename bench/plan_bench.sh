#!/bin/sh
# plan_bench.sh -- build and run the plan benchmark against a built core
# library: sh bench/plan_bench.sh BUILD_DIR [STATIONS] [lp|integer|whole] [OUT.json|-]
# [SUPPLY per station-month, 1.5] [THREADS, 0 = one per online CPU] [TIME_LIMIT_S, 10]
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$root/include" "$root/bench/plan_bench.c" \
   "$build/libfleetcast_core.a" $(pkg-config --libs gsl libcjson lapacke openblas) \
   -lcsv -lglpk -lz -lpthread -lm -o "$build/plan_bench"
shift
exec "$build/plan_bench" "$@"
