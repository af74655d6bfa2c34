/* scenario.c -- the generator's scenario knobs (docs/synth.md): station
 * van types and switch dates, openings, volume multipliers, zips moving
 * between stations, zips whose service changes; and the state they give
 * on any day. The resolved scenario (zip lists filled in) goes to
 * config.json so later stages know what happened when. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/config.h"
#include "fleetcast/date.h"
#include "synth_internal.h"

typedef struct sc_ctx {
    fc_synth_world *w;
    const char *name;
    fc_diag *d;
    int bad;
    int oom;
} sc_ctx;

static void bad(sc_ctx *c, const char *key, const char *what)
{
    fc_diag_at(c->d, FC_EDATA, c->name, 0, 0, "key '%s': expected %s", key, what);
    c->bad = 1;
}

/* An object's keys must be ones it knows: a misspelt key ("open" for
 * "opens", "station" for "stations") was ignored, which for a volume
 * multiplier meant the whole network. keys: NULL-terminated. */
static void known_keys(sc_ctx *c, const cJSON *o, const char *key, const char *const *keys)
{
    if (!cJSON_IsObject(o)) return;
    char before[320];
    snprintf(before, sizeof before, "key '%s.", key);
    if (fc_json_unknown_keys(o, keys, c->name, before, "'", c->d)) c->bad = 1;
}

static int get_date(sc_ctx *c, const cJSON *o, const char *field, const char *key, int required,
                    int32_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    char k[256];
    snprintf(k, sizeof k, "%s.%s", key, field);
    if (!v) {
        if (required) bad(c, k, "a date YYYY-MM-DD");
        return required ? -1 : 1;
    }
    if (!cJSON_IsString(v) || fc_date_parse(v->valuestring, strlen(v->valuestring), out)) {
        bad(c, k, "a date YYYY-MM-DD");
        return -1;
    }
    return 0;
}

static int get_num(sc_ctx *c, const cJSON *o, const char *field, const char *key, double lo,
                   double hi, int required, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    char k[256], what[96];
    snprintf(k, sizeof k, "%s.%s", key, field);
    snprintf(what, sizeof what, "a number in [%g, %g]", lo, hi);
    if (!v) {
        if (required) bad(c, k, what);
        return required ? -1 : 1;
    }
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi)) {
        bad(c, k, what);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

static int32_t get_station(sc_ctx *c, const cJSON *o, const char *field, const char *key, int required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    char k[256];
    snprintf(k, sizeof k, "%s.%s", key, field);
    if (!v) {
        if (required) bad(c, k, "a station id");
        return -2;
    }
    int32_t s = cJSON_IsString(v) ? synth_station_find(c->w, v->valuestring) : -1;
    if (s < 0) bad(c, k, "a station id of the generated network (e.g. BOS1)");
    return s;
}

static int32_t get_van(sc_ctx *c, const cJSON *v, const char *key)
{
    int32_t t = cJSON_IsString(v) ? synth_vehicle_find(c->w, v->valuestring) : -1;
    if (t < 0) bad(c, key, "a van type: small, medium, large or ev");
    return t;
}

static void add(sc_ctx *c, fc_synth_change **arr, int32_t *n, int32_t from, int32_t who, double value)
{
    if (synth_change_add(arr, n, from, who, value)) c->oom = 1;
}

/* ---- stations ---------------------------------------------------------- */

static void apply_station(sc_ctx *c, int32_t s, const cJSON *o, const char *key)
{
    fc_synth_world *w = c->w;
    fc_synth_station *st = &w->stations[s];
    if (!cJSON_IsObject(o)) {
        bad(c, key, "an object");
        return;
    }
    char k[256];
    static const char *const keys[] = {"van_type", "switch", "may_run", "opens", "shift_hours", "chargers",
                                       "charger_kw", "site_power_kw", "ev_fleet", NULL};
    known_keys(c, o, key, keys);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "van_type");
    if (v) {
        snprintf(k, sizeof k, "%s.van_type", key);
        int32_t t = get_van(c, v, k);
        if (t >= 0) st->van0 = t;
    }
    const cJSON *sw = cJSON_GetObjectItemCaseSensitive(o, "switch");
    if (sw) {
        snprintf(k, sizeof k, "%s.switch", key);
        if (!cJSON_IsArray(sw)) bad(c, k, "an array of {\"from\": DATE, \"van_type\": TYPE}");
        int i = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, sw) {
            char ki[280];
            snprintf(ki, sizeof ki, "%s[%d]", k, i++);
            static const char *const skeys[] = {"from", "van_type", NULL};
            known_keys(c, e, ki, skeys);
            int32_t from;
            if (get_date(c, e, "from", ki, 1, &from)) continue;
            char kv[300];
            snprintf(kv, sizeof kv, "%s.van_type", ki);
            int32_t t = get_van(c, cJSON_GetObjectItemCaseSensitive(e, "van_type"), kv);
            if (t >= 0) add(c, &w->van, &w->nvan, from, s, t);
        }
    }
    const cJSON *mr = cJSON_GetObjectItemCaseSensitive(o, "may_run");
    if (mr) {
        snprintf(k, sizeof k, "%s.may_run", key);
        uint64_t mask = 0;
        if (!cJSON_IsArray(mr)) bad(c, k, "an array of van types");
        const cJSON *e;
        cJSON_ArrayForEach(e, mr) {
            int32_t t = get_van(c, e, k);
            if (t >= 0) mask |= (uint64_t)1 << t;
        }
        if (mask) st->may_run = mask;
    }
    double x;
    if (get_num(c, o, "shift_hours", key, 2, 14, 0, &x) == 0) st->shift_hours = x;
    if (get_num(c, o, "chargers", key, 0, 1000, 0, &x) == 0) st->chargers = (int32_t)x;
    if (get_num(c, o, "charger_kw", key, 1, 1000, 0, &x) == 0) st->charger_kw = x;
    if (get_num(c, o, "site_power_kw", key, 0, 1e6, 0, &x) == 0) st->site_power_kw = x;
    if (get_num(c, o, "ev_fleet", key, 0, 10000, 0, &x) == 0) st->ev_fleet = (int32_t)x;
    int32_t opens;
    if (get_date(c, o, "opens", key, 0, &opens) == 0) {
        st->opened = opens;
        /* until it opens, its zips are served by the nearest other station
         * of the city (none: not served) */
        int32_t other = -1;
        double best = INFINITY;
        for (int32_t j = 0; j < w->nstations; j++) {
            if (j == s || w->stations[j].city != st->city) continue;
            double dx = w->stations[j].x - st->x, dy = w->stations[j].y - st->y, dd = dx * dx + dy * dy;
            if (dd < best) {
                best = dd;
                other = j;
            }
        }
        for (int32_t z = 0; z < w->nzips; z++)
            if (w->zips[z].home == s) {
                add(c, &w->zip_station, &w->nzip_station, INT32_MIN, z, other);
                add(c, &w->zip_station, &w->nzip_station, opens, z, s);
            }
    }
}

