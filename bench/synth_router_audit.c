/* synth_router_audit.c -- the stop router of `fleetcast synth` measured
 * against exact optima, a stronger local search and the
 * Beardwood-Halton-Hammersley constant, and its plans re-evaluated on real
 * station-days. Not run by CI; docs/synth.md ("Soundness of the router")
 * quotes its figures.
 *
 *   cc -O2 -Iinclude bench/synth_router_audit.c build/libfleetcast_core.a \
 *      $(pkg-config --libs gsl libcjson lapacke openblas) -lcsv -lglpk -lz -lm -lpthread -o audit
 *   ./audit small        single routes of 5-11 stops against Held-Karp
 *   ./audit bhh          n = 20..200 uniform points in the unit square
 *   ./audit real STRIDE  every STRIDE-th day of the default network
 *
 * small: capacity and shift unlimited, so the router makes one route;
 * its driving time against the exact optimum (Held-Karp over the same
 * travel model, fc_router_leg_hours), and whether any 2-opt move (any two
 * positions, no window) still shortens the tour. "travel": stops 0-10 km
 * from the depot, 12-30 km/h, circuity 1.35; "euclid": circuity 1, one
 * speed, so driving time = straight-line length.
 *
 * bhh: n points uniform in the unit square, the depot uniform in it too
 * (a tour of N = n + 1 points), Euclidean. Reports the mean tour length
 * over sqrt(N A) for the router, for the construction alone (the Hilbert
 * sweep) and for a reference: full 2-opt + Or-opt (no window, to a local
 * optimum) started from the router's tour and from 10 (n <= 100) or 3
 * random tours, the best kept. The reference is an upper bound on the
 * optimum. 0.7124 (1 + 0.33/N) is Percus & Martin's optimum on the torus;
 * the square's boundary makes optima longer than that.
 *
 * real: the stops of every station-day drawn as synth draws them (the
 * first solve reproduces routes.csv), each route re-evaluated from its
 * stop order (capacity, shift, hours = driving + service, km with both
 * stems), and each tour checked for an improving 2-opt move and polished
 * by the full 2-opt + Or-opt above. With REALCSV=FILE set it writes the
 * station-day totals in routes.csv's columns, to compare. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include "fleetcast/date.h"
#include "fleetcast/synth.h"

#define HK_MAX 12
#define EPS 1e-10

/* The instance being measured; index n is the depot at (0, 0). */
static const fc_router_params *P;
static const fc_route_stop *S;
static int32_t N;

static double px(int32_t a) { return a == N ? 0 : S[a].x; }
static double py(int32_t a) { return a == N ? 0 : S[a].y; }
static double leg(int32_t a, int32_t b)
{
    double va = a == N ? P->depot_speed_kmh : S[a].speed_kmh, vb = b == N ? P->depot_speed_kmh : S[b].speed_kmh;
    return fc_router_leg_hours(P, hypot(px(a) - px(b), py(a) - py(b)), va, vb);
}
static double road_km(int32_t a, int32_t b) { return hypot(px(a) - px(b), py(a) - py(b)) * P->circuity; }

/* Driving time of the stops t[0..n-1] in order, from and to the depot. */
static double tour_cost(const int32_t *t, int n)
{
    double c = 0;
    int32_t prev = N;
    for (int i = 0; i < n; i++) c += leg(prev, t[i]), prev = t[i];
    return c + leg(prev, N);
}

/* Held-Karp: the shortest tour through the depot and stops 0..n-1. */
static double held_karp(int n)
{
    static double dp[1 << HK_MAX][HK_MAX];
    int full = (1 << n) - 1;
    for (int m = 0; m <= full; m++)
        for (int i = 0; i < n; i++) dp[m][i] = INFINITY;
    for (int i = 0; i < n; i++) dp[1 << i][i] = leg(N, i);
    for (int m = 1; m <= full; m++)
        for (int i = 0; i < n; i++) {
            if (!(m >> i & 1) || !isfinite(dp[m][i])) continue;
            for (int j = 0; j < n; j++)
                if (!(m >> j & 1)) {
                    double v = dp[m][i] + leg(i, j);
                    if (v < dp[m | 1 << j][j]) dp[m | 1 << j][j] = v;
                }
        }
    double best = INFINITY;
    for (int i = 0; i < n; i++)
        if (dp[full][i] + leg(i, N) < best) best = dp[full][i] + leg(i, N);
    return best;
}

