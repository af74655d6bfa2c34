# exit: 0
# The generated reference pages match the binary's help texts
# (regenerate with: sh scripts/gen-docs.sh build/fleetcast docs).
sh "$ROOT/scripts/gen-docs.sh" "$FC" .
for f in cli-reference.md fleetcast.1 fleetcast.bash-completion; do
    diff -u "$ROOT/docs/$f" "$f"
done
