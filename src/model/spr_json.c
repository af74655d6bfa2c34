/* spr_json.c -- model.json: writing a fitted SPR model and reading it back
 * (docs/schema/model.schema.json). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/spr.h"

#define NP FC_PHYS_NPARAM

static const char *const status_names[] = {"fitted", "few_days", "not_converged"};
static const char *const variant_names[] = {"physics", "ml", "hybrid"};

static cJSON *num(double v) { return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull(); }

static cJSON *params_json(const double *p, const double *se)
{
    cJSON *o = cJSON_CreateObject();
    for (int j = 0; j < NP; j++) {
        cJSON *e = cJSON_AddObjectToObject(o, fc_phys_param_names[j]);
        cJSON_AddItemToObject(e, "value", num(p[j]));
        cJSON_AddItemToObject(e, "se", num(se[j]));
    }
    return o;
}

static cJSON *ridge_json(const fc_ridge *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "intercept", num(r->intercept));
    cJSON_AddItemToObject(o, "lambda", num(r->lambda));
    cJSON_AddItemToObject(o, "cv_rmse", num(r->cv_rmse));
    cJSON_AddItemToObject(o, "train_rmse", num(r->train_rmse));
    cJSON_AddNumberToObject(o, "rows", (double)r->n);
    if (isfinite(r->lo) || isfinite(r->hi)) {
        cJSON *b = cJSON_AddArrayToObject(o, "bounds");
        cJSON_AddItemToArray(b, num(r->lo));
        cJSON_AddItemToArray(b, num(r->hi));
    }
    cJSON *fa = cJSON_AddArrayToObject(o, "features");
    for (int j = 0; j < r->p; j++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "name", r->names[j]);
        cJSON_AddItemToObject(f, "mean", num(r->mean[j]));
        cJSON_AddItemToObject(f, "scale", num(r->scale[j]));
        cJSON_AddItemToObject(f, "coef", num(r->beta[j]));
        cJSON_AddItemToArray(fa, f);
    }
    return o;
}

cJSON *fc_spr_model_to_json(const fc_spr_model *m)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "schema_version", FC_SPR_SCHEMA_VERSION);
    cJSON_AddStringToObject(o, "kind", "fleetcast.spr_model");
    cJSON_AddStringToObject(o, "fleetcast_version", FC_VERSION);
    cJSON_AddItemToObject(o, "settings", fc_spr_settings_to_json(&m->settings));
    cJSON_AddItemToObject(o, "inputs", m->inputs ? cJSON_Duplicate(m->inputs, 1) : cJSON_CreateObject());
    cJSON *ph = cJSON_AddObjectToObject(o, "physics");
    cJSON_AddItemToObject(ph, "network", params_json(m->network, m->network_se));
    cJSON_AddNumberToObject(ph, "network_iterations", m->network_iterations);
    /* what a station without its own fit uses (also one unknown to the model) */
    cJSON *ty = cJSON_AddObjectToObject(ph, "typical");
    cJSON_AddNumberToObject(ty, "stations", m->typical_n);
    cJSON *tp = cJSON_AddObjectToObject(ty, "parameters");
    for (int j = 0; j < NP; j++) cJSON_AddItemToObject(tp, fc_phys_param_names[j], num(m->typical[j]));
    if (m->mix.n > 0) {
        cJSON *tm = cJSON_AddObjectToObject(ty, "mix_parameters");
        for (int j = 0; j < NP; j++) cJSON_AddItemToObject(tm, fc_phys_param_names[j], num(m->typical_mix[j]));
    }
    cJSON *sa = cJSON_AddArrayToObject(ph, "stations");
    for (int s = 0; s < m->nstations; s++) {
        const fc_spr_station *t = &m->st[s];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "station", t->name);
        cJSON_AddStringToObject(e, "status", status_names[t->status]);
        cJSON_AddNumberToObject(e, "days", t->days);
        cJSON_AddNumberToObject(e, "calibrated_days", t->calibrated_days);
        cJSON_AddNumberToObject(e, "iterations", t->iterations);
        /* without its own fit: how many fitted stations of its city it pools (0: the typical station) */
        if (t->status != FC_SPR_FITTED) cJSON_AddNumberToObject(e, "pooled_city_stations", t->pooled);
        cJSON_AddItemToObject(e, "rmse_log_routes", num(t->rmse_log_routes));
        cJSON_AddItemToObject(e, "ml_level", num(t->ml_level));
        /* what its training rows span: predict flags a shift or a day's
         * volume far from them */
        cJSON_AddItemToObject(e, "shift_hours", num(t->shift_hours));
        cJSON_AddItemToObject(e, "max_day_packages", num(t->max_day_packages));
        cJSON_AddItemToObject(e, "parameters", params_json(t->p, t->se));
        if (t->corr_centre) {
            /* the station's training mean of each correction feature, in
             * the order of correction.features */
            cJSON *c = cJSON_AddArrayToObject(e, "correction_centre");
            for (int k = 0; k < m->corr.p; k++) cJSON_AddItemToArray(c, num(t->corr_centre[k]));
        }
        if (t->mix_centre) {
            /* the station's training mean of each zip-mix attribute */
            cJSON *c = cJSON_AddArrayToObject(e, "mix_centre");
            for (int k = 0; k < m->mix.n; k++) cJSON_AddItemToArray(c, num(t->mix_centre[k]));
        }
        if (m->mix.n > 0) {
            /* the hybrid's physics: the parameters refitted with the zip-mix term */
            cJSON *c = cJSON_AddObjectToObject(e, "mix_parameters");
            for (int j = 0; j < NP; j++) cJSON_AddItemToObject(c, fc_phys_param_names[j], num(t->pmix[j]));
        }
        cJSON_AddItemToArray(sa, e);
    }
    if (m->mix.n > 0) {
        cJSON *zm = cJSON_AddObjectToObject(o, "zip_mix");
        cJSON_AddBoolToObject(zm, "converged", !m->mix_noconv);
        cJSON_AddNumberToObject(zm, "iterations", m->mix_iterations);
        cJSON *fa = cJSON_AddArrayToObject(zm, "attributes");
        for (int j = 0; j < m->mix.n; j++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "name", m->mix.names[j]);
            cJSON_AddItemToObject(f, "mean", num(m->mix.mean[j]));
            cJSON_AddItemToObject(f, "sd", num(m->mix.sd[j]));
            cJSON_AddItemToObject(f, "beta", num(m->mix.beta[j]));
            cJSON_AddItemToObject(f, "se", num(m->mix.se[j]));
            cJSON_AddItemToArray(fa, f);
        }
    }
    cJSON_AddItemToObject(o, "correction", ridge_json(&m->corr));
    cJSON_AddItemToObject(o, "ml_only", ridge_json(&m->ml));
    cJSON *tr = cJSON_AddObjectToObject(o, "training");
    cJSON_AddNumberToObject(tr, "rows", (double)m->train.rows);
    cJSON_AddNumberToObject(tr, "stations_not_converged", m->n_noconv);
    cJSON_AddNumberToObject(tr, "stations_few_days", m->n_few);
    /* the range the training rows span (predict flags rows far outside it) */
    cJSON *rg = cJSON_AddObjectToObject(tr, "range");
    cJSON_AddItemToObject(rg, "capacity_min", num(m->cap_min));
    cJSON_AddItemToObject(rg, "capacity_max", num(m->cap_max));
    cJSON_AddItemToObject(rg, "packages_per_route_max", num(m->ppr_max));
    cJSON_AddItemToObject(rg, "stem_km_max", num(m->stem_km_max));
    cJSON *mape = cJSON_AddObjectToObject(tr, "routes_mape_pct");
    cJSON *bias = cJSON_AddObjectToObject(tr, "routes_bias_pct");
    for (int v = 0; v < 3; v++) {
        cJSON_AddItemToObject(mape, variant_names[v], num(m->train.mape[v]));
        cJSON_AddItemToObject(bias, variant_names[v], num(m->train.bias[v]));
    }
    return o;
}

