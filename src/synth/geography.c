/* geography.c -- the synthetic network: cities (a cold, a mild and a hot
 * one first), stations around each city, the zips each station serves
 * (dense urban zips near it, large suburban ones up to ~35 km out), the van
 * types, and the travel model the router uses. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "fleetcast/date.h"
#include "fleetcast/geo.h"
#include "fleetcast/intern.h"
#include "synth_internal.h"

typedef struct city_def {
    const char *name, *code;
    double lat, lon;
    int zip3;               /* first three digits of its zips */
    double hilliness;
    double temp[12];        /* monthly mean, deg C (1991-2020 normals, rounded) */
} city_def;

static const city_def city_table[] = {
    {"Boston", "BOS", 42.36, -71.06, 21, 12,
     {-1.5, -0.6, 3.3, 8.8, 14.6, 19.8, 23.1, 22.3, 18.4, 12.4, 6.9, 1.6}},
    {"Seattle", "SEA", 47.61, -122.33, 981, 28,
     {5.6, 6.4, 8.2, 10.4, 13.6, 16.3, 19.3, 19.5, 16.8, 12.3, 8.1, 5.4}},
    {"Phoenix", "PHX", 33.45, -112.07, 850, 5,
     {12.8, 14.9, 18.2, 22.1, 27.4, 32.6, 35.1, 34.4, 31.4, 24.7, 17.3, 12.1}},
    {"Minneapolis", "MSP", 44.98, -93.27, 554, 8,
     {-9.8, -7.2, -0.4, 7.7, 14.6, 20.1, 22.9, 21.7, 16.8, 9.3, 1.2, -6.5}},
    {"Atlanta", "ATL", 33.75, -84.39, 303, 15,
     {6.5, 8.6, 12.6, 17.1, 21.6, 25.3, 26.9, 26.4, 23.3, 17.6, 12.0, 7.8}},
    {"Denver", "DEN", 39.74, -104.99, 802, 14,
     {-1.1, 0.1, 4.0, 7.8, 13.0, 18.9, 22.6, 21.5, 16.9, 10.3, 3.5, -1.3}},
    {"Chicago", "CHI", 41.88, -87.63, 606, 4,
     {-4.6, -2.6, 3.2, 9.2, 15.2, 20.8, 23.7, 22.7, 18.6, 12.0, 4.9, -1.4}},
    {"Dallas", "DFW", 32.78, -96.80, 752, 6,
     {8.1, 10.3, 14.6, 18.9, 23.6, 27.9, 30.3, 30.3, 26.1, 20.2, 13.6, 9.1}},
    {"Miami", "MIA", 25.76, -80.19, 331, 2,
     {20.1, 21.1, 22.6, 24.6, 26.9, 28.4, 29.1, 29.3, 28.5, 26.7, 23.7, 21.4}},
    {"Newark", "EWR", 40.74, -74.17, 71, 10,
     {0.3, 1.6, 5.7, 11.6, 17.3, 22.6, 25.6, 24.9, 20.8, 14.5, 8.6, 3.2}},
};
#define NCITY_TABLE ((int)(sizeof city_table / sizeof city_table[0]))

/* Van types: capacities in packages, costs per day (ownership, driver not
 * included) and per km; the electric van has a 100 kWh usable pack. */
static const fc_synth_vehicle vehicle_table[] = {
    {"small", 180, NAN, NAN, 95, 0.24, 0},
    {"medium", 300, NAN, NAN, 115, 0.30, 0},
    {"large", 420, NAN, NAN, 140, 0.38, 0},
    {"ev", 300, 100, 0.32, 150, 0.09, 1},
};
#define NVEHICLES ((int)(sizeof vehicle_table / sizeof vehicle_table[0]))
#define DEFAULT_VAN 1   /* medium */

void fc_synth_params_default(fc_synth_params *p)
{
    memset(p, 0, sizeof *p);
    p->seed = 1;
    p->cities = 3;
    p->stations = 6;
    p->zips = 120;
    p->start = fc_days_from_civil(2023, 1, 1);
    p->ndays = 731;
    p->threads = 2;
}

