/* lp.c -- the plan's linear program (GLPK): vans by station, month and
 * type; cost minimised subject to demand, parking, the current fleet,
 * electric supply, range, chargers and site power, with penalised slack so
 * that an infeasible input still gives a plan; then integer vans by
 * rounding with a feasibility repair, or by branch and bound
 * (docs/plan.md, "The program"). */
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
        c->dual_chargers =
            w->row_chg[sm] ? glp_get_row_dual(lp, w->row_chg[sm]) * set->vans_per_charger : 0;
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

/* Cost of the integer plan with its shortfall and parking overrun at the
 * program's penalties (units as in the program: vans of the type that
 * needs the fewest, vans over the parking). */
static double penalised_cost(const plan_work *w, const fc_plan *p)
{
    const fc_plan_input *in = w->in;
    double P = w->set->penalty, total = 0;
    for (int32_t s = 0; s < w->S; s++)
        for (int32_t m = 0; m < w->M; m++) {
            int64_t k0 = FC_PLAN_SMV(in, s, m, 0);
            const int32_t *n = &p->vans[k0];
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

enum { JOB_SOLVE, JOB_PRICE, JOB_BASIS, JOB_QUIT };

typedef struct pool {
    plan_work *w;
    fc_plan *p;
    sta *st;
    int T, started;            /* threads wanted (incl. main), workers running */
    int job;
    const double *lambda;      /* [M] supply prices added to electric columns */
    triplets *trip;            /* [T] */
    pthread_mutex_t mu;
    pthread_cond_t cv_go, cv_done;
    unsigned gen;
    int ndone;
} pool;

typedef struct worker_arg {
    pool *P;
    int t;
} worker_arg;

static void station_x(plan_work *w, fc_plan *p, glp_prob *lp, int32_t s)
{
    for (int32_t m = 0; m < w->M; m++)
        for (int32_t v = 0; v < w->V; v++) {
            int64_t k = FC_PLAN_SMV(w->in, s, m, v);
            p->x_lp[k] = w->col[k] ? glp_get_col_prim(lp, w->col[k]) : 0.0;
        }
}

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
    worker_arg *args = calloc((size_t)P.T, sizeof(worker_arg));
    pthread_t *tid = calloc((size_t)P.T, sizeof(pthread_t));
    int sync = 0;
    if (!P.st || !P.trip || !lambda || !lo || !hi || !ub || !used || !args || !tid) {
        rc = FC_EINTERNAL;
        fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
        goto out;
    }
    P.lambda = lambda;
    if (pthread_mutex_init(&P.mu, NULL) == 0) {
        if (pthread_cond_init(&P.cv_go, NULL) == 0) {
            if (pthread_cond_init(&P.cv_done, NULL) == 0) sync = 3;
            else sync = 2;
        } else
            sync = 1;
    }
    if (sync == 3)
        for (int k = 1; k < P.T; k++) {
            args[k] = (worker_arg){&P, k};
            if (pthread_create(&tid[k], NULL, pool_worker, &args[k]) != 0) break;
            P.started++;
        }
    if (sync != 3) {
        P.T = 1; /* no threads: serial */
        sync = sync == 0 ? -1 : sync;
    }

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
    pool_run(&P, JOB_QUIT);
    for (int k = 1; k <= P.started; k++) pthread_join(tid[k], NULL);
out:
    if (sync >= 1) pthread_mutex_destroy(&P.mu);
    if (sync >= 2) pthread_cond_destroy(&P.cv_go);
    if (sync >= 3) pthread_cond_destroy(&P.cv_done);
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
    free(args);
    free(tid);
    free(t.ia);
    free(t.ja);
    free(t.ar);
    return rc;
}

int plan_lp_solve(plan_work *w, fc_plan *p, fc_diag *d)
{
    int32_t S = w->S, M = w->M, V = w->V;
    int term = glp_term_out(GLP_OFF);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    p->mip_status = 0;
    int rc = w->set->integer ? solve_monolithic(w, p, d) : solve_decomposed(w, p, d);
    glp_term_out(term);
    if (rc) return rc;
    set_targets(w, p);
    if (w->set->integer && p->mip_status == GLP_FEAS) {
        /* Stopped at the time limit with an integer plan that is not
         * proven optimal: keep the rounded plan if it is better at the
         * program's penalties (an early incumbent may leave routes
         * uncovered that rounding covers). */
        size_t nb = (size_t)S * M * V * sizeof(int32_t);
        int32_t *mip = malloc(nb ? nb : 1);
        if (!mip) {
            fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
            return FC_EINTERNAL;
        }
        memcpy(mip, p->vans, nb);
        double c_mip = penalised_cost(w, p);
        if (round_plan(w, p) != 0) {
            free(mip);
            fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
            return FC_EINTERNAL;
        }
        if (c_mip <= penalised_cost(w, p)) memcpy(p->vans, mip, nb);
        else
            fc_diag_warn(d, "plan: branch and bound stopped at %g s; the rounded plan is better and is kept",
                         w->set->time_limit_s);
        free(mip);
    }
    if (!(w->set->integer && (p->mip_status == GLP_OPT || p->mip_status == GLP_FEAS))) {
        if (w->set->integer)
            fc_diag_warn(d, "plan: branch and bound found no integer plan in %g s; rounding the LP",
                         w->set->time_limit_s);
        if (round_plan(w, p) != 0) {
            fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
            return FC_EINTERNAL;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    p->solve_seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    return FC_OK;
}
