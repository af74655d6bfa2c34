/* lp.c -- the plan's linear program (GLPK): vans by station, month and
 * type; cost minimised subject to demand, parking, the current fleet,
 * electric supply, range, chargers and site power, with penalised slack so
 * that an infeasible input still gives a plan; then integer vans by
 * rounding with a feasibility repair, or by branch and bound
 * (docs/plan.md, "The program"). */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

double plan_coverage(const plan_work *w, int32_t s, int32_t m, const int32_t *n)
{
    double cov = 0;
    for (int32_t v = 0; v < w->V; v++) {
        double nd = w->need[FC_PLAN_SMV(w->in, s, m, v)];
        if (nd > 0) cov += n[v] / nd;
    }
    return cov;
}

/* Energy a night (grid kWh) of one electric van of type e at (s, m). */
static double night_kwh(const plan_work *w, int64_t k)
{
    return w->ev[k].energy / w->set->charger_efficiency;
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
    double add = 1.0 / w->need[ke];
    if (ev_cov >= 1.0 - 1e-9) bits |= 1u << FC_LIMIT_DEMAND;
    /* Range: every nested row that type e enters. */
    for (int32_t e2 = 0; e2 < w->V; e2++) {
        int64_t k2 = FC_PLAN_SMV(in, s, m, e2);
        if (!in->electric[e2] || !(w->need[k2] > 0) || w->ev[k2].threshold < w->ev[ke].threshold)
            continue;
        double sum = add;
        for (int32_t e3 = 0; e3 < w->V; e3++) {
            int64_t k3 = FC_PLAN_SMV(in, s, m, e3);
            if (in->electric[e3] && w->need[k3] > 0 && w->ev[k3].threshold <= w->ev[k2].threshold)
                sum += n[e3] / w->need[k3];
        }
        if (sum > w->ev[k2].share + 1e-9) bits |= 1u << FC_LIMIT_RANGE;
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
    for (int32_t s = 0; s < S; s++)
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
            double park = in->parking[s];
            if (!isnan(park)) {
                double total = 0;
                for (int32_t v = 0; v < V; v++) total += n[v];
                int changed = 1;
                while (total > park + 1e-9 && changed) {
                    changed = 0;
                    /* Give up the van whose loss keeps coverage and saves most. */
                    int32_t best = -1;
                    double saving = -INFINITY;
                    for (int32_t v = 0; v < V; v++) {
                        int64_t k = k0 + v;
                        if (n[v] <= lb[v] || in->electric[v]) continue;
                        double drop = w->need[k] > 0 ? 1.0 / w->need[k] : 0.0;
                        if (cov - drop < target - 1e-9) continue;
                        if (w->cost1[k] > saving) {
                            saving = w->cost1[k];
                            best = v;
                        }
                    }
                    if (best >= 0) {
                        n[best]--;
                        total--;
                        cov = plan_coverage(w, s, m, n);
                        changed = 1;
                    }
                }
            }
        }
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
            w->col_u[sm] = add_col(lp, 0.0, R, P, 0);
            oom |= trip_add(t, r, w->col_u[sm], 1.0);
        }
        /* Parking: sum_v x_v - o <= parking (overrun cheaper than uncovered routes). */
        w->row_park[sm] = w->col_o[sm] = 0;
        if (!isnan(in->parking[s])) {
            int r = add_row_up(lp, in->parking[s]);
            w->row_park[sm] = r;
            for (int32_t v = 0; v < V; v++)
                if (w->col[k0 + v]) oom |= trip_add(t, r, w->col[k0 + v], 1.0);
            w->col_o[sm] = add_col(lp, 0.0, INFINITY, P / 2, 0);
            oom |= trip_add(t, r, w->col_o[sm], -1.0);
        }
        /* Range: nested by each type's flat-km threshold (docs/plan.md). */
        int any_ev = 0;
        for (int32_t e = 0; e < V; e++) {
            int64_t ke = k0 + e;
            w->row_range[ke] = 0;
            if (!in->electric[e] || !w->col[ke]) continue;
            any_ev = 1;
            if (!(w->need[ke] > 0)) continue;
            int r = add_row_up(lp, w->ev[ke].share * w->need[ke]);
            w->row_range[ke] = r;
            for (int32_t e2 = 0; e2 < V; e2++) {
                int64_t k2 = k0 + e2;
                if (in->electric[e2] && w->col[k2] && w->need[k2] > 0 &&
                    w->ev[k2].threshold <= w->ev[ke].threshold)
                    oom |= trip_add(t, r, w->col[k2], w->need[ke] / w->need[k2]);
            }
            if (has_ev_now) oom |= trip_add(t, r, add_col(lp, 0.0, INFINITY, P, 0), -1.0);
        }
        w->row_chg[sm] = w->row_pow[sm] = w->row_cpow[sm] = 0;
        if (!any_ev) continue;
        double ch = in->chargers[s], ckw = in->charger_kw[s], site = in->site_power_kw[s];
        double win = set->charging_window_h;
        if (!isnan(ch)) {
            int r = add_row_up(lp, ch * set->vans_per_charger);
            w->row_chg[sm] = r;
            for (int32_t e = 0; e < V; e++)
                if (in->electric[e] && w->col[k0 + e]) oom |= trip_add(t, r, w->col[k0 + e], 1.0);
            if (has_ev_now) oom |= trip_add(t, r, add_col(lp, 0.0, INFINITY, P, 0), -1.0);
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
            if (has_ev_now) oom |= trip_add(t, r, add_col(lp, 0.0, INFINITY, P, 0), -1.0);
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
        for (int32_t v = 0; v < w->V; v++)
            if (w->row_range[k0 + v]) {
                /* Per percentage point of feasible routes. */
                double dd = glp_get_row_dual(lp, w->row_range[k0 + v]) * w->need[k0 + v] / 100.0;
                if (dd < c->dual_range) c->dual_range = dd;
            }
    }
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
        oom |= trip_add(&t, r, add_col(lp, 0.0, INFINITY, w->set->penalty, 0), -1.0);
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
    if (w->set->integer) {
        glp_iocp iocp;
        glp_init_iocp(&iocp);
        iocp.msg_lev = GLP_MSG_OFF;
        iocp.presolve = GLP_OFF;
        iocp.tm_lim = (int)(w->set->time_limit_s * 1000);
        iocp.mip_gap = 0.0;
        glp_intopt(lp, &iocp);
        p->mip_status = glp_mip_status(lp);
        if (p->mip_status == GLP_OPT || p->mip_status == GLP_FEAS)
            for (int64_t k = 0; k < (int64_t)S * M * V; k++)
                p->vans[k] = w->col[k] ? (int32_t)llround(glp_mip_col_val(lp, w->col[k])) : 0;
    }
