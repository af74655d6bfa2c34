/* router.c -- the stop router of the generator: a capacitated, shift- and
 * range-limited vehicle routing heuristic. Construction is a sweep along a
 * Hilbert space-filling curve (Bartholdi & Platzman): stops are taken in
 * curve order and a route is closed when the next stop breaks capacity,
 * shift or range; before a route is closed on time it is improved, so the
 * limit is judged on a good tour, not on the raw curve order. Improvement
 * is 2-opt and Or-opt (segments of 1-3 stops) within each route, limited
 * to a window of tour positions, then an attempt to dissolve the smallest
 * routes into their neighbours. Everything is deterministic. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/synth.h"

#define WIN_2OPT 30
#define WIN_OROPT 15
#define MAX_PASSES 40
#define EPS 1e-10

typedef struct rt {
    int32_t *s;         /* stop indices in driving order */
    int32_t n, cap;
    int64_t load;
    double svc, drive, km;
    double cx, cy;      /* centroid (for route elimination) */
    int opt;            /* improved since the last insertion */
    int adds;           /* insertions since the last improvement */
} rt;

struct fc_router {
    const fc_router_params *p;
    double circuity, local_km, fast_pace;
    int32_t n, depot, cap_n;
    double *x, *y, *v, *svc;
    int32_t *pk;
    uint64_t *key;          /* (hilbert << 32) | index */
    rt *r;
    int32_t nr, cap_r;
    int32_t *tmp;           /* tour with depot sentinels */
    unsigned char *dl;      /* don't-look bit per stop */
    double *e;              /* edge costs of tmp */
    int32_t cap_tmp, cap_e;
    rt *backup;             /* copies for an undone elimination */
    rt snap;                /* a route before a trial insertion */
    int32_t cap_backup;
    fc_route_info *info;
    int32_t *order;
    int32_t cap_info, cap_order;
    fc_route_plan plan;
};

fc_router *fc_router_new(void) { return calloc(1, sizeof(fc_router)); }

static void rt_free_all(rt *a, int32_t n)
{
    for (int32_t i = 0; i < n; i++) free(a[i].s);
}

void fc_router_free(fc_router *r)
{
    if (!r) return;
    free(r->x);
    free(r->y);
    free(r->v);
    free(r->svc);
    free(r->pk);
    free(r->key);
    rt_free_all(r->r, r->cap_r);
    free(r->r);
    rt_free_all(r->backup, r->cap_backup);
    free(r->snap.s);
    free(r->backup);
    free(r->tmp);
    free(r->dl);
    free(r->e);
    free(r->info);
    free(r->order);
    free(r);
}