/* ---- events ----------------------------------------------------------- */

static void apply_volume(sc_ctx *c, const cJSON *arr)
{
    if (!cJSON_IsArray(arr)) {
        bad(c, "volume", "an array of {\"from\": DATE, \"multiplier\": X [, \"stations\": [...]]}");
        return;
    }
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        char k[64];
        snprintf(k, sizeof k, "volume[%d]", i++);
        static const char *const keys[] = {"from", "multiplier", "stations", NULL};
        known_keys(c, e, k, keys);
        int32_t from;
        double m;
        if (get_date(c, e, "from", k, 1, &from) || get_num(c, e, "multiplier", k, 0, 100, 1, &m)) continue;
        const cJSON *sts = cJSON_GetObjectItemCaseSensitive(e, "stations");
        if (!sts) {
            add(c, &c->w->volume, &c->w->nvolume, from, -1, m);
            continue;
        }
        if (!cJSON_IsArray(sts) || cJSON_GetArraySize(sts) == 0) {
            /* a string iterated as no stations: the multiplier did nothing */
            char kk[80];
            snprintf(kk, sizeof kk, "%s.stations", k);
            bad(c, kk, "a non-empty array of station ids of the generated network");
            continue;
        }
        const cJSON *s;
        cJSON_ArrayForEach(s, sts) {
            int32_t id = cJSON_IsString(s) ? synth_station_find(c->w, s->valuestring) : -1;
            if (id < 0) {
                char kk[80];
                snprintf(kk, sizeof kk, "%s.stations", k);
                bad(c, kk, "station ids of the generated network");
                continue;
            }
            add(c, &c->w->volume, &c->w->nvolume, from, id, m);
        }
    }
}

typedef struct zd {
    int32_t zip;
    double d;
} zd;

static int zd_cmp(const void *a, const void *b)
{
    const zd *x = a, *y = b;
    if (x->d != y->d) return x->d < y->d ? -1 : 1;
    return (x->zip > y->zip) - (x->zip < y->zip);
}

/* A rezoning moves listed zips, or the N zips of from_station nearest to
 * to_station; the list it moved is written back into the event. */
