/* lp.c -- the plan's linear program (GLPK): vans by station, month and
 * type; cost minimised subject to demand, parking, the current fleet,
 * electric supply, range, chargers and site power, with penalised slack so
 * that an infeasible input still gives a plan; then integer vans by
 * rounding with a feasibility repair, or by a branch and bound per
 * station with the supply restored across stations (docs/plan.md, "The
 * program"). */
#include <glpk.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fleetcast/parallel.h"
#include "internal.h"

typedef struct triplets {
    int n, cap;
    int *ia, *ja;
    double *ar;
} triplets;

static int trip_add(triplets *t, int row, int col, double val)
{
    if (t->n + 2 > t->cap) {
        int cap = t->cap ? t->cap * 2 : 4096;
        int *ia = realloc(t->ia, (size_t)cap * sizeof(int));
        if (!ia) return -1;
        t->ia = ia;
        int *ja = realloc(t->ja, (size_t)cap * sizeof(int));
        if (!ja) return -1;
        t->ja = ja;
        double *ar = realloc(t->ar, (size_t)cap * sizeof(double));
        if (!ar) return -1;
        t->ar = ar;
        t->cap = cap;
    }
    t->n++; /* GLPK arrays are 1-based */
    t->ia[t->n] = row;
    t->ja[t->n] = col;
    t->ar[t->n] = val;
    return 0;
}

static int add_col(glp_prob *lp, double lb, double ub, double cost, int integer)
{
    int j = glp_add_cols(lp, 1);
    if (isinf(ub)) glp_set_col_bnds(lp, j, GLP_LO, lb, 0.0);
    else if (ub <= lb) glp_set_col_bnds(lp, j, GLP_FX, lb, lb);
    else glp_set_col_bnds(lp, j, GLP_DB, lb, ub);
    glp_set_obj_coef(lp, j, cost);
    if (integer) glp_set_col_kind(lp, j, GLP_IV);
    return j;
}

static int add_row_up(glp_prob *lp, double ub)
{
    int i = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, i, GLP_UP, 0.0, ub);
    return i;
}

static int add_row_lo(glp_prob *lp, double lb)
{
    int i = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, i, GLP_LO, lb, 0.0);
    return i;
}

/* Energy a night (grid kWh) of one electric van of type e at (s, m). */
static double night_kwh(const plan_work *w, int64_t k)
{
    return w->ev[k].energy / w->set->charger_efficiency;
}

/* Of the electric types that can run at (s, m): the largest need (vans
 * per peak day) and the largest need x night kWh. A van the station
 * cannot charge is counted as one of the type that covers least per van
 * (per kWh for the energy limits): the operator leaves those idle. */
static void charge_scales(const plan_work *w, int32_t s, int32_t m, double *vans, double *kwh)
{
    *vans = *kwh = 0;
    for (int32_t e = 0; e < w->V; e++) {
        int64_t k = FC_PLAN_SMV(w->in, s, m, e);
        if (!w->in->electric[e] || !w->has[FC_PLAN_SV(w->in, s, e)] || !(w->need[k] > 0)) continue;
        if (w->need[k] > *vans) *vans = w->need[k];
        if (w->need[k] * night_kwh(w, k) > *kwh) *kwh = w->need[k] * night_kwh(w, k);
    }
}

/* Coverage the electric vans of x cannot give because the station cannot
 * charge them all in a night: vans beyond chargers x vans_per_charger, or
 * kWh beyond the charger power or the site power over the charging
 * window, as a share of the peak day; the largest of the three. *which
 * (may be NULL) gets FC_LIMIT_CHARGERS or FC_LIMIT_SITE_POWER, *idle (may
 * be NULL) that share in vans of the type that covers least per van. */
double plan_charge_lost_x(const plan_work *w, int32_t s, int32_t m, const double *x, int *which,
                          double *idle)
{
    const fc_plan_input *in = w->in;
    const fc_plan_settings *set = w->set;
    double sv, sk, evs = 0, kwh = 0, lost = 0;
    charge_scales(w, s, m, &sv, &sk);
    int lim = FC_LIMIT_CHARGERS;
    if (which) *which = lim;
    if (idle) *idle = 0;
    if (!(sv > 0)) return 0;
    for (int32_t e = 0; e < w->V; e++)
        if (in->electric[e] && x[e] > 0) {
            evs += x[e];
            kwh += x[e] * night_kwh(w, FC_PLAN_SMV(in, s, m, e));
        }
    if (!(evs > 0)) return 0;
    double ch = in->chargers[s], ckw = in->charger_kw[s], site = in->site_power_kw[s];
    double win = set->charging_window_h;
    if (!isnan(ch) && evs - ch * set->vans_per_charger > 1e-9) lost = (evs - ch * set->vans_per_charger) / sv;
    if (sk > 0 && !isnan(ch) && !isnan(ckw) && (kwh - ch * ckw * win) / sk > lost + 1e-12)
        lost = (kwh - ch * ckw * win) / sk;
    if (sk > 0 && !isnan(site) && (kwh - site * win) / sk > lost + 1e-12) {
        lost = (kwh - site * win) / sk;
        lim = FC_LIMIT_SITE_POWER;
    }
    if (which) *which = lim;
    if (idle) *idle = lost * sv;
    return lost;
}

/* Coverage the electric vans of x (vans per type, as doubles) cannot
 * give because routes are out of their range: the largest overrun of a
 * range row (Hall's condition over the subsets of the electric types,
 * hall.c), which is what the max flow of the vans to the routes they can
 * run leaves out (for one electric type, min(x/need, share) is what they
 * cover); 0 when every row holds. Only a current electric fleet can make
 * it positive (the rows are hard otherwise). */
static double range_lost(const plan_work *w, int32_t s, int32_t m, const double *x)
{
    double a[FC_MAX_VAN_TYPES];
    for (int32_t v = 0; v < w->V; v++) {
        int64_t k = FC_PLAN_SMV(w->in, s, m, v);
        a[v] = w->in->electric[v] && w->need[k] > 0 ? x[v] / w->need[k] : 0.0;
    }
    return plan_hall_lost(w, s, m, a);
}

static double ev_lost(const plan_work *w, int32_t s, int32_t m, const double *x)
{
    double r = range_lost(w, s, m, x), c = plan_charge_lost_x(w, s, m, x, NULL, NULL);
    return r > c ? r : c;
}

/* Share of the peak day's need that vans x cover: each van 1/need of it,
 * less what electric vans beyond their range cannot run (docs/plan.md). */
static double coverage_of(const plan_work *w, int32_t s, int32_t m, const double *x)
{
    double cov = 0;
    for (int32_t v = 0; v < w->V; v++) {
        double nd = w->need[FC_PLAN_SMV(w->in, s, m, v)];
        if (nd > 0) cov += x[v] / nd;
    }
    return cov - ev_lost(w, s, m, x);
}

double plan_coverage(const plan_work *w, int32_t s, int32_t m, const int32_t *n)
{
    double x[FC_MAX_VAN_TYPES];
    for (int32_t v = 0; v < w->V; v++) x[v] = n[v];
    return coverage_of(w, s, m, x);
}

double plan_range_lost(const plan_work *w, int32_t s, int32_t m, const int32_t *n)
{
    double x[FC_MAX_VAN_TYPES];
    for (int32_t v = 0; v < w->V; v++) x[v] = n[v];
    return range_lost(w, s, m, x);
}

double plan_ev_lost(const plan_work *w, int32_t s, int32_t m, const int32_t *n)
{
    double x[FC_MAX_VAN_TYPES];
    for (int32_t v = 0; v < w->V; v++) x[v] = n[v];
    return ev_lost(w, s, m, x);
}

double plan_charge_lost(const plan_work *w, int32_t s, int32_t m, const int32_t *n, int *which,
                        double *idle)
{
    double x[FC_MAX_VAN_TYPES];
    for (int32_t v = 0; v < w->V; v++) x[v] = n[v];
    return plan_charge_lost_x(w, s, m, x, which, idle);
}

uint32_t plan_ev_room(const plan_work *w, const fc_plan *p, const double *ev_net, int32_t s,
                      int32_t m, int32_t e)
{
    const fc_plan_input *in = w->in;
    const fc_plan_settings *set = w->set;
    int64_t ke = FC_PLAN_SMV(in, s, m, e);
    const int32_t *n = &p->vans[FC_PLAN_SMV(in, s, m, 0)];
    uint32_t bits = 0;
    double ev_cov = 0, energy = 0, evs = 0, total = 0;
    for (int32_t v = 0; v < w->V; v++) {
        int64_t k = FC_PLAN_SMV(in, s, m, v);
        total += n[v];
        if (!in->electric[v]) continue;
        evs += n[v];
        energy += n[v] * night_kwh(w, k);
        if (w->need[k] > 0) ev_cov += n[v] / w->need[k];
    }
    if (!(w->need[ke] > 0)) return 1u << FC_LIMIT_VAN_TYPES;
    /* Electric vans beyond their range run none of the routes they cannot
     * reach, nor those the station cannot charge any route. */
    ev_cov -= plan_ev_lost(w, s, m, n);
    double add = 1.0 / w->need[ke];
    if (ev_cov >= 1.0 - 1e-9) bits |= 1u << FC_LIMIT_DEMAND;
    /* Range: every row that type e enters (the rows of the closed subsets
     * imply the others, hall.c). */
    int64_t sm = FC_PLAN_SM(in, s, m);
    for (int64_t r = w->hall_off[sm]; r < w->hall_off[sm + 1]; r++) {
        const plan_hall *h = &w->hall[r];
        if (!(h->types >> e & 1)) continue;
        double sum = add;
        for (int32_t v = 0; v < w->V; v++)
            if (h->types >> v & 1) sum += n[v] / w->need[FC_PLAN_SMV(in, s, m, v)];
        if (sum > h->share + 1e-9) bits |= 1u << FC_LIMIT_RANGE;
    }
    double ch = in->chargers[s], ckw = in->charger_kw[s], site = in->site_power_kw[s];
    double en1 = night_kwh(w, ke);
    if (!isnan(ch) && evs + 1 > ch * set->vans_per_charger + 1e-9) bits |= 1u << FC_LIMIT_CHARGERS;
    if (!isnan(ch) && !isnan(ckw) && energy + en1 > ch * ckw * set->charging_window_h + 1e-9)
        bits |= 1u << FC_LIMIT_CHARGERS;
    if (!isnan(site) && energy + en1 > site * set->charging_window_h + 1e-9)
        bits |= 1u << FC_LIMIT_SITE_POWER;
    int last = m < w->scrap ? w->scrap - 1 : m;
    if (last >= w->M) last = w->M - 1;
    for (int32_t m2 = m; m2 <= last; m2++)
        if (ev_net[m2] + 1 > w->supply_cap[m2] + 1e-9) {
            bits |= 1u << FC_LIMIT_SUPPLY;
            break;
        }
    double park = in->parking[s];
    if (!isnan(park) && total + 1 > park + 1e-9) {
        /* One more electric van fits only if it replaces a van that covers
         * no more than it does and may be given up. */
        int swap = 0;
        for (int32_t v = 0; v < w->V && !swap; v++) {
            int64_t k = FC_PLAN_SMV(in, s, m, v);
            int32_t lb = 0;
            if (m < w->scrap) lb = m == 0 ? in->current[FC_PLAN_SV(in, s, v)] : p->vans[k - w->V];
            if (!in->electric[v] && n[v] > lb && w->need[k] >= w->need[ke]) swap = 1;
        }
        if (!swap) bits |= 1u << FC_LIMIT_PARKING;
    }
    return bits;
}

/* The limits of the electric vans alone (a full parking may still take
 * one in place of a combustion van). */
#define ELECTRIC_LIMITS                                                                    \
    ((1u << FC_LIMIT_RANGE) | (1u << FC_LIMIT_CHARGERS) | (1u << FC_LIMIT_SITE_POWER) | \
     (1u << FC_LIMIT_VAN_TYPES))

