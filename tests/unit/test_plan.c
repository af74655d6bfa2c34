/* test_plan.c -- the plan: hand-checkable electric limits, temperature,
 * limits never exceeded, volume monotonicity, brute force on tiny
 * instances, infeasible parking, demand from paths, output. */
#include <string.h>
#include "check.h"
#include "fleetcast/plan.h"

enum { DIESEL, EV, BIG };

/* S stations, M months, 3 types: diesel, electric (100 kWh, 0.3 kWh/km),
 * large diesel (needs 0.7x the vans). Each station needs `routes` routes
 * with a 100 km route sample at 24 C. */
static fc_plan_input *mk(int S, int M, double routes)
{
    fc_plan_input *in = fc_plan_input_new(S, M, 3, 2025 * 12);
    in->electric[EV] = 1;
    in->battery_kwh[EV] = 100;
    in->kwh_per_km[EV] = 0.3;
    double cday[] = {40, 45, 52}, ckm[] = {0.3, 0.1, 0.33};
    for (int v = 0; v < 3; v++) {
        in->cost_per_day[v] = cday[v];
        in->cost_per_km[v] = ckm[v];
    }
    double km = 100;
    for (int s = 0; s < S; s++) {
        in->van_types[s] = 7;
        for (int v = 0; v < 3; v++) CHECK(fc_plan_input_set_route_sample(in, s, v, 1, &km, NULL, NULL) == 0);
        for (int m = 0; m < M; m++) {
            in->temperature_c[s * M + m] = 24;
            for (int v = 0; v < 3; v++) {
                int64_t k = FC_PLAN_SMV(in, s, m, v);
                double r = v == BIG ? routes * 0.7 : routes;
                in->routes_q[k] = r;
                in->routes_p50[k] = r * 0.9;
                in->routes_month[k] = r * 0.8 * 21;
            }
        }
    }
    return in;
}

static fc_plan *solve(const fc_plan_input *in, const fc_plan_settings *set)
{
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_plan *p = NULL;
    int rc = fc_plan_solve(in, set, &d, &p);
    CHECK(rc == FC_OK && p);
    return p;
}

static uint64_t rs = 12345;
static double urand(void)
{
    rs = rs * 6364136223846793005ull + 1442695040888963407ull;
    return (rs >> 11) * (1.0 / 9007199254740992.0);
}

static void test_curves(void)
{
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    CHECK_NEAR(fc_plan_temp_retention(&set, 24), 1.0, 1e-12);
    CHECK_NEAR(fc_plan_temp_retention(&set, -6.7), 0.59, 1e-12);
    CHECK_NEAR(fc_plan_temp_retention(&set, 35), 0.83, 1e-12);
    CHECK(fc_plan_temp_retention(&set, -15) < 0.59);
    CHECK(fc_plan_temp_retention(&set, 40) < 0.83);
    /* 3500 kg x 9.81 x 10 m / 3.6e6 = 0.09538 kWh/km, x (1/0.9 - 0.6), over 0.3 kWh/km. */
    CHECK_NEAR(fc_plan_hill_factor(&set, 10, 0.3), 1 + 3500 * 9.81 * 10 / 3.6e6 * (1 / 0.9 - 0.6) / 0.3, 1e-12);
    CHECK_NEAR(fc_plan_hill_factor(&set, 0, 0.3), 1.0, 0);
    /* A custom curve from the config. */
    cJSON *cfg = cJSON_Parse("{\"plan\":{\"temperature_curve\":[[-10,0.5],[20,1]],\"reserve\":0.2}}");
    CHECK(fc_plan_settings_from_json(&set, cfg, "cfg", NULL) == FC_OK);
    CHECK_NEAR(fc_plan_temp_retention(&set, 5), 0.75, 1e-12);
    CHECK_NEAR(set.reserve, 0.2, 0);
    cJSON_Delete(cfg);
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    cfg = cJSON_Parse("{\"plan\":{\"reserve\":1.5}}");
    CHECK(fc_plan_settings_from_json(&set, cfg, "cfg", &d) == FC_EDATA && d.n_errors == 1);
    cJSON_Delete(cfg);
}

/* Site power for exactly N electric vans: 100 km x 0.3 kWh = 30 kWh a
 * route, 33.33 grid kWh at 90%, over 10 h: N x 3.333 kW. */
static void test_site_power(void)
{
    for (int N = 0; N <= 6; N += 3) {
        fc_plan_input *in = mk(1, 1, 10 / 1.1);  /* need 10 vans */
        in->van_types[0] = 1 << DIESEL | 1 << EV;
        in->site_power_kw[0] = N * 30 / 0.9 / 10;
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        fc_plan *p = solve(in, &set);
        CHECK(p->vans[EV] == N);
        CHECK(p->vans[DIESEL] == 10 - N);
        CHECK(p->cell[0].binding == FC_LIMIT_SITE_POWER);
        CHECK(strcmp(p->cell[0].lift, "+3.4 kW site power") == 0);
        if (N > 0) CHECK(p->cell[0].dual_site_power_kw < 0);
        fc_plan_free(p);
        fc_plan_input_free(in);
    }
}

/* Shadow prices are what one more unit of the limit saves in the
 * relaxation: re-solved with the limit raised, the relaxation's cost falls
 * by the price (a small change; no penalised slack here). Chargers: 8
 * slow ones shared by two vans a night (3.4 kW, 272 kWh a night for vans
 * of 33.3 kWh: 8.2 vans, where their number allows 16) bind by their
 * power, not their number; one more raises both, and its price is the sum
 * of the two rows' duals (it read the number row's alone: 0, where a
 * charger saves 3.4 kW x 10 h of electric vans). Site power likewise per
 * kW. (It had 2 kW chargers, one van each: 18 kWh a night into a van
 * whose route needs 30, now out of reach, test_plan_charge.c.) */
static void test_shadow_prices_replan(void)
{
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    set.vans_per_charger = 2;
    for (int which = 0; which < 2; which++) {
        fc_plan_input *in = mk(1, 1, 10 / 1.1);  /* need 10 vans */
        in->van_types[0] = 1 << DIESEL | 1 << EV;
        in->chargers[0] = 8;
        in->charger_kw[0] = which == 0 ? 3.4 : 19.2;
        in->site_power_kw[0] = which == 0 ? NAN : 15.0;
        fc_plan *p = solve(in, &set);
        double price = which == 0 ? p->cell[0].dual_chargers : p->cell[0].dual_site_power_kw;
        CHECK(p->cell[0].binding == (which == 0 ? FC_LIMIT_CHARGERS : FC_LIMIT_SITE_POWER));
        CHECK(price < -1.0);
        double step = which == 0 ? 1.0 : 0.5;
        if (which == 0) in->chargers[0] += step;
        else in->site_power_kw[0] += step;
        fc_plan *q = solve(in, &set);
        CHECK_NEAR(q->lp_objective - p->lp_objective, price * step, 1e-6 * fabs(price));
        fc_plan_free(q);
        fc_plan_free(p);
        fc_plan_input_free(in);
    }
}

/* -15 C in January against 22 C in July: routes 60..200 km. */
static void test_temperature(void)
{
    fc_plan_input *in = mk(1, 12, 20);
    double km[15];
    for (int i = 0; i < 15; i++) km[i] = 60 + 10 * i;
    CHECK(fc_plan_input_set_route_sample(in, 0, EV, 15, km, NULL, NULL) == 0);
    /* Temperatures through the config, by city. */
    fc_stations st = {0};
    st.n = 1;
    st.cities = fc_intern_new();
    int32_t city = fc_intern_add(st.cities, "Minneapolis", 11, NULL);
    st.city = &city;
    cJSON *plan = cJSON_Parse("{\"temperature_c\":{\"Minneapolis\":[-15,-12,-5,5,12,18,22,21,15,8,-2,-10]}}");
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    CHECK(fc_plan_input_apply_config(in, plan, &st, "cfg", &d) == FC_OK);
    CHECK_NEAR(in->temperature_c[0], -15, 0);
    CHECK_NEAR(in->temperature_c[6], 22, 0);
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    set.scrap_from = 0;  /* months independent: the fleet may shrink */
    fc_plan_ev jan, jul;
    fc_plan_ev_eval(in, &set, 0, 0, EV, &jan);
    fc_plan_ev_eval(in, &set, 0, 6, EV, &jul);
    CHECK(jan.share < jul.share);
    /* Hand check: usable 85 kWh; July factor 1/(1-(2/11.0)*0.17)... all
     * routes with 0.3 x km x factor <= 85. */
    double fj = 1 / fc_plan_temp_retention(&set, 22), fjan = 1 / fc_plan_temp_retention(&set, -15);
    int nj = 0, nja = 0;
    for (int i = 0; i < 15; i++) {
        nj += 0.3 * km[i] * fj <= 85;
        nja += 0.3 * km[i] * fjan <= 85;
    }
    CHECK_NEAR(jul.share, nj / 15.0, 1e-12);
    CHECK_NEAR(jan.share, nja / 15.0, 1e-12);
    in->van_types[0] = 1 << DIESEL | 1 << EV;
    fc_plan *p = solve(in, &set);
    CHECK(p->vans[FC_PLAN_SMV(in, 0, 0, EV)] < p->vans[FC_PLAN_SMV(in, 0, 6, EV)]);
    CHECK(p->cell[0].binding == FC_LIMIT_RANGE);
    CHECK(p->cell[0].ev_share < p->cell[6].ev_share);
    fc_plan_free(p);
    cJSON_Delete(plan);
    fc_intern_free(st.cities);
    fc_plan_input_free(in);
}