/* ---- reading ---- */

typedef struct reader {
    const char *name;
    fc_diag *d;
    int bad;
} reader;

static const cJSON *get(reader *r, const cJSON *o, const char *key, const char *where)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v && !r->bad) {
        fc_diag_error(r->d, FC_EDATA, "%s: %s%s'%s' is missing", r->name, where, *where ? "." : "", key);
        r->bad = 1;
    }
    return v;
}

/* A number, or NAN for null (only where null is allowed). */
static double getnum(reader *r, const cJSON *o, const char *key, const char *where, int null_ok)
{
    const cJSON *v = get(r, o, key, where);
    if (!v) return NAN;
    if (cJSON_IsNumber(v)) return v->valuedouble;
    if (null_ok && cJSON_IsNull(v)) return NAN;
    if (!r->bad)
        fc_diag_error(r->d, FC_EDATA, "%s: %s.%s: expected a number", r->name, where, key);
    r->bad = 1;
    return NAN;
}

/* Parameter j's value v read at where: reported unless within its bounds. */
static void check_bounds(reader *r, const char *where, int j, double v)
{
    if (r->bad || (v >= fc_phys_lo[j] && v <= fc_phys_hi[j])) return;
    fc_diag_error(r->d, FC_EDATA, "%s: %s.%s = %g is outside its bounds %g .. %g", r->name, where,
                  fc_phys_param_names[j], v, fc_phys_lo[j], fc_phys_hi[j]);
    r->bad = 1;
}

