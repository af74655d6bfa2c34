#!/usr/bin/env python3
"""What the SPR model's residual is made of (docs/model.md section 5).
Input: the CSV of bench/spr_residuals.c. For the held-out (train=0) and
training rows: routes MAPE of the rounded physics, the share of days hit
exactly, the spread of obs - physics in routes against the spread that
rounding to whole routes alone gives (uniform on a unit interval: sd
0.2887), the excess noise that implies, and the MAPE floor a predictor
that knows the expected route count exactly would still have, given that
excess noise (Monte Carlo); then the correlation of the log residual with
each correction feature, within station."""
import csv, math, random, sys

rows = list(csv.DictReader(open(sys.argv[1])))
feats = list(rows[0].keys())[12:]
random.seed(1)

def rnd(x):
    return max(1.0, math.floor(x + 0.5))

def summary(sel, label):
    if not sel:
        return
    n = len(sel)
    obs = [float(r["obs"]) for r in sel]
    ph = [float(r["physics"]) for r in sel]
    hy = [float(r["hybrid"]) for r in sel]
    mape_p = 100 * sum(abs(rnd(p) - o) / o for p, o in zip(ph, obs)) / n
    mape_h = 100 * sum(abs(rnd(p) - o) / o for p, o in zip(hy, obs)) / n
    hit = sum(rnd(p) == o for p, o in zip(ph, obs)) / n
    u = [o - p for p, o in zip(ph, obs)]
    mu = sum(u) / n
    var = sum((x - mu) ** 2 for x in u) / n
    ex = math.sqrt(max(var - 1 / 12, 0))
    # floor: truth X = physics + noise(excess); obs = X rounded like the
    # physics; a perfect expected-value predictor predicts round(physics).
    floor = 0.0
    for p, o in zip(ph, obs):
        for _ in range(20):
            x = p + random.gauss(0, ex)
            ob = rnd(x)
            floor += abs(rnd(p) - ob) / ob
    floor *= 100 / (20 * n)
    lr = [math.log(o / p) for p, o in zip(ph, obs)]
    sd_lr = math.sqrt(sum(x * x for x in lr) / n)
    sd_round = math.sqrt(sum(1 / (12 * o * o) for o in obs) / n)
    print(f"{label:22s} rows {n:5d}  MAPE phys {mape_p:.2f} hybrid {mape_h:.2f}  exact days {100*hit:.1f}%  "
          f"mean routes {sum(obs)/n:.1f}  sd(obs-phys) {math.sqrt(var):.3f} routes (rounding alone 0.289; "
          f"excess {ex:.3f})  log-resid rms {sd_lr:.4f} (rounding alone {sd_round:.4f})  "
          f"MAPE floor at that excess {floor:.2f}")

def corr(sel, label):
    # log residual vs features, within station (station means removed)
    by = {}
    for r in sel:
        by.setdefault(r["station"], []).append(r)
    out = []
    for f in feats:
        xs, ys = [], []
        for st, rs in by.items():
            x = [float(r[f]) for r in rs]
            y = [math.log(float(r["obs"]) / float(r["physics"])) for r in rs]
            mx, my = sum(x) / len(x), sum(y) / len(y)
            xs += [a - mx for a in x]
            ys += [b - my for b in y]
        sxx = sum(a * a for a in xs)
        syy = sum(b * b for b in ys)
        sxy = sum(a * b for a, b in zip(xs, ys))
        c = sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else 0
        out.append(f"{f} {c:+.3f} (sd {math.sqrt(sxx/len(xs)):.3g})")
    print(f"  {label}: within-station corr(log resid, feature): " + "; ".join(out))

tr = [r for r in rows if r["train"] == "1"]
te = [r for r in rows if r["train"] == "0"]
summary(tr, "training rows")
summary(te, "held-out rows")
corr(tr, "training")
corr(te, "held-out")