static void apply_rezoning(sc_ctx *c, cJSON *arr)
{
    fc_synth_world *w = c->w;
    if (!cJSON_IsArray(arr)) {
        bad(c, "rezoning", "an array of {\"from\": DATE, \"to_station\": ID, \"zips\": N or [ids]}");
        return;
    }
    int i = 0;
    cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        char k[64];
        snprintf(k, sizeof k, "rezoning[%d]", i++);
        static const char *const keys[] = {"from", "from_station", "to_station", "zips", NULL};
        known_keys(c, e, k, keys);
        int32_t from;
        if (get_date(c, e, "from", k, 1, &from)) continue;
        int32_t to = get_station(c, e, "to_station", k, 1);
        int32_t src = get_station(c, e, "from_station", k, 0);
        if (to < 0 || src == -1) continue;
        const cJSON *zv = cJSON_GetObjectItemCaseSensitive(e, "zips");
        cJSON *moved = cJSON_CreateArray();
        if (!moved) {
            c->oom = 1;
            return;
        }
        if (cJSON_IsNumber(zv) && src >= 0 &&
            !(zv->valuedouble >= 1 && zv->valuedouble <= w->nzips && zv->valuedouble == floor(zv->valuedouble))) {
            /* (int32_t) of 1e12 is undefined; -3 or 0 moved nothing */
            char kk[80], what[96];
            snprintf(kk, sizeof kk, "%s.zips", k);
            snprintf(what, sizeof what, "a whole number of zips from 1 to %d, or an array of zip codes",
                     (int)w->nzips);
            bad(c, kk, what);
        } else if (cJSON_IsNumber(zv) && src >= 0) {
            int32_t want = (int32_t)zv->valuedouble;
            zd *cand = malloc((size_t)w->nzips * sizeof *cand);
            if (!cand) {
                cJSON_Delete(moved);
                c->oom = 1;
                return;
            }
            int32_t m = 0;
            for (int32_t z = 0; z < w->nzips; z++) {
                if (fc_synth_zip_station(w, z, from) != src) continue;
                double dx = w->zips[z].x - w->stations[to].x, dy = w->zips[z].y - w->stations[to].y;
                cand[m++] = (zd){z, dx * dx + dy * dy};
            }
            qsort(cand, (size_t)m, sizeof *cand, zd_cmp);
            for (int32_t q = 0; q < m && q < want; q++)
                cJSON_AddItemToArray(moved, cJSON_CreateString(w->zips[cand[q].zip].id));
            free(cand);
        } else if (cJSON_IsArray(zv)) {
            const cJSON *z;
            cJSON_ArrayForEach(z, zv) {
                int32_t id = cJSON_IsString(z) ? synth_zip_find(w, z->valuestring) : -1;
                if (id < 0) {
                    char kk[80];
                    snprintf(kk, sizeof kk, "%s.zips", k);
                    bad(c, kk, "zip codes of the generated network");
                    continue;
                }
                cJSON_AddItemToArray(moved, cJSON_CreateString(w->zips[id].id));
            }
        } else {
            char kk[80];
            snprintf(kk, sizeof kk, "%s.zips", k);
            bad(c, kk, "a count (with from_station) or an array of zip codes");
        }
        const cJSON *z;
        cJSON_ArrayForEach(z, moved) {
            add(c, &w->zip_station, &w->nzip_station, from, synth_zip_find(w, z->valuestring), to);
        }
        cJSON_DeleteItemFromObjectCaseSensitive(e, "zips");
        cJSON_AddItemToObject(e, "zips", moved);
    }
}

/* A service change: zip (or the first zip a station serves) with a factor
 * on its service times from a date. The zip is written back. */
static void apply_service(sc_ctx *c, cJSON *arr)
{
    fc_synth_world *w = c->w;
    if (!cJSON_IsArray(arr)) {
        bad(c, "service", "an array of {\"from\": DATE, \"zip\" or \"station\": ID, \"factor\": X}");
        return;
    }
    int i = 0;
    cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        char k[64];
        snprintf(k, sizeof k, "service[%d]", i++);
        static const char *const keys[] = {"from", "zip", "station", "factor", NULL};
        known_keys(c, e, k, keys);
        int32_t from;
        double f;
        if (get_date(c, e, "from", k, 1, &from) || get_num(c, e, "factor", k, 0.1, 10, 1, &f)) continue;
        const cJSON *zv = cJSON_GetObjectItemCaseSensitive(e, "zip");
        int32_t zip = -1;
        if (zv) {
            zip = cJSON_IsString(zv) ? synth_zip_find(w, zv->valuestring) : -1;
            if (zip < 0) {
                char kk[80];
                snprintf(kk, sizeof kk, "%s.zip", k);
                bad(c, kk, "a zip code of the generated network");
                continue;
            }
        } else {
            int32_t s = get_station(c, e, "station", k, 1);
            if (s < 0) continue;
            for (int32_t z = 0; z < w->nzips && zip < 0; z++)
                if (fc_synth_zip_station(w, z, from) == s) zip = z;
            if (zip < 0) {
                bad(c, k, "a station that serves a zip on that date");
                continue;
            }
            cJSON_AddStringToObject(e, "zip", w->zips[zip].id);
        }
        add(c, &w->service, &w->nservice, from, zip, f);
    }
}

