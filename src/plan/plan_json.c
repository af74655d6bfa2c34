/* plan_json.c -- plan.json (docs/schema/plan.schema.json) and the flat CSV
 * of the plan: one row per station, month and van type (docs/plan.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/csv.h"
#include "fleetcast/date.h"
#include "fleetcast/plan.h"

static const char *scen_names[FC_SCEN_N] = {"p50", "service", "shock"};

/* Fixed decimals keep the document short and byte-stable. */
double fc_plan_round3(double x)
{
    if (!isfinite(x)) return 0.0;
    double y = round(x * 1000.0) / 1000.0;
    return y == 0 ? 0.0 : y;  /* no "-0" */
}

static double r3(double x)
{
    return fc_plan_round3(x);
}

/* The station's id, whole (ids have no length limit: a copy into a fixed
 * buffer cut one of 256 bytes or more, in the middle of a UTF-8 character
 * too); buf holds "S<n>" for an input without names. */
static const char *station_name(const fc_plan_input *in, int32_t s, char *buf, size_t n)
{
    if (in->station_names[s]) return in->station_names[s];
    snprintf(buf, n, "S%d", (int)s);
    return buf;
}

static const char *van_name(const fc_plan_input *in, int32_t v, char *buf, size_t n)
{
    if (in->van_names[v]) return in->van_names[v];
    snprintf(buf, n, "V%d", (int)v);
    return buf;
}

static void add_num_or_null(cJSON *o, const char *k, double x)
{
    if (isfinite(x)) cJSON_AddNumberToObject(o, k, r3(x));
    else cJSON_AddNullToObject(o, k);
}

static const char *status_name(int st)
{
    switch (st) {
    case 5: return "optimal";     /* GLP_OPT */
    case 2: return "feasible";    /* GLP_FEAS */
    case 1: return "undefined";   /* GLP_UNDEF */
    case 3: return "infeasible";  /* GLP_INFEAS */
    case 4: return "no feasible"; /* GLP_NOFEAS */
    case 6: return "unbounded";   /* GLP_UNBND */
    default: return "none";
    }
}

