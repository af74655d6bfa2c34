/* plan_bench.c -- time the plan on a synthetic network: N stations x 16
 * months x 4 van types (small, medium, large, electric), 40 routes per
 * station and type, random limits and a monthly electric supply. Not run
 * by CI; see bench/plan_bench.sh and docs/performance.md.
 * Arguments: STATIONS [lp|integer|whole] [OUT.json|-] [SUPPLY per
 * station-month] [THREADS (0 = one per online CPU)] [TIME_LIMIT_S (10)];
 * integer: a branch and bound per station, whole: one over the whole
 * program. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fleetcast/plan.h"

static uint64_t rng = 88172645463325252ull;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (rng >> 11) * (1.0 / 9007199254740992.0);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void bench_sink(void *ud, fc_level level, const char *msg)
{
    (void)ud;
    fprintf(stderr, "plan_bench: %s%s\n", level == FC_LEVEL_ERROR ? "error: " : "", msg);
}

int main(int argc, char **argv)
{
    int S = argc > 1 ? atoi(argv[1]) : 1000, M = 16, V = 4;
    int integer = argc > 2 && strcmp(argv[2], "integer") == 0   ? FC_PLAN_MIP_STATIONS
                  : argc > 2 && strcmp(argv[2], "whole") == 0 ? FC_PLAN_MIP_WHOLE
                                                              : FC_PLAN_ROUND;
    const char *json = argc > 3 && strcmp(argv[3], "-") != 0 ? argv[3] : NULL;
    double t0 = now();
    fc_plan_input *in = fc_plan_input_new(S, M, V, 2025 * 12 + 0);
    if (!in) return 70;
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    set.integer = integer;
    set.carbon_price = 80;
    set.threads = argc > 5 ? atoi(argv[5]) : 0; /* 0: one per online CPU */
    if (argc > 6) set.time_limit_s = atof(argv[6]);
    static const char *names[] = {"small", "medium", "large", "ev"};
    static const double cap[] = {150, 220, 300, 200}, cday[] = {38, 45, 55, 50},
                        ckm[] = {0.28, 0.32, 0.38, 0.12};
    for (int v = 0; v < V; v++) {
        in->van_names[v] = strdup(names[v]);
        in->electric[v] = v == 3;
        in->cost_per_day[v] = cday[v];
        in->cost_per_km[v] = ckm[v];
    }
    in->battery_kwh[3] = 110;
    in->kwh_per_km[3] = 0.32;
    double km[40], hill[40];
    for (int s = 0; s < S; s++) {
        char nm[16];
        snprintf(nm, sizeof nm, "DS%04d", s);
        in->station_names[s] = strdup(nm);
        double pk = 3000 + 12000 * urand();
        double base_km = 40 + 160 * urand(), h = 20 * urand() * urand();
        double twarm = 5 + 20 * urand(), amp = 5 + 12 * urand();
        in->van_types[s] = 0xF & ~(urand() < 0.1 ? 4u : 0u);
        in->parking[s] = ceil(pk / 150 * 1.5 * (0.8 + 0.6 * urand()));
        in->chargers[s] = floor(30 * urand());
        in->charger_kw[s] = urand() < 0.5 ? 11 : 19.2;
        in->site_power_kw[s] = urand() < 0.7 ? 50 + 400 * urand() : NAN;
        for (int v = 0; v < V; v++)
            in->current[(int64_t)s * V + v] = v == 1 ? (int)(pk / 220 * 0.9) : (v == 3 && urand() < 0.2 ? 2 : 0);
        for (int v = 0; v < V; v++) {
            for (int i = 0; i < 40; i++) {
                km[i] = base_km * (0.5 + urand()) * (1 + 0.2 * (cap[v] / 200 - 1));
                hill[i] = h * (0.5 + urand());
            }
            if (fc_plan_input_set_route_sample(in, s, v, 40, km, hill, NULL)) return 70;
        }
        for (int m = 0; m < M; m++) {
            double season = 1 + 0.25 * (m % 12 == 10 || m % 12 == 11) + 0.02 * m;
            in->temperature_c[(int64_t)s * M + m] = twarm - amp * cos(2 * M_PI * (m % 12) / 12.0);
            for (int v = 0; v < V; v++) {
                int64_t k = ((int64_t)s * M + m) * V + v;
                double spr = cap[v] * 0.8 * (1 - 0.1 * urand());
                in->routes_p50[k] = pk * season / spr;
                in->routes_q[k] = in->routes_p50[k] * 1.12;
                in->routes_shock[k] = in->routes_q[k] * 1.3;
                in->routes_month[k] = in->routes_p50[k] / 1.2 * 22;
            }
        }
    }
    double per = argc > 4 ? atof(argv[4]) : 1.5;  /* new electric vans per station-month */
    for (int m = 0; m < M; m++) in->ev_supply[m] = S * per;
    double t1 = now();
    fc_diag d;
    fc_diag_init(&d, bench_sink, NULL);
    fc_plan *p = NULL;
    if (fc_plan_solve(in, &set, &d, &p)) {
        fprintf(stderr, "plan failed\n");
        return 70;
    }
    double t2 = now();
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f || fc_plan_write_json(f, p, in, NULL) || fclose(f)) return 74;
    }
    double t3 = now();
    int64_t ev = 0, vans = 0;
    int binds[FC_LIMIT_N] = {0};
    for (int64_t k = 0; k < (int64_t)S * M * V; k++) {
        vans += p->vans[k];
        if (k % V == 3) ev += p->vans[k];
    }
    for (int64_t i = 0; i < (int64_t)S * M; i++) binds[p->cell[i].binding]++;
    printf("stations %d months %d types %d: rows %d cols %d\n", S, M, V, p->nrows, p->ncols);
    printf("build %.3f s, solve %.3f s (solver %.3f s), json %.3f s\n", t1 - t0, t2 - t1,
           p->solve_seconds, t3 - t2);
    printf("lp cost %.0f, plan cost %.0f (+%.3f%%), van-months %lld, electric van-months %lld\n",
           p->lp_objective, p->objective, 100 * (p->objective / p->lp_objective - 1),
           (long long)vans, (long long)ev);
    if (integer == FC_PLAN_MIP_STATIONS)
        printf("station branch and bounds: %d proven, %d rounded, mip status %d\n", (int)p->mip_optimal,
               (int)p->mip_rounded, p->mip_status);
    printf("binding:");
    for (int l = 0; l < FC_LIMIT_N; l++)
        if (binds[l]) printf(" %s %d", fc_plan_limit_name(l), binds[l]);
    /* Over the parking in the rounded plan although the relaxation fits. */
    int64_t lp_over = 0, round_over = 0;
    for (int s = 0; s < S; s++)
        for (int m = 0; m < M; m++) {
            double xl = 0;
            for (int v = 0; v < V; v++) xl += p->x_lp[((int64_t)s * M + m) * V + v];
            int over_lp = xl > in->parking[s] + 1e-6;
            lp_over += over_lp;
            round_over += !over_lp && p->cell[(int64_t)s * M + m].parking_over > 0;
        }
    printf("\nuncovered %lld, over parking %lld (relaxation over %lld; rounded over where the "
           "relaxation fits %lld)\n",
           (long long)p->n_uncovered, (long long)p->n_parking_over, (long long)lp_over,
           (long long)round_over);
    fc_plan_free(p);
    fc_plan_input_free(in);
    return 0;
}