/* Blocking bits other than demand/cost: the ones that forbid adding. */
#define HARD_LIMITS                                                                     \
    ((1u << FC_LIMIT_RANGE) | (1u << FC_LIMIT_CHARGERS) | (1u << FC_LIMIT_SITE_POWER) | \
     (1u << FC_LIMIT_SUPPLY) | (1u << FC_LIMIT_PARKING) | (1u << FC_LIMIT_VAN_TYPES))

/* After rounding (s, m): give up every van whose loss keeps the coverage
 * the relaxation reached (the dearest first; rounding up leaves such
 * excess, and a van kept now would be forced on the later months before
 * the scrap month); then, while the vans exceed the parking, swap vans of
 * one type for fewer of a type that runs more routes per van (the
 * cheapest such swap) until the plan fits or nothing helps. Vans never go
 * below lb (the fleet kept); an electric van is only added where every
 * electric limit leaves room. */
static void trim_and_park(plan_work *w, fc_plan *p, double *ev_net, int32_t s, int32_t m,
                          const int32_t *lb, double target, int compact)
{
    const fc_plan_input *in = w->in;
    int32_t V = w->V;
    int64_t k0 = FC_PLAN_SMV(in, s, m, 0);
    int32_t *n = &p->vans[k0];
    double park = in->parking[s];
    for (int guard = 0; guard < 10000; guard++) {
        int32_t total = 0;
        for (int32_t v = 0; v < V; v++) total += n[v];
        double cov = plan_coverage(w, s, m, n);
        int32_t best = -1;
        double saving = -INFINITY;
        for (int32_t v = 0; v < V; v++) {
            int64_t k = k0 + v;
            if (n[v] <= lb[v]) continue;
            double drop = w->need[k] > 0 ? 1.0 / w->need[k] : 0.0;
            if (cov - drop < target - 1e-9) continue;
            if (w->cost1[k] > saving) {
                saving = w->cost1[k];
                best = v;
            }
        }
        if (best >= 0) {
            n[best]--;
            if (in->electric[best]) ev_net[m]--;
            continue;
        }
        if (!compact && (isnan(park) || total <= park + 1e-9)) return;
        /* Swap q vans of type a for r < q vans of type b. */
        int32_t ba = -1, bb = -1, bq = 0, br = 0;
        double bcost = INFINITY;
        for (int32_t a = 0; a < V; a++) {
            int64_t ka = k0 + a;
            if (n[a] <= lb[a] || !(w->need[ka] > 0)) continue;
            for (int32_t b = 0; b < V; b++) {
                int64_t kb = k0 + b;
                if (b == a || !w->col[kb] || !(w->need[kb] > 0) || w->need[kb] >= w->need[ka])
                    continue;
                for (int32_t q = 1; q <= n[a] - lb[a] && q <= total; q++) {
                    double short_by = target - (cov - q / w->need[ka]);
                    int32_t r = short_by > 1e-9 ? (int32_t)ceil(short_by * w->need[kb] - 1e-9) : 0;
                    /* Fewer vans; when compacting, as many of the larger type
                     * (the smaller type's floor on later months falls). */
                    if (r > q || (r == q && !compact)) continue;
                    if (in->electric[b] && r > 0) {
                        /* Room for r more electric vans of type b, one at a
                         * time once the q vans are gone (then undone). */
                        int32_t na = n[a], nb = n[b];
                        double net = ev_net[m];
                        int ok = 1;
                        n[a] -= q;
                        if (in->electric[a]) ev_net[m] -= q;
                        for (int32_t i = 0; i < r && ok; i++) {
                            if (plan_ev_room(w, p, ev_net, s, m, b) &
                                (HARD_LIMITS & ~(1u << FC_LIMIT_PARKING)))
                                ok = 0;
                            n[b]++;
                            ev_net[m]++;
                        }
                        n[a] = na;
                        n[b] = nb;
                        ev_net[m] = net;
                        if (!ok) continue;
                    }
                    double dc = r * w->cost1[kb] - q * w->cost1[ka];
                    if (dc < bcost) {
                        bcost = dc;
                        ba = a;
                        bb = b;
                        bq = q;
                        br = r;
                    }
                    break; /* the smallest q for this pair */
                }
            }
        }
        if (ba < 0) return; /* reported as over the parking */
        n[ba] -= bq;
        n[bb] += br;
        if (in->electric[ba]) ev_net[m] -= bq;
        if (in->electric[bb]) ev_net[m] += br;
    }
}

/* Coverage restored and excess trimmed at station s, month by month (each
 * month's fleet is the floor of the next before the scrap month);
 * compact: swap to types with more routes per van wherever the coverage
 * allows, so that an early mix does not lock later months over the
 * parking. Returns the vans over the parking summed over the months. */
static int64_t round_station(plan_work *w, fc_plan *p, double *ev_net, int32_t s, int compact)
{
    const fc_plan_input *in = w->in;
    int32_t M = w->M, V = w->V;
    int64_t over = 0;
    for (int32_t m = 0; m < M; m++) {
            int64_t k0 = FC_PLAN_SMV(in, s, m, 0);
            int32_t *n = &p->vans[k0];
            int32_t lb[FC_MAX_VAN_TYPES];
            for (int32_t v = 0; v < V; v++) {
                lb[v] = 0;
                if (m < w->scrap) lb[v] = m == 0 ? in->current[FC_PLAN_SV(in, s, v)] : p->vans[k0 + v - V];
                if (n[v] < lb[v]) {
                    if (in->electric[v]) ev_net[m] += lb[v] - n[v];
                    n[v] = lb[v];
                }
            }
            double target = w->target[FC_PLAN_SM(in, s, m)];
            double cov = plan_coverage(w, s, m, n);
            while (cov < target - 1e-9) {
                /* Cheapest coverage: combustion first (no limits), else electric with room. */
                int32_t best = -1;
                double bc = INFINITY;
                for (int32_t v = 0; v < V; v++) {
                    int64_t k = k0 + v;
                    if (!w->col[k] || !(w->need[k] > 0) || in->electric[v]) continue;
                    if (w->cost1[k] * w->need[k] < bc) {
                        bc = w->cost1[k] * w->need[k];
                        best = v;
                    }
                }
                if (best >= 0) {
                    int32_t add = (int32_t)ceil((target - cov) * w->need[k0 + best] - 1e-9);
                    n[best] += add > 0 ? add : 1;
                } else {
                    for (int32_t v = 0; v < V; v++) {
                        int64_t k = k0 + v;
                        if (!w->col[k] || !(w->need[k] > 0) || !in->electric[v]) continue;
                        if (plan_ev_room(w, p, ev_net, s, m, v) & HARD_LIMITS) continue;
                        if (w->cost1[k] * w->need[k] < bc) {
                            bc = w->cost1[k] * w->need[k];
                            best = v;
                        }
                    }
                    if (best < 0) break; /* reported as uncovered */
                    n[best]++;
                    ev_net[m]++;
                }
                cov = plan_coverage(w, s, m, n);
            }
            trim_and_park(w, p, ev_net, s, m, lb, target, compact);
        }
    for (int32_t m = 0; m < M; m++) {
        double park = in->parking[s];
        int64_t total = 0;
        for (int32_t v = 0; v < V; v++) total += p->vans[FC_PLAN_SMV(in, s, m, v)];
        if (!isnan(park) && total > park + 1e-9) over += total - (int64_t)floor(park + 1e-9);
    }
    return over;
}

/* Station block blk (M x V vans) set to from, the network's electric
 * vans kept in step. */
static void restore_block(plan_work *w, double *ev_net, int32_t *blk, const int32_t *from)
{
    for (int32_t m = 0; m < w->M; m++)
        for (int32_t v = 0; v < w->V; v++) {
            int64_t i = (int64_t)m * w->V + v;
            if (w->in->electric[v]) ev_net[m] += from[i] - blk[i];
            blk[i] = from[i];
        }
}

/* Integer vans from the relaxation: electric vans rounded down (every
 * electric limit is an upper bound, so they stay satisfied), combustion
 * vans rounded up, then the coverage the relaxation reached is restored
 * with the cheapest combustion type (or electric vans where there is room)
 * and vans beyond the parking are trimmed where coverage allows. */
static int round_plan(plan_work *w, fc_plan *p)
{
    const fc_plan_input *in = w->in;
    int32_t S = w->S, M = w->M, V = w->V;
    double *ev_net = calloc((size_t)M, sizeof(double));
    if (!ev_net) return -1;
    for (int32_t s = 0; s < S; s++)
        for (int32_t m = 0; m < M; m++)
            for (int32_t v = 0; v < V; v++) {
                int64_t k = FC_PLAN_SMV(in, s, m, v);
                if (!w->col[k]) {
                    p->vans[k] = 0;
                    continue;
                }
                double x = p->x_lp[k];
                int32_t n = in->electric[v] ? (int32_t)floor(x + 1e-6) : (int32_t)ceil(x - 1e-6);
                if (n < 0) n = 0;
                int32_t lb = 0;
                if (m < w->scrap) lb = m == 0 ? in->current[FC_PLAN_SV(in, s, v)] : p->vans[k - V];
                if (n < lb) n = lb;
                p->vans[k] = n;
                if (in->electric[v]) ev_net[m] += n;
            }
    int32_t *save = malloc((size_t)M * V * sizeof(int32_t)), *first = malloc((size_t)M * V * sizeof(int32_t));
    if (!save || !first) {
        free(save);
        free(first);
        free(ev_net);
        return -1;
    }
    for (int32_t s = 0; s < S; s++) {
        int32_t *blk = &p->vans[FC_PLAN_SMV(in, s, 0, 0)];
        memcpy(save, blk, (size_t)M * V * sizeof(int32_t));
        int64_t over = round_station(w, p, ev_net, s, 0);
        if (over == 0) continue;
        /* Over the parking: try again with the compact mix, keep the better. */
        memcpy(first, blk, (size_t)M * V * sizeof(int32_t));
        restore_block(w, ev_net, blk, save);
        if (round_station(w, p, ev_net, s, 1) >= over) restore_block(w, ev_net, blk, first);
    }
    free(save);
    free(first);
    free(ev_net);
    return 0;
}