uint64_t synth_seed(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t v[4] = {seed, a, b, c};
    uint64_t h = fc_hash_bytes(v, sizeof v, 0x9e3779b97f4a7c15ull);
    /* splitmix64 finaliser: spreads the FNV bits */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

int synth_change_add(fc_synth_change **arr, int32_t *n, int32_t from, int32_t who, double value)
{
    fc_synth_change *a = realloc(*arr, (size_t)(*n + 1) * sizeof *a);
    if (!a) return -1;
    a[*n] = (fc_synth_change){from, who, value};
    *arr = a;
    (*n)++;
    return 0;
}

int32_t synth_vehicle_find(const fc_synth_world *w, const char *name)
{
    for (int32_t i = 0; i < w->nvehicles; i++)
        if (strcmp(w->vehicles[i].name, name) == 0) return i;
    return -1;
}

int32_t synth_station_find(const fc_synth_world *w, const char *id)
{
    for (int32_t i = 0; i < w->nstations; i++)
        if (strcmp(w->stations[i].id, id) == 0) return i;
    return -1;
}

int32_t synth_zip_find(const fc_synth_world *w, const char *id)
{
    for (int32_t i = 0; i < w->nzips; i++)
        if (strcmp(w->zips[i].id, id) == 0) return i;
    return -1;
}

static double unif(gsl_rng *r, double a, double b) { return a + (b - a) * gsl_rng_uniform(r); }

static void make_cities(fc_synth_world *w, gsl_rng *rng)
{
    for (int32_t c = 0; c < w->ncities; c++) {
        fc_synth_city *city = &w->cities[c];
        if (c < NCITY_TABLE) {
            const city_def *def = &city_table[c];
            snprintf(city->name, sizeof city->name, "%s", def->name);
            city->lat = def->lat;
            city->lon = def->lon;
            city->hilliness = def->hilliness;
            memcpy(city->temperature_c, def->temp, sizeof city->temperature_c);
        } else {
            /* more cities than the table: a made-up metro near a real one,
             * its climate shifted with latitude */
            const city_def *def = &city_table[c % NCITY_TABLE];
            snprintf(city->name, sizeof city->name, "Metro%d", (int)c + 1);
            double dlat = unif(rng, -2.5, 2.5);
            city->lat = def->lat + dlat;
            city->lon = def->lon + unif(rng, -3, 3);
            city->hilliness = def->hilliness * unif(rng, 0.5, 1.5);
            for (int m = 0; m < 12; m++) city->temperature_c[m] = def->temp[m] - 0.8 * dlat;
        }
    }
}

static const char *city_code(int32_t c, char buf[16])
{
    if (c < NCITY_TABLE) return city_table[c].code;
    snprintf(buf, 16, "M%d", (int)c + 1);
    return buf;
}

static int make_stations(fc_synth_world *w, gsl_rng *rng)
{
    int32_t *count = calloc((size_t)w->ncities, sizeof *count);
    int32_t *per_city = calloc((size_t)w->ncities, sizeof *per_city);
    if (!count || !per_city) {
        free(count);
        free(per_city);
        return -1;
    }
    for (int32_t s = 0; s < w->nstations; s++) per_city[s % w->ncities]++;
    for (int32_t s = 0; s < w->nstations; s++) {
        fc_synth_station *st = &w->stations[s];
        int32_t c = s % w->ncities, k = count[c]++, m = per_city[c];
        char buf[16];
        snprintf(st->id, sizeof st->id, "%s%d", city_code(c, buf), (int)k + 1);
        st->city = c;
        double ang, rad;
        if (m == 1) {
            ang = unif(rng, 0, 2 * M_PI);
            rad = unif(rng, 5, 8);
        } else {
            ang = 2 * M_PI * k / m + unif(rng, -0.3, 0.3);
            rad = unif(rng, 9, 15) * (1 + 0.25 * floor(k / 8.0));
        }
        st->x = rad * cos(ang);
        st->y = rad * sin(ang);
        fc_geo_offset(w->cities[c].lat, w->cities[c].lon, st->x, st->y, &st->lat, &st->lon);
        st->shift_hours = 8.75;
        st->opened = w->p.start - (int32_t)unif(rng, 200, 2400);
        st->may_run = ((uint64_t)1 << w->nvehicles) - 1;
        st->chargers = (int32_t)gsl_rng_uniform_int(rng, 13);
        st->charger_kw = 19.2;
        st->site_power_kw = round(50 + st->chargers * st->charger_kw * unif(rng, 0.4, 1.1));
        st->ev_fleet = 0;
        st->van0 = DEFAULT_VAN;
    }
    free(count);
    free(per_city);
    return 0;
}

/* Zip codes: the city's three-digit prefix, then two digits; further zips
 * take the next prefixes. Codes stay unique across cities. */
static int next_zip_code(unsigned char *used, int prefix, int *cursor, char out[8])
{
    for (int tries = 0; tries < 100000; tries++) {
        int code = (prefix * 100 + *cursor) % 100000;
        *cursor += 1;
        if (code == 0 || used[code]) continue;
        used[code] = 1;
        snprintf(out, 8, "%05d", code);
        return 0;
    }
    return -1;
}

static int make_zips(fc_synth_world *w, gsl_rng *rng)
{
    unsigned char *used = calloc(100000, 1);
    int *cursor = calloc((size_t)w->ncities, sizeof *cursor);
    if (!used || !cursor) {
        free(used);
        free(cursor);
        return -1;
    }
    int32_t z = 0;
    for (int32_t s = 0; s < w->nstations; s++) {
        const fc_synth_station *st = &w->stations[s];
        const fc_synth_city *city = &w->cities[st->city];
        int32_t nz = w->nzips / w->nstations + (s < w->nzips % w->nstations);
        /* towards the city centre from the station */
        double inward = atan2(-st->y, -st->x);
        for (int32_t k = 0; k < nz; k++, z++) {
            fc_synth_zip *zp = &w->zips[z];
            int prefix = st->city < NCITY_TABLE ? city_table[st->city].zip3
                                                : 100 + (int)(synth_seed(w->p.seed, 7, (uint64_t)st->city, 0) % 880);
            if (next_zip_code(used, prefix, &cursor[st->city], zp->id)) {
                free(used);
                free(cursor);
                return -2;
            }
            zp->city = st->city;
            zp->home = s;
            zp->urban = k % 2 == 0;
            double ang, dist;
            if (zp->urban) {
                ang = inward + unif(rng, -1.3, 1.3);
                dist = unif(rng, 1.5, 9);
                zp->area_km2 = unif(rng, 1, 5);
                zp->share_apartments = unif(rng, 0.35, 0.85);
                zp->share_business = unif(rng, 0.08, 0.35);
                zp->base_stops = zp->area_km2 * unif(rng, 15, 60);
                zp->speed_kmh = unif(rng, 12, 18);
            } else {
                ang = inward + M_PI + unif(rng, -1.9, 1.9);
                dist = unif(rng, 8, 35);
                zp->area_km2 = unif(rng, 10, 40);
                zp->share_apartments = unif(rng, 0.02, 0.30);
                zp->share_business = unif(rng, 0.02, 0.12);
                zp->base_stops = zp->area_km2 * unif(rng, 1.1, 5);
                zp->speed_kmh = unif(rng, 22, 30);
            }
            zp->x = st->x + dist * cos(ang);
            zp->y = st->y + dist * sin(ang);
            fc_geo_offset(city->lat, city->lon, zp->x, zp->y, &zp->lat, &zp->lon);
            zp->hilliness = round(city->hilliness * unif(rng, 0.4, 1.6) * 10) / 10;
            zp->speed_kmh *= 1 - 0.004 * zp->hilliness;
            zp->growth = unif(rng, 0.02, 0.14);
            zp->pkg_lambda = 0.27 + 0.55 * zp->share_apartments + 0.5 * zp->share_business;
            zp->stop_s = 40 + 60 * zp->share_apartments + 20 * zp->share_business + 0.5 * zp->hilliness;
            zp->pkg_s = 20 - 10 * zp->share_business;
            /* round the published attributes (area and hilliness as used; the
             * packages and service times above come from the unrounded shares,
             * less than 0.0005 away) */
            zp->area_km2 = round(zp->area_km2 * 100) / 100;
            zp->share_apartments = round(zp->share_apartments * 1000) / 1000;
            zp->share_business = round(zp->share_business * 1000) / 1000;
        }
    }
    free(used);
    free(cursor);
    return 0;
}

int fc_synth_world_build(const fc_synth_params *p, const cJSON *scenario, const char *scenario_name,
                         fc_diag *d, fc_synth_world **out)
{
    *out = NULL;
    if (p->cities < 1 || p->stations < p->cities || p->zips < p->stations || p->ndays < 1) {
        fc_diag_error(d, FC_EUSAGE, "need 1 <= cities <= stations <= zips and at least one day "
                      "(got %d cities, %d stations, %d zips, %d days)",
                      p->cities, p->stations, p->zips, (int)p->ndays);
        return FC_EUSAGE;
    }
    if (p->zips > 90000 || p->stations > 100000) {
        fc_diag_error(d, FC_EUSAGE, "at most 90000 zips (5-digit codes) and 100000 stations");
        return FC_EUSAGE;
    }
    fc_synth_world *w = calloc(1, sizeof *w);
    if (!w) return FC_EINTERNAL;
    w->p = *p;
    w->ncities = p->cities;
    w->nstations = p->stations;
    w->nzips = p->zips;
    w->nvehicles = NVEHICLES;
    memcpy(w->vehicles, vehicle_table, sizeof vehicle_table);
    w->route = (fc_router_params){.capacity = 300, .shift_h = 9, .range_km = 0, .circuity = 1.35,
                                  .local_km = 4.0, .fast_kmh = 55, .depot_speed_kmh = 35,
                                  .improve = 1};
    w->cities = calloc((size_t)w->ncities, sizeof *w->cities);
    w->stations = calloc((size_t)w->nstations, sizeof *w->stations);
    w->zips = calloc((size_t)w->nzips, sizeof *w->zips);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!w->cities || !w->stations || !w->zips || !rng) {
        gsl_rng_free(rng);
        fc_synth_world_free(w);
        return FC_EINTERNAL;
    }
    gsl_rng_set(rng, synth_seed(p->seed, 1, 0, 0));
    make_cities(w, rng);
    int zst = make_stations(w, rng) ? -1 : make_zips(w, rng);
    gsl_rng_free(rng);
    if (zst) {
        if (zst == -2) fc_diag_error(d, FC_EUSAGE, "ran out of 5-digit zip codes");
        fc_synth_world_free(w);
        return zst == -2 ? FC_EUSAGE : FC_EINTERNAL;
    }
    int st = synth_scenario_apply(w, scenario, scenario_name, d);
    if (st) {
        fc_synth_world_free(w);
        return st;
    }
    *out = w;
    return FC_OK;
}

void fc_synth_world_free(fc_synth_world *w)
{
    if (!w) return;
    free(w->cities);
    free(w->stations);
    free(w->zips);
    free(w->zip_station);
    free(w->van);
    free(w->volume);
    free(w->service);
    cJSON_Delete(w->scenario);
    free(w);
}
