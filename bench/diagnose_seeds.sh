#!/bin/sh
# diagnose_seeds.sh -- detection and false-alarm rates of `fleetcast diagnose`
# over synth seeds, three data sets per seed: "anomaly", a planted zip whose
# service slows down from a date (BOS1's first zip, service x FACTOR);
# "step", a planted station-wide step (every zip BOS1 serves, service x
# STEP from the same date); "clean", the same generator without either.
# Prints one row per seed and data set (docs/diagnose.md).
#   bench/diagnose_seeds.sh [FLEETCAST] [SEEDS] [DAYS] [FACTOR] [FROM] [STEP]
# Defaults: build/fleetcast, "1 2 3 4 5", 731 days from 2023-01-01,
# factor 1.3 from 2024-01-01, step 1.05; 1 city, 2 stations, 40 zips.
# STEP "-" leaves the step data set out.
set -eu
FC=${1:-build/fleetcast}
SEEDS=${2:-1 2 3 4 5}
DAYS=${3:-731}
FACTOR=${4:-1.3}
FROM=${5:-2024-01-01}
STEP=${6:-1.05}
W=$(mktemp -d "${TMPDIR:-/tmp}/fcdx.XXXXXX")
trap 'rm -rf "$W"' EXIT
NET="--cities 1 --stations 2 --zips 40 --days $DAYS"
printf '{"service": [{"from": "%s", "station": "BOS1", "factor": %s}]}\n' "$FROM" "$FACTOR" > "$W/anom.json"
printf 'diagnose over seeds: 1 city, 2 stations, 40 zips, %s days; planted: BOS1 first zip, service x%s from %s' \
    "$DAYS" "$FACTOR" "$FROM"
[ "$STEP" = - ] || printf '; step: all BOS1 zips, service x%s' "$STEP"
printf '\n%-5s %-7s %-6s %-22s %-14s %-21s %-22s %s\n' seed data zip "zips flagged" "planted rank" "planted p" \
    "station steps" "drift"
kinds="anomaly clean"
[ "$STEP" = - ] || kinds="anomaly step clean"
for seed in $SEEDS; do
    for kind in $kinds; do
        D="$W/$kind$seed"
        case $kind in
        anomaly) scen="--scenario $W/anom.json" ;;
        step)
            # the zips BOS1 serves, from the clean data set of the same seed
            C="$W/zips$seed"
            [ -d "$C" ] || "$FC" synth --out "$C" --seed "$seed" $NET -q
            awk -F, -v f="$STEP" -v from="$FROM" 'NR > 1 && $3 == "BOS1" && !seen[$2]++ {
                    s = s (s ? ", " : "") sprintf("{\"from\": \"%s\", \"zip\": \"%s\", \"factor\": %s}", from, $2, f) }
                END { print "{\"service\": [" s "]}" }' "$C/shipments.csv" > "$W/step$seed.json"
            scen="--scenario $W/step$seed.json" ;;
        *) scen="" ;;
        esac
        "$FC" synth --out "$D" --seed "$seed" $NET $scen -q
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
        # flagged steps as station@date(size %), e.g. BOS1@2024-01-02(+2.2)
        steps=$(awk -F, '$1 == "station_step" && $18 == 1 { s = s (s ? " " : "") sprintf("%s@%s(%+.1f)", $2, $6, $7) }
            END { print s ? s : "-" }' "$D/dx.csv")
        drift=$(awk -F, '$1 == "station_drift" && $18 == 1 { s = s (s ? " " : "") $2 } END { print s ? s : "-" }' "$D/dx.csv")
        printf '%-5s %-7s %-6s %-22s %-14s %-21s %-22s %s\n' "$seed" "$kind" "$z" "$flagged" "$rank" "$pz" "$steps" "$drift"
    done
done