/* Station s's columns and rows, added to lp (column numbers into w->col). */
static int build_station(plan_work *w, glp_prob *lp, triplets *t, int32_t s)
{
    const fc_plan_input *in = w->in;
    const fc_plan_settings *set = w->set;
    int32_t M = w->M, V = w->V;
    double P = set->penalty;
    int oom = 0, has_ev_now = 0;
    for (int32_t v = 0; v < V; v++)
        if (in->electric[v] && in->current[FC_PLAN_SV(in, s, v)] > 0) has_ev_now = 1;
    for (int32_t m = 0; m < M; m++) {
        int64_t sm = FC_PLAN_SM(in, s, m), k0 = FC_PLAN_SMV(in, s, m, 0);
        for (int32_t v = 0; v < V; v++) {
            int64_t k = k0 + v;
            w->col[k] = 0;
            if (!w->has[FC_PLAN_SV(in, s, v)]) continue;
            double lb = m == 0 && m < w->scrap ? in->current[FC_PLAN_SV(in, s, v)] : 0.0;
            w->col[k] = add_col(lp, lb, INFINITY, w->cost1[k], set->integer);
        }
        /* Demand: sum_v (R / need_v) x_v + u >= R. */
        double R = w->ref[sm];
        w->row_cover[sm] = w->col_u[sm] = 0;
        if (R > 0) {
            int r = add_row_lo(lp, R);
            w->row_cover[sm] = r;
            for (int32_t v = 0; v < V; v++)
                if (w->col[k0 + v] && w->need[k0 + v] > 0)
                    oom |= trip_add(t, r, w->col[k0 + v], R / w->need[k0 + v]);
            /* Whole vans: the shortfall is counted in whole units too (u
             * integer), so that any shortfall costs at least P; a
             * continuous u let branch and bound leave a hair of a van
             * uncovered (P x 1e-4 < one van) when a cheaper mix came
             * within 1e-4 of covering (docs/plan.md, "Whole vans"). */
            w->col_u[sm] = add_col(lp, 0.0, set->integer ? ceil(R) : R, P, set->integer);
            oom |= trip_add(t, r, w->col_u[sm], 1.0);
        }
        /* A current electric fleet beyond the range or beyond what the
         * station can charge: the overrun z (a share of the peak day) is
         * run by no electric van, so the cover row loses it (Hall's
         * condition with the overrun left out). One z for all the range
         * rows and the charging rows: the largest overrun is what is lost
         * (ev_lost). */
        int col_z = 0;
        if (has_ev_now && R > 0)
            for (int32_t e = 0; e < V && !col_z; e++)
                if (in->electric[e] && w->col[k0 + e] && w->need[k0 + e] > 0) {
                    col_z = add_col(lp, 0.0, INFINITY, P * R, 0);
                    oom |= trip_add(t, w->row_cover[sm], col_z, -R);
                }
        /* Parking: sum_v x_v - o <= parking (overrun cheaper than uncovered routes). */
        w->row_park[sm] = w->col_o[sm] = 0;
        if (!isnan(in->parking[s])) {
            int r = add_row_up(lp, in->parking[s]);
            w->row_park[sm] = r;
            for (int32_t v = 0; v < V; v++)
                if (w->col[k0 + v]) oom |= trip_add(t, r, w->col[k0 + v], 1.0);
            w->col_o[sm] = add_col(lp, 0.0, INFINITY, P / 2, set->integer);
            oom |= trip_add(t, r, w->col_o[sm], -1.0);
        }
        /* Range: Hall's condition over the subsets S of the electric types
         * (hall.c, docs/plan.md): sum_{e in S} x_e / need_e - z <= the share
         * of routes some type of S can run, times the scale type's need. */
        int any_ev = 0;
        for (int32_t e = 0; e < V; e++)
            if (in->electric[e] && w->col[k0 + e]) any_ev = 1;
        for (int64_t i = w->hall_off[sm]; i < w->hall_off[sm + 1]; i++) {
            plan_hall *h = &w->hall[i];
            double ns = w->need[k0 + h->scale];
            int r = add_row_up(lp, h->share * ns);
            h->row = r;
            for (int32_t e2 = 0; e2 < V; e2++)
                if (h->types >> e2 & 1 && w->col[k0 + e2])
                    oom |= trip_add(t, r, w->col[k0 + e2], ns / w->need[k0 + e2]);
            if (col_z) oom |= trip_add(t, r, col_z, -ns);
        }
        w->row_chg[sm] = w->row_pow[sm] = w->row_cpow[sm] = 0;
        if (!any_ev) continue;
        double ch = in->chargers[s], ckw = in->charger_kw[s], site = in->site_power_kw[s];
        double win = set->charging_window_h, zv = 0, zk = 0;
        if (col_z) charge_scales(w, s, m, &zv, &zk);
        if (!isnan(ch)) {
            int r = add_row_up(lp, ch * set->vans_per_charger);
            w->row_chg[sm] = r;
            for (int32_t e = 0; e < V; e++)
                if (in->electric[e] && w->col[k0 + e]) oom |= trip_add(t, r, w->col[k0 + e], 1.0);
            /* (with no routes this month, no z: a plain penalised slack) */
            if (col_z && zv > 0) oom |= trip_add(t, r, col_z, -zv);
            else if (has_ev_now) oom |= trip_add(t, r, add_col(lp, 0.0, INFINITY, P, set->integer), -1.0);
        }
        for (int which = 0; which < 2; which++) {
            double cap = which == 0 ? site * win : ch * ckw * win;
            if (isnan(cap)) continue;
            int r = add_row_up(lp, cap);
            if (which == 0) w->row_pow[sm] = r;
            else w->row_cpow[sm] = r;
            for (int32_t e = 0; e < V; e++) {
                int64_t ke = k0 + e;
                if (in->electric[e] && w->col[ke] && night_kwh(w, ke) > 0)
                    oom |= trip_add(t, r, w->col[ke], night_kwh(w, ke));
            }
            if (col_z && zk > 0) oom |= trip_add(t, r, col_z, -zk);
            else if (has_ev_now) oom |= trip_add(t, r, add_col(lp, 0.0, INFINITY, P, set->integer), -1.0);
        }
    }
    /* Purchases only before the scrap month: x[m] >= x[m-1]. */
    for (int32_t m = 1; m < M && m < w->scrap; m++)
        for (int32_t v = 0; v < V; v++) {
            int64_t k = FC_PLAN_SMV(in, s, m, v);
            if (!w->col[k]) continue;
            int r = add_row_lo(lp, 0.0);
            oom |= trip_add(t, r, w->col[k], 1.0);
            oom |= trip_add(t, r, w->col[k - V], -1.0);
        }
    return oom;
}

static void load(glp_prob *lp, triplets *t)
{
    if (glp_get_num_rows(lp) == 0) {
        /* GLPK wants a row; a free one changes nothing. */
        int r = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, r, GLP_FR, 0.0, 0.0);
    } else
        glp_load_matrix(lp, t->n, t->ia, t->ja, t->ar);
    t->n = 0;
}

/* Simplex from the current basis (dual first), again from scratch with the
 * primal method when that fails. Returns the GLPK status, GLP_OPT on success. */
static int simplex(glp_prob *lp, int warm)
{
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.meth = warm ? GLP_PRIMAL : GLP_DUALP;
    if (!warm) {
        glp_scale_prob(lp, GLP_SF_AUTO);
        glp_adv_basis(lp, 0);
    }
    int ret = glp_simplex(lp, &smcp);
    if (ret != 0 || glp_get_status(lp) != GLP_OPT) {
        glp_std_basis(lp);
        smcp.meth = GLP_PRIMAL;
        ret = glp_simplex(lp, &smcp);
    }
    return ret == 0 ? glp_get_status(lp) : GLP_UNDEF;
}

/* Duals of station s's rows from the problem that holds them. */
static void read_duals(plan_work *w, glp_prob *lp, fc_plan *p, int32_t s)
{
    const fc_plan_input *in = w->in;
    const fc_plan_settings *set = w->set;
    for (int32_t m = 0; m < w->M; m++) {
        int64_t sm = FC_PLAN_SM(in, s, m), k0 = FC_PLAN_SMV(in, s, m, 0);
        fc_plan_cell *c = &p->cell[sm];
        c->dual_cover = w->row_cover[sm] ? glp_get_row_dual(lp, w->row_cover[sm]) : 0;
        c->dual_parking = w->row_park[sm] ? glp_get_row_dual(lp, w->row_park[sm]) : 0;
        /* One more charger raises both the vans it serves and the charger
         * kW over the window: the sum of the two rows' duals (the kW row
         * was left out, so where it binds, slow chargers, the price read 0
         * and the lift "+N kW charger power"). With no charger both rows
         * bind at 0 with the vans at 0, a degenerate vertex whose duals the
         * simplex splits at will: the vans row's alone, as before
         * (docs/plan.md, "Binding limit and lift"). */
        c->dual_chargers =
            w->row_chg[sm] ? glp_get_row_dual(lp, w->row_chg[sm]) * set->vans_per_charger : 0;
        if (w->row_cpow[sm] && in->chargers[s] > 0 && !isnan(in->charger_kw[s]))
            c->dual_chargers +=
                glp_get_row_dual(lp, w->row_cpow[sm]) * in->charger_kw[s] * set->charging_window_h;
        c->dual_site_power_kw =
            w->row_pow[sm] ? glp_get_row_dual(lp, w->row_pow[sm]) * set->charging_window_h : 0;
        c->dual_range = 0;
        for (int64_t i = w->hall_off[sm]; i < w->hall_off[sm + 1]; i++)
            if (w->hall[i].row) {
                /* Per percentage point of feasible routes (of the row's union). */
                double dd = glp_get_row_dual(lp, w->hall[i].row) * w->need[k0 + w->hall[i].scale] / 100.0;
                if (dd < c->dual_range) c->dual_range = dd;
            }
    }
}

/* x_lp clipped at 0, the relaxation's cost, and per station-month the
 * coverage the rounding restores: the relaxation's, taken as full when it
 * is within the simplex tolerance of full (else a rounded plan could stop
 * 1e-8 short and be reported as uncovered). */
static void set_targets(plan_work *w, fc_plan *p)
{
    const fc_plan_input *in = w->in;
    p->lp_objective = 0;
    for (int32_t s = 0; s < w->S; s++)
        for (int32_t m = 0; m < w->M; m++) {
            int64_t k0 = FC_PLAN_SMV(in, s, m, 0);
            for (int32_t v = 0; v < w->V; v++) {
                int64_t k = k0 + v;
                if (p->x_lp[k] < 0) p->x_lp[k] = 0;
                p->lp_objective += p->x_lp[k] * w->cost1[k];
            }
            double cov = coverage_of(w, s, m, &p->x_lp[k0]);
            w->target[FC_PLAN_SM(in, s, m)] = cov > 1 - 1e-7 ? 1 : cov;
        }
}

/* Electric vans of the integer plan per month over the network. */
static void ev_count(const plan_work *w, const fc_plan *p, double *ev_net)
{
    for (int32_t m = 0; m < w->M; m++) ev_net[m] = 0;
    for (int64_t k = 0; k < (int64_t)w->S * w->M * w->V; k++)
        if (w->in->electric[k % w->V]) ev_net[(k / w->V) % w->M] += p->vans[k];
}

/* Cost of station s's vans blk (M x V) with its shortfall and parking
 * overrun at the program's penalties (units as in the program: vans of
 * the type that needs the fewest, vans over the parking). */
static double station_cost(const plan_work *w, int32_t s, const int32_t *blk)
{
    const fc_plan_input *in = w->in;
    double P = w->set->penalty, total = 0;
    for (int32_t m = 0; m < w->M; m++) {
        int64_t k0 = FC_PLAN_SMV(in, s, m, 0);
        const int32_t *n = &blk[(int64_t)m * w->V];
        double vans = 0, cov = plan_coverage(w, s, m, n), R = w->ref[FC_PLAN_SM(in, s, m)];
        for (int32_t v = 0; v < w->V; v++) {
            total += n[v] * w->cost1[k0 + v];
            vans += n[v];
        }
        if (R > 0 && cov < 1 - 1e-9) total += P * ceil((1 - cov) * R - 1e-9);
        if (!isnan(in->parking[s]) && vans > in->parking[s] + 1e-9)
            total += P / 2 * ceil(vans - in->parking[s] - 1e-9);
    }
    return total;
}

/* The same for the whole integer plan. */
static double penalised_cost(const plan_work *w, const fc_plan *p)
{
    double total = 0;
    for (int32_t s = 0; s < w->S; s++) total += station_cost(w, s, &p->vans[FC_PLAN_SMV(w->in, s, 0, 0)]);
    return total;
}

