/* spr_data.c -- the station-day view of the inputs for the SPR model: which
 * zips a station serves on a day, and the features of a routes row. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/config.h"
#include "fleetcast/date.h"
#include "fleetcast/geo.h"
#include "fleetcast/spr.h"

typedef struct entry {
    int32_t zip, first, last;   /* a period range in which the station serves zip */
    int32_t multi;              /* zip has more than one segment */
    float dist_km, area_km2;
} entry;

struct fc_spr_index {
    const fc_shipments *sh;
    const fc_zips *zips;
    const fc_stations *st;
    int32_t nst;
    int32_t *off;               /* entries of station s: off[s] .. off[s+1]-1 */
    entry *e;
    int max_zips;
    int nfeat;
    char **names;
};

/* Fixed features first; then hilliness (if given) and each zip feature. */
enum { F_DOW = 0, F_SEASON = 6, F_PPS = 10, F_AGE = 11, F_FIXED = 12 };

void fc_spr_settings_default(fc_spr_settings *s)
{
    s->default_shift_hours = 8.0;
    s->min_days = 20;
    s->max_iter = 500;
    s->network_rows = 4000;
    s->max_days = 730;
    s->prior_sd = 0.15;
    s->network_prior_sd = 0.3;
    s->stem_prior_sd = 0.1;
    s->sigma_routes = 0.03;
    s->sigma_hours = 0.05;
    s->sigma_km = 0.05;
    s->robust = 1;
    s->max_correction = 0.25;
    s->cv_folds = 5;
    s->correction_centre = 1;
    s->zip_mix = 1;
    s->mix_prior_sd = 0.3;
    s->threads = 0;
}

typedef struct setting_spec {
    const char *key;
    size_t off;
    int is_int;
    double lo, hi;
} setting_spec;

#define SD(f, lo, hi) {#f, offsetof(fc_spr_settings, f), 0, lo, hi}
#define SI(f, lo, hi) {#f, offsetof(fc_spr_settings, f), 1, lo, hi}
static const setting_spec specs[] = {
    SD(default_shift_hours, 1, 24), SI(min_days, 1, 100000), SI(max_iter, 1, 100000),
    SI(network_rows, 10, 10000000), SI(max_days, 0, 10000000), SD(prior_sd, 1e-4, 100), SD(network_prior_sd, 1e-4, 100),
    SD(stem_prior_sd, 1e-4, 100),
    SD(sigma_routes, 1e-4, 10), SD(sigma_hours, 1e-4, 10), SD(sigma_km, 1e-4, 10),
    SI(robust, 0, 20), SD(max_correction, 0, 10), SI(cv_folds, 2, 50),
    SI(correction_centre, 0, 1), SI(zip_mix, 0, 1), SD(mix_prior_sd, 1e-4, 100)};
#define NSPECS ((int)(sizeof specs / sizeof specs[0]))

static int settings_read(fc_spr_settings *s, const cJSON *model, const char *where, int strict,
                         fc_diag *d);

/* In a config, an unknown key is an error: a misspelt setting ran the fit
 * with its default after a warning a cron job shows nobody. */
int fc_spr_settings_from_json(fc_spr_settings *s, const cJSON *model, fc_diag *d)
{
    return settings_read(s, model, "config: model", 1, d);
}

/* In a model file (written by another version, perhaps), a warning. */
int fc_spr_settings_from_json_at(fc_spr_settings *s, const cJSON *model, const char *where, fc_diag *d)
{
    return settings_read(s, model, where, 0, d);
}

static int settings_read(fc_spr_settings *s, const cJSON *model, const char *where, int strict,
                         fc_diag *d)
{
    if (!model) return FC_OK;
    if (!cJSON_IsObject(model)) {
        fc_diag_error(d, FC_EDATA, "%s: must be an object", where);
        return FC_EDATA;
    }
    int st = FC_OK;
    for (const cJSON *it = model->child; it; it = it->next) {
        int k = 0;
        while (k < NSPECS && strcmp(specs[k].key, it->string) != 0) k++;
        if (k == NSPECS) {
            const char *keys[NSPECS + 1];
            for (int i = 0; i < NSPECS; i++) keys[i] = specs[i].key;
            keys[NSPECS] = NULL;
            char what[768];
            fc_json_expected_keys(it->string, keys, what, sizeof what);
            if (strict) {
                fc_diag_error(d, FC_EDATA, "%s.%s: expected %s", where, it->string, what);
                st = FC_EDATA;
            } else {
                fc_diag_warn(d, "%s.%s: unknown setting, ignored (expected %s)", where, it->string, what);
            }
            continue;
        }
        double v = cJSON_IsNumber(it) ? it->valuedouble : NAN;
        if (!(v >= specs[k].lo && v <= specs[k].hi) || (specs[k].is_int && v != floor(v))) {
            fc_diag_error(d, FC_EDATA, "%s.%s: expected a%s number from %g to %g",
                          where, it->string, specs[k].is_int ? " whole" : "", specs[k].lo, specs[k].hi);
            st = FC_EDATA;
            continue;
        }
        char *p = (char *)s + specs[k].off;
        if (specs[k].is_int) *(int *)p = (int)v;
        else *(double *)p = v;
    }
    return st;
}

