# exit: 0
# One month of history: no spread of seasons can be measured from one
# month, and the months never seen got none (a season variance of 0), so
# the only width was the assumed growth and the zips' noise: the next
# month's 80% interval was +-8% here (+-4% on the bundled example cut to
# its December) for a month whose season nobody has seen. They now get an
# assumed season spread (15%, 1 s.d.), which the warning states.
"$FC" synth --out d --seed 3 --cities 1 --stations 2 --zips 30 --days 31 -q
"$FC" forecast --config d/config.json --level network --format csv --horizon 12 --paths 200 -o n.csv
# the next month's P90 at least 1.3 times its P10
awk -F, '$4 == "2023-02" { exit !($8 / $6 > 1.3) }' n.csv
