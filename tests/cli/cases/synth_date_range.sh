# exit: 64
# --end is held to the span --days allows (unbounded, a mistyped end year
# routed for hours), and no day may fall after 9999-12-31 (written with a
# four-digit year it wrapped to 0000-01-01, which validate rejects).
"$FC" synth --out a --cities 1 --stations 1 --zips 1 --end 9999-12-31 && exit 1
"$FC" synth --out b --cities 1 --stations 1 --zips 1 --start 9999-12-01 --days 60