/* The whole plan as one program: needed for branch and bound. */
static int solve_monolithic(plan_work *w, fc_plan *p, fc_diag *d)
{
    const fc_plan_input *in = w->in;
    int32_t S = w->S, M = w->M, V = w->V;
    int rc = FC_OK, oom = 0;
    glp_prob *lp = glp_create_prob();
    triplets t = {0};
    glp_set_obj_dir(lp, GLP_MIN);
    for (int32_t s = 0; s < S; s++) oom |= build_station(w, lp, &t, s);
    /* Network electric supply, cumulative: sum_s,e x[s,m,e] <= now + supply so far. */
    for (int32_t m = 0; m < M; m++) {
        w->row_supply[m] = 0;
        if (isinf(w->supply_cap[m])) continue;
        int r = add_row_up(lp, w->supply_cap[m]);
        w->row_supply[m] = r;
        for (int32_t s = 0; s < S; s++)
            for (int32_t e = 0; e < V; e++) {
                int64_t k = FC_PLAN_SMV(in, s, m, e);
                if (in->electric[e] && w->col[k]) oom |= trip_add(&t, r, w->col[k], 1.0);
            }
        /* Penalised slack: a current electric fleet above the supply still plans. */
        oom |= trip_add(&t, r, add_col(lp, 0.0, INFINITY, w->set->penalty, w->set->integer), -1.0);
    }
    if (oom) {
        fc_diag_error(d, FC_EINTERNAL, "plan: out of memory building the program");
        rc = FC_EINTERNAL;
        goto done;
    }
    p->nrows = glp_get_num_rows(lp);
    p->ncols = glp_get_num_cols(lp);
    if (p->ncols == 0) {
        p->lp_status = GLP_OPT;
        goto done;
    }
    load(lp, &t);
    p->lp_status = simplex(lp, 0);
    if (p->lp_status != GLP_OPT) {
        fc_diag_error(d, FC_EINTERNAL, "plan: the LP solver failed (status %d)", p->lp_status);
        rc = FC_EINTERNAL;
        goto done;
    }
    for (int64_t k = 0; k < (int64_t)S * M * V; k++)
        p->x_lp[k] = w->col[k] ? glp_get_col_prim(lp, w->col[k]) : 0.0;
    for (int32_t s = 0; s < S; s++) read_duals(w, lp, p, s);
    for (int32_t m = 0; m < M; m++)
        w->supply_dual[m] = w->row_supply[m] ? glp_get_row_dual(lp, w->row_supply[m]) : 0.0;
    for (int64_t k = 0; k < (int64_t)S * M * V; k++)
        w->dj[k] = w->col[k] ? glp_get_col_dual(lp, w->col[k]) : 0.0;
    if (w->set->integer) {
        glp_iocp iocp;
        glp_init_iocp(&iocp);
        iocp.msg_lev = GLP_MSG_OFF;
        iocp.presolve = GLP_OFF;
        iocp.tm_lim = (int)(w->set->time_limit_s * 1000);
        iocp.mip_gap = 0.0;
        glp_intopt(lp, &iocp);
        p->mip_status = glp_mip_status(lp);
        if (p->mip_status == GLP_OPT || p->mip_status == GLP_FEAS) {
            for (int64_t k = 0; k < (int64_t)S * M * V; k++)
                p->vans[k] = w->col[k] ? (int32_t)llround(glp_mip_col_val(lp, w->col[k])) : 0;
            /* GLPK accepts values within 1e-5 of a whole number, so a
             * shortfall below that can pass as u = 0 and remain once the
             * vans are rounded: such a station is repaired as a rounded
             * plan would be (the coverage restored, the excess trimmed). */
            double *ev_net = calloc((size_t)M, sizeof(double));
            if (!ev_net) {
                fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
                rc = FC_EINTERNAL;
                goto done;
            }
            set_targets(w, p);
            ev_count(w, p, ev_net);
            for (int32_t s = 0; s < S; s++)
                for (int32_t m = 0; m < M; m++) {
                    int64_t sm = FC_PLAN_SM(in, s, m);
                    if (!w->col_u[sm] || glp_mip_col_val(lp, w->col_u[sm]) >= 0.5) continue;
                    if (plan_coverage(w, s, m, &p->vans[FC_PLAN_SMV(in, s, m, 0)]) >=
                        w->target[sm] - 1e-9)
                        continue;
                    round_station(w, p, ev_net, s, 0);
                    break;
                }
            free(ev_net);
        }
    }
done:
    glp_delete_prob(lp);
    free(t.ia);
    free(t.ja);
    free(t.ar);
    return rc;
}

/* ---- the decomposed relaxation: station programs in worker threads ----
 *
 * Every station's program lives in the thread that built it (GLPK keeps
 * its memory per thread), station s in thread s % T. The main thread is
 * worker 0 and hands out jobs; results go to per-station slots and are
 * summed in station order, so the plan does not depend on T. */

#define FC_PLAN_PRICE_STEPS 30

typedef struct sta {
    glp_prob *lp;              /* NULL: no columns */
    int nr, nc;
    int *rstat, *cstat;        /* basis handed to the whole program */
    int fail;                  /* 1 solver, 2 memory */
} sta;

enum { JOB_SOLVE, JOB_PRICE, JOB_BASIS, JOB_MIP, JOB_QUIT };

typedef struct worker_arg {
    struct pool *P;
    int t;
} worker_arg;

typedef struct pool {
    plan_work *w;
    fc_plan *p;
    sta *st;
    int T, started;            /* threads wanted (incl. main), workers running */
    int job;
    const double *lambda;      /* [M] supply prices added to electric columns */
    struct mip_job *mip;       /* JOB_MIP: the station branch and bounds */
    triplets *trip;            /* [T] */
    worker_arg *args;          /* [T] */
    pthread_t *tid;            /* [T] */
    int sync;                  /* 3: mutex and both conditions made; else serial */
    pthread_mutex_t mu;
    pthread_cond_t cv_go, cv_done;
    unsigned gen;
    int ndone;
} pool;

static void station_x(plan_work *w, fc_plan *p, glp_prob *lp, int32_t s)
{
    for (int32_t m = 0; m < w->M; m++)
        for (int32_t v = 0; v < w->V; v++) {
            int64_t k = FC_PLAN_SMV(w->in, s, m, v);
            p->x_lp[k] = w->col[k] ? glp_get_col_prim(lp, w->col[k]) : 0.0;
        }
}

static void station_mip(pool *P, int32_t s, int t);

static void station_job(pool *P, int32_t s, int t)
{
    plan_work *w = P->w;
    sta *st = &P->st[s];
    if (st->fail) return;
    switch (P->job) {
    case JOB_SOLVE: {
        triplets *tr = &P->trip[t];
        glp_prob *sub = glp_create_prob();
        glp_set_obj_dir(sub, GLP_MIN);
        tr->n = 0;
        if (build_station(w, sub, tr, s)) {
            glp_delete_prob(sub);
            st->fail = 2;
            return;
        }
        st->nr = glp_get_num_rows(sub);
        st->nc = glp_get_num_cols(sub);
        if (st->nc == 0) {
            glp_delete_prob(sub);
            tr->n = 0;
            return;
        }
        load(sub, tr);
        if (simplex(sub, 0) != GLP_OPT) {
            glp_delete_prob(sub);
            st->fail = 1;
            return;
        }
        station_x(w, P->p, sub, s);
        read_duals(w, sub, P->p, s);
        st->lp = sub;
        break;
    }
    case JOB_PRICE:
        if (!st->lp) return;
        for (int32_t m = 0; m < w->M; m++)
            for (int32_t e = 0; e < w->V; e++) {
                int64_t k = FC_PLAN_SMV(w->in, s, m, e);
                if (w->in->electric[e] && w->col[k])
                    glp_set_obj_coef(st->lp, w->col[k], w->cost1[k] + P->lambda[m]);
            }
        if (simplex(st->lp, 1) != GLP_OPT) {
            st->fail = 1;
            return;
        }
        station_x(w, P->p, st->lp, s);
        break;
    case JOB_BASIS:
        if (!st->lp) return;
        st->rstat = malloc((size_t)st->nr * sizeof(int));
        st->cstat = malloc((size_t)st->nc * sizeof(int));
        if (!st->rstat || !st->cstat) {
            st->fail = 2;
        } else {
            for (int i = 1; i <= st->nr; i++) st->rstat[i - 1] = glp_get_row_stat(st->lp, i);
            for (int j = 1; j <= st->nc; j++) st->cstat[j - 1] = glp_get_col_stat(st->lp, j);
        }
        glp_delete_prob(st->lp); /* no longer needed */
        st->lp = NULL;
        break;
    case JOB_MIP:
        station_mip(P, s, t);
        break;
    case JOB_QUIT:
        if (st->lp) glp_delete_prob(st->lp);
        st->lp = NULL;
        break;
    }
}

static void pool_block(pool *P, int t)
{
    for (int32_t s = t; s < P->w->S; s += P->T) station_job(P, s, t);
}

static void *pool_worker(void *arg)
{
    worker_arg *a = arg;
    pool *P = a->P;
    unsigned seen = 0;
    glp_term_out(GLP_OFF);
    for (;;) {
        pthread_mutex_lock(&P->mu);
        while (P->gen == seen) pthread_cond_wait(&P->cv_go, &P->mu);
        seen = P->gen;
        int job = P->job;
        pthread_mutex_unlock(&P->mu);
        pool_block(P, a->t);
        pthread_mutex_lock(&P->mu);
        P->ndone++;
        pthread_cond_signal(&P->cv_done);
        pthread_mutex_unlock(&P->mu);
        if (job == JOB_QUIT) break;
    }
    glp_free_env(); /* this thread's GLPK environment */
    return NULL;
}

/* Run a job on every station; the main thread takes block 0 and the
 * blocks of workers that could not be started. */
static void pool_run(pool *P, int job)
{
    if (P->sync != 3) {
        P->job = job;
        for (int t = 0; t < P->T; t++) pool_block(P, t);
        return;
    }
    pthread_mutex_lock(&P->mu);
    P->job = job;
    P->ndone = 0;
    P->gen++;
    pthread_cond_broadcast(&P->cv_go);
    pthread_mutex_unlock(&P->mu);
    pool_block(P, 0);
    for (int t = 1 + P->started; t < P->T; t++) pool_block(P, t);
    pthread_mutex_lock(&P->mu);
    while (P->ndone < P->started) pthread_cond_wait(&P->cv_done, &P->mu);
    pthread_mutex_unlock(&P->mu);
}

/* Start the worker threads of P (P->T wanted, the main thread being
 * worker 0); without them the jobs run in the main thread. */
static void pool_open(pool *P)
{
    P->args = calloc((size_t)P->T, sizeof(worker_arg));
    P->tid = calloc((size_t)P->T, sizeof(pthread_t));
    P->sync = 0;
    if (P->args && P->tid && pthread_mutex_init(&P->mu, NULL) == 0) {
        P->sync = 1;
        if (pthread_cond_init(&P->cv_go, NULL) == 0) {
            P->sync = 2;
            if (pthread_cond_init(&P->cv_done, NULL) == 0) P->sync = 3;
        }
    }
    if (P->sync == 3)
        for (int k = 1; k < P->T; k++) {
            P->args[k] = (worker_arg){P, k};
            if (pthread_create(&P->tid[k], NULL, pool_worker, &P->args[k]) != 0) break;
            P->started++;
        }
}

/* Every station's program deleted, the threads joined. */
static void pool_close(pool *P)
{
    pool_run(P, JOB_QUIT);
    for (int k = 1; k <= P->started; k++) pthread_join(P->tid[k], NULL);
    if (P->sync >= 1) pthread_mutex_destroy(&P->mu);
    if (P->sync >= 2) pthread_cond_destroy(&P->cv_go);
    if (P->sync >= 3) pthread_cond_destroy(&P->cv_done);
    P->sync = 0;
    P->started = 0;
    free(P->args);
    free(P->tid);
    P->args = NULL;
    P->tid = NULL;
}

static int plan_threads(const plan_work *w)
{
    int T = fc_parallel_threads(w->set->threads);
    if (T > 16) T = 16;
    if (T > w->S) T = w->S > 0 ? w->S : 1;
    return T;
}

/* Electric vans of the relaxation in month m over the network. */
static double ev_usage(const plan_work *w, const fc_plan *p, int32_t m)
{
    double used = 0;
    for (int32_t s = 0; s < w->S; s++)
        for (int32_t v = 0; v < w->V; v++)
            if (w->in->electric[v]) used += p->x_lp[FC_PLAN_SMV(w->in, s, m, v)];
    return used;
}

/* The relaxation for a large plan. Stations are tied only by the network
 * electric supply, so each station is first solved as its own small
 * program (in parallel); when their wishes fit the supply that is the
 * optimum. Otherwise one price per month on the supply rows is found by
 * bisection (Lagrangian relaxation: each step re-solves the stations from
 * their last basis with the electric columns dearer by the price), and the
 * whole program starts from the stations' bases at those prices with the
 * supply overrun held by the supply rows' slack; the primal simplex then
 * needs only the few pivots around the marginal stations
 * (docs/plan.md, "Solving it"). Exact either way. */