/* Random small networks: limits hold, +30% volume never lowers vans. */
static void random_input(fc_plan_input *in, double scale)
{
    int S = in->nstations, M = in->nmonths;
    for (int s = 0; s < S; s++) {
        double base = 5 + 25 * urand();
        in->parking[s] = ceil(base * 1.3 * 1.1 * 1.2 + 2);
        in->chargers[s] = floor(8 * urand());
        in->charger_kw[s] = urand() < 0.5 ? NAN : 7 + 10 * urand();
        in->site_power_kw[s] = urand() < 0.3 ? NAN : 5 + 40 * urand();
        in->current[FC_PLAN_SV(in, s, DIESEL)] = (int)(base * 0.5);
        double km[6], hill[6];
        for (int i = 0; i < 6; i++) {
            km[i] = 40 + 300 * urand();
            hill[i] = 20 * urand();
        }
        CHECK(fc_plan_input_set_route_sample(in, s, EV, 6, km, hill, NULL) == 0);
        for (int m = 0; m < M; m++) {
            in->temperature_c[s * M + m] = -15 + 40 * urand();
            double r = base * (1 + 0.1 * m) * scale;
            for (int v = 0; v < 3; v++) {
                int64_t k = FC_PLAN_SMV(in, s, m, v);
                in->routes_q[k] = v == BIG ? r * 0.7 : r;
                in->routes_p50[k] = in->routes_q[k] * 0.9;
                in->routes_month[k] = in->routes_q[k] * 16;
            }
        }
    }
    for (int m = 0; m < M; m++) in->ev_supply[m] = 2 + (int)(4 * urand());
}

static void test_limits_and_volume(void)
{
    for (int trial = 0; trial < 20; trial++) {
        uint64_t seed = rs;
        fc_plan_input *a = mk(5, 4, 1), *b = mk(5, 4, 1);
        random_input(a, 1.0);
        rs = seed;
        random_input(b, 1.3);
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        fc_plan *p = solve(a, &set), *q = solve(b, &set);
        for (int m = 0; m < 4; m++) {
            double net_ev = 0, cap = 0;
            for (int mm = 0; mm <= m; mm++) cap += a->ev_supply[mm];
            for (int s = 0; s < 5; s++) {
                int64_t k0 = FC_PLAN_SMV(a, s, m, 0);
                const int32_t *n = &p->vans[k0];
                int tot = n[0] + n[1] + n[2], totq = q->vans[k0] + q->vans[k0 + 1] + q->vans[k0 + 2];
                net_ev += n[EV];
                CHECK(tot <= a->parking[s]);
                if (!isnan(a->chargers[s])) CHECK(n[EV] <= a->chargers[s]);
                fc_plan_ev ev;
                fc_plan_ev_eval(a, &set, s, m, EV, &ev);
                CHECK(n[EV] <= ev.share * p->need[k0 + EV] + 1e-9);
                double kwh = n[EV] * ev.energy / set.charger_efficiency;
                if (!isnan(a->site_power_kw[s])) CHECK(kwh <= a->site_power_kw[s] * 10 + 1e-6);
                if (!isnan(a->charger_kw[s]))
                    CHECK(kwh <= a->chargers[s] * a->charger_kw[s] * 10 + 1e-6);
                CHECK(p->cell[FC_PLAN_SM(a, s, m)].coverage >= 1 - 1e-9);
                CHECK(totq >= tot);
            }
            CHECK(net_ev <= cap + 1e-9);
        }
        CHECK(q->lp_objective >= p->lp_objective);
        fc_plan_free(p);
        fc_plan_free(q);
        fc_plan_input_free(a);
        fc_plan_input_free(b);
    }
}

/* Brute force over integer fleets of one station, two months. */
static double brute(const fc_plan_input *in, const fc_plan_settings *set)
{
    double best = INFINITY;
    fc_plan_ev ev[2];
    double vc[2][3];
    for (int m = 0; m < 2; m++) {
        fc_plan_ev_eval(in, set, 0, m, EV, &ev[m]);
        for (int v = 0; v < 3; v++) vc[m][v] = fc_plan_van_cost(in, set, 0, m, v, 1);  /* linear in n */
    }
    for (int a0 = 0; a0 <= 12; a0++)
        for (int b0 = 0; b0 <= 12; b0++)
            for (int c0 = 0; c0 <= 12; c0++)
                for (int a1 = a0; a1 <= 12; a1++)
                    for (int b1 = b0; b1 <= 12; b1++)
                        for (int c1 = c0; c1 <= 12; c1++) {
                            int n[2][3] = {{a0, b0, c0}, {a1, b1, c1}};
                            double cost = 0;
                            int ok = 1;
                            for (int m = 0; m < 2 && ok; m++) {
                                double cov = 0;
                                for (int v = 0; v < 3; v++) {
                                    double need = in->routes_q[FC_PLAN_SMV(in, 0, m, v)] * (1 + set->spare_ratio);
                                    cov += n[m][v] / need;
                                    cost += vc[m][v] * n[m][v];
                                    if (n[m][v] < in->current[v]) ok = 0;
                                }
                                double needev = in->routes_q[FC_PLAN_SMV(in, 0, m, EV)] * (1 + set->spare_ratio);
                                ok = ok && cov >= 1 - 1e-9 && n[m][0] + n[m][1] + n[m][2] <= in->parking[0] &&
                                     n[m][EV] <= in->chargers[0] && n[m][EV] <= ev[m].share * needev + 1e-9 &&
                                     n[m][EV] * ev[m].energy / 0.9 <= in->site_power_kw[0] * 10 + 1e-9;
                            }
                            ok = ok && n[0][EV] <= in->ev_supply[0] && n[1][EV] <= in->ev_supply[0] + in->ev_supply[1];
                            if (ok && cost < best) best = cost;
                        }
    return best;
}

static void test_brute_force(void)
{
    int n_infeasible = 0;
    for (int trial = 0; trial < 200; trial++) {
        fc_plan_input *in = mk(1, 2, 1);
        double r = 3 + 4 * urand();
        /* Tight parking in half the trials: only a mix with large vans fits. */
        in->parking[0] = trial % 2 ? ceil(r * 1.3 * 1.1 * 0.75) : ceil(r * 1.1) + (int)(3 * urand());
        in->chargers[0] = (int)(6 * urand());
        in->site_power_kw[0] = 5 + 20 * urand();
        in->ev_supply[0] = (int)(4 * urand());
        in->ev_supply[1] = (int)(3 * urand());
        in->current[DIESEL] = (int)(2 * urand());
        double km[4] = {60 + 80 * urand(), 90 + 150 * urand(), 70, 120};
        CHECK(fc_plan_input_set_route_sample(in, 0, EV, 4, km, NULL, NULL) == 0);
        in->cost_per_day[BIG] = 44 + 20 * urand();
        in->cost_per_day[EV] = 38 + 12 * urand();
        for (int m = 0; m < 2; m++) {
            in->temperature_c[m] = -10 + 30 * urand();
            double rr = r * (1 + 0.3 * m);
            for (int v = 0; v < 3; v++) {
                int64_t k = FC_PLAN_SMV(in, 0, m, v);
                in->routes_q[k] = v == BIG ? rr * 0.7 : rr;
                in->routes_p50[k] = in->routes_q[k] * 0.9;
                in->routes_month[k] = in->routes_q[k] * 17;
            }
        }
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        double opt = brute(in, &set);
        CHECK(isfinite(opt) || trial % 2);
        fc_plan *lp = solve(in, &set);
        set.integer = 1;
        fc_plan *ip = solve(in, &set);
        if (!isfinite(opt)) {
            /* No integer plan fits the parking: both plans say where. */
            CHECK(lp->n_parking_over + lp->n_uncovered > 0);
            CHECK(ip->n_parking_over + ip->n_uncovered > 0);
            n_infeasible++;
            fc_plan_free(lp);
            fc_plan_free(ip);
            fc_plan_input_free(in);
            continue;
        }
        /* The relaxation bounds the optimum; branch and bound finds it,
         * covering every route (the brute force demands full coverage);
         * rounding is within one van per type and month of it. */
        CHECK(lp->lp_objective <= opt + 1e-6);
        CHECK(ip->n_uncovered == 0 && ip->n_parking_over == 0);
        for (int m = 0; m < 2; m++) {
            CHECK_NEAR(ip->cell[m].coverage > 1 ? 1 : ip->cell[m].coverage, 1, 1e-9);
            CHECK_NEAR(lp->cell[m].coverage > 1 ? 1 : lp->cell[m].coverage, 1, 1e-9);
        }
        CHECK_NEAR(ip->objective, opt, 1e-6 * opt);
        CHECK_NEAR(ip->lp_objective, lp->lp_objective, 1e-6 * opt);
        double slack = 0;
        for (int m = 0; m < 2; m++)
            for (int v = 0; v < 3; v++) slack += fc_plan_van_cost(in, &set, 0, m, v, 1);
        CHECK(lp->objective >= opt - 1e-6 && lp->objective <= opt + slack);
        /* Rounding never leaves routes uncovered here, and since an
         * integer plan within the parking exists (brute force found one),
         * the repair (drop a van, or swap to a type with more routes per
         * van) keeps the rounded plan within the parking too. */
        CHECK(lp->n_uncovered == 0);
        CHECK(ip->n_parking_over == 0);
        CHECK(lp->n_parking_over == 0);
        for (int m = 0; m < 2; m++)
            CHECK(lp->vans[FC_PLAN_SMV(in, 0, m, 0)] + lp->vans[FC_PLAN_SMV(in, 0, m, 1)] +
                      lp->vans[FC_PLAN_SMV(in, 0, m, 2)] <= in->parking[0]);
        fc_plan_free(lp);
        fc_plan_free(ip);
        fc_plan_input_free(in);
    }
    CHECK(n_infeasible < 100); /* most tight trials have an integer plan */
}

