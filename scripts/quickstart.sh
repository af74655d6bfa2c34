#!/bin/sh
# quickstart.sh -- install what is missing, build fleetcast, and run the main
# job on the bundled example data.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "built build/fleetcast; running the monthly batch on data/example:" >&2
./build/fleetcast run data/example/config.json -o out/example
echo "the plan is in out/example/plan.json (flat rows: out/example/plan.csv)" >&2