/* a[0] = a[n+1] = depot. The best 2-opt change (<= 0) over all pairs. */
static double best_two_opt(const int32_t *a, int n)
{
    double best = 0;
    for (int i = 1; i <= n; i++)
        for (int j = i + 1; j <= n; j++) {
            double d = leg(a[i - 1], a[j]) + leg(a[i], a[j + 1]) - leg(a[i - 1], a[i]) - leg(a[j], a[j + 1]);
            if (d < best) best = d;
        }
    return best;
}

static int two_opt_move(int32_t *a, int n)
{
    for (int i = 1; i <= n; i++)
        for (int j = i + 1; j <= n; j++) {
            double d = leg(a[i - 1], a[j]) + leg(a[i], a[j + 1]) - leg(a[i - 1], a[i]) - leg(a[j], a[j + 1]);
            if (d < -EPS) {
                for (int lo = i, hi = j; lo < hi; lo++, hi--) {
                    int32_t t = a[lo];
                    a[lo] = a[hi];
                    a[hi] = t;
                }
                return 1;
            }
        }
    return 0;
}

/* Move a[i..i+L-1] (L = 1..3), maybe reversed, anywhere in the tour. */
static int or_opt_move(int32_t *a, int n)
{
    for (int L = 1; L <= 3; L++)
        for (int i = 1; i + L - 1 <= n; i++) {
            int j = i + L - 1;
            double rm = leg(a[i - 1], a[i]) + leg(a[j], a[j + 1]) - leg(a[i - 1], a[j + 1]);
            for (int k = 0; k <= n; k++) {
                if (k >= i - 1 && k <= j) continue;
                for (int rev = 0; rev < (L > 1 ? 2 : 1); rev++) {
                    int32_t f = rev ? a[j] : a[i], l = rev ? a[i] : a[j];
                    if (leg(a[k], f) + leg(l, a[k + 1]) - leg(a[k], a[k + 1]) - rm >= -EPS) continue;
                    int32_t seg[3];
                    for (int q = 0; q < L; q++) seg[q] = rev ? a[j - q] : a[i + q];
                    if (k > j) {
                        memmove(a + i, a + j + 1, (size_t)(k - j) * sizeof *a);
                        memcpy(a + k - L + 1, seg, (size_t)L * sizeof *a);
                    } else {
                        memmove(a + k + 1 + L, a + k + 1, (size_t)(i - 1 - k) * sizeof *a);
                        memcpy(a + k + 1, seg, (size_t)L * sizeof *a);
                    }
                    return 1;
                }
            }
        }
    return 0;
}

/* Full 2-opt + Or-opt to a local optimum; the tour's driving time. */
static double local_opt(int32_t *a, int n)
{
    while (two_opt_move(a, n) || or_opt_move(a, n)) {}
    return tour_cost(a + 1, n);
}

static double unif(gsl_rng *g, double a, double b) { return a + (b - a) * gsl_rng_uniform(g); }

static void audit_small(int euclid)
{
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 11 + (unsigned long)euclid);
    fc_router *r = fc_router_new();
    fc_router_params p = {.capacity = 1e9, .shift_h = 1e9, .circuity = 1.35, .local_km = 4, .fast_kmh = 55,
                          .depot_speed_kmh = 35, .improve = 1};
    if (euclid) p.circuity = 1, p.local_km = 1e12, p.depot_speed_kmh = 1;
    P = &p;
    fc_route_stop s[HK_MAX];
    for (int n = 5; n <= 11; n++) {
        int inst = n <= 10 ? 2000 : 300, above = 0, not2 = 0;
        double sum = 0, worst = 0;
        for (int k = 0; k < inst; k++) {
            double cx = euclid ? 0 : unif(g, 0, 10), side = euclid ? 1 : unif(g, 1, 6);
            for (int i = 0; i < n; i++) {
                s[i].x = cx + side * unif(g, -0.5, 0.5);
                s[i].y = side * unif(g, -0.5, 0.5);
                s[i].packages = 1;
                s[i].service_h = 0.01;
                s[i].speed_kmh = euclid ? 1 : unif(g, 12, 30);
            }
            S = s, N = n;
            const fc_route_plan *pl;
            if (fc_router_solve(r, &p, s, n, &pl) || pl->nroutes != 1) abort();
            double opt = held_karp(n), got = tour_cost(pl->order, n), ex = got / opt - 1;
            sum += ex;
            if (ex > worst) worst = ex;
            if (ex > 1e-9) above++;
            int32_t a[HK_MAX + 2];
            a[0] = a[n + 1] = N;
            memcpy(a + 1, pl->order, (size_t)n * sizeof *a);
            if (best_two_opt(a, n) < -1e-9) not2++;
        }
        printf("%s n=%2d: %4d instances, excess over Held-Karp mean %.3f%% worst %.2f%%, above the optimum %d, "
               "an improving 2-opt move left %d\n", euclid ? "euclid" : "travel", n, inst, 100 * sum / inst,
               100 * worst, above, not2);
    }
    fc_router_free(r);
    gsl_rng_free(g);
}

