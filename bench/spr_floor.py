#!/usr/bin/env python3
"""spr_floor.py -- the noise floor of each `backtest --what spr` split.

Reads the data set DIR (routes.csv, shipments.csv), the oracle's counts
from bench/spr_floor.c (FLOOR.csv) and, optionally, the text output of
`fleetcast backtest --what spr` on the same data (BACKTEST.txt). Picks the
test rows of each split as cmd_backtest_spr.c does (time, volume_top20,
van:T, rezoning, their pooled `extrapolation`, and station) and prints,
per split, the oracle's routes MAPE on the rows the oracle covered next
to the backtest's physics, ML-only and hybrid MAPEs, the 40% target
(0.6 x the better baseline) and the share of the physics' distance to
the floor that the hybrid closes. docs/model.md section 5.3.

    python3 bench/spr_floor.py DIR FLOOR.csv [BACKTEST.txt]
"""
import csv
import datetime
import math
import sys


def day(s):
    return datetime.date.fromisoformat(s).toordinal()


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    ddir, floor_csv = sys.argv[1], sys.argv[2]
    rows = list(csv.DictReader(open(f'{ddir}/routes.csv')))
    for r in rows:
        r['d'] = day(r['date'])
        r['pk'] = float(r['packages'])
        r['rt'] = int(r['routes'])
    oracle = {(r['date'], r['station']): (int(r['routes']), int(r['oracle']))
              for r in csv.DictReader(open(floor_csv))}
    scored = [r for r in rows if r['rt'] > 0]
    splits = {}
    # (a) time: the last 20% of days
    dmin, dmax = min(r['d'] for r in rows), max(r['d'] for r in rows)
    cut = dmax - math.floor(0.2 * (dmax - dmin + 1)) + 1
    splits['time'] = [r for r in scored if r['d'] >= cut]
    # (b) each station's top 20% of days by packages
    test = []
    for s in sorted({r['station'] for r in rows}):
        pk = sorted(r['pk'] for r in rows if r['station'] == s)
        thr = pk[math.floor(0.8 * len(pk))]
        test += [r for r in scored if r['station'] == s and r['pk'] >= thr]
    splits['volume_top20'] = test
    # (c) a van type at the stations that ran it and another type
    for v in sorted({r['van_type'] for r in rows}):
        ran = {r['station'] for r in rows if r['van_type'] == v}
        other = {r['station'] for r in rows if r['van_type'] != v}
        test = [r for r in scored if r['van_type'] == v and r['station'] in ran & other]
        if test:
            splits['van:' + v] = test
    # (d) rezoning: from the first move, at the stations concerned
    seq = {}
    for r in csv.DictReader(open(f'{ddir}/shipments.csv')):
        seq.setdefault(r['zip'], []).append((day(r['date']), r['station']))
    first, involved = None, set()
    for z, v in seq.items():
        v.sort()
        for (d0, s0), (d1, s1) in zip(v, v[1:]):
            if s1 != s0:
                involved |= {s0, s1}
                first = d1 if first is None else min(first, d1)
    if first is not None:
        splits['rezoning'] = [r for r in scored if r['d'] >= first and r['station'] in involved]
    splits['extrapolation'] = [r for k, v in splits.items() if k != 'time' for r in v]
    # (e) station: at most 8 stations with routes, spread evenly, all rows
    order = [r['station'] for r in csv.DictReader(open(f'{ddir}/stations.csv'))]
    has = [s for s in order if any(r['station'] == s for r in scored)]
    take = min(len(has), 8)
    held = {s for k, s in enumerate(has) if k * take // len(has) != (k + 1) * take // len(has)}
    if len(has) > 1:
        splits['station'] = [r for r in scored if r['station'] in held]

    bt = {}
    if len(sys.argv) == 4:
        for line in open(sys.argv[3]):
            p = line.split()
            if len(p) >= 4 and p[1] in ('physics', 'ml', 'hybrid'):
                bt[(p[0], p[1])] = float(p[3])
    print('split,rows,oracle_rows,oracle_mape,physics_mape,ml_mape,hybrid_mape,target_40pct,gap_closed_pct')
    for k, v in splits.items():
        ape, bad = [], 0
        for r in v:
            o = oracle.get((r['date'], r['station']))
            if o is None:
                continue
            if o[0] != r['rt']:
                bad += 1
            ape.append(100 * abs(o[1] - r['rt']) / r['rt'])
        if bad:
            sys.exit(f'{floor_csv}: {bad} rows of split {k} do not reproduce the data (wrong seed or scenario?)')
        fl = sum(ape) / len(ape) if ape else float('nan')
        ph, ml, hy = (bt.get((k, x)) for x in ('physics', 'ml', 'hybrid'))
        cells = [k, str(len(v)), str(len(ape)), f'{fl:.2f}']
        if ph is not None and ml is not None and hy is not None:
            best = min(ph, ml)
            closed = 100 * (best - hy) / (best - fl) if best > fl else float('nan')
            cells += [f'{ph:.2f}', f'{ml:.2f}', f'{hy:.2f}', f'{0.6 * best:.2f}', f'{closed:.0f}']
        else:
            cells += [''] * 5
        print(','.join(cells))


if __name__ == '__main__':
    main()