cJSON *fc_plan_to_json(const fc_plan *p, const fc_plan_input *in, const cJSON *meta)
{
    int32_t S = p->nstations, M = p->nmonths, V = p->nvans;
    char name[16], mon[8];
    cJSON *j = cJSON_CreateObject();
    if (!j) return NULL;
    cJSON_AddNumberToObject(j, "schema_version", FC_PLAN_SCHEMA_VERSION);
    cJSON_AddStringToObject(j, "kind", "fleetcast.plan");
    fc_month_format(p->month0, mon);
    cJSON_AddStringToObject(j, "first_month", mon);
    cJSON_AddNumberToObject(j, "months", M);
    /* meta's "settings" (horizon, paths, seed, scenario) go into the one
     * "settings" object with the plan's: two members of that name made a
     * document whose readers saw one or the other (cJSON the first, which
     * has no spare_ratio; Python and jq the last, which has no scenario). */
    const cJSON *meta_set = meta ? cJSON_GetObjectItemCaseSensitive(meta, "settings") : NULL;
    if (meta) {
        const cJSON *it;
        cJSON_ArrayForEach(it, meta)
            if (it != meta_set) cJSON_AddItemToObject(j, it->string, cJSON_Duplicate(it, 1));
    }
    cJSON *set = fc_plan_settings_to_json(&p->settings);
    if (set && cJSON_IsObject(meta_set)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, meta_set)
            if (!cJSON_GetObjectItemCaseSensitive(set, it->string))
                cJSON_AddItemToObject(set, it->string, cJSON_Duplicate(it, 1));
    }
    cJSON_AddItemToObject(j, "settings", set);
    /* whose fleet the station-months' "check" tests */
    cJSON_AddStringToObject(j, "check_fleet", in->budget ? "budget" : "plan");

    cJSON *vt = cJSON_AddArrayToObject(j, "van_types");
    for (int32_t v = 0; v < V; v++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "van_type", van_name(in, v, name, sizeof name));
        cJSON_AddBoolToObject(o, "electric", in->electric[v]);
        add_num_or_null(o, "battery_kwh", in->electric[v] ? in->battery_kwh[v] : NAN);
        add_num_or_null(o, "kwh_per_km", in->electric[v] ? in->kwh_per_km[v] : NAN);
        cJSON_AddNumberToObject(o, "cost_per_day", r3(in->cost_per_day[v]));
        cJSON_AddNumberToObject(o, "cost_per_km", r3(in->cost_per_km[v]));
        cJSON_AddItemToArray(vt, o);
    }

    cJSON *so = cJSON_AddObjectToObject(j, "solver");
    int by_station = p->settings.integer == FC_PLAN_MIP_STATIONS;
    cJSON_AddStringToObject(so, "method", by_station             ? "glp_intopt per station"
                                          : p->settings.integer ? "glp_intopt"
                                                                : "glp_simplex+rounding");
    cJSON_AddStringToObject(so, "lp_status", status_name(p->lp_status));
    if (p->settings.integer) cJSON_AddStringToObject(so, "mip_status", status_name(p->mip_status));
    cJSON_AddNumberToObject(so, "rows", p->nrows);
    cJSON_AddNumberToObject(so, "columns", p->ncols);
    cJSON_AddNumberToObject(so, "lp_cost", r3(p->lp_objective));
    cJSON_AddNumberToObject(so, "cost", r3(p->objective));
    /* The relaxation's van cost bounds a plan's from below only when the
     * plan has no more routes uncovered and vans over the parking than it
     * has: then how far the plan may be from the optimum, in percent; a
     * plan that trades vans for penalised slack can come out below it
     * (negative). Integer modes only, so that the rounded plan's document
     * stays as it was. */
    if (p->settings.integer)
        cJSON_AddNumberToObject(so, "gap_to_relaxation_pct",
                                p->lp_objective > 0 ? r3(100.0 * (p->objective / p->lp_objective - 1.0)) : 0.0);
    if (by_station) {
        cJSON_AddNumberToObject(so, "stations_proven", p->mip_optimal);
        cJSON_AddNumberToObject(so, "stations_rounded", p->mip_rounded);
    }
    cJSON_AddNumberToObject(so, "station_months_uncovered", (double)p->n_uncovered);
    cJSON_AddNumberToObject(so, "station_months_over_parking", (double)p->n_parking_over);

    cJSON *sts = cJSON_AddArrayToObject(j, "stations");
    for (int32_t s = 0; s < S; s++) {
        cJSON *st = cJSON_CreateObject();
        cJSON_AddStringToObject(st, "station", station_name(in, s, name, sizeof name));
        add_num_or_null(st, "parking", in->parking[s]);
        add_num_or_null(st, "chargers", in->chargers[s]);
        add_num_or_null(st, "charger_kw", in->charger_kw[s]);
        add_num_or_null(st, "site_power_kw", in->site_power_kw[s]);
        cJSON *ms = cJSON_AddArrayToObject(st, "months");
        for (int32_t m = 0; m < M; m++) {
            int64_t sm = FC_PLAN_SM(in, s, m);
            const fc_plan_cell *c = &p->cell[sm];
            cJSON *o = cJSON_CreateObject();
            fc_month_format(p->month0 + m, mon);
            cJSON_AddStringToObject(o, "month", mon);
            add_num_or_null(o, "temperature_c", in->temperature_c[sm]);
            cJSON_AddNumberToObject(o, "routes_p50", r3(c->routes_p50));
            cJSON_AddNumberToObject(o, "routes_service", r3(c->routes_q));
            cJSON *va = cJSON_AddArrayToObject(o, "vans");
            for (int32_t v = 0; v < V; v++) {
                int64_t k = FC_PLAN_SMV(in, s, m, v);
                int32_t n = p->vans[k], prev = fc_plan_prev_vans(p, in, s, m, v);
                int32_t bud = in->budget ? in->budget[FC_PLAN_SV(in, s, v)] : 0;
                if (n == 0 && prev == 0 && bud == 0 && !(p->need[k] > 0)) continue;
                cJSON *x = cJSON_CreateObject();
                cJSON_AddStringToObject(x, "van_type", van_name(in, v, name, sizeof name));
                cJSON_AddNumberToObject(x, "needed", n);
                cJSON_AddNumberToObject(x, "current", in->current[FC_PLAN_SV(in, s, v)]);
                if (in->budget) cJSON_AddNumberToObject(x, "budget", bud);
                cJSON_AddNumberToObject(x, "to_buy", n > prev ? n - prev : 0);
                cJSON_AddNumberToObject(x, "to_retire", prev > n ? prev - n : 0);
                cJSON_AddNumberToObject(x, "lp", r3(p->x_lp[k]));
                cJSON_AddNumberToObject(x, "need_alone", r3(p->need[k]));
                if (in->electric[v]) cJSON_AddNumberToObject(x, "feasible_share", r3(p->ev_share[k]));
                cJSON_AddItemToArray(va, x);
            }
            cJSON *ev = cJSON_AddObjectToObject(o, "electric");
            cJSON_AddNumberToObject(ev, "allocated", c->ev_vans);
            cJSON_AddNumberToObject(ev, "feasible_share", r3(c->ev_share));
            cJSON_AddNumberToObject(ev, "night_kwh", r3(c->ev_energy_kwh));
            cJSON_AddNumberToObject(ev, "cannot_charge", r3(c->ev_idle));
            cJSON_AddStringToObject(o, "binding", fc_plan_limit_name(c->binding));
            cJSON *ba = cJSON_AddArrayToObject(o, "binding_all");
            for (int l = 1; l < FC_LIMIT_N; l++)
                if (c->binding_all >> l & 1) cJSON_AddItemToArray(ba, cJSON_CreateString(fc_plan_limit_name(l)));
            cJSON_AddStringToObject(o, "lift", c->lift);
            cJSON *sh = cJSON_AddObjectToObject(o, "shadow_price");
            cJSON_AddNumberToObject(sh, "route_cover", r3(c->dual_cover));
            cJSON_AddNumberToObject(sh, "parking_space", r3(c->dual_parking));
            cJSON_AddNumberToObject(sh, "charger", r3(c->dual_chargers));
            cJSON_AddNumberToObject(sh, "site_power_kw", r3(c->dual_site_power_kw));
            cJSON_AddNumberToObject(sh, "range_point", r3(c->dual_range));
            cJSON_AddNumberToObject(o, "coverage", r3(c->coverage));
            cJSON_AddNumberToObject(o, "uncovered_routes", r3(c->uncovered_routes));
            cJSON_AddNumberToObject(o, "parking_over", r3(c->parking_over));
            cJSON_AddNumberToObject(o, "cost", r3(c->cost));
            cJSON *ck = cJSON_AddObjectToObject(o, "check");
            if (p->main_type[sm] >= 0) {
                cJSON_AddStringToObject(ck, "counted_in", van_name(in, p->main_type[sm], name, sizeof name));
            } else
                cJSON_AddNullToObject(ck, "counted_in");
            for (int sc = 0; sc < FC_SCEN_N; sc++) {
                if (sc == FC_SCEN_SHOCK && !p->has_shock) continue;
                const fc_plan_check *q = &p->check[sm * FC_SCEN_N + sc];
                cJSON *x = cJSON_AddObjectToObject(ck, scen_names[sc]);
                cJSON_AddNumberToObject(x, "coverage", r3(q->coverage));
                cJSON_AddNumberToObject(x, "shortfall", q->shortfall);
                cJSON_AddNumberToObject(x, "surplus", q->surplus);
            }
            cJSON_AddItemToArray(ms, o);
        }
        cJSON_AddItemToArray(sts, st);
    }

    cJSON *net = cJSON_AddArrayToObject(j, "network");
    for (int32_t m = 0; m < M; m++) {
        cJSON *o = cJSON_CreateObject();
        fc_month_format(p->month0 + m, mon);
        cJSON_AddStringToObject(o, "month", mon);
        double r50 = 0, rq = 0, cost = 0, unc = 0, pov = 0;
        int64_t ev = 0, shortf[FC_SCEN_N] = {0}, surp[FC_SCEN_N] = {0};
        int64_t nv[FC_MAX_VAN_TYPES] = {0}, buy[FC_MAX_VAN_TYPES] = {0};
        int64_t binds[FC_LIMIT_N] = {0};
        for (int32_t s = 0; s < S; s++) {
            int64_t sm = FC_PLAN_SM(in, s, m);
            const fc_plan_cell *c = &p->cell[sm];
            r50 += c->routes_p50;
            rq += c->routes_q;
            cost += c->cost;
            unc += c->uncovered_routes;
            pov += c->parking_over;
            ev += c->ev_vans;
            binds[c->binding]++;
            for (int sc = 0; sc < FC_SCEN_N; sc++) {
                shortf[sc] += p->check[sm * FC_SCEN_N + sc].shortfall;
                surp[sc] += p->check[sm * FC_SCEN_N + sc].surplus;
            }
            for (int32_t v = 0; v < V; v++) {
                int32_t n = p->vans[FC_PLAN_SMV(in, s, m, v)], prev = fc_plan_prev_vans(p, in, s, m, v);
                nv[v] += n;
                buy[v] += n > prev ? n - prev : 0;
            }
        }
        cJSON_AddNumberToObject(o, "routes_p50", r3(r50));
        cJSON_AddNumberToObject(o, "routes_service", r3(rq));
        cJSON *va = cJSON_AddArrayToObject(o, "vans");
        for (int32_t v = 0; v < V; v++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "van_type", van_name(in, v, name, sizeof name));
            cJSON_AddNumberToObject(x, "needed", (double)nv[v]);
            cJSON_AddNumberToObject(x, "to_buy", (double)buy[v]);
            cJSON_AddItemToArray(va, x);
        }
        cJSON_AddNumberToObject(o, "electric_allocated", (double)ev);
        add_num_or_null(o, "electric_supply", in->ev_supply[m]);
        cJSON_AddNumberToObject(o, "uncovered_routes", r3(unc));
        cJSON_AddNumberToObject(o, "parking_over", r3(pov));
        cJSON_AddNumberToObject(o, "cost", r3(cost));
        cJSON *bo = cJSON_AddObjectToObject(o, "binding_stations");
        for (int l = 1; l < FC_LIMIT_N; l++)
            if (binds[l]) cJSON_AddNumberToObject(bo, fc_plan_limit_name(l), (double)binds[l]);
        cJSON *ck = cJSON_AddObjectToObject(o, "check");
        for (int sc = 0; sc < FC_SCEN_N; sc++) {
            if (sc == FC_SCEN_SHOCK && !p->has_shock) continue;
            cJSON *x = cJSON_AddObjectToObject(ck, scen_names[sc]);
            cJSON_AddNumberToObject(x, "shortfall", (double)shortf[sc]);
            cJSON_AddNumberToObject(x, "surplus", (double)surp[sc]);
        }
        cJSON_AddItemToArray(net, o);
    }
    return j;
}

