#!/bin/sh
# run_case.sh -- run one CLI case: tests/cli/cases/NAME.sh is a shell snippet
# run in a fresh temporary folder with $FC (the binary), $DATA (tests/data),
# $ROOT (the source tree), $SCHEMA_CHECK (tests/tools/schema_check: checks
# JSON documents against a schema of $ROOT/docs/schema) and $T (the folder). Its first line may say
# "# exit: N" (default 0). Beside it, NAME.out (optional) is the exact
# expected stdout, and NAME.err (optional) lists strings, one per line, that
# must each appear in stderr ("!TEXT" lines must not appear).
# Set FC_REGEN=1 to rewrite NAME.out from the actual output.
set -u
FC=$1; CASE=$2; DATA=$3; ROOT=$4; SCHEMA_CHECK=${5:-schema_check}
export FC DATA ROOT SCHEMA_CHECK
base=${CASE%.sh}
T=$(mktemp -d "${TMPDIR:-/tmp}/fccase.XXXXXX")
export T
trap 'rm -rf "$T"' EXIT
# "! cmd" is not checked by sh -e (POSIX): a negated check must end in
# "|| exit 1", or it can never fail (19 such checks once were no-ops)
bad=$(grep -n '^[[:space:]]*! ' "$CASE" | grep -v '|| exit 1')
if [ -n "$bad" ]; then
    echo "$CASE: a negated check that sh -e ignores (end it in '|| exit 1'):"; echo "$bad"; exit 1
fi
want=$(sed -n '1s/^# exit: *\([0-9]*\).*/\1/p' "$CASE")
[ -n "$want" ] || want=0
(cd "$T" && sh -e "$CASE" >"$T/.stdout" 2>"$T/.stderr")
got=$?
fail=0
if [ "$got" != "$want" ]; then
    echo "exit code: expected $want, got $got"; fail=1
fi
if [ -f "$base.out" ]; then
    if [ "${FC_REGEN:-0}" = 1 ]; then cp "$T/.stdout" "$base.out"
    elif ! cmp -s "$base.out" "$T/.stdout"; then
        echo "stdout differs from $base.out:"; diff "$base.out" "$T/.stdout" | head -40; fail=1
    fi
fi
if [ -f "$base.err" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
        [ -z "$line" ] && continue
        case $line in
        !*) if grep -qF -- "${line#!}" "$T/.stderr"; then echo "stderr must not contain: ${line#!}"; fail=1; fi ;;
        *) if ! grep -qF -- "$line" "$T/.stderr"; then echo "stderr lacks: $line"; fail=1; fi ;;
        esac
    done < "$base.err"
fi
if [ $fail != 0 ]; then
    echo "--- stderr:"; head -30 "$T/.stderr"
    echo "--- stdout:"; head -30 "$T/.stdout"
fi
exit $fail