static void audit_bhh(void)
{
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 5);
    fc_router *r = fc_router_new();
    fc_router_params p = {.capacity = 1e9, .shift_h = 1e9, .circuity = 1, .local_km = 1e12, .fast_kmh = 55,
                          .depot_speed_kmh = 1, .improve = 1};
    P = &p;
    static const int sizes[] = {20, 50, 100, 200};
    for (int q = 0; q < 4; q++) {
        int n = sizes[q], inst = n <= 50 ? 300 : n == 100 ? 150 : 60, restarts = n <= 100 ? 10 : 3, not2 = 0;
        fc_route_stop *s = calloc((size_t)n, sizeof *s);
        int32_t *a = malloc((size_t)(n + 2) * sizeof *a), *b = malloc((size_t)(n + 2) * sizeof *b);
        if (!s || !a || !b) abort();
        double sum_router = 0, sum_ref = 0, sum_curve = 0;
        for (int k = 0; k < inst; k++) {
            double dx = gsl_rng_uniform(g), dy = gsl_rng_uniform(g);
            for (int i = 0; i < n; i++) {
                s[i].x = gsl_rng_uniform(g) - dx;
                s[i].y = gsl_rng_uniform(g) - dy;
                s[i].packages = 1;
                s[i].speed_kmh = 1;
            }
            S = s, N = n;
            const fc_route_plan *pl;
            if (fc_router_solve(r, &p, s, n, &pl) || pl->nroutes != 1) abort();
            sum_router += tour_cost(pl->order, n);
            a[0] = a[n + 1] = N;
            memcpy(a + 1, pl->order, (size_t)n * sizeof *a);
            if (best_two_opt(a, n) < -1e-9) not2++;
            double ref = local_opt(a, n);
            for (int rs = 0; rs < restarts; rs++) {
                b[0] = b[n + 1] = N;
                for (int i = 0; i < n; i++) b[i + 1] = i;
                for (int i = n; i > 1; i--) {
                    int j = 1 + (int)gsl_rng_uniform_int(g, (unsigned long)i);
                    int32_t t = b[i];
                    b[i] = b[j];
                    b[j] = t;
                }
                double c = local_opt(b, n);
                if (c < ref) ref = c;
            }
            sum_ref += ref;
            p.improve = 0;
            if (fc_router_solve(r, &p, s, n, &pl)) abort();
            sum_curve += tour_cost(pl->order, n);
            p.improve = 1;
        }
        double rt = sqrt(n + 1.0);
        printf("bhh n=%3d (N=%3d), %3d instances: L/sqrt(NA) router %.4f, curve alone %.4f, reference %.4f; "
               "router/reference %.4f; torus optimum 0.7124(1+0.33/N) %.4f; tours with an improving 2-opt move %d\n",
               n, n + 1, inst, sum_router / inst / rt, sum_curve / inst / rt, sum_ref / inst / rt,
               sum_router / sum_ref, 0.7124 * (1 + 0.33 / (n + 1)), not2);
        free(s);
        free(a);
        free(b);
    }
    fc_router_free(r);
    gsl_rng_free(g);
}

