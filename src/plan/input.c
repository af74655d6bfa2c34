/* input.c -- the plan's input: creation, copying stations/vehicles/fleet,
 * the "plan" config section, and demand from forecast paths + SPR. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "fleetcast/config.h"
#include "fleetcast/date.h"
#include "fleetcast/parallel.h"
#include "fleetcast/plan.h"

void fc_plan_settings_default(fc_plan_settings *s)
{
    memset(s, 0, sizeof *s);
    s->service_level = 0.9;
    s->spare_ratio = 0.1;
    s->charging_window_h = 10.0;
    s->charger_efficiency = 0.9;
    s->vans_per_charger = 1.0;
    s->reserve = 0.15;
    s->carbon_price = 0.0;
    s->grid_kg_per_kwh = 0.37;
    s->fuel_kg_per_km = 0.25;
    s->van_mass_kg = 3500.0;
    s->drive_efficiency = 0.9;
    s->regen_efficiency = 0.6;
    s->default_temp_c = 20.0;
    s->default_route_km = 80.0;
    s->scrap_from = -1;
    s->integer = 0;
    s->time_limit_s = 10.0;
    s->penalty = 1e6;
    s->shock_multiplier = 1.3;
    s->ncurve = 0;
}

static int bad(fc_diag *d, const char *cfgname, const char *key, const char *what)
{
    fc_diag_error(d, FC_EDATA, "%s: 'plan.%s': expected %s", cfgname, key, what);
    return FC_EDATA;
}

/* Number member `key` of obj into *dst when present, within [lo, hi]. */
static int get_num(const cJSON *obj, const char *key, double lo, double hi, double *dst,
                   const char *cfgname, fc_diag *d)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!it) return FC_OK;
    if (!cJSON_IsNumber(it) || !(it->valuedouble >= lo && it->valuedouble <= hi)) {
        char what[80];
        snprintf(what, sizeof what, "a number from %g to %g", lo, hi);
        return bad(d, cfgname, key, what);
    }
    *dst = it->valuedouble;
    return FC_OK;
}

