# exit: 0
# A numeric option with a blank before the number is a usage error (64),
# as "5x" is: strtol skips leading blanks, so " 5" was taken as 5.
# Whole-number options share one parser (--seed, --paths, --threads,
# --max-errors, synth's sizes); diagnose's --alpha is a number.
bad() {
    code=0
    "$FC" "$@" 2>err || code=$?
    [ "$code" -eq 64 ] || { echo "exit $code: $*"; cat err; exit 1; }
    grep -q "expected a" err || { cat err; exit 1; }
}
C="$DATA/ok/config.json"
bad forecast --config "$C" --seed " 5" -o f.json
bad forecast --config "$C" --paths "	100" -o f.json
bad validate --config "$C" --max-errors " 3"
bad validate --config "$C" --threads " 2"
bad diagnose --config "$C" --alpha " 0.05"
bad synth --out d --zips " 20"
bad synth --out d --seed "5x"
[ ! -e d ] && [ ! -e f.json ] || { echo "left output"; exit 1; }
"$FC" synth --out d --seed 5 --cities 1 --stations 1 --zips 2 --days 3 -q