/* Whole vans that nearly cover: 3 large vans run 3 / 3.0003 = 0.9999 of
 * the peak day and are cheaper than any mix that covers it all. A
 * continuous shortfall penalised at 1e6 a van costs 300 there, less than
 * the van that closes the gap, so branch and bound used to keep the 3 and
 * leave 0.01% of the routes uncovered. Both plans must cover everything,
 * branch and bound at the cheapest full cover (enumerated). Then parking for 3 vans: no whole
 * plan fits, and the plan says so: parking binds, +1 space. */
static void test_whole_vans_cover(void)
{
    fc_plan_input *in = mk(1, 1, 1);
    in->van_types[0] = 1 << DIESEL | 1 << BIG;
    in->routes_q[FC_PLAN_SMV(in, 0, 0, DIESEL)] = 10 / 1.1;    /* need 10 vans */
    in->routes_q[FC_PLAN_SMV(in, 0, 0, BIG)] = 3.0003 / 1.1;   /* need 3.0003 vans */
    for (int v = 0; v < 3; v++) {
        int64_t k = FC_PLAN_SMV(in, 0, 0, v);
        in->routes_p50[k] = in->routes_q[k] * 0.9;
        in->routes_month[k] = in->routes_q[k] * 17;
    }
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    double cd = fc_plan_van_cost(in, &set, 0, 0, DIESEL, 1), cb = fc_plan_van_cost(in, &set, 0, 0, BIG, 1);
    double opt = INFINITY;
    for (int a = 0; a <= 12; a++)
        for (int b = 0; b <= 5; b++)
            if (a / 10.0 + b / 3.0003 >= 1 - 1e-12 && a * cd + b * cb < opt) opt = a * cd + b * cb;
    CHECK(3 * cb < opt && 3 * cb + 1e6 * 3e-4 < opt);  /* the trap is there */
    for (int integer = 0; integer < 2; integer++) {
        set.integer = integer;
        fc_plan *p = solve(in, &set);
        CHECK(p->n_uncovered == 0 && p->n_parking_over == 0);
        CHECK(p->cell[0].coverage >= 1 - 1e-9);
        if (integer) CHECK_NEAR(p->objective, opt, 1e-9 * opt);
        else CHECK(p->objective >= opt - 1e-9 && p->objective <= opt + cd + cb);  /* rounding */
        fc_plan_free(p);
    }
    in->parking[0] = 3;
    for (int integer = 0; integer < 2; integer++) {
        set.integer = integer;
        fc_plan *p = solve(in, &set);
        CHECK(p->n_uncovered + p->n_parking_over == 1);
        CHECK(p->cell[0].binding == FC_LIMIT_PARKING);
        CHECK(strncmp(p->cell[0].lift, "+1 parking space", 16) == 0);
        fc_plan_free(p);
    }
    fc_plan_input_free(in);
}

/* Peak month over the parking with a fleet that may not shrink: 10
 * diesel vans fill the 10 spaces, month 0 needs 11, months 1-3 need 10.
 * Covering the peak would keep an 11th van over the parking for four
 * months, so both plans leave one van of routes uncovered in month 0 and
 * name the parking as what binds, not an electric limit. */
static void test_uncovered_parking(void)
{
    fc_plan_input *in = mk(1, 4, 10 / 1.1);
    in->van_types[0] = 1 << DIESEL | 1 << EV;
    in->parking[0] = 10;
    in->current[FC_PLAN_SV(in, 0, DIESEL)] = 10;
    in->ev_supply[0] = 0;  /* no electric vans to swap in */
    for (int v = 0; v < 3; v++) {
        int64_t k = FC_PLAN_SMV(in, 0, 0, v);
        in->routes_q[k] *= 1.1;
        in->routes_p50[k] *= 1.1;
    }
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    for (int integer = 0; integer < 2; integer++) {
        set.integer = integer;
        fc_plan *p = solve(in, &set);
        CHECK(p->n_uncovered == 1 && p->n_parking_over == 0);
        CHECK(p->vans[FC_PLAN_SMV(in, 0, 0, DIESEL)] == 10);
        CHECK_NEAR(p->cell[0].coverage, 1 / 1.1, 1e-9);
        CHECK_NEAR(p->cell[0].uncovered_routes, 1 / 1.1, 1e-9);
        CHECK(p->cell[0].binding == FC_LIMIT_PARKING);
        CHECK(strcmp(p->cell[0].lift, "+1 parking space; 0.9 routes uncovered") == 0);
        for (int m = 1; m < 4; m++) CHECK(p->cell[m].coverage >= 1 - 1e-9);
        fc_plan_free(p);
    }
    fc_plan_input_free(in);
}

/* Over the parking and short at once: 11 owned diesel vans on 10 spaces,
 * month 0 needs 13, months 1-3 need 11. Two more vans would stay over the
 * parking for four months (4 x P/2 each), dearer than leaving 2 vans of
 * routes uncovered in month 0 (P each), so month 0 is 1 van over and 2
 * short: the spaces that lift it are 1 + 2 (the lift used to name the
 * overrun alone, "+1 parking space; 1.8 routes uncovered", and with that
 * one space the month stayed 1.8 routes short). Checked by re-planning
 * with the spaces named, and with one fewer. */
static void test_parking_over_and_uncovered(void)
{
    fc_plan_input *in = mk(1, 4, 11 / 1.1);
    in->van_types[0] = 1 << DIESEL;
    in->current[FC_PLAN_SV(in, 0, DIESEL)] = 11;
    for (int v = 0; v < 3; v++) {
        int64_t k = FC_PLAN_SMV(in, 0, 0, v);
        in->routes_q[k] *= 13.0 / 11.0;
        in->routes_p50[k] *= 13.0 / 11.0;
    }
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    for (int integer = 0; integer < 2; integer++) {
        set.integer = integer;
        in->parking[0] = 10;
        fc_plan *p = solve(in, &set);
        CHECK(p->vans[FC_PLAN_SMV(in, 0, 0, DIESEL)] == 11);
        CHECK_NEAR(p->cell[0].parking_over, 1, 1e-9);
        CHECK_NEAR(p->cell[0].uncovered_routes, 2 / 1.1, 1e-9);
        CHECK(p->cell[0].binding == FC_LIMIT_PARKING);
        CHECK(strcmp(p->cell[0].lift, "+3 parking spaces; 1.8 routes uncovered") == 0);
        CHECK(strcmp(p->cell[1].lift, "+1 parking space") == 0);  /* over only */
        fc_plan_free(p);
        for (int more = 2; more <= 3; more++) {
            in->parking[0] = 10 + more;
            p = solve(in, &set);
            CHECK((p->cell[0].uncovered_routes == 0 && p->cell[0].parking_over == 0) == (more == 3));
            fc_plan_free(p);
        }
    }
    fc_plan_input_free(in);
}

/* Decomposition (stations solved apart, then warm-started together) and
 * the whole program give the same relaxation optimum when supply binds. */
static void test_decomposition(void)
{
    for (int trial = 0; trial < 5; trial++) {
        fc_plan_input *in = mk(8, 3, 1);
        random_input(in, 1.0);
        for (int m = 0; m < 3; m++) in->ev_supply[m] = 1;
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        fc_plan *a = solve(in, &set);
        set.integer = FC_PLAN_MIP_WHOLE;
        set.time_limit_s = 0.05;  /* only the monolithic relaxation is compared */
        fc_plan *b = solve(in, &set);
        CHECK_NEAR(a->lp_objective, b->lp_objective, 1e-6 * b->lp_objective);
        fc_plan_free(a);
        fc_plan_free(b);
        fc_plan_input_free(in);
    }
}

/* Supply reported where it binds: three stations want electric vans (they
 * are cheaper), two can run them on only 9% of their routes (0.9 of 10
 * vans), the third on all; the network may add 2.5. The relaxation gives
 * 0.9 + 0.9 + 0.7, rounding gives 0 + 0 + 0, so the integer count alone
 * (0 + 1 <= 2.5) would not show the supply; the third station is held by
 * the supply, the first two by range. */
