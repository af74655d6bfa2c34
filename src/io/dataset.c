/* dataset.c -- reading the input files of a run together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/dataset.h"
#include "fleetcast/parallel.h"

static int need(const fc_dataset *ds, int who, int dep, fc_diag *d)
{
    if (ds->paths[dep]) return 1;
    fc_diag_error(d, FC_EUSAGE, "the %s file needs the %s file too (--%s)", fc_input_name(who),
                  fc_input_name(dep), fc_input_name(dep));
    return 0;
}

int fc_dataset_load(fc_dataset *ds, char *const paths[FC_INPUT_N], int threads, fc_diag *d)
{
    memset(ds, 0, sizeof *ds);
    threads = fc_parallel_threads(threads);
    for (int i = 0; i < FC_INPUT_N; i++) ds->paths[i] = paths[i];
    int first = FC_OK, st;
#define KEEP(expr, which)                                   \
    do {                                                    \
        st = (expr);                                        \
        if (st == FC_OK) ds->loaded[which] = 1;             \
        else if (first == FC_OK) first = st;                \
    } while (0)
    if (paths[FC_IN_VEHICLES])
        KEEP(fc_vehicles_read(paths[FC_IN_VEHICLES], d, &ds->vehicles, &ds->info[FC_IN_VEHICLES]),
             FC_IN_VEHICLES);
    if (paths[FC_IN_ZIPS])
        KEEP(fc_zips_read(paths[FC_IN_ZIPS], d, &ds->zips, &ds->info[FC_IN_ZIPS]), FC_IN_ZIPS);
    if (paths[FC_IN_STATIONS])
        KEEP(fc_stations_read(paths[FC_IN_STATIONS], ds->vehicles, d, &ds->stations,
                              &ds->info[FC_IN_STATIONS]),
             FC_IN_STATIONS);
    /* the current fleet, and the budgeted one (same format) */
    for (int w = FC_IN_FLEET; w <= FC_IN_BUDGET; w++) {
        if (!paths[w]) continue;
        if (!need(ds, w, FC_IN_STATIONS, d) || !need(ds, w, FC_IN_VEHICLES, d)) {
            if (first == FC_OK) first = FC_EUSAGE;
        } else if (ds->stations && ds->vehicles) {
            KEEP(fc_dataset_read_fleet(ds, w, paths[w], d), w);
        }
    }
    if (paths[FC_IN_SHIPMENTS]) {
        if (!need(ds, FC_IN_SHIPMENTS, FC_IN_ZIPS, d) || !need(ds, FC_IN_SHIPMENTS, FC_IN_STATIONS, d)) {
            if (first == FC_OK) first = FC_EUSAGE;
        } else if (ds->zips && ds->stations) {
            KEEP(fc_shipments_read(paths[FC_IN_SHIPMENTS], ds->zips, ds->stations, d,
                                   &ds->shipments, &ds->info[FC_IN_SHIPMENTS], threads),
                 FC_IN_SHIPMENTS);
        }
    }
    if (paths[FC_IN_ROUTES]) {
        if (!need(ds, FC_IN_ROUTES, FC_IN_STATIONS, d) || !need(ds, FC_IN_ROUTES, FC_IN_VEHICLES, d)) {
            if (first == FC_OK) first = FC_EUSAGE;
        } else if (ds->stations && ds->vehicles) {
            KEEP(fc_routes_read_ex(paths[FC_IN_ROUTES], ds->stations, ds->vehicles, 0, d, &ds->routes,
                                   &ds->info[FC_IN_ROUTES], threads),
                 FC_IN_ROUTES);
        }
    }
#undef KEEP
    return first;
}

int64_t fc_dataset_unmatched_routes(const fc_dataset *ds, int64_t *first)
{
    const fc_shipments *sh = ds->shipments;
    const fc_routes *r = ds->routes;
    *first = -1;
    if (!sh || !r || sh->monthly || !ds->stations) return 0;
    int32_t ns = ds->stations->n, np = sh->nperiods;
    size_t nz = (size_t)sh->nzips;
    /* station-days with shipments, from each zip's station segments */
    unsigned char *has = calloc((size_t)ns * (size_t)np + 1, 1);
    if (!has) return -1;
    for (int32_t z = 0; z < sh->nzips; z++)
        for (int32_t k = sh->seg_off[z]; k < sh->seg_off[z + 1]; k++)
            for (int32_t p = sh->seg_first[k]; p <= sh->seg_last[k]; p++) {
                size_t c = (size_t)p * nz + (size_t)z;
                if (sh->packages[c] > 0 && sh->stops[c] > 0) has[(size_t)sh->seg_station[k] * np + p] = 1;
            }
    int64_t n = 0;
    for (int64_t i = 0; i < r->n; i++) {
        if (!(r->routes[i] > 0) || !(r->packages[i] > 0)) continue;
        int64_t p = (int64_t)r->day[i] - sh->t0;
        if (p >= 0 && p < np && has[(size_t)r->station[i] * np + (size_t)p]) continue;
        if (n++ == 0) *first = i;
    }
    free(has);
    return n;
}

int fc_dataset_read_fleet(fc_dataset *ds, int which, const char *path, fc_diag *d)
{
    ds->paths[which] = path;
    int st = which == FC_IN_FLEET
                 ? fc_fleet_read(path, ds->stations, ds->vehicles, d, &ds->fleet, &ds->info[which])
                 : fc_budget_read(path, ds->stations, ds->vehicles, d, &ds->budget, &ds->info[which]);
    if (st == FC_OK) ds->loaded[which] = 1;
    return st;
}

void fc_dataset_free(fc_dataset *ds)
{
    if (!ds) return;
    fc_routes_free(ds->routes);
    fc_shipments_free(ds->shipments);
    fc_fleet_free(ds->fleet);
    fc_fleet_free(ds->budget);
    fc_stations_free(ds->stations);
    fc_zips_free(ds->zips);
    fc_vehicles_free(ds->vehicles);
    memset(ds, 0, sizeof *ds);
}

cJSON *fc_dataset_fingerprints(const fc_dataset *ds)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    for (int i = 0; i < FC_INPUT_N; i++) {
        if (!ds->loaded[i]) continue;
        char crc[9];
        snprintf(crc, sizeof crc, "%08x", (unsigned)ds->info[i].crc32);
        cJSON *f = cJSON_AddObjectToObject(o, fc_input_name(i));
        if (!f || !cJSON_AddStringToObject(f, "path", ds->paths[i]) ||
            !cJSON_AddNumberToObject(f, "bytes", (double)ds->info[i].bytes) ||
            !cJSON_AddStringToObject(f, "crc32", crc)) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}