int fc_plan_settings_from_json(fc_plan_settings *s, const cJSON *top, const char *cfgname, fc_diag *d)
{
    if (!top) return FC_OK;
    if (!cfgname) cfgname = "config";
    int rc = FC_OK;
    /* Top-level service level and spare ratio first; the section wins. */
    const cJSON *sl = cJSON_GetObjectItemCaseSensitive(top, "service_level");
    if (cJSON_IsNumber(sl) && sl->valuedouble > 0 && sl->valuedouble < 1)
        s->service_level = sl->valuedouble;
    const cJSON *sp = cJSON_GetObjectItemCaseSensitive(top, "spare_ratio");
    if (cJSON_IsNumber(sp) && sp->valuedouble >= 0) s->spare_ratio = sp->valuedouble;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(top, "plan");
    if (!p) return FC_OK;
    if (!cJSON_IsObject(p)) {
        fc_diag_error(d, FC_EDATA, "%s: 'plan': expected an object", cfgname);
        return FC_EDATA;
    }
    struct { const char *key; double lo, hi; double *dst; } nums[] = {
        {"service_level", 0.01, 0.999, &s->service_level},
        {"spare_ratio", 0, 10, &s->spare_ratio},
        {"charging_window_h", 0.5, 24, &s->charging_window_h},
        {"charger_efficiency", 0.01, 1, &s->charger_efficiency},
        {"vans_per_charger", 0.01, 100, &s->vans_per_charger},
        {"reserve", 0, 0.99, &s->reserve},
        {"carbon_price", 0, 1e6, &s->carbon_price},
        {"grid_kg_co2_per_kwh", 0, 10, &s->grid_kg_per_kwh},
        {"fuel_kg_co2_per_km", 0, 10, &s->fuel_kg_per_km},
        {"van_mass_kg", 1, 1e5, &s->van_mass_kg},
        {"drive_efficiency", 0.01, 1, &s->drive_efficiency},
        {"regen_efficiency", 0, 1, &s->regen_efficiency},
        {"default_temperature_c", -80, 80, &s->default_temp_c},
        {"default_route_km", 0, 5000, &s->default_route_km},
        {"time_limit_s", 0, 3600, &s->time_limit_s},
        {"penalty", 1, 1e12, &s->penalty},
        {"shock_multiplier", 0, 100, &s->shock_multiplier},
    };
    enum { NNUM = sizeof nums / sizeof nums[0] };
    const char *keys[NNUM + 6] = {NULL};
    for (size_t i = 0; i < NNUM; i++) {
        int r = get_num(p, nums[i].key, nums[i].lo, nums[i].hi, nums[i].dst, cfgname, d);
        if (r && !rc) rc = r;
        keys[i] = nums[i].key;
    }
    /* the rest of the section, read here and by fc_plan_input_apply_config */
    keys[NNUM] = "scrap_from";
    keys[NNUM + 1] = "integer";
    keys[NNUM + 2] = "temperature_curve";
    keys[NNUM + 3] = "temperature_c";
    keys[NNUM + 4] = "ev_supply";
    if (fc_json_unknown_keys(p, keys, cfgname, "'plan.", "'", d) && !rc) rc = FC_EDATA;
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(p, "scrap_from");
    if (it) {
        if (!cJSON_IsNumber(it) || it->valuedouble < -1 || it->valuedouble > 10000 ||
            it->valuedouble != floor(it->valuedouble)) {
            if (!rc) rc = bad(d, cfgname, "scrap_from", "a whole plan month (0 = first), or -1 for never");
        } else
            s->scrap_from = (int)it->valuedouble;
    }
    it = cJSON_GetObjectItemCaseSensitive(p, "integer");
    if (it) {
        if (!cJSON_IsBool(it)) {
            if (!rc) rc = bad(d, cfgname, "integer", "true or false");
        } else
            s->integer = cJSON_IsTrue(it);
    }
    it = cJSON_GetObjectItemCaseSensitive(p, "temperature_curve");
    if (it) {
        int n = cJSON_GetArraySize(it), ok = cJSON_IsArray(it) && n >= 1 && n <= FC_PLAN_MAX_CURVE;
        for (int i = 0; ok && i < n; i++) {
            const cJSON *pt = cJSON_GetArrayItem(it, i);
            const cJSON *a = cJSON_GetArrayItem(pt, 0), *b = cJSON_GetArrayItem(pt, 1);
            if (!cJSON_IsArray(pt) || cJSON_GetArraySize(pt) != 2 || !cJSON_IsNumber(a) ||
                !cJSON_IsNumber(b) || !(b->valuedouble > 0 && b->valuedouble <= 2) ||
                (i > 0 && !(a->valuedouble > s->curve_t[i - 1]))) {
                ok = 0;
                break;
            }
            s->curve_t[i] = a->valuedouble;
            s->curve_r[i] = b->valuedouble;
        }
        if (!ok) {
            s->ncurve = 0;
            if (!rc)
                rc = bad(d, cfgname, "temperature_curve",
                         "up to 32 [temperature_c, range retention in (0, 2]] pairs, temperatures increasing");
        } else
            s->ncurve = n;
    }
    return rc;
}

cJSON *fc_plan_settings_to_json(const fc_plan_settings *s)
{
    cJSON *j = cJSON_CreateObject();
    if (!j) return NULL;
    cJSON_AddNumberToObject(j, "service_level", s->service_level);
    cJSON_AddNumberToObject(j, "spare_ratio", s->spare_ratio);
    cJSON_AddNumberToObject(j, "charging_window_h", s->charging_window_h);
    cJSON_AddNumberToObject(j, "charger_efficiency", s->charger_efficiency);
    cJSON_AddNumberToObject(j, "vans_per_charger", s->vans_per_charger);
    cJSON_AddNumberToObject(j, "reserve", s->reserve);
    cJSON_AddNumberToObject(j, "carbon_price", s->carbon_price);
    cJSON_AddNumberToObject(j, "grid_kg_co2_per_kwh", s->grid_kg_per_kwh);
    cJSON_AddNumberToObject(j, "fuel_kg_co2_per_km", s->fuel_kg_per_km);
    cJSON_AddNumberToObject(j, "van_mass_kg", s->van_mass_kg);
    cJSON_AddNumberToObject(j, "drive_efficiency", s->drive_efficiency);
    cJSON_AddNumberToObject(j, "regen_efficiency", s->regen_efficiency);
    cJSON_AddNumberToObject(j, "default_temperature_c", s->default_temp_c);
    cJSON_AddNumberToObject(j, "default_route_km", s->default_route_km);
    cJSON_AddNumberToObject(j, "scrap_from", s->scrap_from);
    cJSON_AddBoolToObject(j, "integer", s->integer);
    cJSON_AddNumberToObject(j, "time_limit_s", s->time_limit_s);
    cJSON_AddNumberToObject(j, "penalty", s->penalty);
    cJSON_AddNumberToObject(j, "shock_multiplier", s->shock_multiplier);
    cJSON *c = cJSON_AddArrayToObject(j, "temperature_curve");
    fc_plan_settings def;
    const fc_plan_settings *src = s;
    if (s->ncurve == 0) {
        /* Write the built-in curve so the document says what was used. */
        static const double t[] = {-20.0, -6.7, 24.0, 35.0, 45.0};
        fc_plan_settings_default(&def);
        def.ncurve = 5;
        for (int i = 0; i < 5; i++) {
            def.curve_t[i] = t[i];
            def.curve_r[i] = fc_plan_temp_retention(NULL, t[i]);
        }
        src = &def;
    }
    for (int i = 0; c && i < src->ncurve; i++) {
        cJSON *pt = cJSON_CreateArray();
        cJSON_AddItemToArray(pt, cJSON_CreateNumber(src->curve_t[i]));
        cJSON_AddItemToArray(pt, cJSON_CreateNumber(src->curve_r[i]));
        cJSON_AddItemToArray(c, pt);
    }
    return j;
}

