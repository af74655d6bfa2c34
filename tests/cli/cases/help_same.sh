# exit: 0
"$FC" help validate > a
"$FC" validate --help > b
cmp a b
grep -q "Exit codes" a