static int solve_decomposed(plan_work *w, fc_plan *p, fc_diag *d)
{
    const fc_plan_input *in = w->in;
    int32_t S = w->S, M = w->M, V = w->V;
    int rc = FC_OK;
    triplets t = {0};
    glp_prob *lp = NULL;
    int any_supply = 0;
    for (int32_t m = 0; m < M; m++) any_supply |= !isinf(w->supply_cap[m]);
    p->nrows = p->ncols = 0;

    pool P = {0};
    P.w = w;
    P.p = p;
    P.T = plan_threads(w);
    P.st = calloc((size_t)S + 1, sizeof(sta));
    P.trip = calloc((size_t)P.T, sizeof(triplets));
    double *lambda = calloc((size_t)M, sizeof(double)), *lo = calloc((size_t)M, sizeof(double)),
           *hi = calloc((size_t)M, sizeof(double)), *ub = calloc((size_t)M, sizeof(double)),
           *used = calloc((size_t)M, sizeof(double));
    if (!P.st || !P.trip || !lambda || !lo || !hi || !ub || !used) {
        rc = FC_EINTERNAL;
        fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
        goto out;
    }
    P.lambda = lambda;
    pool_open(&P);

    pool_run(&P, JOB_SOLVE);
    int bad = 0;
    for (int32_t s = 0; s < S; s++) {
        if (P.st[s].fail > bad) bad = P.st[s].fail;
        if (P.st[s].nc) {
            p->nrows += P.st[s].nr;
            p->ncols += P.st[s].nc;
        }
    }
    if (bad) goto quit;
    p->lp_status = GLP_OPT;
    int over = 0;
    for (int32_t m = 0; m < M && any_supply; m++) {
        used[m] = ev_usage(w, p, m);
        if (used[m] > w->supply_cap[m] + 1e-7) over = 1;
    }
    if (!over) goto quit;

    /* Prices, one per month that is over: a first guess from the largest
     * saving an electric van makes in the month over the cheapest
     * combustion type covering the same routes, raised fourfold while a
     * month stays over, then bisection. The prices only steer the start of
     * the whole program below, which is solved exactly; they need not be
     * exact. */
    for (int32_t m = 0; m < M; m++) {
        double u = 0;
        for (int32_t s = 0; s < S; s++) {
            int64_t k0 = FC_PLAN_SMV(in, s, m, 0);
            double comb = INFINITY;
            for (int32_t v = 0; v < V; v++)
                if (!in->electric[v] && w->col[k0 + v] && w->need[k0 + v] > 0 &&
                    w->cost1[k0 + v] / w->need[k0 + v] < comb)
                    comb = w->cost1[k0 + v] / w->need[k0 + v];
            if (!isfinite(comb)) comb = w->set->penalty / (w->ref[FC_PLAN_SM(in, s, m)] > 0 ? w->ref[FC_PLAN_SM(in, s, m)] : 1.0);
            for (int32_t e = 0; e < V; e++)
                if (in->electric[e] && w->col[k0 + e] && w->need[k0 + e] > 0) {
                    double sv = comb * w->need[k0 + e] - w->cost1[k0 + e];
                    if (sv > u) u = sv;
                }
        }
        ub[m] = u > 0 ? u * 1.01 : 1.0;
        lo[m] = 0;
        hi[m] = !isinf(w->supply_cap[m]) && used[m] > w->supply_cap[m] + 1e-7 ? ub[m] : 0.0;
    }
    for (int grow = 0; grow < 8; grow++) {
        int again = 0;
        for (int32_t m = 0; m < M; m++) lambda[m] = hi[m];
        pool_run(&P, JOB_PRICE);
        for (int32_t s = 0; s < S; s++)
            if (P.st[s].fail) goto quit_fail;
        for (int32_t m = 0; m < M; m++) {
            if (isinf(w->supply_cap[m])) continue;
            used[m] = ev_usage(w, p, m);
            if (used[m] > w->supply_cap[m] + 1e-7) {
                lo[m] = hi[m];
                hi[m] = hi[m] > 0 ? hi[m] * 4 : ub[m];
                again = 1;
            }
        }
        if (!again) break;
    }
    for (int it = 0; it < FC_PLAN_PRICE_STEPS; it++) {
        for (int32_t m = 0; m < M; m++) lambda[m] = 0.5 * (lo[m] + hi[m]);
        pool_run(&P, JOB_PRICE);
        for (int32_t s = 0; s < S; s++)
            if (P.st[s].fail) goto quit_fail;
        int done = 1;
        for (int32_t m = 0; m < M; m++) {
            if (isinf(w->supply_cap[m])) continue;
            double cap = w->supply_cap[m];
            used[m] = ev_usage(w, p, m);
            /* The months are tied (a van bought is kept), so a bracket
             * can turn out wrong when the other prices move: widen it. */
            int closed = hi[m] - lo[m] <= 1e-3 * (1 + hi[m]);
            if (used[m] > cap + 1e-7) {
                lo[m] = lambda[m];
                if (hi[m] == 0) hi[m] = ub[m];
                else if (closed) hi[m] = 2 * hi[m];
            } else {
                hi[m] = lambda[m];
                if (closed && lo[m] > 0) lo[m] *= 0.5;
            }
            /* Settled: within the supply, and no price needed or the
             * supply used to within a van. */
            int ok = used[m] <= cap + 1e-7 && (hi[m] == 0 || used[m] >= cap - 1.0);
            if (!ok) done = 0;
        }
        if (done) break;
    }
    pool_run(&P, JOB_BASIS);
    for (int32_t s = 0; s < S; s++)
        if (P.st[s].fail == 2) goto quit_oom;

    /* The whole program, rows and columns in the same order as above. */
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    int oom = 0;
    for (int32_t s = 0; s < S; s++) oom |= build_station(w, lp, &t, s);
    int base_r = glp_get_num_rows(lp), base_c = glp_get_num_cols(lp);
    for (int32_t m = 0; m < M; m++) {
        w->row_supply[m] = 0;
        if (isinf(w->supply_cap[m])) continue;
        int r = add_row_up(lp, w->supply_cap[m]);
        w->row_supply[m] = r;
        for (int32_t s = 0; s < S; s++)
            for (int32_t e = 0; e < V; e++) {
                int64_t k = FC_PLAN_SMV(in, s, m, e);
                if (in->electric[e] && w->col[k]) oom |= trip_add(&t, r, w->col[k], 1.0);
            }
        oom |= trip_add(&t, r, add_col(lp, 0.0, INFINITY, w->set->penalty, 0), -1.0);
    }
    if (oom) goto quit_oom;
    if (base_r != p->nrows || base_c != p->ncols) goto quit_fail;
    load(lp, &t);
    int r0 = 0, c0 = 0;
    for (int32_t s = 0; s < S; s++) {
        sta *st = &P.st[s];
        if (!st->nc) continue;
        for (int i = 0; i < st->nr; i++) glp_set_row_stat(lp, r0 + i + 1, st->rstat[i]);
        for (int j = 0; j < st->nc; j++) glp_set_col_stat(lp, c0 + j + 1, st->cstat[j]);
        r0 += st->nr;
        c0 += st->nc;
    }
    /* Supply rows: a month over its cap starts with the overrun in its
     * (penalised) slack column, so the start is primal feasible. */
    for (int32_t m = 0, j = base_c + 1; m < M; m++) {
        if (!w->row_supply[m]) continue;
        int over_m = used[m] > w->supply_cap[m] + 1e-9;
        glp_set_row_stat(lp, w->row_supply[m], over_m ? GLP_NU : GLP_BS);
        glp_set_col_stat(lp, j++, over_m ? GLP_BS : GLP_NL);
    }
    p->nrows = glp_get_num_rows(lp);
    p->ncols = glp_get_num_cols(lp);
    glp_scale_prob(lp, GLP_SF_AUTO);
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.meth = GLP_PRIMAL;
    int ret = glp_simplex(lp, &smcp);
    if (ret != 0 || glp_get_status(lp) != GLP_OPT) {
        if (simplex(lp, 0) != GLP_OPT) goto quit_fail;
    }
    for (int64_t k = 0; k < (int64_t)S * M * V; k++)
        p->x_lp[k] = w->col[k] ? glp_get_col_prim(lp, w->col[k]) : 0.0;
    for (int32_t s = 0; s < S; s++) read_duals(w, lp, p, s);
    for (int32_t m = 0; m < M; m++)
        w->supply_dual[m] = w->row_supply[m] ? glp_get_row_dual(lp, w->row_supply[m]) : 0.0;
    for (int64_t k = 0; k < (int64_t)S * M * V; k++)
        w->dj[k] = w->col[k] ? glp_get_col_dual(lp, w->col[k]) : 0.0;
    goto quit;
quit_oom:
    fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
    rc = FC_EINTERNAL;
    goto quit;
quit_fail:
    fc_diag_error(d, FC_EINTERNAL, "plan: the LP solver failed");
    rc = FC_EINTERNAL;
    p->lp_status = GLP_UNDEF;
quit:
    if (rc == FC_OK && bad) {
        fc_diag_error(d, bad == 2 ? FC_EINTERNAL : FC_EINTERNAL,
                      bad == 2 ? "plan: out of memory" : "plan: the LP solver failed");
        rc = FC_EINTERNAL;
        p->lp_status = GLP_UNDEF;
    }
    pool_close(&P);
out:
    if (lp) glp_delete_prob(lp);
    if (P.st)
        for (int32_t s = 0; s < S; s++) {
            free(P.st[s].rstat);
            free(P.st[s].cstat);
        }
    if (P.trip)
        for (int k = 0; k < P.T; k++) {
            free(P.trip[k].ia);
            free(P.trip[k].ja);
            free(P.trip[k].ar);
        }
    free(P.st);
    free(P.trip);
    free(lambda);
    free(lo);
    free(hi);
    free(ub);
    free(used);
    free(t.ia);
    free(t.ja);
    free(t.ar);
    return rc;
}

/* ---- the integer plan by station (docs/plan.md, "Integer plan by station") ----
 *
 * Each station's program is a small branch and bound of its own, with
 * the electric columns priced by the relaxation's supply duals, started
 * from the station's rounded plan (JOB_MIP in the station threads). Where
 * the stations then overrun the supply, those above their share of the
 * relaxation are solved again with capped electric vans; one plan per
 * station is chosen under the supply rows (bs_choose), and improved by
 * moving supply between stations (bs_exchange). */

/* The work of the branch and bounds is a node budget, not a clock, so
 * that the plan does not depend on the machine or the threads: per
 * second of time_limit_s MIP_NODES_PER_S nodes, split over the stations,
 * at least MIP_NODES_MIN each (at 1,000 stations and the default 10 s,
 * 50 nodes: about 20 s of one core with what follows); the searches of
 * the exchange (bs_exchange) at most MIP_EXCHANGE_NODES. The clocks are
 * safety nets: one station's search stops at time_limit_s, all of them
 * at MIP_TOTAL_LIMITS x time_limit_s; a plan the clock stopped depends
 * on the machine's speed and says so in a warning. */
#define MIP_NODES_PER_S 5000
#define MIP_NODES_MIN 10
#define MIP_EXCHANGE_NODES 200
#define MIP_TOTAL_LIMITS 6

enum { MIP_NONE, MIP_FEAS, MIP_OPT };

static long mip_nodes(const plan_work *w)
{
    double n = MIP_NODES_PER_S * w->set->time_limit_s / (w->S > 0 ? w->S : 1);
    return n > MIP_NODES_MIN ? (n < 1e9 ? (long)n : 1000000000L) : MIP_NODES_MIN;
}

/* Nodes of the branch and bound that chooses among the stations' plans. */
#define MIP_CHOOSE_NODES 20000

typedef struct mip_job {
    const double *price;       /* [M] supply prices on the electric columns */
    const int32_t *cap;        /* [S*M] electric vans a station-month may hold (-1 = any), or NULL */
    const unsigned char *todo; /* [S] stations to solve */
    const int32_t *start;      /* [S*M*V] the first incumbent, where it fits (the rounded plan) */
    int32_t *out;              /* [S*M*V] the station's plan where status > MIP_NONE */
    unsigned char *status;     /* [S] MIP_* */
    unsigned char *late;       /* [S] stopped (or not started) at the deadline */
    unsigned char *hair;       /* [S] a month short by less than GLPK's integrality
                                  tolerance with no shortfall counted: to repair */
    unsigned char *oom;        /* [S] */
    long nodes;                /* node budget of one station */
    double deadline;           /* CLOCK_MONOTONIC seconds: all stations stop */
} mip_job;

