/* plan.c -- the plan end to end: needs and electric feasibility per
 * station, month and van type, the program (lp.c), then per station-month
 * the coverage, infeasibility, the binding limit with what would lift it,
 * and the scenario check of a budgeted fleet (docs/plan.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/date.h"
#include "internal.h"

static const char *limit_names[FC_LIMIT_N] = {"none",    "demand", "range", "site power", "chargers",
                                              "parking", "supply", "cost",  "van types"};

const char *fc_plan_limit_name(int limit)
{
    return limit >= 0 && limit < FC_LIMIT_N ? limit_names[limit] : "?";
}

static double month_routes(const fc_plan_input *in, int64_t k)
{
    double rm = in->routes_month[k];
    if (!isnan(rm)) return rm;
    double p50 = in->routes_p50[k];
    return isnan(p50) ? 0.0 : p50 * 21.0;
}

static double van_cost(const fc_plan_input *in, const fc_plan_settings *set, int32_t s, int32_t m,
                       int32_t v, const fc_plan_ev *ev, double need)
{
    double own = in->cost_per_day[v] * in->days[m];
    double rm = month_routes(in, FC_PLAN_SMV(in, s, m, v));
    if (!(need > 0) || !(rm > 0) || !(ev->km > 0)) return own;
    double co2 = in->co2_kg_per_km[v];
    if (isnan(co2))
        co2 = in->electric[v] ? ev->energy / ev->km / set->charger_efficiency * set->grid_kg_per_kwh
                              : set->fuel_kg_per_km;
    double per_km = in->cost_per_km[v] + set->carbon_price * co2 / 1000.0;
    /* x / need of the month's routes run by this type, each ev->km long. */
    return own + rm * ev->km * per_km / need;
}

static double need_of(const fc_plan_input *in, const fc_plan_settings *set, int32_t s, int32_t v,
                      double routes)
{
    if (!(in->van_types[s] >> v & 1) || !(routes > 0)) return 0.0;
    return routes * (1.0 + set->spare_ratio);
}

double fc_plan_van_cost(const fc_plan_input *in, const fc_plan_settings *set, int32_t s, int32_t m,
                        int32_t v, double n)
{
    fc_plan_ev ev;
    fc_plan_ev_eval(in, set, s, m, v, &ev);
    double need = need_of(in, set, s, v, in->routes_q[FC_PLAN_SMV(in, s, m, v)]);
    return n * van_cost(in, set, s, m, v, &ev, need);
}

void fc_plan_free(fc_plan *p)
{
    if (!p) return;
    free(p->x_lp);
    free(p->vans);
    free(p->need);
    free(p->ev_share);
    free(p->cell);
    free(p->check);
    free(p->main_type);
    free(p);
}

int32_t fc_plan_prev_vans(const fc_plan *p, const fc_plan_input *in, int32_t s, int32_t m, int32_t v)
{
    return m == 0 ? in->current[FC_PLAN_SV(in, s, v)] : p->vans[FC_PLAN_SMV(in, s, m - 1, v)];
}

static void work_free(plan_work *w)
{
    free(w->ev);
    free(w->cost1);
    free(w->has);
    free(w->col);
    free(w->col_u);
    free(w->col_o);
    free(w->row_cover);
    free(w->row_park);
    free(w->row_chg);
    free(w->row_pow);
    free(w->row_cpow);
    free(w->hall);
    free(w->hall_off);
    free(w->row_supply);
    free(w->supply_cap);
    free(w->supply_dual);
    free(w->dj);
    free(w->ref);
    free(w->target);
}

static int check_input(const fc_plan_input *in, const fc_plan_settings *set, fc_diag *d)
{
    if (!in || in->nstations < 0 || in->nmonths <= 0 || in->nvans <= 0 ||
        in->nvans > FC_MAX_VAN_TYPES) {
        fc_diag_error(d, FC_EDATA, "plan: empty or oversized input");
        return FC_EDATA;
    }
    if (!(set->charger_efficiency > 0) || !(set->vans_per_charger > 0) ||
        !(set->charging_window_h >= 0) || !(set->reserve >= 0 && set->reserve < 1) ||
        !(set->spare_ratio >= 0) || !(set->penalty > 0)) {
        fc_diag_error(d, FC_EDATA, "plan: settings out of range (see docs/plan.md)");
        return FC_EDATA;
    }
    for (int32_t v = 0; v < in->nvans; v++)
        if (!(in->cost_per_day[v] >= 0) || !(in->cost_per_km[v] >= 0)) {
            fc_diag_error(d, FC_EDATA, "plan: van type %d: costs must be numbers >= 0", v);
            return FC_EDATA;
        }
    for (int32_t s = 0; s < in->nstations; s++) {
        double lim[4] = {in->parking[s], in->chargers[s], in->charger_kw[s], in->site_power_kw[s]};
        for (int i = 0; i < 4; i++)
            if (lim[i] < 0) {
                fc_diag_error(d, FC_EDATA, "plan: station %s: a negative limit",
                              in->station_names[s] ? in->station_names[s] : "?");
                return FC_EDATA;
            }
        for (int32_t v = 0; v < in->nvans; v++)
            if (in->current[FC_PLAN_SV(in, s, v)] < 0) {
                fc_diag_error(d, FC_EDATA, "plan: negative current fleet");
                return FC_EDATA;
            }
    }
    return FC_OK;
}

