# exit: 73
# -o into a folder that does not exist is found before any work (73 at
# once): fit, backtest and diagnose used to read and fit everything first.
cp "$DATA"/ok/* .
for cmd in "fit" "backtest --what spr" "diagnose" "forecast" "plan" "predict --model none.json" "validate"; do
    set +e
    $FC $cmd --config config.json -o nowhere/out.txt 2> err.txt
    rc=$?
    set -e
    test "$rc" -eq 73
    grep -q 'nowhere/out.txt: cannot create: No such file or directory' err.txt
    ! grep -q 'note:' err.txt || exit 1
done
$FC fit --config config.json -o nowhere/m.json