static double mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct mip_cb_info {
    const double *x0;          /* offered at the first heuristic call, then NULL */
    long nodes;
    double deadline;
    int late;
} mip_cb_info;

static void mip_callback(glp_tree *T, void *info)
{
    mip_cb_info *c = info;
    if (glp_ios_reason(T) == GLP_IHEUR && c->x0) {
        glp_ios_heur_sol(T, c->x0); /* rejected when not better: nothing lost */
        c->x0 = NULL;
    }
    int a, n, t;
    glp_ios_tree_size(T, &a, &n, &t);
    if (t > c->nodes) {
        glp_ios_terminate(T);
    } else if (mono_now() > c->deadline) {
        c->late = 1;
        glp_ios_terminate(T);
    }
}

/* The whole column vector (1-based) of station s's program lp at the
 * vans blk, for glp_ios_heur_sol: the vans fixed, the slacks from the
 * program then rounded up where they are whole units (which keeps every
 * row: each slack only relaxes its rows). NULL where blk breaks a row
 * that has no slack (an electric cap), or out of memory. */
static double *start_vector(plan_work *w, glp_prob *lp, int32_t s, const int32_t *blk)
{
    const fc_plan_input *in = w->in;
    int32_t M = w->M, V = w->V;
    int n = glp_get_num_cols(lp), ok = 1;
    double *x = malloc(((size_t)n + 1) * sizeof *x), *lb = malloc(((size_t)M * V + 1) * sizeof *lb);
    if (!x || !lb) {
        free(x);
        free(lb);
        return NULL;
    }
    for (int32_t m = 0; m < M; m++)
        for (int32_t v = 0; v < V; v++) {
            int j = w->col[FC_PLAN_SMV(in, s, m, v)];
            if (!j) continue;
            lb[(int64_t)m * V + v] = glp_get_col_lb(lp, j);
            if (blk[(int64_t)m * V + v] < lb[(int64_t)m * V + v]) ok = 0;
            glp_set_col_bnds(lp, j, GLP_FX, blk[(int64_t)m * V + v], blk[(int64_t)m * V + v]);
        }
    if (ok && simplex(lp, 0) == GLP_OPT) {
        for (int j = 1; j <= n; j++) {
            x[j] = glp_get_col_prim(lp, j);
            if (glp_get_col_kind(lp, j) == GLP_IV) x[j] = ceil(x[j] - 1e-9);
        }
    } else
        ok = 0;
    for (int32_t m = 0; m < M; m++)
        for (int32_t v = 0; v < V; v++) {
            int j = w->col[FC_PLAN_SMV(in, s, m, v)];
            if (j) glp_set_col_bnds(lp, j, GLP_LO, lb[(int64_t)m * V + v], 0.0);
        }
    free(lb);
    if (!ok) {
        free(x);
        return NULL;
    }
    return x;
}

/* JOB_MIP: station s's branch and bound (in worker t's GLPK). */
static void station_mip(pool *P, int32_t s, int t)
{
    plan_work *w = P->w;
    mip_job *J = P->mip;
    const fc_plan_input *in = w->in;
    int32_t M = w->M, V = w->V;
    int64_t k0 = FC_PLAN_SMV(in, s, 0, 0);
    if (!J->todo[s]) return;
    J->status[s] = MIP_NONE;
    J->late[s] = J->hair[s] = J->oom[s] = 0;
    double now = mono_now();
    if (now > J->deadline) {
        J->late[s] = 1;
        return;
    }
    triplets *tr = &P->trip[t];
    tr->n = 0;
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    double *x0 = NULL;
    int oom = build_station(w, lp, tr, s);
    if (!oom && glp_get_num_cols(lp) == 0) {
        memset(&J->out[k0], 0, (size_t)M * V * sizeof(int32_t));
        J->status[s] = MIP_OPT;
        goto done;
    }
    for (int32_t m = 0; m < M && J->cap && !oom; m++) {
        int32_t c = J->cap[FC_PLAN_SM(in, s, m)];
        if (c < 0) continue;
        int r = 0;
        for (int32_t e = 0; e < V; e++) {
            int j = w->col[FC_PLAN_SMV(in, s, m, e)];
            if (!in->electric[e] || !j) continue;
            if (!r) r = add_row_up(lp, c);
            oom |= trip_add(tr, r, j, 1.0);
        }
    }
    if (oom) goto done;
    load(lp, tr);
    for (int32_t m = 0; m < M; m++)
        for (int32_t e = 0; e < V; e++) {
            int64_t k = FC_PLAN_SMV(in, s, m, e);
            if (in->electric[e] && w->col[k]) glp_set_obj_coef(lp, w->col[k], w->cost1[k] + J->price[m]);
        }
    x0 = start_vector(w, lp, s, &J->start[k0]);
    if (simplex(lp, 0) != GLP_OPT) goto done;
    mip_cb_info cb = {x0, J->nodes, J->deadline, 0};
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    io.presolve = GLP_OFF;
    /* Gomory's cuts and a depth-first search: with a budget of tens of
     * nodes this finds the better plans (docs/performance.md). */
    io.gmi_cuts = GLP_ON;
    io.br_tech = GLP_BR_DTH;
    io.bt_tech = GLP_BT_DFS;
    io.mip_gap = 0.0;
    double left = J->deadline - mono_now();
    if (left > w->set->time_limit_s) left = w->set->time_limit_s;
    io.tm_lim = left < 1e-3 ? 1 : left > 1e6 ? 1000000000 : (int)(left * 1000);
    io.cb_func = mip_callback;
    io.cb_info = &cb;
    int ret = glp_intopt(lp, &io);
    int st = glp_mip_status(lp);
    if (ret == GLP_ETMLIM) cb.late = 1;
    J->late[s] = (unsigned char)cb.late;
    if (st != GLP_OPT && st != GLP_FEAS) goto done;
    J->status[s] = st == GLP_OPT ? MIP_OPT : MIP_FEAS;
    for (int32_t m = 0; m < M; m++) {
        int64_t sm = FC_PLAN_SM(in, s, m);
        for (int32_t v = 0; v < V; v++) {
            int j = w->col[FC_PLAN_SMV(in, s, m, v)];
            J->out[k0 + (int64_t)m * V + v] = j ? (int32_t)llround(glp_mip_col_val(lp, j)) : 0;
        }
        /* GLPK takes values within 1e-5 of a whole number as whole (see
         * solve_monolithic): such a month is repaired as rounding would. */
        if (w->col_u[sm] && glp_mip_col_val(lp, w->col_u[sm]) < 0.5 &&
            plan_coverage(w, s, m, &J->out[k0 + (int64_t)m * V]) < w->target[sm] - 1e-9)
            J->hair[s] = 1;
    }
done:
    J->oom[s] = (unsigned char)oom;
    free(x0);
    glp_delete_prob(lp);
    tr->n = 0;
}

/* Electric vans of station s in month m of the vans blk (M x V). */
static int32_t station_ev(const plan_work *w, const int32_t *blk, int32_t m)
{
    int32_t n = 0;
    for (int32_t e = 0; e < w->V; e++)
        if (w->in->electric[e]) n += blk[(int64_t)m * w->V + e];
    return n;
}

/* Whole electric vans the network may still add in month m (-1: no cap). */
static int32_t supply_left(const plan_work *w, const double *ev_net, int32_t m)
{
    if (isinf(w->supply_cap[m])) return -1;
    double left = floor(w->supply_cap[m] - ev_net[m] + 1e-9);
    return left > 0 ? (int32_t)(left < 1e6 ? left : 1e6) : 0;
}

/* The integer plan by station: its state. Each station has a few
 * candidate plans (options); one per station is chosen under the supply
 * rows by a small program (bs_choose). */
enum { OPT_ROUNDED, OPT_PRICED, OPT_CAPPED };

typedef struct bs_opt {
    int32_t s;
    int kind;                  /* OPT_*: the rounded plan, the branch and bound at the
                                  prices, or one with capped electric vans */
    int proven;                /* OPT_PRICED: its branch and bound finished */
    int next;                  /* the station's next option, -1 = none */
    int64_t off;               /* its vans: blocks[off .. off + M*V - 1] */
    double cost;               /* station_cost */
} bs_opt;

typedef struct by_station {
    plan_work *w;
    fc_plan *p;
    pool P;
    mip_job J;
    int32_t *rounded;          /* [S*M*V] the rounded plan (the fallback) */
    int32_t *out;              /* [S*M*V] the branch and bounds' plans */
    int32_t *start;            /* [S*M*V] first incumbents */
    int32_t *cap;              /* [S*M] */
    double *price, *zero, *ev_net, *score; /* [M], [M], [M], [S] */
    int32_t *left;             /* [M] whole electric vans the network may add (-1: any) */
    unsigned char *flags;      /* the job's todo, status, late, hair, oom [S each] */
    unsigned char *todo;
    unsigned char *play;       /* [M] the supply priced, or the first plans over it */
    unsigned char *tight;      /* [M] no whole van left */
    unsigned char *polished;   /* [S] solved unpriced at what it holds (exchange (a)) */
    int32_t *order, *cand;     /* [S] */
    int64_t *ks;               /* [S * MIP_EXCHANGE_VARIANTS] a candidate's variants:
                                  month k, plus M for two vans */
    int *nk;                   /* [S] how many */
    bs_opt *opt;               /* options */
    int nopt, capopt;
    int32_t *blocks;
    int64_t nblk, capblk;
    int *first, *cur;          /* [S] first option, chosen option */
    int nlate, rounds;
} by_station;

static int month_over(const plan_work *w, const double *ev_net, int32_t m)
{
    return ev_net[m] > w->supply_cap[m] + 1e-9;
}

/* Run the branch and bounds of the stations in todo; 0, or -1 out of memory. */
static int bs_run(by_station *b)
{
    pool_run(&b->P, JOB_MIP);
    for (int32_t s = 0; s < b->w->S; s++) {
        if (!b->todo[s]) continue;
        if (b->J.oom[s]) return -1;
        b->nlate += b->J.late[s];
    }
    return 0;
}

/* Station s's option with vans blk (M x V), unless it has it already;
 * its index, or -1 out of memory. */
static int bs_add(by_station *b, int32_t s, const int32_t *blk, int kind, int proven)
{
    const plan_work *w = b->w;
    int64_t n = (int64_t)w->M * w->V;
    for (int o = b->first[s]; o >= 0; o = b->opt[o].next)
        if (memcmp(&b->blocks[b->opt[o].off], blk, (size_t)n * sizeof(int32_t)) == 0) {
            if (kind == OPT_PRICED) {
                b->opt[o].kind = kind;
                b->opt[o].proven = proven;
            }
            return o;
        }
    if (b->nopt == b->capopt) {
        int c = b->capopt ? 2 * b->capopt : 4096;
        bs_opt *o = realloc(b->opt, (size_t)c * sizeof *o);
        if (!o) return -1;
        b->opt = o;
        b->capopt = c;
    }
    if (b->nblk + n > b->capblk) {
        int64_t c = b->capblk ? 2 * b->capblk : 65536;
        while (c < b->nblk + n) c *= 2;
        int32_t *bl = realloc(b->blocks, (size_t)c * sizeof(int32_t));
        if (!bl) return -1;
        b->blocks = bl;
        b->capblk = c;
    }
    memcpy(&b->blocks[b->nblk], blk, (size_t)n * sizeof(int32_t));
    /* the list stays in the order the options came */
    int o = b->nopt++, *link = &b->first[s];
    while (*link >= 0) link = &b->opt[*link].next;
    *link = o;
    b->opt[o] = (bs_opt){s, kind, proven, -1, b->nblk, station_cost(w, s, blk)};
    b->nblk += n;
    return o;
}

static const int32_t *bs_vans(const by_station *b, int o)
{
    return &b->blocks[b->opt[o].off];
}

/* The k stations of order[0 .. n-1] with the smallest score (ties: the
 * smaller index) moved to its front, in that order; returns min(k, n). */