cJSON *fc_spr_settings_to_json(const fc_spr_settings *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    for (int k = 0; k < NSPECS; k++) {
        const char *p = (const char *)s + specs[k].off;
        cJSON_AddNumberToObject(o, specs[k].key, specs[k].is_int ? *(const int *)p : *(const double *)p);
    }
    return o;
}

static int entry_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->zip != y->zip) return x->zip < y->zip ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

int fc_spr_index_new(const fc_shipments *sh, const fc_zips *zips, const fc_stations *st,
                     fc_diag *d, fc_spr_index **out)
{
    *out = NULL;
    if (sh->monthly) {
        fc_diag_error(d, FC_EDATA, "the SPR model needs daily shipments (this file is monthly)");
        return FC_EDATA;
    }
    fc_spr_index *ix = calloc(1, sizeof *ix);
    if (!ix) return FC_EINTERNAL;
    ix->sh = sh;
    ix->zips = zips;
    ix->st = st;
    ix->nst = st->n;
    int32_t nseg = sh->seg_off[sh->nzips];
    ix->off = calloc((size_t)st->n + 2, sizeof *ix->off);
    ix->e = malloc(((size_t)nseg + 1) * sizeof *ix->e);
    int32_t *fill = calloc((size_t)st->n + 1, sizeof *fill);
    if (!ix->off || !ix->e || !fill) goto oom;
    for (int32_t k = 0; k < nseg; k++) ix->off[sh->seg_station[k] + 1]++;
    for (int32_t s = 0; s < st->n; s++) {
        if (ix->off[s + 1] > ix->max_zips) ix->max_zips = ix->off[s + 1];
        ix->off[s + 1] += ix->off[s];
    }
    for (int32_t z = 0; z < sh->nzips; z++)
        for (int32_t k = sh->seg_off[z]; k < sh->seg_off[z + 1]; k++) {
            int32_t s = sh->seg_station[k];
            entry *e = &ix->e[ix->off[s] + fill[s]++];
            e->zip = z;
            e->first = sh->seg_first[k];
            e->last = sh->seg_last[k];
            e->multi = sh->seg_off[z + 1] - sh->seg_off[z] > 1;
            e->dist_km = (float)fc_geo_km(st->lat[s], st->lon[s], zips->lat[z], zips->lon[z]);
            e->area_km2 = (float)zips->area_km2[z];
        }
    for (int32_t s = 0; s < st->n; s++)
        qsort(ix->e + ix->off[s], (size_t)(ix->off[s + 1] - ix->off[s]), sizeof *ix->e, entry_cmp);
    free(fill);
    fill = NULL;
    ix->nfeat = F_FIXED + (zips->has_hilliness ? 1 : 0) + zips->feat.n;
    ix->names = calloc((size_t)ix->nfeat, sizeof *ix->names);
    if (!ix->names) goto oom;
    static const char *fixed[F_FIXED] = {
        "dow_tue", "dow_wed", "dow_thu", "dow_fri", "dow_sat", "dow_sun",
        "season_sin1", "season_cos1", "season_sin2", "season_cos2",
        "log_packages_per_stop", "station_age_years"};
    int j = 0;
    for (; j < F_FIXED; j++)
        if (!(ix->names[j] = strdup(fixed[j]))) goto oom;
    if (zips->has_hilliness && !(ix->names[j++] = strdup("zip_hilliness"))) goto oom;
    for (int f = 0; f < zips->feat.n; f++, j++) {
        size_t n = strlen(zips->feat.names[f]) + 5;
        if (!(ix->names[j] = malloc(n))) goto oom;
        snprintf(ix->names[j], n, "zip_%s", zips->feat.names[f]);
    }
    *out = ix;
    return FC_OK;
oom:
    free(fill);
    fc_spr_index_free(ix);
    fc_diag_error(d, FC_EINTERNAL, "out of memory");
    return FC_EINTERNAL;
}

void fc_spr_index_free(fc_spr_index *ix)
{
    if (!ix) return;
    if (ix->names)
        for (int j = 0; j < ix->nfeat; j++) free(ix->names[j]);
    free(ix->names);
    free(ix->off);
    free(ix->e);
    free(ix);
}

int fc_spr_index_nstations(const fc_spr_index *ix) { return ix->nst; }
const char *fc_spr_index_station_name(const fc_spr_index *ix, int s) { return fc_intern_name(ix->st->ids, s); }
int fc_spr_index_station_city(const fc_spr_index *ix, int s) { return ix->st->city ? ix->st->city[s] : -1; }
int fc_spr_index_max_zips(const fc_spr_index *ix) { return ix->max_zips > 0 ? ix->max_zips : 1; }
int fc_spr_index_nfeat(const fc_spr_index *ix) { return ix->nfeat; }
const char *fc_spr_index_feat_name(const fc_spr_index *ix, int j) { return ix->names[j]; }
int32_t fc_spr_index_nzips(const fc_spr_index *ix) { return ix->zips->n; }
int fc_spr_index_is_zip_feat(const fc_spr_index *ix, int j) { return j >= F_FIXED && j < ix->nfeat; }