static int grow(void **p, int32_t *cap, int32_t need, size_t size)
{
    if (need <= *cap) return 0;
    int32_t c = *cap ? *cap : 16;
    while (c < need) c *= 2;
    void *q = realloc(*p, (size_t)c * size);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* grow() for arrays of rt: new slots are zeroed (no buffer yet). */
static int grow_rt(rt **p, int32_t *cap, int32_t need)
{
    int32_t old = *cap;
    if (grow((void **)p, cap, need, sizeof **p)) return -1;
    if (*cap > old) memset(*p + old, 0, (size_t)(*cap - old) * sizeof **p);
    return 0;
}

static int rt_reserve(rt *t, int32_t need) { return grow((void **)&t->s, &t->cap, need, sizeof *t->s); }

/* ---- the travel model ---------------------------------------------------- */

double fc_router_leg_hours(const fc_router_params *p, double straight_km, double speed_a, double speed_b)
{
    double km = straight_km * p->circuity, pace = 0.5 / speed_a + 0.5 / speed_b;
    if (km <= p->local_km) return km * pace;
    return p->local_km * pace + (km - p->local_km) / p->fast_kmh;
}

static inline double dist(const fc_router *r, int32_t a, int32_t b)
{
    double dx = r->x[a] - r->x[b], dy = r->y[a] - r->y[b];
    return sqrt(dx * dx + dy * dy);
}

/* Local pace (hours per km) of a leg: the mean of its two ends' paces, so
 * r->v holds half the pace of each stop. */
static inline double cost(const fc_router *r, int32_t a, int32_t b)
{
    double km = dist(r, a, b) * r->circuity, pace = r->v[a] + r->v[b];
    if (km <= r->local_km) return km * pace;
    return r->local_km * pace + (km - r->local_km) * r->fast_pace;
}

static inline double road_km(const fc_router *r, int32_t a, int32_t b)
{
    return dist(r, a, b) * r->circuity;
}

static int fits(const fc_router *r, double drive, double svc, double km)
{
    if (drive + svc > r->p->shift_h + 1e-9) return 0;
    if (r->p->range_km > 0 && km > r->p->range_km + 1e-9) return 0;
    return 1;
}

/* Recompute a route's totals from its tour. */
static void rt_eval(fc_router *r, rt *t)
{
    double drive = 0, km = 0, svc = 0, cx = 0, cy = 0;
    int64_t load = 0;
    int32_t prev = r->depot;
    for (int32_t i = 0; i < t->n; i++) {
        int32_t s = t->s[i];
        drive += cost(r, prev, s);
        km += road_km(r, prev, s);
        svc += r->svc[s];
        load += r->pk[s];
        cx += r->x[s];
        cy += r->y[s];
        prev = s;
    }
    if (t->n) {
        drive += cost(r, prev, r->depot);
        km += road_km(r, prev, r->depot);
        cx /= t->n;
        cy /= t->n;
    }
    t->drive = drive;
    t->km = km;
    t->svc = svc;
    t->load = load;
    t->cx = cx;
    t->cy = cy;
}

/* ---- improvement within a route ------------------------------------------- */

static void reverse(fc_router *r, int32_t *a, double *e, int32_t i, int32_t j)
{
    for (int32_t lo = i, hi = j; lo < hi; lo++, hi--) {
        int32_t tmp = a[lo];
        a[lo] = a[hi];
        a[hi] = tmp;
    }
    for (int32_t k = i - 1; k <= j; k++) e[k] = cost(r, a[k], a[k + 1]);
}

/* Don't-look bits: a stop whose neighbourhood has not changed since no
 * move around it helped is skipped (Bentley's device); moves clear the
 * bits of the stops at the edges they change. */
static void wake(fc_router *r, const int32_t *a, int32_t n, int32_t i)
{
    if (i >= 1 && i <= n) r->dl[a[i]] = 0;
}

/* 2-opt moves with a[i] at one end of the reversed stretch. */
static int two_opt_at(fc_router *r, int32_t *a, double *e, int32_t n, int32_t i)
{
    int32_t jmax = i + WIN_2OPT < n ? i + WIN_2OPT : n;
    for (int32_t j = i + 1; j <= jmax; j++) {
        double d = cost(r, a[i - 1], a[j]) + cost(r, a[i], a[j + 1]) - e[i - 1] - e[j];
        if (d < -EPS) {
            reverse(r, a, e, i, j);
            wake(r, a, n, i - 1), wake(r, a, n, i), wake(r, a, n, j), wake(r, a, n, j + 1);
            return 1;
        }
    }
    int32_t jmin = i - WIN_2OPT > 1 ? i - WIN_2OPT : 1;
    for (int32_t j = jmin; j < i; j++) {
        double d = cost(r, a[j - 1], a[i]) + cost(r, a[j], a[i + 1]) - e[j - 1] - e[i];
        if (d < -EPS) {
            reverse(r, a, e, j, i);
            wake(r, a, n, j - 1), wake(r, a, n, j), wake(r, a, n, i), wake(r, a, n, i + 1);
            return 1;
        }
    }
    return 0;
}

/* Or-opt: move a[i..i+L-1] (L = 1..3) between a[k] and a[k+1], maybe
 * reversed, to the best place within the window. */
static int or_opt_at(fc_router *r, int32_t *a, double *e, int32_t n, int32_t i)
{
    for (int L = 1; L <= 3 && i + L - 1 <= n; L++) {
        int32_t j = i + L - 1;
        double gain_rm = e[i - 1] + e[j] - cost(r, a[i - 1], a[j + 1]);
        if (gain_rm <= EPS) continue;
        int32_t klo = i - 1 - WIN_OROPT > 0 ? i - 1 - WIN_OROPT : 0;
        int32_t khi = j + WIN_OROPT < n ? j + WIN_OROPT : n;
        int32_t best_k = -1;
        int best_rev = 0;
        double best = -EPS;
        for (int32_t k = klo; k <= khi; k++) {
            if (k >= i - 1 && k <= j) continue;
            double ci = cost(r, a[k], a[i]), cj = cost(r, a[j], a[k + 1]);
            double d = ci + cj - e[k] - gain_rm;
            if (d < best) {
                best = d;
                best_k = k;
                best_rev = 0;
            }
            if (L > 1) {
                double d2 = cost(r, a[k], a[j]) + cost(r, a[i], a[k + 1]) - e[k] - gain_rm;
                if (d2 < best) {
                    best = d2;
                    best_k = k;
                    best_rev = 1;
                }
            }
        }
        if (best_k < 0) continue;
        int32_t seg[3];
        for (int q = 0; q < L; q++) seg[q] = best_rev ? a[j - q] : a[i + q];
        int32_t lo, hi;
        if (best_k > j) {
            /* a[j+1..best_k] moves left by L, the segment goes after it */
            memmove(a + i, a + j + 1, (size_t)(best_k - j) * sizeof *a);
            memcpy(a + best_k - L + 1, seg, (size_t)L * sizeof *a);
            lo = i - 1;
            hi = best_k + 1;
        } else {
            /* a[best_k+1..i-1] moves right by L, the segment goes at best_k+1 */
            memmove(a + best_k + 1 + L, a + best_k + 1, (size_t)(i - 1 - best_k) * sizeof *a);
            memcpy(a + best_k + 1, seg, (size_t)L * sizeof *a);
            lo = best_k;
            hi = j + 1;
        }
        for (int32_t k = lo; k < hi && k <= n; k++) e[k] = cost(r, a[k], a[k + 1]);
        for (int32_t k = lo; k <= hi; k++) wake(r, a, n, k);
        return 1;
    }
    return 0;
}


/* 2-opt and Or-opt on driving time, in a window of tour positions, until
 * no move improves. Returns -1 on out of memory. */
static int rt_improve(fc_router *r, rt *t)
{
    int32_t n = t->n;
    t->opt = 1;
    t->adds = 0;
    if (n < 3) {
        rt_eval(r, t);
        return 0;
    }
    if (grow((void **)&r->tmp, &r->cap_tmp, n + 2, sizeof *r->tmp)) return -1;
    if (r->cap_e < r->cap_tmp) {
        double *e = realloc(r->e, (size_t)r->cap_tmp * sizeof *e);
        if (!e) return -1;
        r->e = e;
        r->cap_e = r->cap_tmp;
    }
    double *e = r->e;
    int32_t *a = r->tmp;
    a[0] = a[n + 1] = r->depot;
    memcpy(a + 1, t->s, (size_t)n * sizeof *a);
    for (int32_t k = 0; k <= n; k++) e[k] = cost(r, a[k], a[k + 1]);

    unsigned char *dl = r->dl;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
        int improved = 0;
        for (int32_t i = 1; i <= n; i++) {
            if (dl[a[i]]) continue;
            if (two_opt_at(r, a, e, n, i) || or_opt_at(r, a, e, n, i)) improved = 1;
            else dl[a[i]] = 1;
        }
        if (!improved) break;
    }
    if (r->p->range_km > 0 && t->km <= r->p->range_km) {
        /* improving time must not break an electric van's range */
        double km = 0;
        for (int32_t k = 0; k <= n; k++) km += road_km(r, a[k], a[k + 1]);
        if (km > r->p->range_km) {
            rt_eval(r, t);
            return 0;
        }
    }
    memcpy(t->s, a + 1, (size_t)n * sizeof *a);
    rt_eval(r, t);
    return 0;
}

