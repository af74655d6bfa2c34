# exit: 0
# a station step is not tested within 28 days of a composition or van
# step of the controls: there it is, over the controls, a pulse of a few
# days that the 28-day block means cannot measure. With week starts as
# candidates the bundled example's SEA1 (van switch on 2024-10-01) was
# flagged +2.4% from 2024-09-30 (p_adj 5e-7) and PHX1 (zips rezoned away on
# 2024-05-01) -1.3% from 2024-05-06. docs/diagnose.md, "Stations".
$FC diagnose --config "$ROOT/data/example/config.json" --format csv -q > dx.csv
awk -F, '$1 == "station_step" && ($2 == "SEA1" || $2 == "PHX1") && $18 == 1 { bad = 1; print }
    END { exit bad }' dx.csv
awk -F, '$1 == "station_step" && $2 == "SEA1" && $6 >= "2024-09-04" && $6 <= "2024-10-28" { bad = 1; print }
    END { exit bad }' dx.csv
