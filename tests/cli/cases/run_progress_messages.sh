# exit: 0
# On a terminal, a message during run starts a line of its own: it was
# glued to the progress line ("[2/5] fitting the SPR modelfleetcast run:
# note: ..."). Skipped where script(1) cannot open a terminal.
script -qc true /dev/null >/dev/null 2>&1 </dev/null || exit 0
cp "$ROOT"/data/example/* .
script -qc "\"$FC\" run config.json -o out >/dev/null" ts >/dev/null 2>&1 </dev/null
grep -q '\[1/5\] reading' ts
grep -q 'run: note: ' ts
! grep -q '[a-z]fleetcast run: ' ts || exit 1