/* ---- insertion ------------------------------------------------------------ */

/* Cheapest position to insert s into t (0..n: before t->s[pos]); the
 * driving-time and km increase. Only the end when end_only. */
static int32_t best_insert(const fc_router *r, const rt *t, int32_t s, int end_only, double *dt,
                           double *dkm)
{
    int32_t best = t->n;
    int32_t prev = t->n ? t->s[t->n - 1] : r->depot;
    double bd = cost(r, prev, s) + cost(r, s, r->depot) - cost(r, prev, r->depot);
    if (!end_only) {
        prev = r->depot;
        for (int32_t i = 0; i < t->n; i++) {
            int32_t next = t->s[i];
            double d = cost(r, prev, s) + cost(r, s, next) - cost(r, prev, next);
            if (d < bd) {
                bd = d;
                best = i;
            }
            prev = next;
        }
    }
    int32_t a = best > 0 ? t->s[best - 1] : r->depot, b = best < t->n ? t->s[best] : r->depot;
    *dt = bd;
    *dkm = road_km(r, a, s) + road_km(r, s, b) - road_km(r, a, b);
    return best;
}

static int rt_insert(fc_router *r, rt *t, int32_t pos, int32_t s, double dt, double dkm)
{
    if (rt_reserve(t, t->n + 1)) return -1;
    memmove(t->s + pos + 1, t->s + pos, (size_t)(t->n - pos) * sizeof *t->s);
    t->s[pos] = s;
    t->n++;
    r->dl[s] = 0;
    if (pos > 0) r->dl[t->s[pos - 1]] = 0;
    if (pos + 1 < t->n) r->dl[t->s[pos + 1]] = 0;
    t->drive += dt;
    t->km += dkm;
    t->svc += r->svc[s];
    t->load += r->pk[s];
    t->adds++;
    return 0;
}