int fc_plan_write_json(FILE *f, const fc_plan *p, const fc_plan_input *in, const cJSON *meta)
{
    cJSON *j = fc_plan_to_json(p, in, meta);
    if (!j) return FC_EINTERNAL;
    char *txt = cJSON_Print(j);
    cJSON_Delete(j);
    if (!txt) return FC_EINTERNAL;
    size_t n = strlen(txt);
    int ok = fwrite(txt, 1, n, f) == n && fputc('\n', f) != EOF;
    free(txt);
    return ok ? FC_OK : FC_EIO;
}

int fc_plan_write_csv(FILE *f, const fc_plan *p, const fc_plan_input *in)
{
    int32_t S = p->nstations, M = p->nmonths, V = p->nvans;
    char name[16], mon[8];
    fputs("station,month,van_type,electric,needed,current,to_buy,to_retire,lp,need_alone,"
          "routes_p50_alone,routes_service_alone,feasible_share,van_cost,"
          "station_routes_p50,station_routes_service,coverage,uncovered_routes,parking_over,"
          "electric_allocated,binding,lift,shortfall_p50,shortfall_service,shortfall_shock,"
          "surplus_service\n",
          f);
    for (int32_t s = 0; s < S; s++)
        for (int32_t m = 0; m < M; m++) {
            int64_t sm = FC_PLAN_SM(in, s, m);
            const fc_plan_cell *c = &p->cell[sm];
            const fc_plan_check *ck = &p->check[sm * FC_SCEN_N];
            fc_month_format(p->month0 + m, mon);
            for (int32_t v = 0; v < V; v++) {
                int64_t k = FC_PLAN_SMV(in, s, m, v);
                int32_t n = p->vans[k], prev = fc_plan_prev_vans(p, in, s, m, v);
                if (n == 0 && prev == 0 && !(p->need[k] > 0)) continue;
                fc_csv_put_field(f, station_name(in, s, name, sizeof name));
                fprintf(f, ",%s,", mon);
                fc_csv_put_field(f, van_name(in, v, name, sizeof name));
                fprintf(f, ",%d,%d,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.2f,", in->electric[v], n,
                        in->current[FC_PLAN_SV(in, s, v)], n > prev ? n - prev : 0,
                        prev > n ? prev - n : 0, r3(p->x_lp[k]), r3(p->need[k]),
                        r3(in->routes_p50[k]), r3(in->routes_q[k]), r3(p->ev_share[k]),
                        r3(fc_plan_van_cost(in, &p->settings, s, m, v, n)));
                fprintf(f, "%.3f,%.3f,%.3f,%.3f,%.3f,%d,", r3(c->routes_p50), r3(c->routes_q),
                        r3(c->coverage), r3(c->uncovered_routes), r3(c->parking_over), c->ev_vans);
                fc_csv_put_field(f, fc_plan_limit_name(c->binding));
                fputc(',', f);
                fc_csv_put_field(f, c->lift);
                fprintf(f, ",%d,%d,", ck[FC_SCEN_P50].shortfall, ck[FC_SCEN_Q].shortfall);
                if (p->has_shock) fprintf(f, "%d", ck[FC_SCEN_SHOCK].shortfall);
                fprintf(f, ",%d\n", ck[FC_SCEN_Q].surplus);
            }
        }
    return ferror(f) ? FC_EIO : FC_OK;
}
