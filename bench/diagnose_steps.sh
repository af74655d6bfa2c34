#!/bin/sh
# diagnose_steps.sh -- false alarms, power and dating of `fleetcast diagnose`
# for steps and drifts written into the routes file (docs/diagnose.md):
# per seed, a clean network (1 city, 2 stations, 40 zips, 731 days from
# 2023-01-01), then BOS1's route_hours and route_km x F from a date (a step
# of log(F)), and x a ramp from 1 to F over the last 8 weeks (a drift).
# Prints per data set BOS1's step (date, size %, t, p_adj, flag), its drift
# test, and every other flag (zips, other stations).
#   bench/diagnose_steps.sh [FLEETCAST] [SEEDS] [FACTORS] [DATES]
# Defaults: build/fleetcast, "1 2 3 4 5 6", "1.03 1.05 1.10",
# "2024-03-01 2024-03-16".
set -eu
FC=${1:-build/fleetcast}
SEEDS=${2:-1 2 3 4 5 6}
FACTORS=${3:-1.03 1.05 1.10}
DATES=${4:-2024-03-01 2024-03-16}
W=$(mktemp -d "${TMPDIR:-/tmp}/fcdxs.XXXXXX")
trap 'rm -rf "$W"' EXIT
# scale BOS1's hours and km by f(date): step (from, f) or ramp (from, f)
inject() { # IN OUT MODE FROM F
    awk -F, -v OFS=, -v mode="$3" -v from="$4" -v f="$5" '
        function jd(s,  y, m, d) { y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
            if (m < 3) { y--; m += 12 }
            return int(365.25 * (y + 4716)) + int(30.6001 * (m + 1)) + d }
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
        $c["station"] == "BOS1" && $c["date"] >= from {
            g = mode == "step" ? f : 1 + (f - 1) * (jd($c["date"]) - jd(from) + 1) / 56
            $c["route_hours"] = sprintf("%.2f", $c["route_hours"] * g)
            $c["route_km"] = sprintf("%.1f", $c["route_km"] * g) }
        { print }' "$1/routes.csv" > "$2/routes.csv"
}
report() { # LABEL CSV
    awk -F, -v lab="$1" '
        $1 == "station_step" && $2 == "BOS1" { st = sprintf("%s %+.2f%% t %.1f p_adj %.2g %s", $6, $7, $11, $13, $18 == 1 ? "FLAG" : "-") }
        $1 == "station_drift" && $2 == "BOS1" { dr = sprintf("%+.2f%% p_adj %.2g %s", $7, $13, $18 == 1 ? "FLAG" : "-") }
        $1 == "zip" && $18 == 1 { o = o " zip:" $3 }
        $1 ~ /^station_/ && $2 != "BOS1" && $18 == 1 { o = o " " $2 ":" $4 "@" $6 }
        $1 == "zip" { nz++; if ($13 < 0.01) sz++ }
        END { printf "%-26s step %-44s drift %-24s zips %d (p_adj<0.01: %d) other flags:%s\n", lab, st, dr, nz, sz, o ? o : " -" }' "$2"
}
for seed in $SEEDS; do
    C="$W/c$seed"
    "$FC" synth --out "$C" --seed "$seed" --cities 1 --stations 2 --zips 40 --days 731 -q
    "$FC" diagnose --config "$C/config.json" --format csv -q > "$W/dx.csv"
    report "seed $seed clean" "$W/dx.csv"
    X="$W/x$seed"
    cp -r "$C" "$X"
    for f in $FACTORS; do
        for d in $DATES; do
            inject "$C" "$X" step "$d" "$f"
            "$FC" diagnose --config "$X/config.json" --format csv -q > "$W/dx.csv"
            report "  step x$f from $d" "$W/dx.csv"
        done
    done
    for f in 1.05 1.10; do
        inject "$C" "$X" ramp 2024-11-06 "$f"
        "$FC" diagnose --config "$X/config.json" --format csv -q > "$W/dx.csv"
        report "  ramp to x$f, last 8 weeks" "$W/dx.csv"
    done
done