done:
    glp_delete_prob(lp);
    free(t.ia);
    free(t.ja);
    free(t.ar);
    return rc;
}

/* The relaxation for a large plan. Stations are tied only by the network
 * electric supply, so each station is first solved as its own small
 * program; when their wishes fit the supply that is the optimum. Otherwise
 * the whole program starts from the stations' optimal bases (dual
 * feasible: only the supply rows are violated) and the dual simplex mends
 * just those (docs/plan.md, "Solving it"). Exact either way. */
static int solve_decomposed(plan_work *w, fc_plan *p, fc_diag *d)
{
    const fc_plan_input *in = w->in;
    int32_t S = w->S, M = w->M, V = w->V;
    int rc = FC_OK;
    int nr_all = 0, nc_all = 0, cap_r = 0, cap_c = 0;
    int *rstat = NULL, *cstat = NULL;
    triplets t = {0};
    glp_prob *lp = NULL;
    int any_supply = 0;
    for (int32_t m = 0; m < M; m++) any_supply |= !isinf(w->supply_cap[m]);
    p->nrows = p->ncols = 0;
    for (int32_t s = 0; s < S; s++) {
        glp_prob *sub = glp_create_prob();
        glp_set_obj_dir(sub, GLP_MIN);
        if (build_station(w, sub, &t, s)) {
            glp_delete_prob(sub);
            goto oom;
        }
        int nr = glp_get_num_rows(sub), nc = glp_get_num_cols(sub);
        if (nc == 0) {
            glp_delete_prob(sub);
            t.n = 0;
            continue;
        }
        load(sub, &t);
        if (simplex(sub, 0) != GLP_OPT) {
            glp_delete_prob(sub);
            goto fail;
        }
        for (int32_t m = 0; m < M; m++)
            for (int32_t v = 0; v < V; v++) {
                int64_t k = FC_PLAN_SMV(in, s, m, v);
                p->x_lp[k] = w->col[k] ? glp_get_col_prim(sub, w->col[k]) : 0.0;
            }
        read_duals(w, sub, p, s);
        if (any_supply) {
            /* Keep the basis for a warm start of the whole program. */
            if (nr_all + nr > cap_r || nc_all + nc > cap_c) {
                cap_r = (nr_all + nr) * 2;
                cap_c = (nc_all + nc) * 2;
                int *a = realloc(rstat, (size_t)cap_r * sizeof(int));
                if (a) rstat = a;
                int *b = realloc(cstat, (size_t)cap_c * sizeof(int));
                if (b) cstat = b;
                if (!a || !b) {
                    glp_delete_prob(sub);
                    goto oom;
                }
            }
            for (int i = 1; i <= nr; i++) rstat[nr_all + i - 1] = glp_get_row_stat(sub, i);
            for (int j = 1; j <= nc; j++) cstat[nc_all + j - 1] = glp_get_col_stat(sub, j);
        }
        /* A station without columns adds a free row in load(); count real ones. */
        nr_all += nr;
        nc_all += nc;
        glp_delete_prob(sub);
    }
    p->nrows = nr_all;
    p->ncols = nc_all;
    p->lp_status = GLP_OPT;
    int over = 0;
    for (int32_t m = 0; m < M && any_supply; m++) {
        double used = 0;
        for (int32_t s = 0; s < S; s++)
            for (int32_t v = 0; v < V; v++)
                if (in->electric[v]) used += p->x_lp[FC_PLAN_SMV(in, s, m, v)];
        if (used > w->supply_cap[m] + 1e-7) over = 1;
    }
    if (!over) goto done;

    /* The whole program, rows and columns in the same order as above. */
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    int oom = 0;
    int32_t *sr0 = calloc((size_t)S + 1, sizeof(int32_t)), *sc0 = calloc((size_t)S + 1, sizeof(int32_t));
    if (!sr0 || !sc0) {
        free(sr0);
        free(sc0);
        goto oom;
    }
    for (int32_t s = 0; s < S; s++) {
        sr0[s] = glp_get_num_rows(lp);
        sc0[s] = glp_get_num_cols(lp);
        oom |= build_station(w, lp, &t, s);
    }
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
    free(sr0);
    free(sc0);
    if (oom || base_r != nr_all || base_c != nc_all) {
        if (oom) goto oom;
        goto fail;
    }
    load(lp, &t);
    for (int i = 1; i <= base_r; i++) glp_set_row_stat(lp, i, rstat[i - 1]);
    for (int j = 1; j <= base_c; j++) glp_set_col_stat(lp, j, cstat[j - 1]);
    for (int i = base_r + 1; i <= glp_get_num_rows(lp); i++) glp_set_row_stat(lp, i, GLP_BS);
    for (int j = base_c + 1; j <= glp_get_num_cols(lp); j++) glp_set_col_stat(lp, j, GLP_NL);
    p->nrows = glp_get_num_rows(lp);
    p->ncols = glp_get_num_cols(lp);
    glp_scale_prob(lp, GLP_SF_AUTO);
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.meth = GLP_DUALP;
    int ret = glp_simplex(lp, &smcp);
    if (ret != 0 || glp_get_status(lp) != GLP_OPT) {
        if (simplex(lp, 0) != GLP_OPT) goto fail;
    }
    for (int64_t k = 0; k < (int64_t)S * M * V; k++)
        p->x_lp[k] = w->col[k] ? glp_get_col_prim(lp, w->col[k]) : 0.0;
    for (int32_t s = 0; s < S; s++) read_duals(w, lp, p, s);
    goto done;
oom:
    fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
    rc = FC_EINTERNAL;
    goto done;
fail:
    fc_diag_error(d, FC_EINTERNAL, "plan: the LP solver failed");
    rc = FC_EINTERNAL;
    p->lp_status = GLP_UNDEF;
done:
    if (lp) glp_delete_prob(lp);
    free(rstat);
    free(cstat);
    free(t.ia);
    free(t.ja);
    free(t.ar);
    return rc;
}

int plan_lp_solve(plan_work *w, fc_plan *p, fc_diag *d)
{
    const fc_plan_input *in = w->in;
    int32_t S = w->S, M = w->M, V = w->V;
    int term = glp_term_out(GLP_OFF);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    p->mip_status = 0;
    int rc = w->set->integer ? solve_monolithic(w, p, d) : solve_decomposed(w, p, d);
    glp_term_out(term);
    if (rc) return rc;
    p->lp_objective = 0;
    for (int32_t s = 0; s < S; s++)
        for (int32_t m = 0; m < M; m++) {
            int64_t k0 = FC_PLAN_SMV(in, s, m, 0);
            double cov = 0;
            for (int32_t v = 0; v < V; v++) {
                int64_t k = k0 + v;
                if (p->x_lp[k] < 0) p->x_lp[k] = 0;
                p->lp_objective += p->x_lp[k] * w->cost1[k];
                if (w->need[k] > 0) cov += p->x_lp[k] / w->need[k];
            }
            w->target[FC_PLAN_SM(in, s, m)] = cov < 1 ? cov : 1;
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
