/* scenario.c -- the "scenario" object of the run configuration: volume
 * shocks, zips moving between stations, new stations (docs/forecast.md). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/config.h"
#include "fleetcast/date.h"
#include "fleetcast/forecast.h"

void fc_scenario_free(fc_scenario *sc)
{
    if (!sc) return;
    for (int i = 0; i < sc->nshocks; i++) free(sc->shocks[i].ids);
    free(sc->shocks);
    free(sc->moves);
    for (int i = 0; i < sc->nnew; i++) free(sc->new_names[i]);
    free(sc->new_names);
    free(sc->new_city);
    free(sc);
}

typedef struct sc_ctx {
    const char *file;
    fc_diag *d;
    const fc_zips *zips;
    const fc_stations *st;
    fc_scenario *sc;
    int bad;
} sc_ctx;

static void bad(sc_ctx *c, const char *where, const char *what)
{
    fc_diag_at(c->d, FC_EDATA, c->file, 0, 0, "%s: expected %s", where, what);
    c->bad = 1;
}

/* An entry's keys must be ones it knows: a misspelt optional key ("until"
 * for "to") was ignored and left the shock open-ended, and "ids" without
 * "scope" shocked the whole network. keys: NULL-terminated. */
static void known_keys(sc_ctx *c, const cJSON *o, const char *where, const char *const *keys)
{
    char before[160];
    snprintf(before, sizeof before, "%s.", where);
    if (fc_json_unknown_keys(o, keys, c->file, before, "", c->d)) c->bad = 1;
}

static int month_of(sc_ctx *c, const cJSON *o, const char *key, const char *where, int need,
                    int32_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    char w[160];
    snprintf(w, sizeof w, "%s.%s", where, key);
    if (!v) {
        if (need) bad(c, w, "a month \"YYYY-MM\"");
        return need ? -1 : 1;
    }
    int mi;
    if (!cJSON_IsString(v) || fc_month_parse(v->valuestring, &mi) != 0) {
        bad(c, w, "a month \"YYYY-MM\"");
        return -1;
    }
    *out = mi;
    return 0;
}

/* Station index by name: existing stations, then the new ones. */
static int32_t station_id(const sc_ctx *c, const char *name)
{
    int32_t s = fc_intern_find(c->st->ids, name, strlen(name));
    if (s >= 0) return s;
    for (int i = 0; i < c->sc->nnew; i++)
        if (strcmp(c->sc->new_names[i], name) == 0) return c->st->n + i;
    return -1;
}

static int add_move(sc_ctx *c, int32_t zip, int32_t station, int32_t from)
{
    fc_vol_move *mv = realloc(c->sc->moves, ((size_t)c->sc->nmoves + 1) * sizeof *mv);
    if (!mv) return -1;
    c->sc->moves = mv;
    mv[c->sc->nmoves++] = (fc_vol_move){zip, station, from};
    return 0;
}

static int32_t zip_of(sc_ctx *c, const cJSON *v, const char *where)
{
    if (!cJSON_IsString(v)) {
        bad(c, where, "a zip code as a string");
        return -1;
    }
    int32_t z = fc_intern_find(c->zips->ids, v->valuestring, strlen(v->valuestring));
    if (z < 0) {
        char what[160];
        snprintf(what, sizeof what, "a zip listed in the zips file, got \"%.80s\"", v->valuestring);
        bad(c, where, what);
    }
    return z;
}

static int parse_new(sc_ctx *c, const cJSON *arr)
{
    int n = cJSON_GetArraySize(arr);
    c->sc->new_names = calloc((size_t)n + 1, sizeof *c->sc->new_names);
    c->sc->new_city = calloc((size_t)n + 1, sizeof *c->sc->new_city);
    if (!c->sc->new_names || !c->sc->new_city) return -1;
    int i = 0;
    for (const cJSON *o = arr->child; o; o = o->next, i++) {
        char w[96];
        snprintf(w, sizeof w, "scenario.new_stations[%d]", i);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "station");
        if (!cJSON_IsObject(o) || !cJSON_IsString(name) || !*name->valuestring) {
            bad(c, w, "an object with \"station\", \"from\" and \"zips\"");
            continue;
        }
        static const char *const keys[] = {"station", "city", "from", "zips", NULL};
        known_keys(c, o, w, keys);
        if (station_id(c, name->valuestring) >= 0) {
            bad(c, w, "a station id not already in the stations file");
            continue;
        }
        int k = c->sc->nnew;
        if (!(c->sc->new_names[k] = strdup(name->valuestring))) return -1;
        c->sc->new_city[k] = -1;
        c->sc->nnew++;
        const cJSON *city = cJSON_GetObjectItemCaseSensitive(o, "city");
        if (city) {
            int32_t ci = cJSON_IsString(city) && c->st->cities
                             ? fc_intern_find(c->st->cities, city->valuestring, strlen(city->valuestring))
                             : -1;
            if (ci < 0) {
                char ww[128];
                snprintf(ww, sizeof ww, "%s.city", w);
                bad(c, ww, "a city named in the stations file");
            }
            c->sc->new_city[k] = ci;
        }
        int32_t from = 0;
        if (month_of(c, o, "from", w, 1, &from)) continue;
        const cJSON *zips = cJSON_GetObjectItemCaseSensitive(o, "zips");
        if (!cJSON_IsArray(zips) || cJSON_GetArraySize(zips) == 0) {
            char ww[128];
            snprintf(ww, sizeof ww, "%s.zips", w);
            bad(c, ww, "a non-empty array of zip codes");
            continue;
        }
        for (const cJSON *zv = zips->child; zv; zv = zv->next) {
            char ww[128];
            snprintf(ww, sizeof ww, "%s.zips", w);
            int32_t z = zip_of(c, zv, ww);
            if (z >= 0 && add_move(c, z, c->st->n + k, from)) return -1;
        }
    }
    return 0;
}

