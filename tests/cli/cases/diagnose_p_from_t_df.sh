# exit: 0
# every reported p is the two-sided p of the reported t on the reported
# (whole) df, so an analyst can recompute it: the station tests' block df
# are fractional and p used the fraction while JSON reported it rounded
# down (BOS1's step: t -2.97, df 16, p 0.0086; t on 16 df gives 0.0090).
# Checked with the closed form of the t distribution for whole df
# (Abramowitz & Stegun 26.7.3-4) wherever p > 1e-4. docs/diagnose.md.
$FC synth --out "$T/c" --seed 1 --cities 1 --stations 2 --zips 40 --days 731 -q
$FC diagnose --config "$T/c/config.json" --format json -q > dx.json
awk -F: '
    function pt(t, v,   th, c, s, a, term, k) {
        th = atan2(t < 0 ? -t : t, sqrt(v)); c = cos(th); s = sin(th)
        if (v % 2) { a = th; term = s * c; if (v > 1) a += term
            for (k = 3; k <= v - 2; k += 2) { term *= (k - 1) / k * c * c; a += term }
            a *= 2 / 3.141592653589793 }
        else { term = 1; a = 1
            for (k = 2; k <= v - 2; k += 2) { term *= (k - 1) / k * c * c; a += term }
            a *= s }
        return 1 - a }
    { gsub(/[\t ,"]/, "") }
    $1 == "t" { t = $2 + 0 } $1 == "df" { df = $2 + 0 }
    $1 == "p" && $2 + 0 > 1e-4 { n++; q = pt(t, df); r = (q - $2) / $2; if (r < 0) r = -r
        if (r > 1e-6) { bad++; print "t " t " df " df ": p " $2 ", expected " q } }
    END { print n " p checked"; exit !(n >= 10 && !bad) }' dx.json