static int32_t top_k(int32_t *order, int32_t n, const double *score, int32_t k)
{
    if (k > n) k = n;
    for (int32_t i = 0; i < k; i++) {
        int32_t b = i;
        for (int32_t j = i + 1; j < n; j++)
            if (score[order[j]] < score[order[b]] ||
                (score[order[j]] == score[order[b]] && order[j] < order[b]))
                b = j;
        int32_t t = order[i];
        order[i] = order[b];
        order[b] = t;
    }
    return k;
}

typedef struct choose_cb {
    const double *x0;
    double deadline;
    int late;
} choose_cb;

static void choose_callback(glp_tree *T, void *info)
{
    choose_cb *c = info;
    if (glp_ios_reason(T) == GLP_IHEUR && c->x0) {
        glp_ios_heur_sol(T, c->x0);
        c->x0 = NULL;
    }
    int a, n, t;
    glp_ios_tree_size(T, &a, &n, &t);
    if (t > MIP_CHOOSE_NODES) {
        glp_ios_terminate(T);
    } else if (mono_now() > c->deadline) {
        c->late = 1;
        glp_ios_terminate(T);
    }
}

/* One option per station, the cheapest set within the supply rows: a
 * multiple-choice knapsack over the stations whose options differ in
 * their electric vans, by branch and bound from the current choice
 * (which fits); the other stations take their cheapest option. The costs
 * enter as excess over the station's cheapest option, so that GLPK's
 * relative tolerances apply to the differences, not to the plan's whole
 * cost. p->vans gets the choice. 0, or -1 out of memory. */
static int bs_choose(by_station *b)
{
    plan_work *w = b->w;
    fc_plan *p = b->p;
    int32_t S = w->S, M = w->M, V = w->V;
    int64_t blk = (int64_t)M * V;
    double *fixed = b->ev_net;
    int coupled = 0;
    for (int32_t m = 0; m < M; m++) {
        fixed[m] = 0;
        coupled |= !isinf(w->supply_cap[m]);
    }
    int *col = calloc((size_t)b->nopt + 1, sizeof(int));
    triplets t = {0};
    if (!col) return -1;
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    int oom = 0, nc = 0;
    for (int32_t s = 0; s < S; s++) {
        int o0 = b->first[s], same = 1, best = o0;
        for (int o = o0; o >= 0; o = b->opt[o].next) {
            for (int32_t m = 0; m < M && same; m++)
                if (station_ev(w, bs_vans(b, o), m) != station_ev(w, bs_vans(b, o0), m)) same = 0;
            if (b->opt[o].cost < b->opt[best].cost) best = o;
        }
        if (same || !coupled) {
            b->cur[s] = best;
            for (int32_t m = 0; m < M; m++) fixed[m] += station_ev(w, bs_vans(b, best), m);
            continue;
        }
        int r = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, r, GLP_FX, 1.0, 1.0);
        for (int o = o0; o >= 0; o = b->opt[o].next) {
            col[o] = glp_add_cols(lp, 1);
            glp_set_col_kind(lp, col[o], GLP_BV);
            glp_set_obj_coef(lp, col[o], b->opt[o].cost - b->opt[best].cost);
            oom |= trip_add(&t, r, col[o], 1.0);
            nc++;
        }
    }
    for (int32_t m = 0; m < M && nc > 0 && !oom; m++) {
        if (isinf(w->supply_cap[m])) continue;
        int r = add_row_up(lp, w->supply_cap[m] - fixed[m] + 1e-9);
        for (int o = 0; o < b->nopt; o++) {
            int32_t e = station_ev(w, bs_vans(b, o), m);
            if (col[o] && e) oom |= trip_add(&t, r, col[o], e);
        }
    }
    double *x0 = nc > 0 && !oom ? calloc((size_t)glp_get_num_cols(lp) + 1, sizeof(double)) : NULL;
    if (nc > 0 && !oom && !x0) oom = 1;
    if (x0) {
        load(lp, &t);
        /* the current choice is the first incumbent where it fits (it
         * does, but GLPK would take it unchecked) */
        int fits = 1;
        for (int32_t m = 0; m < M; m++) {
            double e = 0;
            for (int32_t s = 0; s < S; s++) e += station_ev(w, bs_vans(b, b->cur[s]), m);
            if (e > w->supply_cap[m] + 1e-9) fits = 0;
        }
        for (int32_t s = 0; s < S; s++)
            if (col[b->cur[s]]) x0[col[b->cur[s]]] = 1.0;
        if (simplex(lp, 0) == GLP_OPT) {
            choose_cb cb = {fits ? x0 : NULL, b->J.deadline, 0};
            glp_iocp io;
            glp_init_iocp(&io);
            io.msg_lev = GLP_MSG_OFF;
            io.presolve = GLP_OFF;
            io.mip_gap = 0.0;
            io.cb_func = choose_callback;
            io.cb_info = &cb;
            glp_intopt(lp, &io);
            b->nlate += cb.late;
            int st = glp_mip_status(lp);
            if (st == GLP_OPT || st == GLP_FEAS)
                for (int o = 0; o < b->nopt; o++)
                    if (col[o] && glp_mip_col_val(lp, col[o]) > 0.5) b->cur[b->opt[o].s] = o;
        }
    }
    free(x0);
    free(col);
    free(t.ia);
    free(t.ja);
    free(t.ar);
    glp_delete_prob(lp);
    for (int32_t s = 0; s < S; s++) memcpy(&p->vans[s * blk], bs_vans(b, b->cur[s]), (size_t)blk * sizeof(int32_t));
    return oom ? -1 : 0;
}

/* The options of the stations in todo from the last JOB_MIP. */
static int bs_collect(by_station *b, int kind)
{
    int64_t blk = (int64_t)b->w->M * b->w->V;
    for (int32_t s = 0; s < b->w->S; s++)
        if (b->todo[s] && b->J.status[s] != MIP_NONE &&
            bs_add(b, s, &b->out[s * blk], kind, b->J.status[s] == MIP_OPT && !b->J.hair[s]) < 0)
            return -1;
    return 0;
}

static double bs_total(const by_station *b)
{
    double c = 0;
    for (int32_t s = 0; s < b->w->S; s++) c += b->opt[b->cur[s]].cost;
    return c;
}

/* Electric vans station s must hold in month m (its current ones, before
 * the scrap month). */
static int32_t ev_floor(const plan_work *w, int32_t s, int32_t m)
{
    int32_t n = 0;
    if (m >= w->scrap) return 0;
    for (int32_t e = 0; e < w->V; e++)
        if (w->in->electric[e]) n += w->in->current[FC_PLAN_SV(w->in, s, e)];
    return n;
}

/* What an electric van saves at (s, m) over the cheapest combustion
 * coverage (the penalty where no combustion type serves); -INFINITY where
 * no electric type may serve. */
static double ev_saving(const plan_work *w, int32_t s, int32_t m)
{
    const fc_plan_input *in = w->in;
    int64_t k0 = FC_PLAN_SMV(in, s, m, 0);
    double comb = INFINITY, best = -INFINITY;
    for (int32_t v = 0; v < w->V; v++)
        if (!in->electric[v] && w->col[k0 + v] && w->need[k0 + v] > 0 && w->cost1[k0 + v] / w->need[k0 + v] < comb)
            comb = w->cost1[k0 + v] / w->need[k0 + v];
    for (int32_t e = 0; e < w->V; e++) {
        if (!in->electric[e] || !w->col[k0 + e] || !(w->need[k0 + e] > 0)) continue;
        double sv = isfinite(comb) ? comb * w->need[k0 + e] - w->cost1[k0 + e] : w->set->penalty;
        if (sv > best) best = sv;
    }
    return best;
}

/* Exchange of supply between stations. In the months in play (the
 * supply priced, or the stations' first plans over it) the stations are
 * solved again unpriced with their electric vans capped around what they
 * hold: those with room for an electric van, where it saves most, (a)
 * capped at what they hold plus what the network has left, (b) one more
 * from a month k on in the months with no whole van left ("tight", in
 * play or not: a later month's supply holds the earlier ones); those
 * holding electric vans above what they must keep, where they save least,
 * (c) one fewer from a month k on in the tight months (the purchase of
 * month k not made).
 * (b) and (c) also with two vans (the choice is not convex: two vans may
 * pay where one does not). Their plans join the options and the choice is
 * made again, until it no longer gains. At most MIP_EXCHANGE_STATIONS
 * stations each way and MIP_EXCHANGE_MONTHS months k per station,
 * MIP_EXCHANGE_ROUNDS rounds. */
#define MIP_EXCHANGE_STATIONS 8
#define MIP_EXCHANGE_MONTHS 3
#define MIP_EXCHANGE_VARIANTS (2 * MIP_EXCHANGE_MONTHS)
#define MIP_EXCHANGE_ROUNDS 3

/* The stations that may move one way (dir 0: take what is left, 1: take
 * one more, 2: give one), best first, into b->order; how many. */
static int32_t exchange_candidates(by_station *b, int dir, const unsigned char *tight)
{
    plan_work *w = b->w;
    fc_plan *p = b->p;
    const fc_plan_input *in = w->in;
    int64_t blk = (int64_t)w->M * w->V;
    int32_t nc = 0;
    for (int32_t s = 0; s < w->S; s++) {
        const int32_t *cur = &p->vans[s * blk];
        double val = -INFINITY;
        /* (a) also for a station still on its rounded plan, which may not
         * be the best with its own electric vans (once) */
        if (dir == 0 && b->opt[b->cur[s]].kind == OPT_ROUNDED && !b->polished[s]) val = INFINITY;
        for (int32_t m = 0; m < w->M; m++) {
            int ok = 0;
            if (!(dir == 0 ? b->left[m] > 0 : tight[m])) continue;
            if (dir < 2) {
                for (int32_t e = 0; e < w->V && !ok; e++) {
                    int64_t k = FC_PLAN_SMV(in, s, m, e);
                    ok = in->electric[e] && w->col[k] && w->need[k] > 0 &&
                         !(plan_ev_room(w, p, b->ev_net, s, m, e) & ELECTRIC_LIMITS);
                }
            } else
                ok = station_ev(w, cur, m) > ev_floor(w, s, m);
            if (ok && ev_saving(w, s, m) > val) val = ev_saving(w, s, m);
        }
        if (val == -INFINITY) continue;
        b->score[s] = dir < 2 ? -val : val;
        b->order[nc++] = s;
    }
    nc = top_k(b->order, nc, b->score, MIP_EXCHANGE_STATIONS);
    if (dir == 0)
        for (int32_t i = 0; i < nc; i++) b->polished[b->order[i]] = 1;
    return nc;
}

