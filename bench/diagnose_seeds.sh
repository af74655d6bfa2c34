#!/bin/sh
# diagnose_seeds.sh -- detection and false-alarm rates of `fleetcast diagnose`
# over synth seeds: with a planted zip whose service slows down from a date
# (BOS1's first zip, service x FACTOR), and clean (the same generator
# without it). Prints one row per seed and data set (docs/diagnose.md).
#   bench/diagnose_seeds.sh [FLEETCAST] [SEEDS] [DAYS] [FACTOR] [FROM]
# Defaults: build/fleetcast, "1 2 3 4 5", 731 days from 2023-01-01,
# factor 1.3 from 2024-01-01; 1 city, 2 stations, 40 zips.
set -eu
FC=${1:-build/fleetcast}
SEEDS=${2:-1 2 3 4 5}
DAYS=${3:-731}
FACTOR=${4:-1.3}
FROM=${5:-2024-01-01}
W=$(mktemp -d "${TMPDIR:-/tmp}/fcdx.XXXXXX")
trap 'rm -rf "$W"' EXIT
printf '{"service": [{"from": "%s", "station": "BOS1", "factor": %s}]}\n' "$FROM" "$FACTOR" > "$W/anom.json"
printf 'diagnose over seeds: 1 city, 2 stations, 40 zips, %s days; planted: BOS1 first zip, service x%s from %s\n' \
    "$DAYS" "$FACTOR" "$FROM"
printf '%-5s %-6s %-6s %-22s %-14s %-10s %-22s %s\n' seed data zip "zips flagged" "planted rank" "planted p" \
    "station steps" "drift"
for seed in $SEEDS; do
    for kind in anomaly clean; do
        D="$W/$kind$seed"
        if [ $kind = anomaly ]; then scen="--scenario $W/anom.json"; else scen=""; fi
        "$FC" synth --out "$D" --seed "$seed" --cities 1 --stations 2 --zips 40 --days "$DAYS" $scen -q
        if ! "$FC" diagnose --config "$D/config.json" --format csv -q -o "$D/dx.csv" 2>"$D/err"; then
            printf '%-5s %-7s diagnose failed: %s\n' "$seed" "$kind" "$(tail -1 "$D/err")"
            continue
        fi
        z=$(grep -o '"zip":[^"]*"[0-9]*"' "$D/config.json" | grep -o '[0-9]\{5\}' | head -1)
        [ -n "$z" ] || z=$(awk -F, 'NR > 1 && $3 == "BOS1" { print $2; exit }' "$D/shipments.csv")
        flagged=$(awk -F, '$1 == "zip" && $18 == 1 { s = s (s ? " " : "") $3 } END { print s ? s : "-" }' "$D/dx.csv")
        # rank of the planted zip among BOS1's zips by the change test's p
        rank=$(awk -F, -v z="$z" '$1 == "zip" && $2 == "BOS1" { n++; p[$3] = $12 + 0 }
            END { r = 1; for (k in p) if (p[k] < p[z]) r++; printf "%d/%d", r, n }' "$D/dx.csv")
        pz=$(awk -F, -v z="$z" '$1 == "zip" && $3 == z { printf "%s %s", $6, $13 }' "$D/dx.csv")
        steps=$(awk -F, '$1 == "station_step" && $18 == 1 { s = s (s ? " " : "") $2 "@" $6 } END { print s ? s : "-" }' "$D/dx.csv")
        drift=$(awk -F, '$1 == "station_drift" && $18 == 1 { s = s (s ? " " : "") $2 } END { print s ? s : "-" }' "$D/dx.csv")
        printf '%-5s %-7s %-6s %-22s %-14s %-10s %-22s %s\n' "$seed" "$kind" "$z" "$flagged" "$rank" "$pz" "$steps" "$drift"
    done
done