static void test_supply_binding(void)
{
    fc_plan_input *in = mk(3, 1, 10 / 1.1);
    double km[2] = {100, 400}, wt[2] = {0.09, 0.91};
    for (int s = 0; s < 3; s++) in->van_types[s] = 1 << DIESEL | 1 << EV;
    for (int s = 0; s < 2; s++) {
        /* Long diesel routes there: an electric van saves most at these two. */
        CHECK(fc_plan_input_set_route_sample(in, s, EV, 2, km, NULL, wt) == 0);
        CHECK(fc_plan_input_set_route_sample(in, s, DIESEL, 2, km, NULL, wt) == 0);
    }
    in->ev_supply[0] = 2.5;
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    CHECK(fc_plan_van_cost(in, &set, 0, 0, EV, 1) < fc_plan_van_cost(in, &set, 0, 0, DIESEL, 1));
    fc_plan *p = solve(in, &set);
    CHECK_NEAR(p->x_lp[FC_PLAN_SMV(in, 0, 0, EV)], 0.9, 1e-9);
    CHECK_NEAR(p->x_lp[FC_PLAN_SMV(in, 2, 0, EV)], 0.7, 1e-9);
    CHECK(p->cell[0].binding == FC_LIMIT_RANGE && p->cell[1].binding == FC_LIMIT_RANGE);
    CHECK(p->cell[2].binding == FC_LIMIT_SUPPLY);
    CHECK(strcmp(p->cell[2].lift, "+1 electric van in the network supply by 2025-01") == 0);
    for (int s = 0; s < 3; s++) CHECK(p->cell[s].coverage >= 1 - 1e-9);
    fc_plan_free(p);
    /* With supply to spare the third station takes only electric vans and
     * the limit is the demand, not the supply. */
    in->ev_supply[0] = 50;
    p = solve(in, &set);
    CHECK(p->cell[2].binding == FC_LIMIT_DEMAND);
    fc_plan_free(p);
    /* The same with the stations solved in one or two threads. */
    in->ev_supply[0] = 2.5;
    set.threads = 1;
    fc_plan *a = solve(in, &set);
    set.threads = 2;
    fc_plan *b = solve(in, &set);
    CHECK(memcmp(a->vans, b->vans, 3 * sizeof(int32_t) * 3) == 0 && a->lp_objective == b->lp_objective);
    CHECK(a->cell[2].binding == FC_LIMIT_SUPPLY && b->cell[2].binding == FC_LIMIT_SUPPLY);
    fc_plan_free(a);
    fc_plan_free(b);
    fc_plan_input_free(in);
}

static void test_infeasible(void)
{
    fc_plan_input *in = mk(2, 1, 10 / 1.1);  /* 10 vans of one type needed */
    in->van_types[0] = in->van_types[1] = 1 << DIESEL;
    in->parking[0] = 6;
    in->van_types[1] = 1 << EV;       /* electric only, routes 250 km: out of range */
    double km = 350;
    CHECK(fc_plan_input_set_route_sample(in, 1, EV, 1, &km, NULL, NULL) == 0);
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    fc_plan *p = solve(in, &set);
    CHECK(p->vans[DIESEL] == 10);
    CHECK_NEAR(p->cell[0].parking_over, 4, 1e-9);
    CHECK(p->cell[0].binding == FC_LIMIT_PARKING);
    CHECK(strcmp(p->cell[0].lift, "+4 parking spaces") == 0);
    CHECK(p->n_parking_over == 1 && p->n_uncovered == 1);
    CHECK_NEAR(p->cell[1].uncovered_routes, 10 / 1.1, 1e-9);
    CHECK(p->cell[1].binding == FC_LIMIT_RANGE);
    CHECK(strstr(p->cell[1].lift, "routes uncovered") != NULL);
    /* Scenario check: planned fleet covers P90 exactly, short under the shock. */
    CHECK(p->check[0 * FC_SCEN_N + FC_SCEN_Q].shortfall == 0);
    CHECK(p->check[0 * FC_SCEN_N + FC_SCEN_SHOCK].shortfall == 3);
    CHECK(p->check[0 * FC_SCEN_N + FC_SCEN_P50].surplus == 1);
    /* Output names it. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(fc_plan_write_json(f, p, in, NULL) == FC_OK);
    fclose(f);
    cJSON *j = cJSON_Parse(buf);
    CHECK(j && cJSON_GetObjectItem(j, "schema_version")->valueint == FC_PLAN_SCHEMA_VERSION);
    cJSON *m0 = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "stations"), 0), "months"), 0);
    CHECK(m0 && strcmp(cJSON_GetObjectItem(m0, "binding")->valuestring, "parking") == 0);
    CHECK(m0 && cJSON_GetObjectItem(m0, "parking_over")->valuedouble == 4);
    cJSON_Delete(j);
    free(buf);
    f = open_memstream(&buf, &len);
    CHECK(fc_plan_write_csv(f, p, in) == FC_OK);
    fclose(f);
    int lines = 0;
    for (char *c = buf; *c; c++) lines += *c == '\n';
    CHECK(lines == 3);  /* header + S0 diesel + S1 ev */
    free(buf);
    fc_plan_free(p);
    fc_plan_input_free(in);
}

/* Month m of a one-station plan keeping 10 owned electric vans: `diesel`
 * diesel vans bought, covered exactly, the check agreeing, and the limit
 * and lift named. */
static void check_owned_ev(const fc_plan *p, const fc_plan_input *in, int m, int diesel, int binding,
                           const char *lift)
{
    CHECK(p->vans[FC_PLAN_SMV(in, 0, m, EV)] == 10);
    CHECK(p->vans[FC_PLAN_SMV(in, 0, m, DIESEL)] == diesel);
    CHECK_NEAR(p->cell[m].coverage, 1.0, 1e-9);
    CHECK(p->cell[m].uncovered_routes == 0);
    CHECK_NEAR(p->check[m * FC_SCEN_N + FC_SCEN_Q].coverage, p->cell[m].coverage, 1e-9);
    CHECK(p->check[m * FC_SCEN_N + FC_SCEN_Q].shortfall == 0);
    CHECK(p->cell[m].binding == binding);
    CHECK(strcmp(p->cell[m].lift, lift) == 0);
}

/* A current electric fleet beyond the range: 10 electric vans own the
 * station, but half its routes (400 km) are out of range. The electric
 * vans beyond it run no route, so the plan buys the 5 diesel vans that
 * run the long ones and names the range, with the battery that would let
 * the electric vans run them all (400 x 0.3 / 0.85 = 141.2 kWh). It used
 * to count all 10 electric vans as covering: coverage 1, no diesel van,
 * "demand: electric vans already run all of them", while its own check
 * said 5 vans short. */
static void test_current_ev_beyond_range(void)
{
    for (int integer = 0; integer <= 1; integer++) {
        fc_plan_input *in = mk(1, 2, 10 / 1.1);
        in->van_types[0] = 1 << DIESEL | 1 << EV;
        double km[2] = {100, 400};
        CHECK(fc_plan_input_set_route_sample(in, 0, EV, 2, km, NULL, NULL) == 0);
        in->current[EV] = 10;
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        set.integer = integer;
        fc_plan *p = solve(in, &set);
        for (int m = 0; m < 2; m++)
            check_owned_ev(p, in, m, 5, FC_LIMIT_RANGE, "+42 kWh battery (142 kWh) or shorter routes");
        fc_plan_free(p);
        /* Without a combustion type the long routes stay uncovered, and say so. */
        in->van_types[0] = 1 << EV;
        p = solve(in, &set);
        CHECK_NEAR(p->cell[0].uncovered_routes, 0.5 * 10 / 1.1, 1e-9);
        CHECK(p->cell[0].binding == FC_LIMIT_RANGE);
        CHECK(p->n_uncovered == 2);
        fc_plan_free(p);
        fc_plan_input_free(in);
    }
}

/* Ten electric vans owned at a station with 4 chargers (one van each a
 * night): 6 cannot charge and run nothing, so 6 diesel vans are bought,
 * the chargers bind, and the lift says what lets the owned vans run. They
 * used to count as running all the routes (coverage 1 with no diesel). The
 * same with site power for none of them: all 10 idle, 10 diesel. */
static void test_current_ev_beyond_chargers(void)
{
    for (int integer = 0; integer <= 1; integer++) {
        fc_plan_input *in = mk(1, 2, 10 / 1.1);
        in->van_types[0] = 1 << DIESEL | 1 << EV;
        in->current[EV] = 10;
        in->chargers[0] = 4;
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        set.integer = integer;
        fc_plan *p = solve(in, &set);
        for (int m = 0; m < 2; m++) {
            check_owned_ev(p, in, m, 6, FC_LIMIT_CHARGERS, "+7 chargers");
            CHECK_NEAR(p->cell[m].ev_idle, 6, 1e-9);
            /* the check counts in diesel vans, not in the idle electric ones */
            CHECK(p->main_type[m] == DIESEL);
        }
        fc_plan_free(p);
        in->chargers[0] = NAN;
        in->site_power_kw[0] = 0;
        p = solve(in, &set);
        CHECK(p->vans[FC_PLAN_SMV(in, 0, 0, DIESEL)] == 10);
        CHECK_NEAR(p->cell[0].ev_idle, 10, 1e-9);
        CHECK_NEAR(p->cell[0].ev_energy_kwh, 0, 1e-9);  /* none charges (it read 10 vans' kWh) */
        CHECK(p->cell[0].binding == FC_LIMIT_SITE_POWER);
        CHECK_NEAR(p->cell[0].coverage, 1.0, 1e-9);
        fc_plan_free(p);
        fc_plan_input_free(in);
    }
}