/* {"k": {"value": v, "se": s}, ...}: every parameter, within its bounds. */
static void read_params(reader *r, const cJSON *o, const char *where, double *p, double *se)
{
    for (int j = 0; j < NP; j++) {
        const cJSON *e = get(r, o, fc_phys_param_names[j], where);
        if (!e) return;
        p[j] = getnum(r, e, "value", fc_phys_param_names[j], 0);
        se[j] = getnum(r, e, "se", fc_phys_param_names[j], 1);
        check_bounds(r, where, j, p[j]);
    }
}

/* {"k": value, ...}: every parameter's value, within its bounds. */
static void read_values(reader *r, const cJSON *o, const char *where, double *p)
{
    for (int j = 0; j < NP && !r->bad; j++) {
        p[j] = getnum(r, o, fc_phys_param_names[j], where, 0);
        check_bounds(r, where, j, p[j]);
    }
}

/* An array of numbers or nulls (NAN) into a new buffer, n of them (n < 0:
 * any number, then *count is set); NULL when the key is absent or on an
 * error (reported, naming where.key and the element at fault). */
static double *read_numbers(reader *r, const cJSON *o, const char *key, const char *where, int n, int *count)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!a || r->bad) return NULL;
    int len = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
    if (len < 0 || (n >= 0 && len != n)) {
        if (n >= 0)
            fc_diag_error(r->d, FC_EDATA, "%s: %s.%s: expected an array of %d numbers", r->name, where, key, n);
        else
            fc_diag_error(r->d, FC_EDATA, "%s: %s.%s: expected an array", r->name, where, key);
        r->bad = 1;
        return NULL;
    }
    double *v = calloc((size_t)len + 1, sizeof *v);
    if (!v) {
        r->bad = 2;
        return NULL;
    }
    int k = 0;
    for (const cJSON *e = a->child; e; e = e->next, k++) {
        if (cJSON_IsNumber(e)) v[k] = e->valuedouble;
        else if (cJSON_IsNull(e)) v[k] = NAN;
        else {
            fc_diag_error(r->d, FC_EDATA, "%s: %s.%s[%d]: expected a number or null", r->name, where, key, k);
            r->bad = 1;
            free(v);
            return NULL;
        }
    }
    if (count) *count = len;
    return v;
}