static int chg_cmp(const void *a, const void *b)
{
    const fc_synth_change *x = a, *y = b;
    return (x->from > y->from) - (x->from < y->from);
}

/* Sort by day keeping the order of equal days (insertion sort: stable). */
static void sort_changes(fc_synth_change *a, int32_t n)
{
    for (int32_t i = 1; i < n; i++) {
        fc_synth_change t = a[i];
        int32_t j = i;
        while (j > 0 && chg_cmp(&a[j - 1], &t) > 0) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = t;
    }
}

int synth_scenario_apply(fc_synth_world *w, const cJSON *sc, const char *name, fc_diag *d)
{
    sc_ctx c = {w, name ? name : "scenario", d, 0, 0};
    cJSON *copy = sc ? cJSON_Duplicate(sc, 1) : cJSON_CreateObject();
    if (!copy) return FC_EINTERNAL;
    if (!cJSON_IsObject(copy)) {
        fc_diag_at(d, FC_EDATA, c.name, 0, 0, "expected a JSON object at the top level");
        cJSON_Delete(copy);
        return FC_EDATA;
    }
    static const char *const known[] = {"stations", "volume", "rezoning", "service", "description", NULL};
    if (fc_json_unknown_keys(copy, known, c.name, "key '", "'", d)) c.bad = 1;
    const cJSON *stations = cJSON_GetObjectItemCaseSensitive(copy, "stations");
    if (stations) {
        if (!cJSON_IsObject(stations)) bad(&c, "stations", "an object keyed by station id");
        const cJSON *s;
        cJSON_ArrayForEach(s, stations) {
            char k[128];
            snprintf(k, sizeof k, "stations.%.100s", s->string);
            int32_t id = synth_station_find(w, s->string);
            if (id < 0) bad(&c, k, "a station id of the generated network (e.g. BOS1)");
            else apply_station(&c, id, s, k);
        }
    }
    sort_changes(w->zip_station, w->nzip_station);
    cJSON *v;
    if ((v = cJSON_GetObjectItemCaseSensitive(copy, "volume"))) apply_volume(&c, v);
    if ((v = cJSON_GetObjectItemCaseSensitive(copy, "rezoning"))) {
        apply_rezoning(&c, v);
        sort_changes(w->zip_station, w->nzip_station);
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(copy, "service"))) apply_service(&c, v);
    sort_changes(w->van, w->nvan);
    sort_changes(w->volume, w->nvolume);
    sort_changes(w->service, w->nservice);
    /* every van a station runs must be one it may run */
    for (int32_t i = 0; i < w->nvan; i++)
        w->stations[w->van[i].who].may_run |= (uint64_t)1 << (int)w->van[i].value;
    int32_t ev = synth_vehicle_find(w, "ev");
    for (int32_t s = 0; s < w->nstations; s++) {
        w->stations[s].may_run |= (uint64_t)1 << w->stations[s].van0;
        if (w->stations[s].ev_fleet > 0 && ev >= 0) w->stations[s].may_run |= (uint64_t)1 << ev;
    }
    if (c.oom) {
        cJSON_Delete(copy);
        return FC_EINTERNAL;
    }
    if (c.bad) {
        cJSON_Delete(copy);
        return FC_EDATA;
    }
    w->scenario = copy;
    return FC_OK;
}

/* ---- state on a day ------------------------------------------------------- */

int32_t fc_synth_zip_station(const fc_synth_world *w, int32_t zip, int32_t day)
{
    int32_t s = w->zips[zip].home;
    for (int32_t i = 0; i < w->nzip_station && w->zip_station[i].from <= day; i++)
        if (w->zip_station[i].who == zip) s = (int32_t)w->zip_station[i].value;
    return s;
}

int32_t fc_synth_station_van(const fc_synth_world *w, int32_t station, int32_t day)
{
    int32_t v = w->stations[station].van0;
    for (int32_t i = 0; i < w->nvan && w->van[i].from <= day; i++)
        if (w->van[i].who == station) v = (int32_t)w->van[i].value;
    return v;
}

double fc_synth_volume_factor(const fc_synth_world *w, int32_t station, int32_t day)
{
    double f = 1;
    for (int32_t i = 0; i < w->nvolume && w->volume[i].from <= day; i++)
        if (w->volume[i].who < 0 || w->volume[i].who == station) f *= w->volume[i].value;
    return f;
}

double fc_synth_service_factor(const fc_synth_world *w, int32_t zip, int32_t day)
{
    double f = 1;
    for (int32_t i = 0; i < w->nservice && w->service[i].from <= day; i++)
        if (w->service[i].who == zip) f *= w->service[i].value;
    return f;
}