/* Battery (kWh) a type-e van would need so that a share `want` of the
 * station-month's routes is feasible; NAN when no battery can (want > 1). */
static double battery_for_share(const fc_plan_input *in, const fc_plan_settings *set, int32_t s,
                                int32_t m, int32_t e, double want)
{
    const fc_plan_sample *smp = &in->samples[FC_PLAN_SV(in, s, e)];
    if (want > 1.0 + 1e-9) return NAN;
    int n = smp->n > 0 ? smp->n : 1;
    double factor = 1.0 / fc_plan_temp_retention(set, in->temperature_c[FC_PLAN_SM(in, s, m)]);
    double kwh = in->kwh_per_km[e];
    double *en = malloc((size_t)n * 2 * sizeof(double));
    if (!en) return NAN;
    double wsum = 0;
    for (int i = 0; i < n; i++) {
        double km = smp->n > 0 ? smp->km[i] : set->default_route_km;
        double hill = smp->n > 0 && smp->hill ? smp->hill[i] : 0.0;
        double wt = smp->n > 0 && smp->weight ? smp->weight[i] : 1.0;
        en[2 * i] = km * kwh * factor * fc_plan_hill_factor(set, hill, kwh);
        en[2 * i + 1] = wt > 0 ? wt : 0;
        wsum += en[2 * i + 1];
    }
    /* Smallest energy whose cumulative weight reaches want (insertion order
     * by energy; samples are small). */
    double best = NAN;
    for (int i = 0; i < n; i++) {
        double below = 0;
        for (int j = 0; j < n; j++)
            if (en[2 * j] <= en[2 * i]) below += en[2 * j + 1];
        if (wsum > 0 && below / wsum >= want - 1e-9 && (isnan(best) || en[2 * i] < best))
            best = en[2 * i];
    }
    free(en);
    return best / (1.0 - set->reserve);
}

/* Battery (kWh) a type-e van would need for one more e van, over the
 * vans n, to fit every range row it enters; NAN when no battery can.
 * Where the rows are Hall's condition over the subsets of two or more
 * electric types (hall.c), a bigger battery adds e's routes in the order
 * of their energy for e, and a subset S holding e is met when the vans of
 * S and the one more run no more than the routes e or another type of S
 * can run: the smallest energy of an e route that meets every such S.
 * Otherwise (one electric type, or rows nested by share) e's own row:
 * the share e must reach, with the types of no larger share. With routes
 * uncovered, or vans owned beyond the range, the battery with which e
 * alone runs every route. */
static double battery_for_room(const plan_work *w, int32_t s, int32_t m, int32_t e, const int32_t *n,
                               int uncovered)
{
    const fc_plan_input *in = w->in;
    const fc_plan_settings *set = w->set;
    int64_t k0 = FC_PLAN_SMV(in, s, m, 0), ke = k0 + e;
    int32_t t[FC_MAX_VAN_TYPES];
    int nt = plan_hall_types(w, s, m, t), je = -1;
    for (int j = 0; j < nt; j++)
        if (t[j] == e) je = j;
    if (je < 0) return NAN;
    const fc_plan_sample *smp = &in->samples[FC_PLAN_SV(in, s, e)];
    int nr = smp->n > 0 ? smp->n : 1;
    uint32_t *mask = NULL;
    double *wt = NULL;
    int exact = nt > 1 && nt <= PLAN_HALL_MAX;
    if (exact) {
        mask = malloc((size_t)nr * sizeof *mask);
        wt = malloc((size_t)nr * 2 * sizeof *wt);
        exact = mask && wt && fc_plan_ev_routes(in, set, s, m, t, nt, mask, wt) == nr;
    }
    if (!exact) {
        free(mask);
        free(wt);
        double nested = 0;
        for (int j = 0; j < nt; j++)
            if (w->ev[k0 + t[j]].share <= w->ev[ke].share) nested += n[t[j]] / w->need[k0 + t[j]];
        double want = nested + 1.0 / w->need[ke];
        if (uncovered || (want > 1.0 && plan_range_lost(w, s, m, n) > 0)) want = 1.0;
        return battery_for_share(in, set, s, m, e, want);
    }
    /* want[S]: the share the vans of S, one more e van among them, cover. */
    double want[1u << PLAN_HALL_MAX], maxwant = 0;
    for (uint32_t S = 0; S < 1u << nt; S++) {
        want[S] = 1.0 / w->need[ke];
        for (int j = 0; j < nt; j++)
            if (S >> j & 1) want[S] += n[t[j]] / w->need[k0 + t[j]];
        if (S >> je & 1 && want[S] > maxwant) maxwant = want[S];
    }
    double best = NAN;
    if (uncovered || (maxwant > 1.0 && plan_range_lost(w, s, m, n) > 0)) {
        best = battery_for_share(in, set, s, m, e, 1.0);
    } else if (maxwant <= 1.0 + 1e-9) {
        /* e's energy of each route (after the weights in wt[0 .. nr-1]) */
        double *en = wt + nr, factor = 1.0 / fc_plan_temp_retention(set, in->temperature_c[FC_PLAN_SM(in, s, m)]);
        double kwh = in->kwh_per_km[e];
        for (int i = 0; i < nr; i++) {
            double km = smp->n > 0 ? smp->km[i] : set->default_route_km;
            double hill = smp->n > 0 && smp->hill ? smp->hill[i] : 0.0;
            en[i] = km * kwh * factor * fc_plan_hill_factor(set, hill, kwh);
        }
        for (int i = 0; i < nr; i++) {
            if (!(wt[i] > 0) || (!isnan(best) && en[i] >= best)) continue;
            int ok = 1;
            for (uint32_t S = 0; S < 1u << nt && ok; S++) {
                if (!(S >> je & 1)) continue;
                double cov = 0;
                for (int j = 0; j < nr; j++)
                    if (wt[j] > 0 && (en[j] <= en[i] || mask[j] & S & ~(1u << je))) cov += wt[j];
                ok = cov >= want[S] - 1e-9;
            }
            if (ok) best = en[i];
        }
        best /= 1.0 - set->reserve;
    }
    free(mask);
    free(wt);
    return best;
}

