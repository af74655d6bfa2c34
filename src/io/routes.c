/* routes.c -- observed routes per station, day and van type. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/data.h"
#include "fleetcast/date.h"
#include "table.h"

enum { R_DATE, R_ST, R_VAN, R_ROUTES, R_PKG, R_STOPS, R_HOURS, R_KM, R_N };
static const col_spec route_cols[R_N] = {
    {"date", 1}, {"station", 1}, {"van_type", 1}, {"routes", 1}, {"packages", 1},
    {"stops", 0}, {"route_hours", 0}, {"route_km", 0}};

typedef struct route_reader {
    table_ctx t;
    const fc_stations *st;
    const fc_vehicles *veh;
    fc_routes *r;
    int32_t *line;
    size_t cap[10];
} route_reader;

#define GROW(arr, cap, n) table_grow((void **)&(arr), &(cap), (size_t)(n), sizeof *(arr))

static int route_row(void *ud, const fc_csv_row *row)
{
    route_reader *rr = ud;
    table_ctx *t = &rr->t;
    if (!t->have_header) return table_header(t, row);
    t->row_bad = 0;
    if (!table_width_ok(t, row)) return fc_diag_full(t->d) ? FC_EDATA : FC_OK;
    int32_t day;
    const char *s;
    size_t n;
    int32_t sid = -1, vid = -1;
    int64_t routes, pkg;
    double stops, hours, km;
    table_date(t, row, R_DATE, 0, &day);
    if (table_id(t, row, R_ST, &s, &n) == 0 && (sid = fc_intern_find(rr->st->ids, s, n)) < 0)
        table_bad(t, row, R_ST, "a station listed in the stations file");
    if (table_id(t, row, R_VAN, &s, &n) == 0 && (vid = fc_intern_find(rr->veh->ids, s, n)) < 0)
        table_bad(t, row, R_VAN, "a van type listed in the vehicles file");
    else if (vid >= 0 && sid >= 0 && !(rr->st->van_types[sid] >> vid & 1))
        table_bad(t, row, R_VAN, "a van type this station may run (its van_types)");
    table_count(t, row, R_ROUTES, -1, &routes);
    table_count(t, row, R_PKG, 0, &pkg);
    table_real(t, row, R_STOPS, 0, 1e12, NAN, "a number of stops >= 0", &stops);
    table_real(t, row, R_HOURS, 0, 1e12, NAN, "route hours >= 0 (the sum over the day's routes)", &hours);
    table_real(t, row, R_KM, 0, 1e12, NAN, "route km >= 0 (the sum over the day's routes)", &km);
    if (!t->row_bad && routes == 0 && pkg > 0)
        table_bad(t, row, R_ROUTES, "at least one route when packages > 0");
    if (!t->row_bad && !isnan(stops) && stops > (double)pkg)
        table_bad(t, row, R_STOPS, "at most as many stops as packages");
    if (!t->row_bad) {
        fc_routes *r = rr->r;
        size_t i = (size_t)r->n, k = i + 1;
        if (GROW(r->day, rr->cap[0], k) || GROW(r->station, rr->cap[1], k) ||
            GROW(r->van, rr->cap[2], k) || GROW(r->routes, rr->cap[3], k) ||
            GROW(r->packages, rr->cap[4], k) || GROW(r->stops, rr->cap[5], k) ||
            GROW(r->route_hours, rr->cap[6], k) || GROW(r->route_km, rr->cap[7], k) ||
            GROW(rr->line, rr->cap[8], k))
            return FC_EINTERNAL;
        r->day[i] = day;
        r->station[i] = sid;
        r->van[i] = vid;
        r->routes[i] = routes < 0 ? NAN : (double)routes;  /* < 0: column absent */
        r->packages[i] = (double)pkg;
        r->stops[i] = stops;
        r->route_hours[i] = hours;
        r->route_km[i] = km;
        rr->line[i] = (int32_t)row->line;
        r->n++;
    }
    return fc_diag_full(t->d) ? FC_EDATA : FC_OK;
}

