#!/bin/sh
# quickstart.sh -- install what is missing, build fleetcast, and run the main
# job on the bundled example data.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "built build/fleetcast; validating data/example:" >&2
./build/fleetcast validate --config data/example/config.json