static int bs_exchange(by_station *b)
{
    plan_work *w = b->w;
    fc_plan *p = b->p;
    const fc_plan_input *in = w->in;
    int32_t S = w->S, M = w->M;
    int64_t blk = (int64_t)M * w->V;
    int any = 0;
    for (int32_t m = 0; m < M; m++) any |= b->play[m] && !isinf(w->supply_cap[m]);
    if (!any) return 0;
    double before = bs_total(b);
    if (b->J.nodes > MIP_EXCHANGE_NODES) b->J.nodes = MIP_EXCHANGE_NODES;
    unsigned char *tight = b->tight;
    int32_t *cand = b->cand;
    int64_t *ks = b->ks;
    int *nk = b->nk;
    for (b->rounds = 0; b->rounds < MIP_EXCHANGE_ROUNDS; b->rounds++) {
        ev_count(w, p, b->ev_net);
        for (int32_t m = 0; m < M; m++) {
            b->left[m] = supply_left(w, b->ev_net, m);
            tight[m] = b->left[m] == 0;
        }
        memcpy(b->start, p->vans, (size_t)S * blk * sizeof(int32_t));
        b->J.price = b->zero;
        b->J.cap = b->cap;
        for (int dir = 0; dir < 3; dir++) {
            int32_t nc = exchange_candidates(b, dir, tight);
            memcpy(cand, b->order, (size_t)nc * sizeof(int32_t));
            /* the variants of each candidate: a month k and one or two
             * vans (one pass for dir 0) */
            int most = 0;
            for (int32_t i = 0; i < nc; i++) {
                int32_t s = cand[i];
                const int32_t *cur = &b->start[s * blk];
                int64_t *kv = &ks[(int64_t)i * MIP_EXCHANGE_VARIANTS];
                nk[i] = 0;
                for (int32_t m = 0, months = 0; m < M && months < MIP_EXCHANGE_MONTHS; m++) {
                    if (dir == 0 ? m > 0 : !tight[m]) continue;
                    /* give: a purchase (more than the month before and
                     * than the station must keep) */
                    if (dir == 2 && (station_ev(w, cur, m) <= ev_floor(w, s, m) ||
                                     (m > 0 && station_ev(w, cur, m) <= station_ev(w, cur, m - 1))))
                        continue;
                    months++;
                    kv[nk[i]++] = m;
                    if (dir == 1 || (dir == 2 && station_ev(w, cur, m) - 2 >= ev_floor(w, s, m)))
                        kv[nk[i]++] = M + m; /* two vans */
                }
                if (nk[i] > most) most = nk[i];
            }
            for (int pass = 0; pass < most; pass++) {
                for (int32_t s = 0; s < S; s++) b->todo[s] = 0;
                for (int32_t i = 0; i < nc; i++) {
                    if (pass >= nk[i]) continue;
                    int32_t s = cand[i];
                    int64_t k = ks[(int64_t)i * MIP_EXCHANGE_VARIANTS + pass];
                    int32_t vans = k >= M ? 2 : 1;
                    k %= M;
                    b->todo[s] = 1;
                    for (int32_t m = 0; m < M; m++) {
                        int32_t held = station_ev(w, &b->start[s * blk], m), c = held + b->left[m],
                                lo = ev_floor(w, s, m);
                        if (isinf(w->supply_cap[m])) c = -1;
                        else if (tight[m] && dir == 1) c = m >= k ? held + vans : held;
                        else if (tight[m] && dir == 2) c = m >= k ? (held - vans >= lo ? held - vans : lo) : held;
                        b->cap[FC_PLAN_SM(in, s, m)] = c;
                    }
                }
                b->J.start = dir < 2 ? b->start : b->rounded;
                if (bs_run(b) || bs_collect(b, OPT_CAPPED)) return -1;
            }
        }
        if (bs_choose(b)) return -1;
        double now = bs_total(b);
        if (!(now < before - 1e-9 * (1 + fabs(before)))) break;
        before = now;
    }
    return 0;
}

/* The integer plan by station, after the relaxation (x_lp, the supply
 * duals) and the rounded plan (p->vans, kept as the fallback). */
static int solve_by_station(plan_work *w, fc_plan *p, fc_diag *d)
{
    const fc_plan_input *in = w->in;
    int32_t S = w->S, M = w->M, V = w->V;
    int64_t n = (int64_t)S * M * V, blk = (int64_t)M * V;
    int rc = FC_OK, opened = 0;
    double t0 = mono_now();
    by_station b = {0};
    b.w = w;
    b.p = p;
    b.price = calloc((size_t)M * 3 + 1, sizeof(double));
    b.score = calloc((size_t)S + 1, sizeof(double));
    b.rounded = malloc(((size_t)n * 3 + 1) * sizeof(int32_t));
    b.cap = malloc(((size_t)S * M + 1) * sizeof(int32_t));
    b.flags = calloc((size_t)S * 6 + 2 * (size_t)M + 1, 1);
    b.order = calloc((size_t)S * 2 + M + 1, sizeof(int32_t));
    b.ks = calloc((size_t)S * MIP_EXCHANGE_VARIANTS + 1, sizeof(int64_t));
    b.nk = calloc((size_t)S + 1, sizeof(int));
    b.first = malloc(((size_t)S + 1) * sizeof(int));
    b.cur = calloc((size_t)S + 1, sizeof(int));
    b.P.w = w;
    b.P.p = p;
    b.P.T = plan_threads(w);
    b.P.st = calloc((size_t)S + 1, sizeof(sta));
    b.P.trip = calloc((size_t)b.P.T, sizeof(triplets));
    if (!b.price || !b.score || !b.rounded || !b.cap || !b.flags || !b.order || !b.ks || !b.nk || !b.first ||
        !b.cur || !b.P.st || !b.P.trip) {
        rc = FC_EINTERNAL;
        goto out;
    }
    for (int32_t s = 0; s < S; s++) b.first[s] = -1;
    b.zero = b.price + M;
    b.ev_net = b.price + 2 * M;
    b.cand = b.order + S;
    b.left = b.order + 2 * S;
    b.out = b.rounded + n;
    b.start = b.rounded + 2 * n;
    b.todo = b.flags;
    b.play = b.flags + 5 * S;
    b.tight = b.play + M;
    b.polished = b.tight + M;
    memcpy(b.rounded, p->vans, (size_t)n * sizeof(int32_t));
    for (int32_t m = 0; m < M; m++) b.price[m] = w->supply_dual[m] < 0 ? -w->supply_dual[m] : 0.0;
    b.J = (mip_job){b.price, NULL, b.todo, b.rounded, b.out, b.flags + S, b.flags + 2 * S,
                    b.flags + 3 * S, b.flags + 4 * S,
                    mip_nodes(w),
                    t0 + MIP_TOTAL_LIMITS * w->set->time_limit_s};
    b.P.mip = &b.J;
    pool_open(&b.P);
    opened = 1;

    /* Every station at the supply prices, from its rounded plan; the
     * rounded plans are the first choice (they fit the supply). */
    for (int32_t s = 0; s < S; s++)
        if ((b.cur[s] = bs_add(&b, s, &b.rounded[s * blk], OPT_ROUNDED, 0)) < 0) goto oom;
    for (int32_t s = 0; s < S; s++) b.todo[s] = 1;
    if (bs_run(&b)) goto oom;
    /* their plans together, to see which months they hold over the supply */
    memcpy(b.start, p->vans, (size_t)n * sizeof(int32_t));
    for (int32_t s = 0; s < S; s++)
        if (b.J.status[s] != MIP_NONE) memcpy(&p->vans[s * blk], &b.out[s * blk], (size_t)blk * sizeof(int32_t));
    ev_count(w, p, b.ev_net);
    for (int32_t s = 0; s < S; s++)
        if (b.J.status[s] != MIP_NONE && b.J.hair[s]) {
            round_station(w, p, b.ev_net, s, 0);
            memcpy(&b.out[s * blk], &p->vans[s * blk], (size_t)blk * sizeof(int32_t));
        }
    ev_count(w, p, b.ev_net);
    int over = 0;
    for (int32_t m = 0; m < M; m++) {
        b.play[m] = b.price[m] > 0 || month_over(w, b.ev_net, m);
        over |= month_over(w, b.ev_net, m);
    }
    if (bs_collect(&b, OPT_PRICED)) goto oom;
    if (over) {
        /* The stations holding more than their share of the relaxation
         * (the floor of its electric vans) in a month over: capped at that
         * share in the months over and at what they hold in the others.
         * These plans together fit. */
        for (int32_t s = 0; s < S; s++) {
            const int32_t *cur = &p->vans[s * blk];
            b.todo[s] = 0;
            for (int32_t m = 0; m < M; m++) {
                double lp_ev = 0;
                for (int32_t e = 0; e < V; e++)
                    if (in->electric[e]) lp_ev += p->x_lp[FC_PLAN_SMV(in, s, m, e)];
                int32_t share = (int32_t)floor(lp_ev + 1e-6), held = station_ev(w, cur, m);
                int om = month_over(w, b.ev_net, m);
                b.cap[FC_PLAN_SM(in, s, m)] = om && share < held ? share : held;
                if (om && held > share) b.todo[s] = 1;
            }
        }
        b.J.cap = b.cap;
        if (bs_run(&b) || bs_collect(&b, OPT_CAPPED)) goto oom;
    }
    memcpy(p->vans, b.start, (size_t)n * sizeof(int32_t));
    if (bs_choose(&b)) goto oom;
    if (bs_exchange(&b)) goto oom;

    /* Proven optimal: every station at its program's optimum at the
     * prices (the first options), and the supply used up wherever it is
     * priced (Lagrangian sufficiency). */
    int proven = 1;
    ev_count(w, p, b.ev_net);
    for (int32_t s = 0; s < S; s++) {
        const bs_opt *o = &b.opt[b.cur[s]];
        p->mip_optimal += o->kind != OPT_ROUNDED && o->proven;
        p->mip_rounded += o->kind == OPT_ROUNDED;
        if (o->kind != OPT_PRICED || !o->proven) proven = 0;
    }
    for (int32_t m = 0; m < M; m++)
        if (b.price[m] > 0 && b.ev_net[m] < w->supply_cap[m] - 1e-9) proven = 0;
    p->mip_status = proven ? GLP_OPT : GLP_FEAS;
    if (b.nlate)
        fc_diag_warn(d,
                     "plan: the clock (time_limit_s %g s a station, %g s in all) stopped %d branch "
                     "and bound%s before its node budget; the plan depends on the machine's speed",
                     w->set->time_limit_s, MIP_TOTAL_LIMITS * w->set->time_limit_s, b.nlate,
                     b.nlate > 1 ? "s" : "");
    goto out;
oom:
    rc = FC_EINTERNAL;
out:
    if (opened) pool_close(&b.P);
    if (rc) fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
    free(b.P.st);
    if (b.P.trip)
        for (int k = 0; k < b.P.T; k++) {
            free(b.P.trip[k].ia);
            free(b.P.trip[k].ja);
            free(b.P.trip[k].ar);
        }
    free(b.P.trip);
    free(b.price);
    free(b.score);
    free(b.rounded);
    free(b.cap);
    free(b.flags);
    free(b.order);
    free(b.nk);
    free(b.ks);
    free(b.first);
    free(b.cur);
    free(b.opt);
    free(b.blocks);
    return rc;
}

int plan_lp_solve(plan_work *w, fc_plan *p, fc_diag *d)
{
    int32_t S = w->S, M = w->M, V = w->V;
    int whole = w->set->integer == FC_PLAN_MIP_WHOLE;
    int term = glp_term_out(GLP_OFF);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    p->mip_status = 0;
    p->mip_optimal = p->mip_rounded = 0;
    int rc = whole ? solve_monolithic(w, p, d) : solve_decomposed(w, p, d);
    if (rc) {
        glp_term_out(term);
        return rc;
    }
    set_targets(w, p);
    if (whole && p->mip_status == GLP_FEAS) {
        /* Stopped at the time limit with an integer plan that is not
         * proven optimal: keep the rounded plan if it is better at the
         * program's penalties (an early incumbent may leave routes
         * uncovered that rounding covers). */
        size_t nb = (size_t)S * M * V * sizeof(int32_t);
        int32_t *mip = malloc(nb ? nb : 1);
        if (!mip) {
            glp_term_out(term);
            fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
            return FC_EINTERNAL;
        }
        memcpy(mip, p->vans, nb);
        double c_mip = penalised_cost(w, p);
        if (round_plan(w, p) != 0) {
            free(mip);
            glp_term_out(term);
            fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
            return FC_EINTERNAL;
        }
        if (c_mip <= penalised_cost(w, p)) memcpy(p->vans, mip, nb);
        else
            fc_diag_warn(d, "plan: branch and bound stopped at %g s; the rounded plan is better and is kept",
                         w->set->time_limit_s);
        free(mip);
    }
    if (!(whole && (p->mip_status == GLP_OPT || p->mip_status == GLP_FEAS))) {
        if (whole)
            fc_diag_warn(d, "plan: branch and bound found no integer plan in %g s; rounding the LP",
                         w->set->time_limit_s);
        if (round_plan(w, p) != 0) {
            glp_term_out(term);
            fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
            return FC_EINTERNAL;
        }
    }
    if (w->set->integer == FC_PLAN_MIP_STATIONS) rc = solve_by_station(w, p, d);
    glp_term_out(term);
    if (rc) return rc;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    p->solve_seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    return FC_OK;
}