static rt *new_route(fc_router *r)
{
    if (grow_rt(&r->r, &r->cap_r, r->nr + 1)) return NULL;
    rt *t = &r->r[r->nr++];
    t->n = 0;
    t->load = 0;
    t->svc = t->drive = t->km = 0;
    t->opt = 0;
    t->adds = 0;
    return t;
}

static int rt_copy(rt *dst, const rt *src)
{
    if (rt_reserve(dst, src->n > 0 ? src->n : 1)) return -1;
    memcpy(dst->s, src->s, (size_t)src->n * sizeof *src->s);
    dst->n = src->n;
    dst->load = src->load;
    dst->svc = src->svc;
    dst->drive = src->drive;
    dst->km = src->km;
    dst->cx = src->cx;
    dst->cy = src->cy;
    dst->opt = src->opt;
    dst->adds = src->adds;
    return 0;
}

/* ---- construction ---------------------------------------------------------- */

/* Hilbert index of (x, y) in a 2^16 x 2^16 grid. */
static uint32_t hilbert(uint32_t x, uint32_t y)
{
    uint32_t d = 0;
    for (uint32_t s = 1u << 15; s > 0; s >>= 1) {
        uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = 65535 - x;
                y = 65535 - y;
            }
            uint32_t t = x;
            x = y;
            y = t;
        }
    }
    return d;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int construct(fc_router *r)
{
    const fc_router_params *p = r->p;
    double minx = 0, maxx = 0, miny = 0, maxy = 0;  /* the depot is in the box */
    for (int32_t i = 0; i < r->n; i++) {
        if (r->x[i] < minx) minx = r->x[i];
        if (r->x[i] > maxx) maxx = r->x[i];
        if (r->y[i] < miny) miny = r->y[i];
        if (r->y[i] > maxy) maxy = r->y[i];
    }
    double span = fmax(maxx - minx, maxy - miny);
    if (span <= 0) span = 1;
    double scale = 65535.0 / span;
    for (int32_t i = 0; i < r->n; i++) {
        uint32_t hx = (uint32_t)((r->x[i] - minx) * scale), hy = (uint32_t)((r->y[i] - miny) * scale);
        r->key[i] = (uint64_t)hilbert(hx, hy) << 32 | (uint32_t)i;
    }
    qsort(r->key, (size_t)r->n, sizeof *r->key, cmp_u64);

    r->nr = 0;
    rt *t = NULL;
    for (int32_t k = 0; k < r->n; k++) {
        int32_t s = (int32_t)(r->key[k] & 0xffffffffu);
        if (t && t->n && t->load + r->pk[s] > p->capacity) t = NULL;
        if (!t) {
            if (!(t = new_route(r))) return -1;
        }
        double dt, dkm;
        int32_t pos = best_insert(r, t, s, !t->opt, &dt, &dkm);
        if (t->n == 0 || fits(r, t->drive + dt, t->svc + r->svc[s], t->km + dkm)) {
            if (rt_insert(r, t, pos, s, dt, dkm)) return -1;
            continue;
        }
        if (p->improve && (!t->opt || t->adds > 0)) {
            /* judge the limit on an improved tour; if s still does not
             * fit, go back to the tour without it (removing s from the
             * improved tour need not shorten it: legs' paces differ) */
            if (rt_copy(&r->snap, t) || rt_insert(r, t, pos, s, dt, dkm) || rt_improve(r, t)) return -1;
            if (fits(r, t->drive, t->svc, t->km)) continue;
            if (rt_copy(t, &r->snap)) return -1;
        }
        if (!(t = new_route(r))) return -1;
        pos = best_insert(r, t, s, 1, &dt, &dkm);
        if (rt_insert(r, t, pos, s, dt, dkm)) return -1;
    }
    return 0;
}