/* The zip-mix term (absent in models without one). */
static void read_mix(reader *r, const cJSON *o, fc_spr_mix *mx, int *noconv, int *iterations)
{
    if (!o || r->bad) return;
    const cJSON *cv = cJSON_GetObjectItemCaseSensitive(o, "converged");
    if (cJSON_IsBool(cv)) *noconv = cJSON_IsFalse(cv);
    const cJSON *itn = cJSON_GetObjectItemCaseSensitive(o, "iterations");
    if (cJSON_IsNumber(itn)) *iterations = (int)itn->valuedouble;
    const cJSON *fa = get(r, o, "attributes", "zip_mix");
    if (r->bad) return;
    int n = cJSON_IsArray(fa) ? cJSON_GetArraySize(fa) : -1;
    if (n < 0 || n > FC_SPR_MAX_MIX) {
        fc_diag_error(r->d, FC_EDATA, "%s: zip_mix.attributes: expected an array of at most %d attributes",
                      r->name, FC_SPR_MAX_MIX);
        r->bad = 1;
        return;
    }
    mx->names = calloc((size_t)n + 1, sizeof *mx->names);
    mx->mean = calloc((size_t)n + 1, sizeof(double));
    mx->sd = calloc((size_t)n + 1, sizeof(double));
    mx->beta = calloc((size_t)n + 1, sizeof(double));
    mx->se = calloc((size_t)n + 1, sizeof(double));
    if (!mx->names || !mx->mean || !mx->sd || !mx->beta || !mx->se) {
        r->bad = 2;
        return;
    }
    int j = 0;
    for (const cJSON *f = fa->child; f && !r->bad; f = f->next, j++) {
        const cJSON *nm = get(r, f, "name", "zip_mix.attributes[]");
        if (r->bad) return;
        if (!cJSON_IsString(nm)) {
            fc_diag_error(r->d, FC_EDATA, "%s: zip_mix.attributes[%d].name: expected a string", r->name, j);
            r->bad = 1;
            return;
        }
        if (!(mx->names[j] = strdup(nm->valuestring))) {
            r->bad = 2;
            return;
        }
        mx->n = j + 1;
        mx->mean[j] = getnum(r, f, "mean", "zip_mix.attributes[]", 1);
        mx->sd[j] = getnum(r, f, "sd", "zip_mix.attributes[]", 0);
        mx->beta[j] = getnum(r, f, "beta", "zip_mix.attributes[]", 0);
        mx->se[j] = getnum(r, f, "se", "zip_mix.attributes[]", 1);
        if (!r->bad && !(mx->sd[j] >= 0 && fabs(mx->beta[j]) < 100)) {
            fc_diag_error(r->d, FC_EDATA, "%s: zip_mix.attributes[%d]: expected sd >= 0 and |beta| < 100",
                          r->name, j);
            r->bad = 1;
        }
    }
}