fc_plan_input *fc_plan_input_new(int32_t ns, int32_t nm, int32_t nv, int32_t month0)
{
    if (ns < 0 || nm <= 0 || nv <= 0 || nv > FC_MAX_VAN_TYPES) return NULL;
    fc_plan_input *in = calloc(1, sizeof *in);
    if (!in) return NULL;
    in->nstations = ns;
    in->nmonths = nm;
    in->nvans = nv;
    in->month0 = month0;
    size_t S = (size_t)ns, M = (size_t)nm, V = (size_t)nv;
    size_t smv = S * M * V + 1, sv = S * V + 1, sm = S * M + 1, s1 = S + 1;
    in->station_names = calloc(s1, sizeof(char *));
    in->van_names = calloc(V, sizeof(char *));
    in->electric = calloc(V, sizeof(int));
    in->battery_kwh = malloc(V * sizeof(double));
    in->kwh_per_km = malloc(V * sizeof(double));
    in->cost_per_day = calloc(V, sizeof(double));
    in->cost_per_km = calloc(V, sizeof(double));
    in->co2_kg_per_km = malloc(V * sizeof(double));
    in->parking = malloc(s1 * sizeof(double));
    in->chargers = malloc(s1 * sizeof(double));
    in->charger_kw = malloc(s1 * sizeof(double));
    in->site_power_kw = malloc(s1 * sizeof(double));
    in->van_types = calloc(s1, sizeof(uint64_t));
    in->current = calloc(sv, sizeof(int32_t));
    in->days = malloc(M * sizeof(double));
    in->temperature_c = malloc(sm * sizeof(double));
    in->ev_supply = malloc(M * sizeof(double));
    in->routes_q = malloc(smv * sizeof(double));
    in->routes_p50 = malloc(smv * sizeof(double));
    in->routes_shock = malloc(smv * sizeof(double));
    in->routes_month = malloc(smv * sizeof(double));
    in->samples = calloc(sv, sizeof(fc_plan_sample));
    if (!in->station_names || !in->van_names || !in->electric || !in->battery_kwh ||
        !in->kwh_per_km || !in->cost_per_day || !in->cost_per_km || !in->co2_kg_per_km ||
        !in->parking || !in->chargers || !in->charger_kw || !in->site_power_kw ||
        !in->van_types || !in->current || !in->days || !in->temperature_c || !in->ev_supply ||
        !in->routes_q || !in->routes_p50 || !in->routes_shock || !in->routes_month ||
        !in->samples) {
        fc_plan_input_free(in);
        return NULL;
    }
    for (size_t v = 0; v < V; v++)
        in->battery_kwh[v] = in->kwh_per_km[v] = in->co2_kg_per_km[v] = NAN;
    for (size_t s = 0; s < S; s++)
        in->parking[s] = in->chargers[s] = in->charger_kw[s] = in->site_power_kw[s] = NAN;
    for (size_t m = 0; m < M; m++) {
        in->days[m] = fc_month_days(month0 + (int)m);
        in->ev_supply[m] = NAN;
    }
    for (size_t i = 0; i < S * M; i++) in->temperature_c[i] = NAN;
    for (size_t i = 0; i < S * M * V; i++)
        in->routes_q[i] = in->routes_p50[i] = in->routes_shock[i] = in->routes_month[i] = NAN;
    return in;
}