/* Whether one more electric van of type e would not pay at (s, m) once
 * in, with the cost lift's text in L: bc is its cost for the peak day,
 * cheapest_d the cheapest combustion type's, n the vans held. Before the
 * scrap month no van may be given up: where the combustion vans here are
 * all owned now (the current fleet), an electric van would replace none
 * of them, so no price makes it pay ("retire current vans (scrap_from)",
 * with why unless brief); else the monthly price that would; else, with
 * kept_ok, where they were all bought in earlier months of the plan
 * ("retire vans (scrap_from)"). Returns 0 (L untouched) where it pays,
 * or where there is nothing to compare: no combustion type serves, or bc
 * is not finite (e runs none of the routes). */
static int ev_not_paying(const plan_work *w, const fc_plan *p, int32_t s, int32_t m, int32_t e,
                         double bc, double cheapest_d, int brief, int kept_ok, char *L, size_t LN)
{
    const fc_plan_input *in = w->in;
    int64_t k0 = FC_PLAN_SMV(in, s, m, 0);
    const int32_t *n = &p->vans[k0];
    double extra = e >= 0 && isfinite(bc) && isfinite(cheapest_d) ? (bc - cheapest_d) / w->need[k0 + e] : NAN;
    int held = m < w->scrap, kept = held, comb = 0;
    for (int32_t v = 0; v < w->V && kept; v++) {
        if (in->electric[v] || n[v] == 0) continue;
        comb = 1;
        if (n[v] > in->current[FC_PLAN_SV(in, s, v)]) held = 0;
        /* kept: none bought this month, all held from the month before */
        if (n[v] > fc_plan_prev_vans(p, in, s, m, v)) kept = 0;
    }
    if (held && comb)
        snprintf(L, LN, brief ? "retire current vans (scrap_from)"
                              : "retire current vans (scrap_from): they run the routes, and the fleet only grows before it");
    else if (extra > 0)
        snprintf(L, LN, "electric van %.0f cheaper a month", ceil(extra));
    else if (kept && comb && kept_ok) {
        /* The electric van pays, but every combustion van here was bought
         * in an earlier month of the plan and is kept: one more would
         * replace none of them (a bare "+1 parking space" or "none: room
         * left" read as if it would). */
        snprintf(L, LN, brief ? "retire vans (scrap_from)"
                              : "retire vans (scrap_from): those bought in earlier months run the routes, "
                                "and the fleet only grows before it");
    } else
        return 0;
    return 1;
}