static int parse_moves(sc_ctx *c, const cJSON *arr)
{
    int i = 0;
    for (const cJSON *o = arr->child; o; o = o->next, i++) {
        char w[96];
        snprintf(w, sizeof w, "scenario.rezoning[%d]", i);
        if (!cJSON_IsObject(o)) {
            bad(c, w, "an object with \"zip\", \"to\" and \"from\"");
            continue;
        }
        static const char *const keys[] = {"zip", "to", "from", NULL};
        known_keys(c, o, w, keys);
        char ww[128];
        snprintf(ww, sizeof ww, "%s.zip", w);
        int32_t z = zip_of(c, cJSON_GetObjectItemCaseSensitive(o, "zip"), ww);
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(o, "to");
        int32_t s = cJSON_IsString(to) ? station_id(c, to->valuestring) : -1;
        if (s < 0) {
            snprintf(ww, sizeof ww, "%s.to", w);
            bad(c, ww, "a station in the stations file or in scenario.new_stations");
        }
        int32_t from = 0;
        if (month_of(c, o, "from", w, 1, &from) || z < 0 || s < 0) continue;
        if (add_move(c, z, s, from)) return -1;
    }
    return 0;
}

static int parse_shocks(sc_ctx *c, const cJSON *arr)
{
    int n = cJSON_GetArraySize(arr);
    c->sc->shocks = calloc((size_t)n + 1, sizeof *c->sc->shocks);
    if (!c->sc->shocks) return -1;
    int i = 0;
    for (const cJSON *o = arr->child; o; o = o->next, i++) {
        char w[96], ww[128];
        snprintf(w, sizeof w, "scenario.shocks[%d]", i);
        if (!cJSON_IsObject(o)) {
            bad(c, w, "an object with \"scope\", \"from\" and \"multiplier\"");
            continue;
        }
        static const char *const keys[] = {"scope", "ids", "from", "to", "multiplier", NULL};
        known_keys(c, o, w, keys);
        fc_vol_shock *sh = &c->sc->shocks[c->sc->nshocks++];
        sh->to = INT32_MAX;
        const cJSON *scope = cJSON_GetObjectItemCaseSensitive(o, "scope");
        const char *sv = cJSON_IsString(scope) ? scope->valuestring : "all";
        if (scope && !cJSON_IsString(scope)) sv = "?";
        if (strcmp(sv, "all") == 0) sh->scope = FC_SCOPE_ALL;
        else if (strcmp(sv, "station") == 0) sh->scope = FC_SCOPE_STATION;
        else if (strcmp(sv, "city") == 0) sh->scope = FC_SCOPE_CITY;
        else {
            snprintf(ww, sizeof ww, "%s.scope", w);
            bad(c, ww, "\"all\", \"station\" or \"city\"");
            continue;
        }
        const cJSON *mult = cJSON_GetObjectItemCaseSensitive(o, "multiplier");
        if (!cJSON_IsNumber(mult) || !isfinite(mult->valuedouble) || mult->valuedouble < 0 ||
            mult->valuedouble > 100) {
            snprintf(ww, sizeof ww, "%s.multiplier", w);
            bad(c, ww, "a number in [0, 100]");
        } else {
            sh->multiplier = mult->valuedouble;
        }
        int has_from = month_of(c, o, "from", w, 1, &sh->from) == 0;
        if (month_of(c, o, "to", w, 0, &sh->to) == 0 && has_from && sh->to < sh->from) {
            snprintf(ww, sizeof ww, "%s.to", w);
            bad(c, ww, "a month \"YYYY-MM\" not before \"from\" (the shock would do nothing)");
        }
        const cJSON *ids = cJSON_GetObjectItemCaseSensitive(o, "ids");
        snprintf(ww, sizeof ww, "%s.ids", w);
        if (sh->scope == FC_SCOPE_ALL) {
            /* ids with no scope read as the whole network: say so */
            if (ids) bad(c, ww, "no ids with scope \"all\" (give \"scope\": \"station\" or \"city\")");
            continue;
        }
        if (!cJSON_IsArray(ids) || cJSON_GetArraySize(ids) == 0) {
            bad(c, ww, "a non-empty array of station or city ids");
            continue;
        }
        sh->ids = malloc((size_t)cJSON_GetArraySize(ids) * sizeof *sh->ids);
        if (!sh->ids) return -1;
        for (const cJSON *v = ids->child; v; v = v->next) {
            int32_t id = -1;
            if (cJSON_IsString(v)) {
                if (sh->scope == FC_SCOPE_STATION) id = station_id(c, v->valuestring);
                else if (c->st->cities)
                    id = fc_intern_find(c->st->cities, v->valuestring, strlen(v->valuestring));
            }
            if (id < 0) {
                char what[160];
                snprintf(what, sizeof what, "%s ids, got %s%.60s%s",
                         sh->scope == FC_SCOPE_STATION ? "station" : "city",
                         cJSON_IsString(v) ? "\"" : "", cJSON_IsString(v) ? v->valuestring : "a non-string",
                         cJSON_IsString(v) ? "\"" : "");
                bad(c, ww, what);
                continue;
            }
            sh->ids[sh->nids++] = id;
        }
    }
    return 0;
}