/* Two electric types, none chargeable (0 chargers of 10 kW): 2 owned EV
 * vans (need 10, 33 kWh a night) and a second electric type covering less
 * per van (need 15, 11 kWh a night). The kWh limit's lost share, 2 x 33 /
 * (10 x 33) = 0.2, was turned into vans at the second type's need: 3
 * electric vans that cannot charge at a station holding 2. */
static void test_cannot_charge_two_electric_types(void)
{
    fc_plan_input *in = mk(1, 1, 10 / 1.1);
    in->electric[BIG] = 1;
    in->battery_kwh[BIG] = 100;
    in->kwh_per_km[BIG] = 0.1;
    in->routes_q[FC_PLAN_SMV(in, 0, 0, BIG)] = 15 / 1.1;
    in->current[FC_PLAN_SV(in, 0, EV)] = 2;
    in->chargers[0] = 0;
    in->charger_kw[0] = 10;
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    fc_plan *p = solve(in, &set);
    CHECK(p->vans[FC_PLAN_SMV(in, 0, 0, EV)] == 2);
    CHECK_NEAR(p->cell[0].ev_idle, 2, 1e-9);
    CHECK_NEAR(p->cell[0].coverage, 1.0, 1e-9);
    fc_plan_free(p);
    fc_plan_input_free(in);
}

/* Route classes of a one-station, one-month input for electric types
 * t[0..nt-1] (all sharing the route sample of t[0]), computed here from
 * the energy formula of docs/plan.md: cls[mask] = share of the routes
 * exactly the types of mask can run. */
static void route_classes(const fc_plan_input *in, const fc_plan_settings *set, const int *t, int nt,
                          double *cls)
{
    const fc_plan_sample *smp = &in->samples[FC_PLAN_SV(in, 0, t[0])];
    double f = 1 / fc_plan_temp_retention(set, in->temperature_c[0]), wsum = 0;
    for (int c = 0; c < 1 << nt; c++) cls[c] = 0;
    for (int i = 0; i < smp->n; i++) {
        int mask = 0;
        for (int j = 0; j < nt; j++) {
            double k = in->kwh_per_km[t[j]], hill = smp->hill[i];
            double e = smp->km[i] * f * (k + (fc_plan_hill_factor(set, hill, k) - 1) * k);
            if (e <= in->battery_kwh[t[j]] * (1 - set->reserve) * (1 + 1e-9)) mask |= 1 << j;
        }
        cls[mask] += smp->weight[i];
        wsum += smp->weight[i];
    }
    for (int c = 0; c < 1 << nt; c++) cls[c] /= wsum;
}

/* Brute force for two electric types: the largest share of the peak day
 * vans covering a0 and a1 of it (x / need) can run, trying every split of
 * the routes both can run in steps of 1/20000. */
static double cover2_brute(const double *cls, double a0, double a1)
{
    double best = 0;
    for (int i = 0; i <= 20000; i++) {
        double t = cls[3] * i / 20000.0;
        double c = fmin(a0, cls[1] + t) + fmin(a1, cls[2] + cls[3] - t);
        if (c > best) best = c;
    }
    return best;
}

/* Max flow from nt electric types (capacity a[j], share of the peak day)
 * to the route classes they can run (capacity cls[mask]): augmenting
 * paths (Edmonds-Karp) on the small bipartite network. */
static double cover_flow(const double *cls, int nt, const double *a)
{
    enum { N = 2 + 3 + 8 };
    double cap[N][N] = {{0}};
    int nc = 1 << nt, snk = 1 + nt + nc;
    for (int j = 0; j < nt; j++) cap[0][1 + j] = a[j];
    for (int c = 1; c < nc; c++) {
        cap[1 + nt + c][snk] = cls[c];
        for (int j = 0; j < nt; j++)
            if (c >> j & 1) cap[1 + j][1 + nt + c] = 1e9;
    }
    double flow = 0;
    for (;;) {
        int prev[N], q[N], h = 0, tl = 0;
        for (int i = 0; i < N; i++) prev[i] = -1;
        prev[0] = 0;
        q[tl++] = 0;
        while (h < tl && prev[snk] < 0) {
            int u = q[h++];
            for (int v = 0; v <= snk; v++)
                if (prev[v] < 0 && cap[u][v] > 1e-12) {
                    prev[v] = u;
                    q[tl++] = v;
                }
        }
        if (prev[snk] < 0) return flow;
        double b = INFINITY;
        for (int v = snk; v != 0; v = prev[v]) b = fmin(b, cap[prev[v]][v]);
        for (int v = snk; v != 0; v = prev[v]) {
            cap[prev[v]][v] -= b;
            cap[v][prev[v]] += b;
        }
        flow += b;
    }
}

/* Two electric types whose feasible routes are not nested (docs/plan.md,
 * "Electric vans on the routes they can run"): EV (100 kWh, 0.2 kWh/km:
 * 425 km on the flat) and BIG made electric (200 kWh, 0.5 kWh/km: 340 km).
 * A climb costs both the same kWh per km, so the big battery runs the
 * hilly routes the efficient van cannot, though its flat range is
 * shorter:
 *     400 km flat         EV only    10%
 *     240 km at 40 m/km   BIG only   40%
 *     100 km flat         both       20%
 *     430 km flat         neither    15%
 *     500 km at 40 m/km   neither    15%
 * Electric vans alone can run 70% of the peak day (brute force). The
 * range rows nested by flat range allowed EV + BIG <= EV's 30%: the plan
 * of an electric-only station left 70% uncovered. And the check of a
 * budget of 6 EV vans (60% of the need) counted min(60%, best share 60%)
 * where they can run 30%. */
static void test_hall_two_electric_types(void)
{
    double km[5] = {400, 240, 100, 430, 500}, hill[5] = {0, 40, 0, 0, 40}, wt[5] = {0.1, 0.4, 0.2, 0.15, 0.15};
    int t[2] = {EV, BIG};
    for (int integer = 0; integer <= 2; integer++) {
        fc_plan_input *in = mk(1, 1, 10 / 1.1);  /* need 10 vans of each type */
        in->van_types[0] = 1 << EV | 1 << BIG;
        in->kwh_per_km[EV] = 0.2;
        in->electric[BIG] = 1;
        in->battery_kwh[BIG] = 200;
        in->kwh_per_km[BIG] = 0.5;
        in->routes_q[FC_PLAN_SMV(in, 0, 0, BIG)] = 10 / 1.1;
        for (int v = 0; v < 3; v++) CHECK(fc_plan_input_set_route_sample(in, 0, v, 5, km, hill, wt) == 0);
        in->budget = calloc(3, sizeof(int32_t));
        in->budget[EV] = 6;
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        set.integer = integer == 1;
        double cls[4];
        route_classes(in, &set, t, 2, cls);
        CHECK_NEAR(cls[0], 0.3, 1e-12);
        CHECK_NEAR(cls[1], 0.1, 1e-12);
        CHECK_NEAR(cls[2], 0.4, 1e-12);
        CHECK_NEAR(cls[3], 0.2, 1e-12);
        double best = cover2_brute(cls, 1e9, 1e9);
        CHECK_NEAR(best, 0.7, 1e-9);
        if (integer == 2) {
            /* Diesel allowed, EV cheapest, BIG next: 3 EV vans run the EV
             * and shared routes, 4 BIG vans the hilly ones, 3 diesel vans
             * the rest (with the nested rows: 3 electric, 7 diesel). The
             * range binds EV: a 4th EV van fits once EV runs one more
             * route than the electric vans do now, the 430 km one (86
             * kWh, 102 kWh of battery); EV alone need not reach 80% of
             * the routes (the 240 km hilly ones, 112 kWh). */
            in->van_types[0] |= 1 << DIESEL;
            in->cost_per_day[EV] = 30;
            in->cost_per_day[BIG] = 38;
            in->cost_per_km[BIG] = 0.1;
            fc_plan *p = solve(in, &set);
            CHECK(p->vans[EV] == 3 && p->vans[BIG] == 4 && p->vans[DIESEL] == 3);
            CHECK_NEAR(p->cell[0].coverage, 1, 1e-9);
            CHECK(p->cell[0].binding == FC_LIMIT_RANGE);
            CHECK(strcmp(p->cell[0].lift, "+2 kWh battery (102 kWh) or shorter routes") == 0);
            fc_plan_free(p);
            fc_plan_input_free(in);
            continue;
        }
        fc_plan *p = solve(in, &set);
        const int32_t *n = &p->vans[0];
        /* The plan covers what electric vans can run, and no more than
         * its own vans can. */
        CHECK_NEAR(p->cell[0].coverage, best, 1e-6);
        CHECK_NEAR(p->cell[0].coverage, cover2_brute(cls, n[EV] / 10.0, n[BIG] / 10.0), 1e-6);
        CHECK_NEAR(p->cell[0].uncovered_routes, (1 - best) * 10 / 1.1, 1e-6);
        CHECK(p->cell[0].binding == FC_LIMIT_RANGE);
        /* The budget's 6 EV vans run the EV routes only. */
        CHECK_NEAR(p->check[FC_SCEN_Q].coverage, cover2_brute(cls, 0.6, 0), 1e-6);
        fc_plan_free(p);
        fc_plan_input_free(in);
    }
}