static void explain(const plan_work *w, fc_plan *p, const double *ev_net, int32_t s, int32_t m)
{
    const fc_plan_input *in = w->in;
    const fc_plan_settings *set = w->set;
    int64_t sm = FC_PLAN_SM(in, s, m), k0 = FC_PLAN_SMV(in, s, m, 0);
    fc_plan_cell *c = &p->cell[sm];
    const int32_t *n = &p->vans[k0];
    int32_t e = -1, routes = 0;
    double bc = INFINITY, cheapest_d = INFINITY;
    for (int32_t v = 0; v < w->V; v++) {
        int64_t k = k0 + v;
        if (!(w->need[k] > 0)) continue;
        routes = 1;
        double cc = w->cost1[k] * w->need[k];
        if (in->electric[v] && w->ev[k].share > 0 && cc < bc) {
            bc = cc;
            e = v;
        }
        if (!in->electric[v] && cc < cheapest_d) cheapest_d = cc;
    }
    if (e < 0) /* no electric type can run here at all: say why */
        for (int32_t v = 0; v < w->V; v++)
            if (in->electric[v] && w->need[k0 + v] > 0) e = v;
    /* no routes at all (a station not yet open, or with no volume): demand */
    c->binding_all = !routes ? 1u << FC_LIMIT_DEMAND
                     : e < 0 ? 1u << FC_LIMIT_VAN_TYPES : plan_ev_room(w, p, ev_net, s, m, e);
    /* The supply binds here also when the relaxation prices it and the
     * electric van would pay without that price: rounding electric vans
     * down leaves the network a few short of its cap, so the integer
     * count alone rarely shows it. */
    if (e >= 0 && w->supply_dual[m] < -1e-7 * (1 + fabs(w->cost1[k0 + e])) &&
        w->dj[k0 + e] + w->supply_dual[m] < -1e-7 * (1 + fabs(w->cost1[k0 + e])))
        c->binding_all |= 1u << FC_LIMIT_SUPPLY;
    static const int order[] = {FC_LIMIT_VAN_TYPES, FC_LIMIT_DEMAND, FC_LIMIT_RANGE,
                                FC_LIMIT_SITE_POWER, FC_LIMIT_CHARGERS, FC_LIMIT_SUPPLY,
                                FC_LIMIT_PARKING};
    c->binding = FC_LIMIT_COST;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (c->binding_all >> order[i] & 1) {
            c->binding = order[i];
            break;
        }
    /* Electric vans owned now that the station cannot charge in a night
     * run no route (plan_coverage leaves them out): where that loses more
     * than the range, the charging limit is what binds. */
    int chw;
    double idle, held_ev = 0;
    double chl = plan_charge_lost(w, s, m, n, &chw, &idle);
    for (int32_t v = 0; v < w->V; v++)
        if (in->electric[v]) held_ev += n[v];
    /* The lost share in vans of the type that covers least per van; never
     * more vans than the station holds (with two electric types the kWh
     * limits' share, taken from the type that covers least per kWh, read
     * 2.7 idle vans at a station holding 2). */
    c->ev_idle = chl > 1e-9 ? idle : 0;
    if (c->ev_idle > held_ev) c->ev_idle = held_ev;
    /* the night's energy is that of the vans that can charge */
    if (c->ev_idle > 0 && held_ev > 0) c->ev_energy_kwh *= (held_ev - c->ev_idle) / held_ev;
    if (c->binding != FC_LIMIT_VAN_TYPES && chl > 1e-9 && chl >= plan_range_lost(w, s, m, n)) {
        c->binding = chw;
        c->binding_all |= 1u << chw;
    }
    /* Routes left uncovered: name what stops covering them. Combustion
     * vans have no limit but the parking, so where a combustion type may
     * serve, the parking (with the fleet kept before the scrap month) is
     * what binds; else the electric limit found above. */
    double comb_need = INFINITY, vans = 0;
    for (int32_t v = 0; v < w->V; v++) {
        vans += n[v];
        if (!in->electric[v] && w->need[k0 + v] > 0 && w->need[k0 + v] < comb_need)
            comb_need = w->need[k0 + v];
    }
    int park_full = !isnan(in->parking[s]) && vans + 1 > in->parking[s] + 1e-9;
    int park_short = 0;  /* vans of the combustion type needing fewest that would cover */
    if (c->uncovered_routes > 0 && isfinite(comb_need) && (park_full || c->parking_over > 0)) {
        park_short = (int)ceil((1 - c->coverage) * comb_need - 1e-9);
        if (park_short < 1) park_short = 1;
    }
    if (c->parking_over > 0) c->binding = FC_LIMIT_PARKING;
    else if (park_short > 0) {
        c->binding = FC_LIMIT_PARKING;
        c->binding_all |= 1u << FC_LIMIT_PARKING;
    } else if (c->uncovered_routes > 0 && c->binding == FC_LIMIT_DEMAND)
        c->binding = FC_LIMIT_RANGE;
    if (c->binding == FC_LIMIT_COST) c->binding_all |= 1u << FC_LIMIT_COST;

    double win = set->charging_window_h;
    double evs = 0, energy = 0;
    int64_t ke = e >= 0 ? k0 + e : -1;
    for (int32_t v = 0; v < w->V; v++)
        if (in->electric[v]) {
            evs += n[v];
            energy += n[v] * w->ev[k0 + v].energy / set->charger_efficiency;
        }
    double en1 = ke >= 0 ? w->ev[ke].energy / set->charger_efficiency : 0;
    char *L = c->lift;
    size_t LN = sizeof c->lift;
    switch (c->binding) {
    case FC_LIMIT_VAN_TYPES:
        snprintf(L, LN, "allow an electric van type");
        break;
    case FC_LIMIT_DEMAND:
        snprintf(L, LN, routes ? "more routes: electric vans already run all of them" : "no routes this month");
        break;
    case FC_LIMIT_RANGE: {
        double bat = e >= 0 && w->need[ke] > 0 ? battery_for_room(w, s, m, e, n, c->uncovered_routes > 0) : NAN;
        /* The routes wanted need bat x (1 - reserve) kWh a day: beyond
         * what a charger puts back in a night, the charger's power binds
         * too (a bigger battery alone would not run them every day). */
        double cap = fc_plan_charge_cap_kwh(in, set, s), want = bat * (1.0 - set->reserve);
        double ckw = want > cap * (1.0 + 1e-12) && cap > 0 ? in->charger_kw[s] * want / cap : NAN;
        if (isnan(bat) || !(in->battery_kwh[e] > 0))
            snprintf(L, LN, "shorter routes (no battery covers them at %.0f C)",
                     isnan(in->temperature_c[sm]) ? set->default_temp_c : in->temperature_c[sm]);
        else if (!isnan(ckw) && bat <= in->battery_kwh[e] * (1.0 + 1e-12)) {
            snprintf(L, LN, "+%.1f kW a charger (%.1f kW) or shorter routes",
                     ceil((ckw - in->charger_kw[s]) * 10 - 1e-6) / 10, ceil(ckw * 10 - 1e-6) / 10);
            c->binding = FC_LIMIT_CHARGERS;
            c->binding_all = (c->binding_all & ~(1u << FC_LIMIT_RANGE)) | 1u << FC_LIMIT_CHARGERS;
        } else if (!isnan(ckw))
            snprintf(L, LN, "+%.0f kWh battery (%.0f kWh) and %.1f kW chargers, or shorter routes",
                     ceil(bat - in->battery_kwh[e]), ceil(bat), ceil(ckw * 10 - 1e-6) / 10);
        else
            snprintf(L, LN, "+%.0f kWh battery (%.0f kWh) or shorter routes",
                     ceil(bat - in->battery_kwh[e]), ceil(bat));
        break;
    }
    case FC_LIMIT_SITE_POWER: {
        double kw = (energy + en1) / win - in->site_power_kw[s];
        snprintf(L, LN, "+%.1f kW site power", ceil(kw * 10 - 1e-6) / 10);
        break;
    }
    case FC_LIMIT_CHARGERS: {
        double ch = in->chargers[s];
        if (evs + 1 > ch * set->vans_per_charger + 1e-9) {
            int k = (int)ceil((evs + 1) / set->vans_per_charger - ch - 1e-9);
            snprintf(L, LN, "+%d charger%s", k < 1 ? 1 : k, k > 1 ? "s" : "");
        } else {
            /* the chargers' power together, and what that makes each
             * charger (the stations file's charger_kw; the total alone
             * read as if per charger, ch times too much) */
            double kw = (energy + en1) / win - ch * in->charger_kw[s];
            snprintf(L, LN, "+%.1f kW charger power (%.1f kW a charger)", ceil(kw * 10 - 1e-6) / 10,
                     ceil((in->charger_kw[s] + kw / ch) * 10 - 1e-6) / 10);
        }
        break;
    }
    case FC_LIMIT_SUPPLY: {
        char mon[8];
        fc_month_format(in->month0 + m, mon);
        snprintf(L, LN, "+1 electric van in the network supply by %s", mon);
        break;
    }
    case FC_LIMIT_PARKING:
        if (c->parking_over > 0) {
            /* Over the parking and short at once: the overrun and the vans
             * that would close the gap (it named the overrun alone: SEA1
             * 2025-12 of the example read +4 where +4 left 2.6 routes
             * uncovered; +7 covers them). */
            double sp = ceil(c->parking_over - 1e-9) + park_short;
            snprintf(L, LN, "+%.0f parking space%s", sp, sp > 1 ? "s" : "");
        } else if (park_short > 0)
            snprintf(L, LN, "+%d parking space%s", park_short, park_short > 1 ? "s" : "");
        else
            snprintf(L, LN, "+1 parking space");
        break;
    default:
        if (!ev_not_paying(w, p, s, m, e, bc, cheapest_d, 0, 1, L, LN))
            snprintf(L, LN, "none: room left, held by rounding or later months");
    }
    /* A physical lift (or the supply's) brings an electric van only if it
     * pays once in: where the cost lift would name a price or scrap_from,
     * say so (PHX1 of the example read "+1 charger" where 1 to 3 chargers
     * change nothing: with one, the month reads "cost"). Not where routes
     * are uncovered or the parking overrun: an electric van would pay
     * against the penalty there. */
    int then = 0;
    if (c->uncovered_routes <= 0 && c->parking_over <= 0 &&
        (c->binding == FC_LIMIT_RANGE || c->binding == FC_LIMIT_SITE_POWER ||
         c->binding == FC_LIMIT_CHARGERS || c->binding == FC_LIMIT_SUPPLY ||
         c->binding == FC_LIMIT_PARKING)) {
        /* Where e runs none of the routes (the range, share 0), its cost
         * is that of a van running them all, as a bigger battery would:
         * the mean km of every route (a combustion type's), the energy on
         * the flat for the carbon. */
        double bce = bc;
        if (e >= 0 && !isfinite(bce) && w->need[ke] > 0)
            for (int32_t v = 0; v < w->V; v++)
                if (!in->electric[v] && w->need[k0 + v] > 0) {
                    fc_plan_ev all = w->ev[ke];
                    all.km = w->ev[k0 + v].km;
                    all.energy = all.km * in->kwh_per_km[e] * all.factor;
                    bce = van_cost(in, set, s, m, e, &all, w->need[ke]) * w->need[ke];
                    break;
                }
        char why[sizeof c->lift];
        /* Combustion vans bought in an earlier month stay bought under
         * the lift only if that month was held by another limit: the
         * lift (a station's parking, chargers or power, a battery) holds
         * in every month, and where it held that month too, it may turn
         * the purchase into an electric van there. The supply's lift
         * adds vans from this month on: the earlier months stand. */
        int kept_ok = 1;
        for (int32_t m2 = 0; m2 < m && kept_ok && c->binding != FC_LIMIT_SUPPLY; m2++) {
            if (p->cell[FC_PLAN_SM(in, s, m2)].binding != c->binding) continue;
            for (int32_t v = 0; v < w->V; v++)
                if (!in->electric[v] && p->vans[FC_PLAN_SMV(in, s, m2, v)] > fc_plan_prev_vans(p, in, s, m2, v))
                    kept_ok = 0;
        }
        if (ev_not_paying(w, p, s, m, e, bce, cheapest_d, 1, kept_ok, why, sizeof why)) {
            size_t len = strlen(L);
            snprintf(L + len, LN - len, "; then %s", why);
            then = 1;
        }
    }
    /* The charging lift counts the vans held that cannot charge; where it
     * ends in a price, those are what the first chargers (or kW) serve. */
    if (c->ev_idle >= 0.5 && (then || (c->binding != FC_LIMIT_CHARGERS && c->binding != FC_LIMIT_SITE_POWER))) {
        size_t len = strlen(L);
        snprintf(L + len, LN - len, "; %.0f electric van%s cannot charge here (%s)", round(c->ev_idle),
                 round(c->ev_idle) > 1 ? "s" : "", fc_plan_limit_name(chw));
    }
    if (c->uncovered_routes > 0) {
        size_t len = strlen(L);
        /* A hair short (need 29.0003 at 29 spaces) must not read "0.0". */
        snprintf(L + len, LN - len, c->uncovered_routes < 0.05 ? "; %.1g routes uncovered" : "; %.1f routes uncovered",
                 c->uncovered_routes);
    }
}