static const fc_routes *sort_r;
static int key_cmp(const void *a, const void *b)
{
    int64_t i = *(const int64_t *)a, j = *(const int64_t *)b;
    const fc_routes *r = sort_r;
    if (r->day[i] != r->day[j]) return r->day[i] < r->day[j] ? -1 : 1;
    if (r->station[i] != r->station[j]) return r->station[i] < r->station[j] ? -1 : 1;
    if (r->van[i] != r->van[j]) return r->van[i] < r->van[j] ? -1 : 1;
    return (i > j) - (i < j);
}

/* Report rows that repeat a (date, station, van_type). */
static int check_duplicates(route_reader *rr)
{
    fc_routes *r = rr->r;
    if (r->n < 2) return 0;
    int64_t *idx = malloc((size_t)r->n * sizeof *idx);
    if (!idx) return -1;
    for (int64_t i = 0; i < r->n; i++) idx[i] = i;
    sort_r = r;
    qsort(idx, (size_t)r->n, sizeof *idx, key_cmp);
    for (int64_t k = 1; k < r->n; k++) {
        int64_t a = idx[k - 1], b = idx[k];
        if (r->day[a] == r->day[b] && r->station[a] == r->station[b] && r->van[a] == r->van[b]) {
            char ds[11];
            fc_date_format(r->day[b], ds);
            fc_diag_at(rr->t.d, FC_EDATA, rr->t.file, rr->line[b], 0,
                       "a second row for station '%s', van type '%s' on %s (first at line %ld)",
                       fc_intern_name(rr->st->ids, r->station[b]),
                       fc_intern_name(rr->veh->ids, r->van[b]), ds, (long)rr->line[a]);
        }
    }
    free(idx);
    return 0;
}

int fc_routes_read(const char *path, const fc_stations *st, const fc_vehicles *veh,
                   fc_diag *d, fc_routes **out, fc_csv_info *info)
{
    return fc_routes_read_ex(path, st, veh, 0, d, out, info, 1);
}

int fc_routes_read_ex(const char *path, const fc_stations *st, const fc_vehicles *veh, int flags,
                      fc_diag *d, fc_routes **out, fc_csv_info *info, int threads)
{
    route_reader rr;
    col_spec cols[R_N];
    memcpy(cols, route_cols, sizeof cols);
    if (flags & FC_ROUTES_COUNT_OPTIONAL) cols[R_ROUTES].required = 0;
    memset(&rr, 0, sizeof rr);
    *out = NULL;
    const char *file = strcmp(path, "-") ? path : "<stdin>";
    table_init(&rr.t, file, "routes", d, cols, R_N);
    rr.st = st;
    rr.veh = veh;
    rr.r = calloc(1, sizeof *rr.r);
    if (!rr.r) return FC_EINTERNAL;
    long before = d->n_errors;
    int stt = fc_csv_read(path, file, route_row, &rr, d, info, threads);
    if (stt == FC_OK && check_duplicates(&rr)) stt = FC_EINTERNAL;
    if (stt == FC_OK && d->n_errors == before && rr.r->n == 0) {
        fc_diag_at(d, FC_EDATA, file, 0, 0, "no route rows (the file has only a header)");
        stt = FC_EDATA;
    }
    if (stt == FC_OK && d->n_errors > before) stt = FC_EDATA;
    rr.r->has_routes = table_has(&rr.t, R_ROUTES);
    rr.r->has_stops = table_has(&rr.t, R_STOPS);
    rr.r->has_hours = table_has(&rr.t, R_HOURS);
    rr.r->has_km = table_has(&rr.t, R_KM);
    table_free(&rr.t);
    free(rr.line);
    if (stt != FC_OK) {
        fc_routes_free(rr.r);
        return stt;
    }
    *out = rr.r;
    return FC_OK;
}

void fc_routes_free(fc_routes *r)
{
    if (!r) return;
    free(r->day);
    free(r->station);
    free(r->van);
    free(r->routes);
    free(r->packages);
    free(r->stops);
    free(r->route_hours);
    free(r->route_km);
    free(r);
}
