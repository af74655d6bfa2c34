# exit: 0
# Six months of history (January to June): the months never seen are
# forecast at the level of those seen, with their spread, and the warning
# names them; the old forecast carried the spring's rise on as growth.
"$FC" synth --out d --seed 3 --cities 1 --stations 2 --zips 30 --days 181 -q
"$FC" forecast --config d/config.json --level network --format csv --horizon 12 --paths 200 -o n.csv
mean=$(awk -F, 'NR > 1 { s += $4 } END { print s / 6 }' d/shipments.csv)
# the next January within 20% of the half year's mean month
awk -F, -v m="$mean" '$4 == "2024-01" { r = $7 / m; exit !(r > 0.8 && r < 1.2) }' n.csv
