#!/bin/sh
# deps.sh -- install what fleetcast needs to build and test, from Debian 12
# packages; does nothing when everything is already there. Run as root.
set -eu
pkgs="build-essential cmake pkg-config libgsl-dev libcsv-dev libcjson-dev
      libopenblas-dev liblapacke-dev libglpk-dev zlib1g-dev gzip"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "deps.sh: missing packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
    exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