static void read_ridge(reader *r, const cJSON *o, const char *where, fc_ridge *g)
{
    if (!o) return;
    g->intercept = getnum(r, o, "intercept", where, 0);
    g->lambda = getnum(r, o, "lambda", where, 1);
    g->cv_rmse = getnum(r, o, "cv_rmse", where, 1);
    g->train_rmse = getnum(r, o, "train_rmse", where, 1);
    g->n = (int64_t)getnum(r, o, "rows", where, 0);
    g->lo = -INFINITY;
    g->hi = INFINITY;
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "bounds");
    if (cJSON_IsArray(b) && cJSON_GetArraySize(b) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(b, 0)) &&
        cJSON_IsNumber(cJSON_GetArrayItem(b, 1))) {
        g->lo = cJSON_GetArrayItem(b, 0)->valuedouble;
        g->hi = cJSON_GetArrayItem(b, 1)->valuedouble;
    }
    const cJSON *fa = get(r, o, "features", where);
    if (r->bad) return;
    if (!cJSON_IsArray(fa)) {
        fc_diag_error(r->d, FC_EDATA, "%s: %s.features: expected an array", r->name, where);
        r->bad = 1;
        return;
    }
    int p = cJSON_GetArraySize(fa);
    g->names = calloc((size_t)p + 1, sizeof *g->names);
    g->mean = calloc((size_t)p + 1, sizeof(double));
    g->scale = calloc((size_t)p + 1, sizeof(double));
    g->beta = calloc((size_t)p + 1, sizeof(double));
    if (!g->names || !g->mean || !g->scale || !g->beta) {
        r->bad = 2;
        return;
    }
    g->p = p;
    int j = 0;
    for (const cJSON *f = fa->child; f; f = f->next, j++) {
        const cJSON *nm = get(r, f, "name", where);
        if (r->bad) return;
        if (!cJSON_IsString(nm)) {
            fc_diag_error(r->d, FC_EDATA, "%s: %s.features[%d].name: expected a string", r->name, where, j);
            r->bad = 1;
            return;
        }
        if (!(g->names[j] = strdup(nm->valuestring))) {
            r->bad = 2;
            return;
        }
        g->mean[j] = getnum(r, f, "mean", where, 0);
        g->scale[j] = getnum(r, f, "scale", where, 0);
        g->beta[j] = getnum(r, f, "coef", where, 0);
        if (!r->bad && !(g->scale[j] > 0)) {
            fc_diag_error(r->d, FC_EDATA, "%s: %s.features[%d].scale: expected a number > 0", r->name, where, j);
            r->bad = 1;
        }
    }
}