void fc_plan_input_free(fc_plan_input *in)
{
    if (!in) return;
    if (in->station_names)
        for (int32_t s = 0; s < in->nstations; s++) free(in->station_names[s]);
    if (in->van_names)
        for (int32_t v = 0; v < in->nvans; v++) free(in->van_names[v]);
    if (in->samples)
        for (int64_t i = 0; i < (int64_t)in->nstations * in->nvans; i++) {
            free(in->samples[i].km);
            free(in->samples[i].hill);
            free(in->samples[i].weight);
        }
    free(in->station_names);
    free(in->van_names);
    free(in->electric);
    free(in->battery_kwh);
    free(in->kwh_per_km);
    free(in->cost_per_day);
    free(in->cost_per_km);
    free(in->co2_kg_per_km);
    free(in->parking);
    free(in->chargers);
    free(in->charger_kw);
    free(in->site_power_kw);
    free(in->van_types);
    free(in->current);
    free(in->budget);
    free(in->days);
    free(in->temperature_c);
    free(in->ev_supply);
    free(in->routes_q);
    free(in->routes_p50);
    free(in->routes_shock);
    free(in->routes_month);
    free(in->samples);
    free(in);
}

static int dup_name(char **dst, const char *src)
{
    free(*dst);
    *dst = src ? strdup(src) : NULL;
    return src && !*dst ? FC_EINTERNAL : FC_OK;
}

int fc_plan_input_from_data(fc_plan_input *in, const fc_stations *st, const fc_vehicles *veh,
                            const fc_fleet *fleet, fc_diag *d)
{
    if (!st || !veh || st->n != in->nstations || veh->n != in->nvans ||
        (fleet && (fleet->nstations != st->n || fleet->nvans != veh->n))) {
        fc_diag_error(d, FC_EINTERNAL, "plan: input sizes do not match the data");
        return FC_EINTERNAL;
    }
    int missing_cost = 0;
    for (int32_t v = 0; v < veh->n; v++) {
        if (dup_name(&in->van_names[v], fc_intern_name(veh->ids, v))) goto oom;
        in->electric[v] = veh->electric[v] != 0;
        in->battery_kwh[v] = veh->battery_kwh[v];
        in->kwh_per_km[v] = veh->kwh_per_km[v];
        in->cost_per_day[v] = isnan(veh->cost_per_day[v]) ? 0.0 : veh->cost_per_day[v];
        in->cost_per_km[v] = isnan(veh->cost_per_km[v]) ? 0.0 : veh->cost_per_km[v];
        missing_cost += isnan(veh->cost_per_day[v]) || isnan(veh->cost_per_km[v]);
        if (in->electric[v] && !(in->battery_kwh[v] > 0 && in->kwh_per_km[v] > 0))
            fc_diag_warn(d, "plan: electric van type '%s' has no battery_kwh or kwh_per_km: "
                            "its routes cannot be shown feasible, so it is not planned",
                         fc_intern_name(veh->ids, v));
    }
    if (missing_cost)
        fc_diag_warn(d, "plan: %d van type(s) without cost_per_day or cost_per_km: "
                        "counted as 0, so the van mix is chosen on the other costs",
                     missing_cost);
    for (int32_t s = 0; s < st->n; s++) {
        if (dup_name(&in->station_names[s], fc_intern_name(st->ids, s))) goto oom;
        in->parking[s] = st->parking[s];
        in->chargers[s] = st->chargers[s];
        in->charger_kw[s] = st->charger_kw[s];
        in->site_power_kw[s] = st->site_power_kw[s];
        uint64_t all = veh->n >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << veh->n) - 1);
        in->van_types[s] = st->van_types[s] & all;
        for (int32_t v = 0; v < veh->n; v++)
            in->current[FC_PLAN_SV(in, s, v)] = fleet ? fleet->count[(int64_t)s * veh->n + v] : 0;
    }
    return FC_OK;
oom:
    fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
    return FC_EINTERNAL;
}