/* Rows of the program for one station-month with EV and a second type,
 * BIG, that is electric (200 kWh, 0.5 kWh/km) or not, on route sample
 * km/hill; *warn gets the warnings. */
static int hall_nrows(const double *km, const double *hill, int n, int big_electric, long *warn)
{
    fc_plan_input *in = mk(1, 1, 10 / 1.1);
    in->van_types[0] = 1 << EV | 1 << BIG;
    in->kwh_per_km[EV] = 0.2;
    in->electric[BIG] = big_electric;
    in->battery_kwh[BIG] = 200;
    in->kwh_per_km[BIG] = 0.5;
    for (int v = 0; v < 3; v++) CHECK(fc_plan_input_set_route_sample(in, 0, v, n, km, hill, NULL) == 0);
    if (warn && *warn < 0) CHECK(fc_plan_input_set_route_sample(in, 0, BIG, 1, km, hill, NULL) == 0);
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_plan *p = NULL;
    CHECK(fc_plan_solve(in, &set, &d, &p) == FC_OK && p);
    int rows = p ? (int)p->nrows : -1;
    if (warn) *warn = d.n_warnings;
    fc_plan_free(p);
    fc_plan_input_free(in);
    return rows;
}

/* The range rows (docs/plan.md): one per closed subset of the electric
 * types that cannot run every route. Nested routes (BIG runs the 100 km
 * route, EV both) keep one row per type as the nested rows had; equal
 * route sets need one; on the hilly sample of
 * test_hall_two_electric_types neither set holds the other, so each type
 * has its row, and the two together run every route: no third row (it
 * only refused electric vans beyond the need). Samples that are not the
 * same routes fall back to rows nested by share, with a warning. */
static void test_hall_rows(void)
{
    double flat[2] = {100, 380}, hills[3] = {400, 240, 100}, h[3] = {0, 40, 0};
    int base = hall_nrows(flat, NULL, 2, 0, NULL);
    CHECK(hall_nrows(flat, NULL, 2, 1, NULL) == base + 1);
    CHECK(hall_nrows(flat, NULL, 1, 1, NULL) == base);
    long warn = 0;
    CHECK(hall_nrows(hills, h, 3, 1, &warn) == hall_nrows(hills, h, 3, 0, NULL) + 1 && warn == 0);
    warn = -1;
    CHECK(hall_nrows(hills, h, 3, 1, &warn) > 0 && warn == 1);
}

/* Every route in range (100 km of a 333 km range) and the electric van
 * cheaper (55 a day against 70): a need of 12.5 vans is met by 13
 * electric vans, one of them beyond the need. The range row (electric
 * vans <= 100% of the need) refused the 13th: whole vans came out 12
 * electric + 1 diesel, even from branch and bound, and the plan named
 * "range" with "shorter routes (no battery covers them)" though every
 * route is in range. Now no row: rounding may still take the diesel van
 * for the last half van (it restores coverage with combustion first),
 * but names no range limit, and the integer plan is 13 electric. */
static void test_range_all_in_range(void)
{
    for (int integer = 0; integer < 2; integer++) {
        fc_plan_input *in = mk(1, 1, 12.5 / 1.1);
        in->van_types[0] = 1 << DIESEL | 1 << EV;
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        set.integer = integer;
        fc_plan *p = solve(in, &set);
        CHECK(p->nrows > 0);
        CHECK(!(p->cell[0].binding_all & 1u << FC_LIMIT_RANGE));
        CHECK(p->cell[0].binding != FC_LIMIT_RANGE);
        CHECK(p->cell[0].coverage >= 1 - 1e-9);
        if (integer) CHECK(p->vans[EV] == 13 && p->vans[DIESEL] == 0);
        fc_plan_free(p);
        fc_plan_input_free(in);
    }
}

/* Coverage of electric vans (3 types, a[j] = vans / need) against the max
 * flow to the routes they can run: equal while the flow leaves routes
 * uncovered; once it covers them all, vans beyond are a surplus, counted
 * as the coverage of combustion vans is (at least 1, at most the sum). */
static void check_cover(double got, const double *cls, const double *a)
{
    double f = cover_flow(cls, 3, a);
    if (f < 1 - 1e-9) CHECK_NEAR(got, f, 1e-6);
    else CHECK(got >= 1 - 1e-6 && got <= a[0] + a[1] + a[2] + 1e-6);
}

/* Three electric types with random batteries and hilly routes, some vans
 * owned: the plan's coverage, the relaxation's and the budget check's
 * are the max flow of their vans to the routes they can run. */
static void test_hall_random(void)
{
    int t[3] = {DIESEL, EV, BIG};
    for (int trial = 0; trial < 40; trial++) {
        fc_plan_input *in = mk(1, 1, 1);
        in->van_types[0] = 7;
        double km[6], hill[6], wt[6];
        for (int i = 0; i < 6; i++) {
            km[i] = 40 + 360 * urand();
            hill[i] = 40 * urand();
            wt[i] = 0.2 + urand();
        }
        in->budget = calloc(3, sizeof(int32_t));
        for (int v = 0; v < 3; v++) {
            in->electric[v] = 1;
            in->battery_kwh[v] = 60 + 190 * urand();
            in->kwh_per_km[v] = 0.15 + 0.45 * urand();
            CHECK(fc_plan_input_set_route_sample(in, 0, v, 6, km, hill, wt) == 0);
            int64_t k = FC_PLAN_SMV(in, 0, 0, v);
            in->routes_q[k] = (3 + 7 * urand()) / 1.1;
            in->routes_p50[k] = in->routes_q[k];
            in->current[v] = trial % 2 ? (int)(4 * urand()) : 0;
            in->budget[v] = (int)(8 * urand());
        }
        in->temperature_c[0] = -10 + 35 * urand();
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        set.integer = trial % 4 == 3;
        double cls[8], a[3], all[3] = {1e9, 1e9, 1e9};
        route_classes(in, &set, t, 3, cls);
        fc_plan *p = solve(in, &set);
        double best = cover_flow(cls, 3, all);
        for (int j = 0; j < 3; j++) a[j] = p->x_lp[t[j]] / p->need[t[j]];
        CHECK(cover_flow(cls, 3, a) >= fmin(best, 1) - 1e-6);
        for (int j = 0; j < 3; j++) a[j] = p->vans[t[j]] / p->need[t[j]];
        check_cover(p->cell[0].coverage, cls, a);
        for (int j = 0; j < 3; j++) a[j] = in->budget[t[j]] / p->need[t[j]];
        check_cover(p->check[FC_SCEN_Q].coverage, cls, a);
        fc_plan_free(p);
        fc_plan_input_free(in);
    }
}

/* Ten owned diesel vans cover the station and the fleet may not shrink:
 * an electric van would replace none of them, so the lift is scrap_from,
 * not a price (it read "electric van 67 cheaper a month", and an
 * electric van at 30 a day against diesel's 40 was not planned either). */
static void test_cost_lift_owned_fleet(void)
{
    fc_plan_input *in = mk(1, 3, 10 / 1.1);
    in->van_types[0] = 1 << DIESEL | 1 << EV;
    in->cost_per_day[EV] = 52;
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    fc_plan *p = solve(in, &set);  /* nothing owned: the price is the lift */
    CHECK(p->cell[0].binding == FC_LIMIT_COST && strcmp(p->cell[0].lift, "electric van 67 cheaper a month") == 0);
    fc_plan_free(p);
    in->current[DIESEL] = 10;
    set.scrap_from = 2;
    p = solve(in, &set);
    for (int m = 0; m < 3; m++) CHECK(p->cell[m].binding == FC_LIMIT_COST);
    CHECK(strncmp(p->cell[0].lift, "retire current vans (scrap_from)", 32) == 0);
    CHECK(strncmp(p->cell[1].lift, "retire current vans (scrap_from)", 32) == 0);
    CHECK(strcmp(p->cell[2].lift, "electric van 67 cheaper a month") == 0);
    fc_plan_free(p);
    fc_plan_input_free(in);
}

/* A lift that brings no electric van says so: with no charger the
 * chargers bind, but an electric van at 52 a day does not pay against
 * diesel's 40 (the cost lift: 67 a month), so "+1 charger" alone was
 * true but useless (the example's PHX1: 1 to 3 chargers changed
 * nothing). Re-planned with the lift applied, the vans stay and the
 * month reads the price; where the electric van pays, the lift stays
 * bare and re-planned with it the van comes. Likewise site power and
 * the parking, and scrap_from where the diesel vans are all owned. */