static int cmp_move(const void *a, const void *b)
{
    const fc_vol_move *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    return 0;
}

int fc_scenario_parse(const cJSON *json, const char *cfgname, const fc_zips *zips,
                      const fc_stations *st, fc_diag *d, fc_scenario **out)
{
    *out = NULL;
    fc_scenario *sc = calloc(1, sizeof *sc);
    if (!sc) return FC_EINTERNAL;
    const cJSON *o = json ? cJSON_GetObjectItemCaseSensitive(json, "scenario") : NULL;
    sc_ctx c = {cfgname ? cfgname : "config", d, zips, st, sc, 0};
    int oom = 0;
    if (o && !cJSON_IsNull(o)) {
        if (!cJSON_IsObject(o)) {
            bad(&c, "scenario", "an object with \"shocks\", \"rezoning\" and \"new_stations\"");
        } else {
            static const char *const keys[] = {"new_stations", "rezoning", "shocks", NULL};
            for (int k = 0; k < 3; k++) {
                const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, keys[k]);
                if (!a || cJSON_IsNull(a)) continue;
                if (!cJSON_IsArray(a)) {
                    char w[64];
                    snprintf(w, sizeof w, "scenario.%s", keys[k]);
                    bad(&c, w, "an array");
                    continue;
                }
                int r = k == 0 ? parse_new(&c, a) : k == 1 ? parse_moves(&c, a) : parse_shocks(&c, a);
                if (r) oom = 1;
            }
            known_keys(&c, o, "scenario", keys);
        }
    }
    if (oom) {
        fc_scenario_free(sc);
        fc_diag_error(d, FC_EINTERNAL, "out of memory reading the scenario");
        return FC_EINTERNAL;
    }
    if (c.bad) {
        fc_scenario_free(sc);
        return FC_EDATA;
    }
    /* Stable order by month: among moves of one zip the later month wins,
     * and at the same month the one listed later. */
    if (sc->nmoves > 1) {
        for (int i = 1; i < sc->nmoves; i++) {  /* insertion sort: stable */
            fc_vol_move v = sc->moves[i];
            int j = i - 1;
            while (j >= 0 && cmp_move(&sc->moves[j], &v) > 0) {
                sc->moves[j + 1] = sc->moves[j];
                j--;
            }
            sc->moves[j + 1] = v;
        }
    }
    *out = sc;
    return FC_OK;
}

void fc_scenario_warn_outside(const fc_scenario *sc, int32_t month0, int horizon, fc_diag *d)
{
    if (!sc || horizon < 1) return;
    int32_t last = month0 + horizon - 1;
    for (int i = 0; i < sc->nshocks; i++) {
        const fc_vol_shock *k = &sc->shocks[i];
        if (k->to >= month0 && k->from <= last) continue;
        char a[8], b[8];
        fc_month_format(month0, a);
        fc_month_format(last, b);
        fc_diag_warn(d, "scenario.shocks[%d]: its months are all outside the forecast's %s .. %s; "
                        "it changes nothing", i, a, b);
    }
}

int32_t fc_vol_zip_station(const fc_vol_history *h, const fc_scenario *sc, int32_t zip,
                           int32_t month)
{
    int32_t s = h->station[zip];
    if (!sc) return s;
    for (int i = 0; i < sc->nmoves && sc->moves[i].from <= month; i++)
        if (sc->moves[i].zip == zip) s = sc->moves[i].station;
    return s;
}