/* ---- route elimination ------------------------------------------------------ */

#define NEAR_ROUTES 6

/* Try to move every stop of the smallest route into other routes (cheapest
 * feasible insertion among the nearest routes). Returns 1 when the route
 * was dissolved, 0 when not (nothing changed), -1 on out of memory. */
static int eliminate_one(fc_router *r)
{
    if (r->nr < 2) return 0;
    int32_t victim = 0;
    for (int32_t i = 1; i < r->nr; i++)
        if (r->r[i].n < r->r[victim].n) victim = i;
    for (int32_t i = 0; i < r->nr; i++) rt_eval(r, &r->r[i]);
    if (grow_rt(&r->backup, &r->cap_backup, r->nr)) return -1;
    for (int32_t i = 0; i < r->nr; i++)
        if (rt_copy(&r->backup[i], &r->r[i])) return -1;

    rt *v = &r->r[victim];
    int ok = 1;
    for (int32_t k = 0; k < v->n && ok; k++) {
        int32_t s = v->s[k];
        /* the nearest routes by centroid */
        int32_t near[NEAR_ROUTES];
        double nd[NEAR_ROUTES];
        int nn = 0;
        for (int32_t i = 0; i < r->nr; i++) {
            if (i == victim || r->r[i].load + r->pk[s] > r->p->capacity) continue;
            double dx = r->r[i].cx - r->x[s], dy = r->r[i].cy - r->y[s], d = dx * dx + dy * dy;
            if (nn == NEAR_ROUTES && d >= nd[nn - 1]) continue;
            int q = nn < NEAR_ROUTES ? nn++ : nn - 1;
            while (q > 0 && nd[q - 1] > d) {
                near[q] = near[q - 1];
                nd[q] = nd[q - 1];
                q--;
            }
            near[q] = i;
            nd[q] = d;
        }
        int32_t best_route = -1, best_pos = 0;
        double best = INFINITY, bdt = 0, bkm = 0;
        for (int q = 0; q < nn; q++) {
            rt *t = &r->r[near[q]];
            double dt, dkm;
            int32_t pos = best_insert(r, t, s, 0, &dt, &dkm);
            if (dt < best && fits(r, t->drive + dt, t->svc + r->svc[s], t->km + dkm)) {
                best = dt;
                best_route = near[q];
                best_pos = pos;
                bdt = dt;
                bkm = dkm;
            }
        }
        if (best_route < 0) {
            ok = 0;
            break;
        }
        if (rt_insert(r, &r->r[best_route], best_pos, s, bdt, bkm)) return -1;
    }
    if (!ok) {
        for (int32_t i = 0; i < r->nr; i++)
            if (rt_copy(&r->r[i], &r->backup[i])) return -1;
        return 0;
    }
    /* drop the victim, keeping the others in order (its buffer goes last) */
    rt gone = r->r[victim];
    memmove(r->r + victim, r->r + victim + 1, (size_t)(r->nr - victim - 1) * sizeof *r->r);
    r->r[r->nr - 1] = gone;
    r->nr--;
    return 1;
}