static void test_lift_then_cost(void)
{
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    for (int pays = 0; pays < 2; pays++) {
        fc_plan_input *in = mk(1, 1, 10 / 1.1);  /* need 10 vans */
        in->van_types[0] = 1 << DIESEL | 1 << EV;
        in->cost_per_day[EV] = pays ? 45 : 52;
        in->chargers[0] = 0;
        fc_plan *p = solve(in, &set);
        CHECK(p->cell[0].binding == FC_LIMIT_CHARGERS && p->vans[EV] == 0);
        CHECK(strcmp(p->cell[0].lift, pays ? "+1 charger" : "+1 charger; then electric van 67 cheaper a month") == 0);
        in->chargers[0] = 1;
        fc_plan *q = solve(in, &set);
        CHECK(q->vans[EV] == pays);
        if (!pays) CHECK(q->cell[0].binding == FC_LIMIT_COST && strcmp(q->cell[0].lift, "electric van 67 cheaper a month") == 0);
        fc_plan_free(q);
        fc_plan_free(p);
        /* site power: 3.4 kW a van */
        in->chargers[0] = NAN;
        in->site_power_kw[0] = 0;
        p = solve(in, &set);
        CHECK(p->cell[0].binding == FC_LIMIT_SITE_POWER && p->vans[EV] == 0);
        CHECK(strcmp(p->cell[0].lift, pays ? "+3.4 kW site power" : "+3.4 kW site power; then electric van 67 cheaper a month") == 0);
        in->site_power_kw[0] = 3.4;
        q = solve(in, &set);
        CHECK(q->vans[EV] == pays);
        fc_plan_free(q);
        fc_plan_free(p);
        fc_plan_input_free(in);
    }
    /* Ten diesel vans owned and kept before scrap_from: no price helps. */
    fc_plan_input *in = mk(1, 3, 10 / 1.1);
    in->van_types[0] = 1 << DIESEL | 1 << EV;
    in->chargers[0] = 0;
    in->current[DIESEL] = 10;
    set.scrap_from = 2;
    fc_plan *p = solve(in, &set);
    for (int m = 0; m < 3; m++) CHECK(p->cell[m].binding == FC_LIMIT_CHARGERS);
    CHECK(strcmp(p->cell[0].lift, "+1 charger; then retire current vans (scrap_from)") == 0);
    CHECK(strcmp(p->cell[2].lift, "+1 charger") == 0);  /* diesel at 40 vs 45: the van pays once free */
    in->chargers[0] = 1;
    fc_plan *q = solve(in, &set);
    CHECK(q->vans[EV] == 0 && q->vans[3 + EV] == 0 && q->vans[6 + EV] == 1);
    fc_plan_free(q);
    fc_plan_free(p);
    fc_plan_input_free(in);
    /* The parking: 7 large vans fill it, and an electric van (1/10 of the
     * day) cannot take a large van's place (1/7). */
    fc_plan_settings_default(&set);
    in = mk(1, 1, 10 / 1.1);
    in->van_types[0] = 1 << BIG | 1 << EV;
    in->parking[0] = 7;
    in->cost_per_day[EV] = 52;
    p = solve(in, &set);
    CHECK(p->cell[0].binding == FC_LIMIT_PARKING && p->vans[BIG] == 7 && p->vans[EV] == 0);
    CHECK(strncmp(p->cell[0].lift, "+1 parking space; then electric van ", 36) == 0);
    in->parking[0] = 8;
    q = solve(in, &set);
    CHECK(q->vans[EV] == 0 && q->cell[0].binding == FC_LIMIT_COST && strcmp(q->cell[0].lift, p->cell[0].lift + 23) == 0);
    fc_plan_free(q);
    fc_plan_free(p);
    fc_plan_input_free(in);
}

/* Paths and SPR through callbacks: peak packages 1000 + 10 p, SPR 100. */
static double cb_peak(void *ud, int32_t s, int32_t m, int p)
{
    (void)ud;
    (void)s;
    (void)m;
    return 1000 + 10 * p;
}
static double cb_spr(void *ud, int32_t s, int32_t m, int32_t v, double pk)
{
    (void)ud;
    (void)s;
    (void)m;
    (void)pk;
    return v == BIG ? 200 : 100;
}

/* SPR rising with the day's packages (pk / 10 routes + 2), months of
 * 26,000 packages over 26 working days: the month's routes are priced at
 * the mean working day (1,000 packages: SPR 1000 / 102), not at month / 21
 * (1,238: SPR 1238 / 125.8). */
static double cb_month(void *ud, int32_t s, int32_t m, int p)
{
    (void)ud;
    (void)s;
    (void)m;
    (void)p;
    return 26000;
}
static double cb_mean_day(void *ud, int32_t s, int32_t m, int p)
{
    (void)ud;
    (void)s;
    (void)m;
    (void)p;
    return 1000;
}
static double cb_spr_rising(void *ud, int32_t s, int32_t m, int32_t v, double pk)
{
    (void)ud;
    (void)s;
    (void)m;
    (void)v;
    return pk / (pk / 10 + 2);
}

static void test_fill(void)
{
    fc_plan_input *in = mk(1, 2, 1);
    in->van_types[0] = 1 << DIESEL | 1 << BIG;
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    fc_plan_source src = {.ud = NULL, .npaths = 100, .peak_packages = cb_peak, .spr = cb_spr};
    CHECK(fc_plan_input_fill_routes(in, &src, &set, NULL) == FC_OK);
    /* Routes 10 + 0.1 p; quantile 0.9 of 100 values: 10 + 0.1 x 89.1. */
    CHECK_NEAR(in->routes_q[FC_PLAN_SMV(in, 0, 0, DIESEL)], 18.91, 1e-9);
    CHECK_NEAR(in->routes_p50[FC_PLAN_SMV(in, 0, 0, DIESEL)], 14.95, 1e-9);
    CHECK_NEAR(in->routes_q[FC_PLAN_SMV(in, 0, 1, BIG)], 18.91 / 2, 1e-9);
    CHECK_NEAR(in->routes_shock[FC_PLAN_SMV(in, 0, 0, DIESEL)], 18.91 * 1.3, 1e-9);
    CHECK(isnan(in->routes_q[FC_PLAN_SMV(in, 0, 0, EV)]));
    fc_plan_input_free(in);
    /* month routes at the mean working day's SPR */
    in = mk(1, 1, 1);
    in->van_types[0] = 1 << DIESEL;
    fc_plan_source ms = {.npaths = 10, .peak_packages = cb_peak, .month_packages = cb_month,
                         .spr = cb_spr_rising, .mean_day_packages = cb_mean_day};
    CHECK(fc_plan_input_fill_routes(in, &ms, &set, NULL) == FC_OK);
    CHECK_NEAR(in->routes_month[FC_PLAN_SMV(in, 0, 0, DIESEL)], 26000 / (1000.0 / 102), 1e-9);
    ms.mean_day_packages = NULL;    /* month / 21 */
    CHECK(fc_plan_input_fill_routes(in, &ms, &set, NULL) == FC_OK);
    CHECK_NEAR(in->routes_month[FC_PLAN_SMV(in, 0, 0, DIESEL)], 26000 / ((26000 / 21.0) / (26000 / 210.0 + 2)), 1e-9);
    fc_plan_input_free(in);
    /* Stations are filled on threads: every station gets its routes, the
     * same with one thread as with three. */
    fc_plan_input *a = mk(7, 2, 1), *b = mk(7, 2, 1);
    for (int s = 0; s < 7; s++) a->van_types[s] = b->van_types[s] = 1 << DIESEL | (s % 2 ? 1 << BIG : 0);
    set.threads = 1;
    CHECK(fc_plan_input_fill_routes(a, &src, &set, NULL) == FC_OK);
    set.threads = 3;
    CHECK(fc_plan_input_fill_routes(b, &src, &set, NULL) == FC_OK);
    for (int s = 0; s < 7; s++) {
        CHECK_NEAR(b->routes_q[FC_PLAN_SMV(b, s, 1, DIESEL)], 18.91, 1e-9);
        CHECK(s % 2 ? fabs(b->routes_q[FC_PLAN_SMV(b, s, 1, BIG)] - 18.91 / 2) < 1e-9
                    : isnan(b->routes_q[FC_PLAN_SMV(b, s, 1, BIG)]));
    }
    size_t cells = (size_t)FC_PLAN_SMV(a, 6, 1, a->nvans - 1) + 1;
    CHECK(memcmp(a->routes_q, b->routes_q, cells * sizeof *a->routes_q) == 0);
    CHECK(memcmp(a->routes_p50, b->routes_p50, cells * sizeof *a->routes_p50) == 0);
    CHECK(memcmp(a->routes_month, b->routes_month, cells * sizeof *a->routes_month) == 0);
    fc_plan_input_free(a);
    fc_plan_input_free(b);
}

/* Paths in no order, with ties and empty days, and an SPR that varies
 * with volume: the batch callback must give what spr gives day by day,
 * and the quantiles what sorting gives. */
static double cb_peak2(void *ud, int32_t s, int32_t m, int p)
{
    (void)ud;
    (void)s;
    return p % 11 == 0 ? 0 : 800 + 37 * ((p * 7919 + m) % 53);
}
static double cb_spr2(void *ud, int32_t s, int32_t m, int32_t v, double pk)
{
    (void)ud;
    (void)s;
    (void)m;
    return (v == BIG ? 60 : 40) * pow(pk / 1000, 0.3);
}
static void cb_spr2_many(void *ud, int32_t s, int32_t m, int32_t v, int n, const double *pk,
                         const double *lpk, double *out)
{
    for (int i = 0; i < n; i++) {
        if (!(pk[i] > 0)) continue;
        CHECK(lpk[i] == log(pk[i]));
        out[i] = cb_spr2(ud, s, m, v, pk[i]);
    }
}