int fc_spr_model_from_json(const cJSON *j, const char *name, fc_diag *d, fc_spr_model **out)
{
    *out = NULL;
    reader r = {name, d, 0};
    if (!cJSON_IsObject(j)) {
        fc_diag_error(d, FC_EDATA, "%s: not a JSON object", name);
        return FC_EDATA;
    }
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(j, "kind");
    if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "fleetcast.spr_model") != 0) {
        fc_diag_error(d, FC_EDATA, "%s: not a fleetcast model (its 'kind' is not \"fleetcast.spr_model\")", name);
        return FC_EDATA;
    }
    double ver = getnum(&r, j, "schema_version", "", 0);
    if (!r.bad && ver != FC_SPR_SCHEMA_VERSION) {
        fc_diag_error(d, FC_EDATA, "%s: schema_version %g is not supported (this fleetcast reads %d)", name,
                      ver, FC_SPR_SCHEMA_VERSION);
        return FC_EDATA;
    }
    fc_spr_model *m = calloc(1, sizeof *m);
    if (!m) return FC_EINTERNAL;
    int centre_n[3] = {0, -1, 0};   /* stations with centres, their length, lengths differ */
    fc_spr_settings_default(&m->settings);
    char swhere[512];
    snprintf(swhere, sizeof swhere, "%s: settings", name);
    if (fc_spr_settings_from_json_at(&m->settings, cJSON_GetObjectItemCaseSensitive(j, "settings"), swhere, d))
        r.bad = 1;
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(j, "inputs");
    if (in) m->inputs = cJSON_Duplicate(in, 1);
    read_mix(&r, cJSON_GetObjectItemCaseSensitive(j, "zip_mix"), &m->mix, &m->mix_noconv, &m->mix_iterations);
    const int mix_n = m->mix.n;
    const cJSON *ph = get(&r, j, "physics", "");
    if (ph) {
        const cJSON *net = get(&r, ph, "network", "physics");
        if (net) read_params(&r, net, "physics.network", m->network, m->network_se);
        m->network_iterations = (int)getnum(&r, ph, "network_iterations", "physics", 0);
        /* the typical station; models written before it had the network values */
        memcpy(m->typical, m->network, sizeof m->typical);
        memcpy(m->typical_mix, m->network, sizeof m->typical_mix);
        const cJSON *ty = cJSON_GetObjectItemCaseSensitive(ph, "typical");
        if (ty && !r.bad) {
            m->typical_n = (int)getnum(&r, ty, "stations", "physics.typical", 0);
            const cJSON *tp = get(&r, ty, "parameters", "physics.typical");
            if (tp) read_values(&r, tp, "physics.typical.parameters", m->typical);
            memcpy(m->typical_mix, m->typical, sizeof m->typical_mix);
            const cJSON *tm = cJSON_GetObjectItemCaseSensitive(ty, "mix_parameters");
            if (tm) read_values(&r, tm, "physics.typical.mix_parameters", m->typical_mix);
        }
        const cJSON *sa = get(&r, ph, "stations", "physics");
        if (!r.bad && !cJSON_IsArray(sa)) {
            fc_diag_error(d, FC_EDATA, "%s: physics.stations: expected an array", name);
            r.bad = 1;
        }
        if (!r.bad) {
            int n = cJSON_GetArraySize(sa);
            m->st = calloc((size_t)n + 1, sizeof *m->st);
            if (!m->st) r.bad = 2;
            int s = 0;
            for (const cJSON *e = sa->child; e && !r.bad; e = e->next, s++) {
                fc_spr_station *t = &m->st[s];
                m->nstations = s + 1;
                const cJSON *nm = get(&r, e, "station", "physics.stations[]");
                const cJSON *stt = get(&r, e, "status", "physics.stations[]");
                if (r.bad) break;
                if (!cJSON_IsString(nm) || !cJSON_IsString(stt)) {
                    fc_diag_error(d, FC_EDATA, "%s: physics.stations[%d]: station and status must be strings",
                                  name, s);
                    r.bad = 1;
                    break;
                }
                /* two entries of one station: the last silently won */
                for (int k = 0; k < s && !r.bad; k++)
                    if (strcmp(m->st[k].name, nm->valuestring) == 0) {
                        fc_diag_error(d, FC_EDATA, "%s: physics.stations[%d]: station '%s' appears twice "
                                      "(first at physics.stations[%d])", name, s, nm->valuestring, k);
                        r.bad = 1;
                    }
                if (r.bad) break;
                if (!(t->name = strdup(nm->valuestring))) r.bad = 2;
                t->status = -1;
                for (int k = 0; k < 3; k++)
                    if (strcmp(stt->valuestring, status_names[k]) == 0) t->status = k;
                if (t->status < 0 && !r.bad) {
                    fc_diag_error(d, FC_EDATA, "%s: physics.stations[%d].status: expected fitted, few_days or "
                                  "not_converged", name, s);
                    r.bad = 1;
                }
                t->days = (int)getnum(&r, e, "days", "physics.stations[]", 0);
                /* models written before the sample: all days */
                t->calibrated_days = cJSON_GetObjectItemCaseSensitive(e, "calibrated_days")
                                         ? (int)getnum(&r, e, "calibrated_days", "physics.stations[]", 0)
                                         : t->days;
                t->iterations = (int)getnum(&r, e, "iterations", "physics.stations[]", 0);
                if (cJSON_GetObjectItemCaseSensitive(e, "pooled_city_stations"))
                    t->pooled = (int)getnum(&r, e, "pooled_city_stations", "physics.stations[]", 0);
                t->rmse_log_routes = getnum(&r, e, "rmse_log_routes", "physics.stations[]", 1);
                t->ml_level = getnum(&r, e, "ml_level", "physics.stations[]", 1);
                /* models written before they were recorded: unknown */
                t->shift_hours = t->max_day_packages = NAN;
                if (cJSON_GetObjectItemCaseSensitive(e, "shift_hours"))
                    t->shift_hours = getnum(&r, e, "shift_hours", "physics.stations[]", 1);
                if (cJSON_GetObjectItemCaseSensitive(e, "max_day_packages"))
                    t->max_day_packages = getnum(&r, e, "max_day_packages", "physics.stations[]", 1);
                const cJSON *pp = get(&r, e, "parameters", "physics.stations[]");
                if (pp) read_params(&r, pp, t->name ? t->name : "station", t->p, t->se);
                char where[48];
                snprintf(where, sizeof where, "physics.stations[%d]", s);
                int nc = 0;
                t->corr_centre = read_numbers(&r, e, "correction_centre", where, -1, &nc);
                if (t->corr_centre) {
                    centre_n[0]++;
                    if (centre_n[1] >= 0 && centre_n[1] != nc) centre_n[2] = 1;
                    centre_n[1] = nc;
                }
                memcpy(t->pmix, t->p, sizeof t->pmix);
                if (mix_n > 0) {
                    t->mix_centre = read_numbers(&r, e, "mix_centre", where, mix_n, NULL);
                    const cJSON *mp = get(&r, e, "mix_parameters", "physics.stations[]");
                    char wm[64];
                    snprintf(wm, sizeof wm, "physics.stations[%d].mix_parameters", s);
                    if (mp) read_values(&r, mp, wm, t->pmix);
                }
                if (t->status == FC_SPR_NOCONV) m->n_noconv++;
                if (t->status == FC_SPR_FEW_DAYS) m->n_few++;
            }
        }
    }
    read_ridge(&r, get(&r, j, "correction", ""), "correction", &m->corr);
    /* Centred correction only when the model carries the centres (models
     * written before correction_centre existed use raw features). */
    if (!r.bad && centre_n[0] > 0 && (centre_n[2] || centre_n[1] != m->corr.p)) {
        fc_diag_error(d, FC_EDATA, "%s: physics.stations[].correction_centre: expected %d values (one per "
                      "correction feature)", name, m->corr.p);
        r.bad = 1;
    }
    if (centre_n[0] == 0) m->settings.correction_centre = 0;
    read_ridge(&r, get(&r, j, "ml_only", ""), "ml_only", &m->ml);
    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(j, "training");
    m->cap_min = m->cap_max = m->ppr_max = m->stem_km_max = NAN;
    const cJSON *rg = tr ? cJSON_GetObjectItemCaseSensitive(tr, "range") : NULL;
    if (rg && !r.bad) {
        /* models written before it was recorded have none: nothing flagged */
        m->cap_min = getnum(&r, rg, "capacity_min", "training.range", 1);
        m->cap_max = getnum(&r, rg, "capacity_max", "training.range", 1);
        m->ppr_max = getnum(&r, rg, "packages_per_route_max", "training.range", 1);
        m->stem_km_max = getnum(&r, rg, "stem_km_max", "training.range", 1);
    }
    if (tr && !r.bad) {
        m->train.rows = (int64_t)getnum(&r, tr, "rows", "training", 0);
        const cJSON *mape = cJSON_GetObjectItemCaseSensitive(tr, "routes_mape_pct");
        const cJSON *bias = cJSON_GetObjectItemCaseSensitive(tr, "routes_bias_pct");
        for (int v = 0; v < 3 && mape && bias && !r.bad; v++) {
            m->train.mape[v] = getnum(&r, mape, variant_names[v], "training.routes_mape_pct", 1);
            m->train.bias[v] = getnum(&r, bias, variant_names[v], "training.routes_bias_pct", 1);
        }
    }
    if (r.bad) {
        if (r.bad == 2) fc_diag_error(d, FC_EINTERNAL, "out of memory");
        fc_spr_model_free(m);
        return r.bad == 2 ? FC_EINTERNAL : FC_EDATA;
    }
    *out = m;
    return FC_OK;
}