static void audit_real(int stride)
{
    fc_synth_params sp;
    fc_synth_params_default(&sp);
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_synth_world *w;
    if (fc_synth_world_build(&sp, NULL, NULL, &d, &w)) abort();
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    fc_router *r = fc_router_new();
    const char *path = getenv("REALCSV");
    FILE *out = path ? fopen(path, "w") : NULL;
    if (out) fprintf(out, "date,station,routes,packages,stops,route_hours,route_km\n");
    long days = 0, routes = 0, over_cap = 0, over_shift = 0, alone_over = 0, bad_hours = 0, bad_km = 0;
    long with_2opt = 0, above_local = 0;
    double gain_2opt = 0, gain_local = 0, driving = 0, worst_local = 0;
    for (int32_t di = 0; di < sp.ndays; di += stride)
        for (int32_t st = 0; st < w->nstations; st++) {
            int32_t day = sp.start + di, n = 0, cap = 0;
            fc_route_stop *s = NULL;
            for (int32_t z = 0; z < w->nzips; z++)
                if (fc_synth_zip_station(w, z, day) == st && fc_synth_draw_stops(w, z, st, day, rng, &s, &n, &cap))
                    abort();
            if (!n) {
                free(s);
                continue;
            }
            fc_router_params p;
            fc_synth_day_router(w, st, day, &p);
            const fc_route_plan *pl;
            if (fc_router_solve(r, &p, s, n, &pl)) abort();
            P = &p, S = s, N = n;
            days++;
            double hours = 0, km = 0;
            long packages = 0;
            int32_t *a = malloc((size_t)(n + 2) * sizeof *a);
            if (!a) abort();
            for (int32_t q = 0; q < pl->nroutes; q++) {
                const fc_route_info *f = &pl->routes[q];
                const int32_t *t = pl->order + f->first;
                double drive = 0, rkm = 0, svc = 0;
                long pk = 0;
                int32_t prev = N;
                for (int i = 0; i < f->n; i++) {
                    drive += leg(prev, t[i]);
                    rkm += road_km(prev, t[i]);
                    svc += s[t[i]].service_h;
                    pk += s[t[i]].packages;
                    prev = t[i];
                }
                drive += leg(prev, N);
                rkm += road_km(prev, N);
                routes++;
                if (pk > p.capacity || pk != f->packages) over_cap++;
                if (drive + svc > p.shift_h + 1e-9) {
                    if (f->n > 1) over_shift++;
                    else alone_over++;
                }
                if (fabs(drive + svc - f->hours) > 1e-6 || fabs(f->hours - f->drive_h - f->service_h) > 1e-9)
                    bad_hours++;
                if (fabs(rkm - f->km) > 1e-6) bad_km++;
                hours += f->hours;
                km += f->km;
                packages += pk;
                a[0] = a[f->n + 1] = N;
                memcpy(a + 1, t, (size_t)f->n * sizeof *a);
                double b2 = best_two_opt(a, f->n), lo = local_opt(a, f->n);
                if (b2 < -1e-9) with_2opt++;
                if (lo < drive - 1e-9) above_local++;
                gain_2opt -= b2;
                gain_local += drive - lo;
                driving += drive;
                if ((drive - lo) / drive > worst_local) worst_local = (drive - lo) / drive;
            }
            free(a);
            if (out) {
                char date[11];
                fc_date_format(day, date);
                fprintf(out, "%s,%s,%d,%ld,%d,%.2f,%.1f\n", date, w->stations[st].id, (int)pl->nroutes, packages,
                        (int)n, hours, km);
            }
            free(s);
        }
    if (out) fclose(out);
    printf("real: %ld station-days (every %d-th day), %ld routes: over capacity %ld, over the shift %ld "
           "(single-stop %ld), hours != driving + service %ld, km != tour + stems %ld\n",
           days, stride, routes, over_cap, over_shift, alone_over, bad_hours, bad_km);
    printf("real: routes with an improving 2-opt move %ld (%.1f%%), the best such move per route %.2f%% of "
           "driving; full 2-opt + Or-opt shortens %ld routes, by %.2f%% of all driving (worst route %.1f%%)\n",
           with_2opt, 100.0 * with_2opt / routes, 100 * gain_2opt / driving, above_local, 100 * gain_local / driving,
           100 * worst_local);
    fc_router_free(r);
    gsl_rng_free(rng);
    fc_synth_world_free(w);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "small")) {
        audit_small(0);
        audit_small(1);
    } else if (!strcmp(what, "bhh")) {
        audit_bhh();
    } else if (!strcmp(what, "real")) {
        audit_real(argc > 2 && atoi(argv[2]) > 0 ? atoi(argv[2]) : 30);
    } else {
        fprintf(stderr, "usage: %s small | bhh | real [STRIDE]\n", argv[0]);
        return 64;
    }
    return 0;
}