/* ---- the solver ---------------------------------------------------------------- */

int fc_router_solve(fc_router *r, const fc_router_params *p, const fc_route_stop *stops, int32_t n,
                    const fc_route_plan **plan)
{
    r->p = p;
    r->n = n;
    r->depot = n;
    if (n + 1 > r->cap_n) {
        int32_t c = r->cap_n ? r->cap_n : 64;
        while (c < n + 1) c *= 2;
        double *x = realloc(r->x, (size_t)c * sizeof *x);
        if (x) r->x = x;
        double *y = realloc(r->y, (size_t)c * sizeof *y);
        if (y) r->y = y;
        double *v = realloc(r->v, (size_t)c * sizeof *v);
        if (v) r->v = v;
        double *sv = realloc(r->svc, (size_t)c * sizeof *sv);
        if (sv) r->svc = sv;
        int32_t *pk = realloc(r->pk, (size_t)c * sizeof *pk);
        if (pk) r->pk = pk;
        uint64_t *key = realloc(r->key, (size_t)c * sizeof *key);
        if (key) r->key = key;
        unsigned char *dl = realloc(r->dl, (size_t)c);
        if (dl) r->dl = dl;
        if (!x || !y || !v || !sv || !pk || !key || !dl) return FC_EINTERNAL;
        r->cap_n = c;
    }
    for (int32_t i = 0; i < n; i++) {
        r->x[i] = stops[i].x;
        r->y[i] = stops[i].y;
        r->v[i] = 0.5 / stops[i].speed_kmh;
        r->svc[i] = stops[i].service_h;
        r->pk[i] = stops[i].packages;
    }
    r->x[n] = r->y[n] = 0;
    r->v[n] = 0.5 / p->depot_speed_kmh;
    r->circuity = p->circuity;
    r->local_km = p->local_km;
    r->fast_pace = 1 / p->fast_kmh;
    r->svc[n] = 0;
    r->pk[n] = 0;
    memset(r->dl, 0, (size_t)n + 1);

    if (construct(r)) return FC_EINTERNAL;
    if (p->improve) {
        for (int32_t i = 0; i < r->nr; i++)
            if ((!r->r[i].opt || r->r[i].adds) && rt_improve(r, &r->r[i])) return FC_EINTERNAL;
        for (int k = 0; k < 3; k++) {
            int e = eliminate_one(r);
            if (e < 0) return FC_EINTERNAL;
            if (e == 0) break;
        }
        for (int32_t i = 0; i < r->nr; i++)
            if ((!r->r[i].opt || r->r[i].adds) && rt_improve(r, &r->r[i])) return FC_EINTERNAL;
    }

    if (grow((void **)&r->info, &r->cap_info, r->nr + 1, sizeof *r->info) ||
        grow((void **)&r->order, &r->cap_order, n + 1, sizeof *r->order))
        return FC_EINTERNAL;
    int32_t at = 0;
    for (int32_t i = 0; i < r->nr; i++) {
        rt *t = &r->r[i];
        rt_eval(r, t);
        fc_route_info *f = &r->info[i];
        f->first = at;
        f->n = t->n;
        f->packages = t->load;
        f->service_h = t->svc;
        f->drive_h = t->drive;
        f->hours = t->svc + t->drive;
        f->km = t->km;
        memcpy(r->order + at, t->s, (size_t)t->n * sizeof *t->s);
        at += t->n;
    }
    r->plan.nroutes = r->nr;
    r->plan.routes = r->info;
    r->plan.order = r->order;
    *plan = &r->plan;
    return FC_OK;
}
