#!/bin/sh
# spr_loso.sh -- leave-one-station-out check of the SPR model: how well a
# station nobody has fitted is predicted (a new station, or one with too
# few route-days; docs/model.md §2, item 2). For each station of DIR:
# fit on every other station's routes rows, predict all rows, and score
# the held-out station's rows (routes MAPE and bias, %, of the whole route
# counts, physics-only and hybrid).
# Usage: sh bench/spr_loso.sh FLEETCAST DIR      (DIR from `fleetcast synth`)
set -eu
FC=$1
DIR=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/loso.XXXXXX")
trap 'rm -rf "$T"' EXIT
for st in $(tail -n +2 "$DIR/stations.csv" | cut -d, -f1); do
    awk -F, -v s="$st" 'NR == 1 || $2 != s' "$DIR/routes.csv" > "$T/train.csv"
    "$FC" fit -q --config "$DIR/config.json" --routes "$T/train.csv" -o "$T/m.json"
    "$FC" predict -q --model "$T/m.json" --config "$DIR/config.json" -o "$T/p.csv"
    # observed routes by date,station,van_type; then the held-out rows
    awk -F, -v s="$st" '
        FNR == 1 { next }
        NR == FNR { obs[$1 "," $2 "," $3] = $4; next }
        $2 == s && obs[$1 "," $2 "," $3] > 0 {
            o = obs[$1 "," $2 "," $3]
            ph += ($10 > o ? $10 - o : o - $10) / o; bp += ($10 - o) / o
            hy += ($6 > o ? $6 - o : o - $6) / o; bh += ($6 - o) / o; n++
        }
        END { printf "%s rows %d physics MAPE %.2f bias %+.2f hybrid MAPE %.2f bias %+.2f\n",
              s, n, 100 * ph / n, 100 * bp / n, 100 * hy / n, 100 * bh / n }' "$DIR/routes.csv" "$T/p.csv"
done | awk '{ print; p += $6; h += $11; n++ } END { printf "mean of %d stations: physics %.2f hybrid %.2f\n", n, p / n, h / n }'