static void test_fill_many(void)
{
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    fc_plan_input *a = mk(3, 2, 1), *b = mk(3, 2, 1);
    for (int s = 0; s < 3; s++) a->van_types[s] = b->van_types[s] = 1 << DIESEL | 1 << BIG;
    fc_plan_source src = {.npaths = 100, .peak_packages = cb_peak2, .spr = cb_spr2};
    CHECK(fc_plan_input_fill_routes(a, &src, &set, NULL) == FC_OK);
    src.spr_many = cb_spr2_many;
    CHECK(fc_plan_input_fill_routes(b, &src, &set, NULL) == FC_OK);
    size_t cells = (size_t)FC_PLAN_SMV(a, 2, 1, a->nvans - 1) + 1;
    CHECK(memcmp(a->routes_q, b->routes_q, cells * sizeof *a->routes_q) == 0);
    CHECK(memcmp(a->routes_p50, b->routes_p50, cells * sizeof *a->routes_p50) == 0);
    CHECK(memcmp(a->routes_shock, b->routes_shock, cells * sizeof *a->routes_shock) == 0);
    CHECK(memcmp(a->routes_month, b->routes_month, cells * sizeof *a->routes_month) == 0);
    double r[100], r2[100];
    for (int p = 0; p < 100; p++) {
        double pk = cb_peak2(NULL, 1, 1, p);
        r[p] = r2[p] = pk > 0 ? pk / cb_spr2(NULL, 1, 1, BIG, pk) : 0;
    }
    CHECK(b->routes_q[FC_PLAN_SMV(b, 1, 1, BIG)] == fc_plan_quantile(r, 100, set.service_level));
    CHECK(b->routes_p50[FC_PLAN_SMV(b, 1, 1, BIG)] == fc_plan_quantile(r2, 100, 0.5));
    fc_plan_input_free(a);
    fc_plan_input_free(b);
}

/* A tiny network for the integer plan by station: S stations, M months,
 * three types with random costs (the electric one often the cheapest),
 * random parking (a third tight), chargers, site power, current fleet and
 * route sample, and a network supply of 0-2 new electric vans a month, so
 * that the supply binds in most. */
static fc_plan_input *tiny_network(int S, int M)
{
    fc_plan_input *in = mk(S, M, 1);
    in->cost_per_day[EV] = 30 + 15 * urand();
    in->cost_per_day[BIG] = 44 + 20 * urand();
    for (int s = 0; s < S; s++) {
        double r = 3 + 5 * urand();
        in->parking[s] = urand() < 0.3 ? ceil(r * 1.3 * 1.1 * 0.8) : ceil(r * 1.6) + 2;
        in->chargers[s] = (int)(6 * urand());
        in->site_power_kw[s] = urand() < 0.5 ? NAN : 5 + 25 * urand();
        in->current[FC_PLAN_SV(in, s, DIESEL)] = (int)(2 * urand());
        in->current[FC_PLAN_SV(in, s, EV)] = urand() < 0.2;
        double km[4] = {60 + 80 * urand(), 90 + 150 * urand(), 70, 120};
        CHECK(fc_plan_input_set_route_sample(in, s, EV, 4, km, NULL, NULL) == 0);
        for (int m = 0; m < M; m++) {
            in->temperature_c[s * M + m] = -10 + 30 * urand();
            double rr = r * (1 + 0.3 * urand());
            for (int v = 0; v < 3; v++) {
                int64_t k = FC_PLAN_SMV(in, s, m, v);
                in->routes_q[k] = v == BIG ? rr * 0.7 : rr;
                in->routes_p50[k] = in->routes_q[k] * 0.9;
                in->routes_month[k] = in->routes_q[k] * 17;
            }
        }
    }
    for (int m = 0; m < M; m++) in->ev_supply[m] = (int)(2.5 * urand());
    return in;
}

/* The integer plan by station (docs/plan.md, "Integer plan by station")
 * against one branch and bound over the whole program, proven optimal, on
 * 300 tiny networks (2-4 stations, 2-4 months): the same cost, routes
 * uncovered and vans over the parking; within the supply; never dearer
 * than the rounded plan; the same plan for one thread and two. Most
 * trials hold the supply at its cap in some month. (Before the exchange
 * of supply between stations, 13 in 100 came out dearer, by up to 2.5%:
 * the relaxation's supply price kept electric vans out that fill the last
 * part of a peak day; on 500 larger ones, up to 6 stations and 5 months,
 * 1 is 0.05% dearer.) */
static void test_by_station_optimum(void)
{
    rs = 2024;
    int at_cap = 0, proven = 0;
    for (int trial = 0; trial < 300; trial++) {
        int S = 2 + (int)(3 * urand()), M = 2 + (int)(3 * urand());
        fc_plan_input *in = tiny_network(S, M);
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        set.time_limit_s = 60;
        set.integer = FC_PLAN_MIP_WHOLE;
        fc_plan *whole = solve(in, &set);
        set.integer = FC_PLAN_MIP_STATIONS;
        set.threads = 1;
        fc_plan *st = solve(in, &set);
        set.threads = 2;
        fc_plan *st2 = solve(in, &set);
        set.integer = FC_PLAN_ROUND;
        fc_plan *rounded = solve(in, &set);
        CHECK(whole->mip_status == 5); /* GLP_OPT */
        CHECK_NEAR(st->objective, whole->objective, 1e-7 * whole->objective);
        CHECK(st->n_uncovered == whole->n_uncovered && st->n_parking_over == whole->n_parking_over);
        CHECK(memcmp(st->vans, st2->vans, (size_t)S * M * 3 * sizeof(int32_t)) == 0);
        CHECK(st->n_uncovered + st->n_parking_over <= rounded->n_uncovered + rounded->n_parking_over);
        if (st->n_uncovered + st->n_parking_over == rounded->n_uncovered + rounded->n_parking_over)
            CHECK(st->objective <= rounded->objective + 1e-6);
        CHECK(st->lp_objective <= st->objective + 1e-6);
        double cap = 0;
        int full = 0;
        for (int s = 0; s < S; s++) cap += in->current[FC_PLAN_SV(in, s, EV)];
        for (int m = 0; m < M; m++) {
            cap += in->ev_supply[m];
            int ev = 0;
            for (int s = 0; s < S; s++) ev += st->vans[FC_PLAN_SMV(in, s, m, EV)];
            CHECK(ev <= cap + 1e-9);
            full |= ev >= cap - 1e-9;
        }
        at_cap += full;
        proven += st->mip_status == 5;
        fc_plan_free(whole);
        fc_plan_free(st);
        fc_plan_free(st2);
        fc_plan_free(rounded);
        fc_plan_input_free(in);
    }
    CHECK(at_cap >= 250);
    CHECK(proven > 0); /* some plans are proven by the stations alone */

    /* plan.json says how far from the relaxation the plan may be, and how
     * many stations were proven or kept their rounded plans; the rounded
     * plan's document is as it was. */
    fc_plan_input *in = tiny_network(3, 3);
    for (int integer = 0; integer < 2; integer++) {
        fc_plan_settings set;
        fc_plan_settings_default(&set);
        set.integer = integer ? FC_PLAN_MIP_STATIONS : FC_PLAN_ROUND;
        fc_plan *p = solve(in, &set);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        CHECK(fc_plan_write_json(f, p, in, NULL) == FC_OK);
        fclose(f);
        CHECK((strstr(buf, "\"gap_to_relaxation_pct\"") != NULL) == integer);
        CHECK((strstr(buf, "\"stations_proven\"") != NULL) == integer);
        CHECK((strstr(buf, "\"glp_intopt per station\"") != NULL) == integer);
        CHECK(p->mip_optimal + p->mip_rounded <= 3);
        free(buf);
        fc_plan_free(p);
    }
    fc_plan_input_free(in);
}

static void test_deterministic(void)
{
    rs = 99;
    fc_plan_input *in = mk(6, 3, 1);
    random_input(in, 1.0);
    fc_plan_settings set;
    fc_plan_settings_default(&set);
    char *b1 = NULL, *b2 = NULL;
    size_t l1 = 0, l2 = 0;
    for (int i = 0; i < 2; i++) {
        fc_plan *p = solve(in, &set);
        FILE *f = open_memstream(i ? &b2 : &b1, i ? &l2 : &l1);
        CHECK(fc_plan_write_json(f, p, in, NULL) == FC_OK);
        fclose(f);
        fc_plan_free(p);
    }
    CHECK(l1 == l2 && memcmp(b1, b2, l1) == 0);
    free(b1);
    free(b2);
    fc_plan_input_free(in);
}

int main(void)
{
    test_curves();
    test_site_power();
    test_shadow_prices_replan();
    test_temperature();
    test_limits_and_volume();
    test_brute_force();
    test_whole_vans_cover();
    test_uncovered_parking();
    test_parking_over_and_uncovered();
    test_decomposition();
    test_supply_binding();
    test_infeasible();
    test_current_ev_beyond_range();
    test_current_ev_beyond_chargers();
    test_cannot_charge_two_electric_types();
    test_hall_two_electric_types();
    test_hall_rows();
    test_range_all_in_range();
    test_hall_random();
    test_cost_lift_owned_fleet();
    test_lift_then_cost();
    test_fill();
    test_fill_many();
    test_by_station_optimum();
    test_deterministic();
    return check_report();
}