int fc_plan_solve(const fc_plan_input *in, const fc_plan_settings *set, fc_diag *d, fc_plan **out)
{
    *out = NULL;
    int rc = check_input(in, set, d);
    if (rc) return rc;
    int32_t S = in->nstations, M = in->nmonths, V = in->nvans;
    size_t smv = (size_t)S * M * V + 1, sm = (size_t)S * M + 1, sv = (size_t)S * V + 1;
    fc_plan *p = calloc(1, sizeof *p);
    plan_work w = {0};
    double *ev_net = NULL;
    if (!p) goto oom;
    p->nstations = S;
    p->nmonths = M;
    p->nvans = V;
    p->month0 = in->month0;
    p->settings = *set;
    p->x_lp = calloc(smv, sizeof(double));
    p->vans = calloc(smv, sizeof(int32_t));
    p->need = calloc(smv, sizeof(double));
    p->ev_share = calloc(smv, sizeof(double));
    p->cell = calloc(sm, sizeof(fc_plan_cell));
    p->check = calloc(sm * FC_SCEN_N, sizeof(fc_plan_check));
    p->main_type = calloc(sm, sizeof(int32_t));
    w.in = in;
    w.set = set;
    w.S = S;
    w.M = M;
    w.V = V;
    w.scrap = set->scrap_from < 0 || set->scrap_from > M ? M : set->scrap_from;
    w.need = p->need;
    w.ev = calloc(smv, sizeof(fc_plan_ev));
    w.cost1 = calloc(smv, sizeof(double));
    w.has = calloc(sv, sizeof(int));
    w.col = calloc(smv, sizeof(int));
    w.col_u = calloc(sm, sizeof(int));
    w.col_o = calloc(sm, sizeof(int));
    w.row_cover = calloc(sm, sizeof(int));
    w.row_park = calloc(sm, sizeof(int));
    w.row_chg = calloc(sm, sizeof(int));
    w.row_pow = calloc(sm, sizeof(int));
    w.row_cpow = calloc(sm, sizeof(int));
    w.hall_off = calloc(sm, sizeof(int64_t));
    w.row_supply = calloc((size_t)M, sizeof(int));
    w.supply_cap = calloc((size_t)M, sizeof(double));
    w.supply_dual = calloc((size_t)M, sizeof(double));
    w.dj = calloc(smv, sizeof(double));
    w.ref = calloc(sm, sizeof(double));
    w.target = calloc(sm, sizeof(double));
    ev_net = calloc((size_t)M, sizeof(double));
    if (!p->x_lp || !p->vans || !p->need || !p->ev_share || !p->cell || !p->check ||
        !p->main_type || !w.ev || !w.cost1 || !w.has || !w.col || !w.col_u || !w.col_o ||
        !w.row_cover || !w.row_park || !w.row_chg || !w.row_pow || !w.row_cpow || !w.hall_off ||
        !w.row_supply || !w.supply_cap || !w.supply_dual || !w.dj || !w.ref || !w.target || !ev_net)
        goto oom;

    /* Needs, electric feasibility, costs. */
    double ev_now = 0;
    for (int32_t s = 0; s < S; s++) {
        for (int32_t v = 0; v < V; v++) {
            int64_t sv1 = FC_PLAN_SV(in, s, v);
            if (in->electric[v]) ev_now += in->current[sv1];
            w.has[sv1] = in->current[sv1] > 0;
        }
        for (int32_t m = 0; m < M; m++) {
            double ref = 0;
            for (int32_t v = 0; v < V; v++) {
                int64_t k = FC_PLAN_SMV(in, s, m, v);
                int64_t sv1 = FC_PLAN_SV(in, s, v);
                p->need[k] = need_of(in, set, s, v, in->routes_q[k]);
                if (p->need[k] > 0 || w.has[sv1]) fc_plan_ev_eval(in, set, s, m, v, &w.ev[k]);
                if (p->need[k] > 0) {
                    w.has[sv1] = 1;
                    if (ref == 0 || p->need[k] < ref) ref = p->need[k];
                }
                p->ev_share[k] = in->electric[v] ? w.ev[k].share : 1.0;
                w.cost1[k] = van_cost(in, set, s, m, v, &w.ev[k], p->need[k]);
            }
            w.ref[FC_PLAN_SM(in, s, m)] = ref;
        }
    }
    if (plan_hall_build(&w, d)) goto oom;
    double cum = 0;
    for (int32_t m = 0; m < M; m++) {
        cum += in->ev_supply[m];
        w.supply_cap[m] = isnan(cum) ? INFINITY : ev_now + cum;
    }

    rc = plan_lp_solve(&w, p, d);
    if (rc) goto fail;

    /* The integer plan, station-month by station-month. */
    for (int64_t k = 0; k < (int64_t)S * M * V; k++)
        if (in->electric[k % V]) ev_net[(k / V) % M] += p->vans[k];
    p->objective = 0;
    for (int32_t s = 0; s < S; s++)
        for (int32_t m = 0; m < M; m++) {
            int64_t smi = FC_PLAN_SM(in, s, m), k0 = FC_PLAN_SMV(in, s, m, 0);
            fc_plan_cell *c = &p->cell[smi];
            const int32_t *n = &p->vans[k0];
            double cov = plan_coverage(&w, s, m, n), total = 0, rq = 0, r50 = 0;
            /* Routes of the mix: each type's routes weighted by its share of
             * the vans' coverage (before the range cut). */
            double wsum = cov + plan_ev_lost(&w, s, m, n);
            int32_t refv = -1;
            c->cost = 0;
            c->ev_vans = 0;
            c->ev_energy_kwh = 0;
            c->ev_share = 0;
            for (int32_t v = 0; v < V; v++) {
                int64_t k = k0 + v;
                total += n[v];
                c->cost += n[v] * w.cost1[k];
                if (in->electric[v]) {
                    c->ev_vans += n[v];
                    c->ev_energy_kwh += n[v] * w.ev[k].energy / set->charger_efficiency;
                    if (p->need[k] > 0 && w.ev[k].share > c->ev_share) c->ev_share = w.ev[k].share;
                }
                if (p->need[k] > 0) {
                    if (refv < 0 || p->need[k] < p->need[k0 + refv]) refv = v;
                    if (wsum > 0) {
                        rq += n[v] / p->need[k] / wsum * in->routes_q[k];
                        double p50 = in->routes_p50[k];
                        r50 += n[v] / p->need[k] / wsum * (isnan(p50) ? in->routes_q[k] : p50);
                    }
                }
            }
            if (refv >= 0 && !(wsum > 0)) {
                rq = in->routes_q[k0 + refv];
                r50 = isnan(in->routes_p50[k0 + refv]) ? rq : in->routes_p50[k0 + refv];
            }
            c->coverage = refv >= 0 ? cov : 1.0;
            c->routes_q = rq;
            c->routes_p50 = r50;
            c->uncovered_routes = refv >= 0 && cov < 1 - 1e-9 ? (1 - cov) * in->routes_q[k0 + refv] : 0;
            c->parking_over = !isnan(in->parking[s]) && total > in->parking[s] + 1e-9
                                  ? total - in->parking[s] : 0;
            p->n_uncovered += c->uncovered_routes > 0;
            p->n_parking_over += c->parking_over > 0;
            p->objective += c->cost;
        }
    for (int32_t s = 0; s < S; s++)
        for (int32_t m = 0; m < M; m++) explain(&w, p, ev_net, s, m);

    /* Scenario check of the budgeted (or planned) fleet. */
    for (int32_t s = 0; s < S; s++)
        for (int32_t m = 0; m < M; m++) {
            int64_t smi = FC_PLAN_SM(in, s, m), k0 = FC_PLAN_SMV(in, s, m, 0);
            int32_t b[FC_MAX_VAN_TYPES];
            double bx[FC_MAX_VAN_TYPES], idle;
            int32_t main = -1;
            for (int32_t v = 0; v < V; v++) {
                b[v] = in->budget ? in->budget[FC_PLAN_SV(in, s, v)] : p->vans[k0 + v];
                bx[v] = b[v];
            }
            /* Electric vans the station cannot charge in a night run
             * nothing: as vans (at the service level's needs), then as a
             * share of each scenario's need below. */
            plan_charge_lost_x(&w, s, m, bx, NULL, &idle);
            /* The unit of the shortfall: a combustion type the station may
             * run when there is one (an electric van may be one the station
             * cannot charge or that reaches few of its routes: the example's
             * SEA1 counted its shortfall in electric vans, 21 of 25 idle),
             * the one with most budgeted vans, else the one needing fewest. */
            int comb_ok = 0;
            for (int32_t v = 0; v < V; v++)
                comb_ok |= !in->electric[v] && w.has[FC_PLAN_SV(in, s, v)] &&
                           need_of(in, set, s, v, in->routes_q[k0 + v]) > 0;
            for (int32_t v = 0; v < V; v++) {
                double r = in->routes_q[k0 + v];
                if (!(need_of(in, set, s, v, r) > 0)) continue;
                if (comb_ok && (in->electric[v] || !w.has[FC_PLAN_SV(in, s, v)])) continue;
                if (main < 0 || b[v] > b[main] ||
                    (b[v] == b[main] && b[main] == 0 && p->need[k0 + v] < p->need[k0 + main]))
                    main = v;
            }
            p->main_type[smi] = main;
            for (int sc = 0; sc < FC_SCEN_N; sc++) {
                fc_plan_check *ck = &p->check[smi * FC_SCEN_N + sc];
                double cov_d = 0, cov_e = 0, need_main = 0, ae[FC_MAX_VAN_TYPES] = {0};
                int any = 0;
                double nde_max = 0;
                for (int32_t v = 0; v < V; v++) {
                    int64_t k = k0 + v;
                    double r = sc == FC_SCEN_P50 ? in->routes_p50[k]
                             : sc == FC_SCEN_Q   ? in->routes_q[k]
                                                 : in->routes_shock[k];
                    if (sc == FC_SCEN_SHOCK && isnan(r) && set->shock_multiplier > 0)
                        r = in->routes_q[k] * set->shock_multiplier;
                    if (sc == FC_SCEN_P50 && isnan(r)) r = in->routes_q[k];
                    double nd = need_of(in, set, s, v, r);
                    if (!(nd > 0)) continue;
                    any = 1;
                    if (v == main) need_main = nd;
                    if (in->electric[v]) {
                        ae[v] = b[v] / nd;
                        cov_e += b[v] / nd;
                        if (nd > nde_max) nde_max = nd;
                    } else {
                        cov_d += b[v] / nd;
                    }
                }
                if (sc == FC_SCEN_SHOCK && any) p->has_shock = 1;
                int32_t tot = 0;
                for (int32_t v = 0; v < V; v++) tot += b[v];
                if (!any || !(need_main > 0)) {
                    ck->coverage = 1.0;
                    ck->shortfall = 0;
                    ck->surplus = tot;
                    continue;
                }
                /* Electric vans cover only the routes in range, as many as
                 * the flow of each type's vans to the routes it can run
                 * allows (the range rows, hall.c: it was the sum of them
                 * up to the best type's share, which counted a type's vans
                 * on routes only another type can run), and only those
                 * the station can charge. */
                if (idle > 0 && nde_max > 0) cov_e = cov_e - idle / nde_max > 0 ? cov_e - idle / nde_max : 0;
                double reach = plan_hall_cover(&w, s, m, ae);
                ck->coverage = cov_d + (cov_e < reach ? cov_e : reach);
                double gap = (ck->coverage - 1.0) * need_main;
                ck->shortfall = gap < 0 ? (int32_t)ceil(-gap - 1e-9) : 0;
                ck->surplus = gap > 0 ? (int32_t)floor(gap + 1e-9) : 0;
            }
        }
    work_free(&w);
    free(ev_net);
    *out = p;
    return FC_OK;
oom:
    fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
    rc = FC_EINTERNAL;
fail:
    work_free(&w);
    free(ev_net);
    fc_plan_free(p);
    return rc;
}