int fc_plan_input_apply_config(fc_plan_input *in, const cJSON *plan, const fc_stations *st,
                               const char *cfgname, fc_diag *d)
{
    if (!plan) return FC_OK;
    if (!cfgname) cfgname = "config";
    int rc = FC_OK;
    const cJSON *temps = cJSON_GetObjectItemCaseSensitive(plan, "temperature_c");
    if (temps) {
        if (!cJSON_IsObject(temps)) {
            fc_diag_error(d, FC_EDATA, "%s: 'plan.temperature_c': expected an object of city: [12 numbers]",
                          cfgname);
            return FC_EDATA;
        }
        const cJSON *c;
        cJSON_ArrayForEach(c, temps)
        {
            int ok = cJSON_IsArray(c) && cJSON_GetArraySize(c) == 12;
            double t[12];
            for (int i = 0; ok && i < 12; i++) {
                const cJSON *x = cJSON_GetArrayItem(c, i);
                ok = cJSON_IsNumber(x) && x->valuedouble > -80 && x->valuedouble < 80;
                if (ok) t[i] = x->valuedouble;
            }
            if (!ok) {
                fc_diag_error(d, FC_EDATA,
                              "%s: 'plan.temperature_c.%s': expected 12 monthly temperatures (C), January first",
                              cfgname, c->string);
                if (!rc) rc = FC_EDATA;
                continue;
            }
            int32_t city = st && st->cities ? fc_intern_find(st->cities, c->string, strlen(c->string)) : -1;
            if (city < 0) {
                fc_diag_warn(d, "%s: 'plan.temperature_c': no station is in city '%s'", cfgname,
                             c->string);
                continue;
            }
            for (int32_t s = 0; s < in->nstations && s < st->n; s++)
                if (st->city[s] == city)
                    for (int32_t m = 0; m < in->nmonths; m++)
                        in->temperature_c[FC_PLAN_SM(in, s, m)] = t[(in->month0 + m) % 12];
        }
        /* A station whose city the section does not name is planned at
         * default_temperature_c in every month: Boston's winter range
         * taken at 20 C without a word, where the city was spelled
         * otherwise or left out. */
        int nmiss = 0;
        char names[160] = "";
        for (int32_t s = 0; st && s < in->nstations && s < st->n; s++) {
            if (!isnan(in->temperature_c[FC_PLAN_SM(in, s, 0)])) continue;
            if (nmiss++ >= 3) continue;
            const char *cn = st->cities && st->city[s] >= 0 ? fc_intern_name(st->cities, st->city[s]) : NULL;
            size_t len = strlen(names);
            snprintf(names + len, sizeof names - len, "%s%s (%s%s%s)", nmiss > 1 ? ", " : "",
                     in->station_names[s] ? in->station_names[s] : "?", cn ? "city '" : "no city",
                     cn ? cn : "", cn ? "'" : "");
        }
        if (nmiss)
            fc_diag_warn(d, "%s: 'plan.temperature_c' names no temperatures for %d station(s): %s%s; "
                            "their electric range is taken at default_temperature_c",
                         cfgname, nmiss, names, nmiss > 3 ? ", ..." : "");
    }
    const cJSON *sup = cJSON_GetObjectItemCaseSensitive(plan, "ev_supply");
    if (sup) {
        if (cJSON_IsArray(sup)) {
            int n = cJSON_GetArraySize(sup);
            for (int i = 0; i < n; i++) {
                const cJSON *x = cJSON_GetArrayItem(sup, i);
                if (!cJSON_IsNumber(x) || x->valuedouble < 0) {
                    fc_diag_error(d, FC_EDATA, "%s: 'plan.ev_supply[%d]': expected a number >= 0",
                                  cfgname, i);
                    return FC_EDATA;
                }
                if (i < in->nmonths) in->ev_supply[i] = x->valuedouble;
            }
            /* Months after the list receive nothing. */
            for (int i = n; i < in->nmonths; i++) in->ev_supply[i] = 0.0;
        } else if (cJSON_IsObject(sup)) {
            for (int32_t m = 0; m < in->nmonths; m++) in->ev_supply[m] = 0.0;
            const cJSON *x;
            cJSON_ArrayForEach(x, sup)
            {
                int mi;
                if (fc_month_parse(x->string, &mi) != 0 || !cJSON_IsNumber(x) || x->valuedouble < 0) {
                    fc_diag_error(d, FC_EDATA,
                                  "%s: 'plan.ev_supply.%s': expected \"YYYY-MM\": a number >= 0",
                                  cfgname, x->string);
                    return FC_EDATA;
                }
                if (mi >= in->month0 && mi < in->month0 + in->nmonths)
                    in->ev_supply[mi - in->month0] += x->valuedouble;
                else if (mi < in->month0)
                    in->ev_supply[0] += x->valuedouble; /* arrived before the plan: usable now */
            }
        } else {
            fc_diag_error(d, FC_EDATA,
                          "%s: 'plan.ev_supply': expected an array per plan month or an object of \"YYYY-MM\": n",
                          cfgname);
            return FC_EDATA;
        }
    }
    return rc;
}

