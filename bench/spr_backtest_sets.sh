#!/bin/sh
# spr_backtest_sets.sh BIN DIR -- the 13 data sets of docs/model.md section
# 5.2/5.3, scored by `backtest --what spr`, and the figures the model's
# write-up quotes from them:
#   - per data set, the combined extrapolation routes MAPE (physics, hybrid)
#     and the hybrid's change against the physics;
#   - summed over the 13: combined extrapolation (physics, hybrid) and the
#     `station` split (physics, hybrid);
#   - the single splits (time, volume_top20, van:*, rezoning; 59 in all)
#     where the hybrid is not below both baselines at three decimals;
#   - the worst hybrid MAPE on an extrapolation split (volume, van, rezoning);
#   - with a third argument `table`: every split of every data set as a
#     markdown table (rows; physics, ML-only, hybrid MAPE %; the hybrid's
#     difference from the better baseline with its 90% interval).
# Data sets are made once under DIR (ext_S, rez_S) and reused; the scores
# are redone on every call (DIR/S.csv), so a changed binary is measured
# on the same data. Takes about 3 minutes on 2 cores once the data exist.
set -eu
BIN=${1:?usage: spr_backtest_sets.sh BIN DIR [table]}
DIR=${2:?usage: spr_backtest_sets.sh BIN DIR [table]}
TABLE=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DIR"
# SETS overrides the data sets (names ext_SEED or rez_SEED), e.g. the six
# held out from every choice of docs/model.md: SETS="ext_43 ext_47 ext_53
# ext_59 rez_19 rez_23".
sets=${SETS:-}
if [ -z "$sets" ]; then
    for s in 7 11 13 17 19 23 29 31 37 41; do sets="$sets ext_$s"; done
    for s in 7 13 17; do sets="$sets rez_$s"; done
fi
for name in $sets; do
    seed=${name#*_}
    case $name in
        ext_*) scen=$HERE/spr_extrapolation_scenario.json ;;
        rez_*) scen=$HERE/spr_rezoning_scenario.json ;;
    esac
    if [ ! -f "$DIR/$name/config.json" ]; then
        "$BIN" synth --out "$DIR/$name" --seed "$seed" --scenario "$scen" >/dev/null 2>&1
    fi
    "$BIN" backtest --what spr --config "$DIR/$name/config.json" --format csv \
        >"$DIR/$name.csv" 2>"$DIR/$name.err"
done
for name in $sets; do
    awk -F, -v set="$name" 'NR > 1 { print set "," $0 }' "$DIR/$name.csv"
done | awk -F, '
    { key = $1 SUBSEP $2; m[key, $3] = $5; if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
    END {
        printf "%-8s %9s %9s %7s\n", "set", "physics", "hybrid", "change"
        for (i = 1; i <= n; i++) {
            split(order[i], k, SUBSEP)
            if (k[2] == "extrapolation") {
                p = m[order[i], "physics"]; h = m[order[i], "hybrid"]
                printf "%-8s %9.3f %9.3f %6.0f%%\n", k[1], p, h, 100 * (h - p) / p
                ep += p; eh += h
            } else if (k[2] == "station") {
                sp += m[order[i], "physics"]; sh += m[order[i], "hybrid"]
            } else {
                singles++
                p = m[order[i], "physics"]; ml = m[order[i], "ml"]; h = m[order[i], "hybrid"]
                best = p < ml ? p : ml
                if (h >= best) { lost++; lostlist = lostlist " " k[1] ":" k[2] }
                if (k[2] != "time" && h > worst) { worst = h; worstname = k[1] ":" k[2] }
            }
        }
        printf "summed extrapolation: physics %.2f, hybrid %.2f\n", ep, eh
        printf "summed station split: physics %.2f, hybrid %.2f\n", sp, sh
        printf "single splits lost: %d of %d:%s\n", lost, singles, lostlist
        printf "worst extrapolation split: %.2f%% (%s)\n", worst, worstname
    }'
[ "$TABLE" = table ] || exit 0
# The full table: the CI of the hybrid against the better baseline is the
# one printed on that baseline's row of the backtest.
echo
echo "| data | split | rows | physics | ML-only | hybrid | hybrid - better [90% CI] |"
echo "|---|---|---|---|---|---|---|"
for name in $sets; do
    awk -F, -v set="$name" 'NR > 1 { print set "," $0 }' "$DIR/$name.csv"
done | awk -F, '
    { key = $1 SUBSEP $2; m[key, $3] = $5; r[key] = $4; d[key, $3] = $8; lo[key, $3] = $9; hi[key, $3] = $10
      if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
    END {
        for (i = 1; i <= n; i++) {
            split(order[i], k, SUBSEP)
            p = m[order[i], "physics"]; ml = m[order[i], "ml"]; h = m[order[i], "hybrid"]
            b = p <= ml ? "physics" : "ml"
            bold = k[2] == "extrapolation" ? "**" : ""
            printf "| %s | %s%s%s | %d | %.2f | %.2f | %s%.2f%s | %+.2f [%+.2f, %+.2f] |\n", k[1], bold, k[2], bold,
                r[order[i]], p, ml, bold, h, bold, d[order[i], b], lo[order[i], b], hi[order[i], b]
        }
    }'