double fc_spr_index_zip_value(const fc_spr_index *ix, int j, int32_t zip)
{
    const fc_zips *zips = ix->zips;
    if (j < F_FIXED || j >= ix->nfeat || zip < 0 || zip >= zips->n) return NAN;
    j -= F_FIXED;
    if (zips->has_hilliness) {
        if (j == 0) return zips->hilliness[zip];
        j--;
    }
    return zips->feat.values[(size_t)zip * (size_t)zips->feat.n + (size_t)j];
}

/* Whether zip entry e of station s is served on period p with packages
 * and stops (into *np, *ns; base: p's row of the shipment arrays): a term
 * of the station-day. */
static int entry_serves(const fc_shipments *sh, const entry *e, int32_t s, int32_t p, size_t base, int32_t *np,
                        int32_t *ns)
{
    if (p < e->first || p > e->last) return 0;
    *np = sh->packages[base + (size_t)e->zip];
    *ns = sh->stops[base + (size_t)e->zip];
    if (*np <= 0 || *ns <= 0) return 0;
    return !e->multi || fc_shipments_station(sh, e->zip, p) == s;
}

int fc_spr_row_nzips(const fc_spr_index *ix, const fc_routes *r, int64_t i)
{
    const fc_shipments *sh = ix->sh;
    int32_t s = r->station[i], p = r->day[i] - sh->t0, nz = 0, np, ns;
    if (p < 0 || p >= sh->nperiods) return 0;
    size_t base = (size_t)p * (size_t)sh->nzips;
    for (int32_t k = ix->off[s]; k < ix->off[s + 1]; k++) nz += entry_serves(sh, &ix->e[k], s, p, base, &np, &ns);
    return nz;
}

void fc_spr_row_prepare(const fc_spr_index *ix, const fc_routes *r, const fc_vehicles *veh,
                        int64_t i, fc_phys_zip *terms, double *feat, fc_spr_row *row)
{
    const fc_shipments *sh = ix->sh;
    const fc_zips *zips = ix->zips;
    int32_t s = r->station[i], day = r->day[i];
    row->day = day;
    row->station = s;
    row->van = r->van[i];
    row->packages = r->packages[i];
    row->capacity = veh->capacity[r->van[i]];
    row->shift_h = ix->st->shift_hours[s];
    row->obs_routes = r->routes[i];
    row->obs_hours = r->route_hours[i];
    row->obs_km = r->route_km[i];
    row->nz = 0;
    int nf = ix->nfeat, nzf = zips->feat.n, hill = zips->has_hilliness;
    for (int j = 0; j < nf; j++) feat[j] = 0;
    double wsum[nf > 0 ? nf : 1];
    for (int j = 0; j < nf; j++) wsum[j] = 0;
    double pk = 0, stops = 0;
    int32_t p = day - sh->t0;
    if (p >= 0 && p < sh->nperiods) {
        size_t base = (size_t)p * (size_t)sh->nzips;
        for (int32_t k = ix->off[s]; k < ix->off[s + 1]; k++) {
            const entry *e = &ix->e[k];
            int32_t np, ns;
            if (!entry_serves(sh, e, s, p, base, &np, &ns)) continue;
            terms[row->nz++] = fc_phys_zip_of(ns, np, e->area_km2, e->dist_km, e->zip);
            pk += np;
            stops += ns;
            int j = F_FIXED;
            if (hill) {
                feat[j] += np * zips->hilliness[e->zip];
                wsum[j] += np;
                j++;
            }
            for (int f = 0; f < nzf; f++, j++) {
                double v = zips->feat.values[(size_t)e->zip * (size_t)nzf + (size_t)f];
                if (isnan(v)) continue;
                feat[j] += np * v;
                wsum[j] += np;
            }
        }
    }
    row->zip_packages = pk;
    row->share = pk > 0 ? row->packages / pk : 0;
    if (row->share > 2) row->share = 2;
    row->stops = r->has_stops && isfinite(r->stops[i]) ? r->stops[i] : row->share * stops;
    for (int j = F_FIXED; j < nf; j++) feat[j] = wsum[j] > 0 ? feat[j] / wsum[j] : NAN;
    int wd = fc_date_weekday(day);
    if (wd >= 1) feat[F_DOW + wd - 1] = 1;
    int y, m, dd;
    fc_civil_from_days(day, &y, &m, &dd);
    double doy = (double)(day - fc_days_from_civil(y, 1, 1));
    double w = 2 * M_PI * doy / 365.25;
    feat[F_SEASON] = sin(w);
    feat[F_SEASON + 1] = cos(w);
    feat[F_SEASON + 2] = sin(2 * w);
    feat[F_SEASON + 3] = cos(2 * w);
    feat[F_PPS] = stops > 0 ? log(pk / stops) : NAN;
    int32_t opened = ix->st->opened[s];
    if (opened == FC_NO_DATE) {
        feat[F_AGE] = NAN;
    } else {
        double age = (day - opened) / 365.25;
        feat[F_AGE] = age < 0 ? 0 : age > 10 ? 10 : age;
    }
}