int fc_plan_input_set_route_sample(fc_plan_input *in, int32_t s, int32_t v, int n,
                                   const double *km, const double *hill, const double *weight)
{
    if (s < 0 || s >= in->nstations || v < 0 || v >= in->nvans || n < 0 || (n > 0 && !km))
        return FC_EINTERNAL;
    fc_plan_sample *smp = &in->samples[FC_PLAN_SV(in, s, v)];
    free(smp->km);
    free(smp->hill);
    free(smp->weight);
    memset(smp, 0, sizeof *smp);
    if (n == 0) return FC_OK;
    smp->km = malloc((size_t)n * sizeof(double));
    smp->hill = malloc((size_t)n * sizeof(double));
    smp->weight = malloc((size_t)n * sizeof(double));
    if (!smp->km || !smp->hill || !smp->weight) {
        free(smp->km);
        free(smp->hill);
        free(smp->weight);
        memset(smp, 0, sizeof *smp);
        return FC_EINTERNAL;
    }
    for (int i = 0; i < n; i++) {
        smp->km[i] = km[i];
        smp->hill[i] = hill ? hill[i] : 0.0;
        smp->weight[i] = weight ? weight[i] : 1.0;
    }
    smp->n = n;
    return FC_OK;
}

/* The q-quantile of k sorted values (linear interpolation). */
static double sorted_quantile(const double *x, int k, double q)
{
    if (k == 0) return NAN;
    double h = (k - 1) * q;
    int lo = (int)floor(h);
    if (lo >= k - 1) return x[k - 1];
    return x[lo] + (h - lo) * (x[lo + 1] - x[lo]);
}


/* sorted_quantile of the k values x[0..k-1] (NaN-free, any order; they
 * are reordered) from its two order statistics found by GSL's selection:
 * the same number in linear time, where sorting 500 paths for each
 * station, month and van type took seconds at 1,000 stations. */
static double select_quantile(double *x, int k, double q)
{
    if (k == 0) return NAN;
    double h = (k - 1) * q;
    int lo = (int)floor(h);
    if (lo >= k - 1) return gsl_stats_select(x, 1, (size_t)k, (size_t)k - 1);
    double a = gsl_stats_select(x, 1, (size_t)k, (size_t)lo);
    /* The next order statistic in one pass: a again when a is repeated
     * past rank lo, else the smallest value above a. */
    int le = 0;
    double b = INFINITY;
    for (int i = 0; i < k; i++) {
        if (x[i] <= a) le++;
        else if (x[i] < b) b = x[i];
    }
    if (le > lo + 1) b = a;
    return a + (h - lo) * (b - a);
}

/* Drops the NaNs of x[0..n-1]; returns the number of the rest. */
static int drop_nan(double *x, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i])) x[k++] = x[i];
    return k;
}

/* Drops the NaNs of x[0..n-1] and sorts the rest; returns their number. */
static int sort_finite(double *x, int n)
{
    int k = drop_nan(x, n);
    gsl_sort(x, 1, (size_t)k);
    return k;
}

double fc_plan_quantile(double *x, int n, double q)
{
    return sorted_quantile(x, sort_finite(x, n), q);
}

/* fc_plan_input_fill_routes for one station (an item of fc_parallel_for;
 * FILL_SCRATCH x npaths of scratch per thread). */
#define FILL_SCRATCH 12

typedef struct fill_job {
    fc_plan_input *in;
    const fc_plan_source *src;
    const fc_plan_settings *set;
    double *scratch;
} fill_job;

/* out[p] = SPR at x[p] (of log lx[p]) for the n paths, where x[p] > 0. */
static void spr_paths(const fc_plan_source *src, int32_t s, int32_t m, int32_t v, int n,
                      const double *x, const double *lx, double *out)
{
    if (src->spr_many) {
        src->spr_many(src->ud, s, m, v, n, x, lx, out);
        return;
    }
    for (int p = 0; p < n; p++)
        if (x[p] > 0) out[p] = src->spr(src->ud, s, m, v, x[p]);
}

static void fill_station(void *arg, int64_t si, int thread)
{
    const fill_job *j = arg;
    fc_plan_input *in = j->in;
    const fc_plan_source *src = j->src;
    const fc_plan_settings *set = j->set;
    const int32_t s = (int32_t)si;
    const int P = src->npaths;
    double *pk = j->scratch + (size_t)thread * FILL_SCRATCH * (size_t)P;
    double *spk = pk + P, *mp = spk + P, *dayp = mp + P;
    double *lpk = dayp + P, *lspk = lpk + P, *lday = lspk + P;
    double *spr = lday + P, *sspr = spr + P, *mspr = sspr + P, *r = mspr + P, *rs = r + P;
    for (int32_t m = 0; m < in->nmonths; m++) {
        /* The paths' packages (peak, shocked peak, mean day of the month)
         * and their logs, once for all van types: the logs and the calls
         * per path were most of the time. */
        for (int p = 0; p < P; p++) {
            pk[p] = src->peak_packages(src->ud, s, m, p);
            spk[p] = src->shock_peak_packages ? src->shock_peak_packages(src->ud, s, m, p)
                                              : pk[p] * set->shock_multiplier;
            mp[p] = src->month_packages ? src->month_packages(src->ud, s, m, p)
                                        : pk[p] * 21.0 / 1.3;
            dayp[p] = src->mean_day_packages ? src->mean_day_packages(src->ud, s, m, p) : mp[p] / 21.0;
            if (!src->spr_many) continue;
            lpk[p] = pk[p] > 0 ? log(pk[p]) : 0.0;
            lspk[p] = spk[p] > 0 ? log(spk[p]) : 0.0;
            lday[p] = dayp[p] > 0 ? log(dayp[p]) : 0.0;
        }
        for (int32_t v = 0; v < in->nvans; v++) {
            int64_t k = FC_PLAN_SMV(in, s, m, v);
            in->routes_q[k] = in->routes_p50[k] = in->routes_shock[k] = in->routes_month[k] = NAN;
            if (!(in->van_types[s] >> v & 1)) continue;
            spr_paths(src, s, m, v, P, pk, lpk, spr);
            int ok = 1;
            for (int p = 0; p < P && ok; p++) {
                if (pk[p] > 0 && !(spr[p] > 0)) ok = 0;
                r[p] = pk[p] > 0 ? pk[p] / spr[p] : 0.0;
            }
            if (!ok) continue;
            spr_paths(src, s, m, v, P, spk, lspk, sspr);
            spr_paths(src, s, m, v, P, dayp, lday, mspr);
            /* Month routes: month packages at the mean day's SPR. */
            double month_routes = 0;
            for (int p = 0; p < P; p++) {
                rs[p] = spk[p] > 0 && sspr[p] > 0 ? spk[p] / sspr[p] : 0.0;
                month_routes += dayp[p] > 0 && mspr[p] > 0 ? mp[p] / mspr[p] : 0.0;
            }
            in->routes_month[k] = month_routes / P;
            int n = drop_nan(r, P);
            in->routes_q[k] = select_quantile(r, n, set->service_level);
            in->routes_p50[k] = select_quantile(r, n, 0.5);
            if (src->shock_peak_packages || set->shock_multiplier > 0)
                in->routes_shock[k] = select_quantile(rs, drop_nan(rs, P), set->service_level);
        }
    }
}

int fc_plan_input_fill_routes(fc_plan_input *in, const fc_plan_source *src,
                              const fc_plan_settings *set, fc_diag *d)
{
    if (!src || !src->peak_packages || !src->spr || src->npaths <= 0) {
        fc_diag_error(d, FC_EINTERNAL, "plan: no demand source");
        return FC_EINTERNAL;
    }
    /* Stations are independent: on threads (the source's callbacks only
     * read), each writing its own cells, so the result does not depend
     * on the thread count. */
    int T = fc_parallel_threads(set->threads);
    fill_job j = {in, src, set, malloc((size_t)T * FILL_SCRATCH * (size_t)src->npaths * sizeof(double))};
    if (!j.scratch) {
        fc_diag_error(d, FC_EINTERNAL, "plan: out of memory");
        return FC_EINTERNAL;
    }
    fc_parallel_for(in->nstations, T, fill_station, &j);
    free(j.scratch);
    return FC_OK;
}
