/* write.c -- the generated network as the files of the data contract
 * (docs/data.md) plus a ready config.json, each written atomically; the
 * two large files optionally gzip-compressed (deterministic: zlib writes
 * no timestamp). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "fleetcast/date.h"
#include "fleetcast/outfile.h"
#include "synth_internal.h"

typedef struct sink {
    fc_outfile o;
    gzFile gz;
    int bad;
} sink;

static int sink_open(sink *s, const char *dir, const char *name, int gzip, fc_diag *d)
{
    memset(s, 0, sizeof *s);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, gzip ? ".gz" : "");
    int st = fc_outfile_open(&s->o, path, d);
    if (st) return st;
    if (gzip) {
        int fd = dup(fileno(s->o.fp));
        s->gz = fd >= 0 ? gzdopen(fd, "wb6") : NULL;
        if (!s->gz) {
            if (fd >= 0) close(fd);
            fc_outfile_abort(&s->o);
            fc_diag_error(d, FC_ECANTCREAT, "%s: cannot start gzip output", path);
            return FC_ECANTCREAT;
        }
    }
    return FC_OK;
}

static void sink_printf(sink *s, const char *fmt, ...) FC_PRINTF(2, 3);
static void sink_printf(sink *s, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= (int)sizeof buf) {
        s->bad = 1;
        return;
    }
    if (s->gz) {
        if (gzwrite(s->gz, buf, (unsigned)n) != n) s->bad = 1;
    } else if (fwrite(buf, 1, (size_t)n, s->o.fp) != (size_t)n) {
        s->bad = 1;
    }
}

/* Write out and sync the file, not yet in place: it moves to *keep, for
 * fc_synth_write to rename with the others once all are complete. */
static int sink_close(sink *s, fc_diag *d, fc_outfile *keep)
{
    if (s->gz && gzclose(s->gz) != Z_OK) s->bad = 1;
    s->gz = NULL;
    if (s->bad) return fc_outfile_write_failed(&s->o, d);
    int st = fc_outfile_finish(&s->o, d);
    if (st == FC_OK) *keep = s->o;
    return st;
}

/* A number, or an empty cell for NAN. */
static const char *cell(double v, const char *fmt, char buf[32])
{
    if (isnan(v)) return "";
    snprintf(buf, 32, fmt, v);
    return buf;
}

static int write_vehicles(const fc_synth_world *w, const char *dir, fc_diag *d, fc_outfile *keep)
{
    sink s;
    int st = sink_open(&s, dir, "vehicles.csv", 0, d);
    if (st) return st;
    sink_printf(&s, "van_type,capacity_packages,electric,battery_kwh,kwh_per_km,cost_per_day,cost_per_km\n");
    for (int32_t v = 0; v < w->nvehicles; v++) {
        const fc_synth_vehicle *x = &w->vehicles[v];
        char a[32], b[32];
        sink_printf(&s, "%s,%.0f,%d,%s,%s,%.2f,%.2f\n", x->name, x->capacity, x->electric,
                    cell(x->battery_kwh, "%.0f", a), cell(x->kwh_per_km, "%.3f", b), x->cost_per_day,
                    x->cost_per_km);
    }
    return sink_close(&s, d, keep);
}

static int write_zips(const fc_synth_world *w, const char *dir, fc_diag *d, fc_outfile *keep)
{
    sink s;
    int st = sink_open(&s, dir, "zips.csv", 0, d);
    if (st) return st;
    sink_printf(&s, "zip,lat,lon,area_km2,hilliness,share_apartments,share_business\n");
    for (int32_t z = 0; z < w->nzips; z++) {
        const fc_synth_zip *x = &w->zips[z];
        sink_printf(&s, "%s,%.5f,%.5f,%.2f,%.1f,%.3f,%.3f\n", x->id, x->lat, x->lon, x->area_km2,
                    x->hilliness, x->share_apartments, x->share_business);
    }
    return sink_close(&s, d, keep);
}

/* The fleet each station holds at the end: the van type it runs then, as
 * many as the busiest day of the last four weeks needs plus 10% spares,
 * and any electric vans the scenario gives it. */
static void fleet_counts(const fc_synth_world *w, const fc_synth_result *r, int32_t *van, int32_t *count)
{
    for (int32_t s = 0; s < w->nstations; s++) {
        van[s] = fc_synth_station_van(w, s, w->p.start + r->ndays - 1);
        int32_t peak = 0;
        for (int32_t di = r->ndays - 1; di >= 0 && di >= r->ndays - 28; di--) {
            size_t c = (size_t)di * (size_t)w->nstations + (size_t)s;
            if (r->van[c] >= 0 && r->routes[c] > peak) peak = r->routes[c];
        }
        count[s] = (int32_t)ceil(peak * 1.1);
    }
}

static int write_fleet(const fc_synth_world *w, const int32_t *van, const int32_t *count, const char *dir,
                       fc_diag *d, fc_outfile *keep)
{
    sink s;
    int st = sink_open(&s, dir, "fleet.csv", 0, d);
    if (st) return st;
    sink_printf(&s, "station,van_type,count\n");
    for (int32_t i = 0; i < w->nstations; i++) {
        const fc_synth_station *x = &w->stations[i];
        int32_t ev = synth_vehicle_find(w, "ev");
        int32_t extra = ev >= 0 && van[i] == ev ? x->ev_fleet : 0;
        if (count[i] + extra > 0) sink_printf(&s, "%s,%s,%d\n", x->id, w->vehicles[van[i]].name, (int)(count[i] + extra));
        if (ev >= 0 && van[i] != ev && x->ev_fleet > 0) sink_printf(&s, "%s,ev,%d\n", x->id, (int)x->ev_fleet);
    }
    return sink_close(&s, d, keep);
}

static int write_stations(const fc_synth_world *w, const int32_t *count, const char *dir, fc_diag *d, fc_outfile *keep)
{
    sink s;
    int st = sink_open(&s, dir, "stations.csv", 0, d);
    if (st) return st;
    sink_printf(&s, "station,lat,lon,city,shift_hours,parking,chargers,charger_kw,site_power_kw,opened,van_types\n");
    for (int32_t i = 0; i < w->nstations; i++) {
        const fc_synth_station *x = &w->stations[i];
        char opened[11], vans[128] = "";
        fc_date_format(x->opened, opened);
        for (int32_t v = 0; v < w->nvehicles; v++)
            if (x->may_run >> v & 1) {
                if (*vans) strcat(vans, ";");
                strcat(vans, w->vehicles[v].name);
            }
        int32_t parking = (int32_t)ceil((count[i] + x->ev_fleet) * 1.25) + 4;
        sink_printf(&s, "%s,%.5f,%.5f,%s,%.2f,%d,%d,%.1f,%.0f,%s,%s\n", x->id, x->lat, x->lon,
                    w->cities[x->city].name, x->shift_hours, (int)parking, (int)x->chargers, x->charger_kw,
                    x->site_power_kw, opened, vans);
    }
    return sink_close(&s, d, keep);
}

static int write_shipments(const fc_synth_world *w, const fc_synth_result *r, const char *dir, int gzip,
                           fc_diag *d, fc_outfile *keep)
{
    sink s;
    int st = sink_open(&s, dir, "shipments.csv", gzip, d);
    if (st) return st;
    sink_printf(&s, "date,zip,station,packages,stops\n");
    for (int32_t di = 0; di < r->ndays && !s.bad; di++) {
        char date[11];
        int32_t day = w->p.start + di;
        fc_date_format(day, date);
        for (int32_t z = 0; z < w->nzips; z++) {
            size_t c = (size_t)di * (size_t)w->nzips + (size_t)z;
            if (r->zip_packages[c] < 0) continue;
            int32_t stn = fc_synth_zip_station(w, z, day);
            sink_printf(&s, "%s,%s,%s,%d,%d\n", date, w->zips[z].id, w->stations[stn].id,
                        (int)r->zip_packages[c], (int)r->zip_stops[c]);
        }
    }
    return sink_close(&s, d, keep);
}

static int write_routes(const fc_synth_world *w, const fc_synth_result *r, const char *dir, int gzip,
                        fc_diag *d, fc_outfile *keep)
{
    sink s;
    int st = sink_open(&s, dir, "routes.csv", gzip, d);
    if (st) return st;
    sink_printf(&s, "date,station,van_type,routes,packages,stops,route_hours,route_km\n");
    for (int32_t di = 0; di < r->ndays && !s.bad; di++) {
        char date[11];
        fc_date_format(w->p.start + di, date);
        for (int32_t i = 0; i < w->nstations; i++) {
            size_t c = (size_t)di * (size_t)w->nstations + (size_t)i;
            if (r->van[c] < 0) continue;
            sink_printf(&s, "%s,%s,%s,%d,%d,%d,%.2f,%.1f\n", date, w->stations[i].id,
                        w->vehicles[r->van[c]].name, (int)r->routes[c], (int)r->packages[c],
                        (int)r->stops[c], r->hours[c], r->km[c]);
        }
    }
    return sink_close(&s, d, keep);
}

static int write_config(const fc_synth_world *w, const fc_synth_result *r, const char *dir, int gzip,
                        fc_diag *d, fc_outfile *keep)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return FC_EINTERNAL;
    char a[11], b[11];
    fc_date_format(w->p.start, a);
    fc_date_format(w->p.start + r->ndays - 1, b);
    cJSON_AddStringToObject(o, "description", "synthetic delivery network made by fleetcast synth "
                                              "(routes from routing the placed stops; docs/synth.md)");
    cJSON *in = cJSON_AddObjectToObject(o, "inputs");
    cJSON_AddStringToObject(in, "shipments", gzip ? "shipments.csv.gz" : "shipments.csv");
    cJSON_AddStringToObject(in, "routes", gzip ? "routes.csv.gz" : "routes.csv");
    cJSON_AddStringToObject(in, "zips", "zips.csv");
    cJSON_AddStringToObject(in, "stations", "stations.csv");
    cJSON_AddStringToObject(in, "vehicles", "vehicles.csv");
    cJSON_AddStringToObject(in, "fleet", "fleet.csv");
    cJSON_AddNumberToObject(o, "horizon_months", 16);
    cJSON_AddNumberToObject(o, "service_level", 0.9);
    cJSON_AddNumberToObject(o, "spare_ratio", 0.1);
    cJSON_AddNumberToObject(o, "paths", 500);
    cJSON_AddNumberToObject(o, "seed", (double)w->p.seed);
    /* The plan's section: monthly temperatures per city (range derating)
     * and a modest monthly supply of new electric vans. */
    cJSON *plan = cJSON_AddObjectToObject(o, "plan");
    double supply[16];
    for (int k = 0; k < 16; k++) supply[k] = 3;
    cJSON_AddItemToObject(plan, "ev_supply", cJSON_CreateDoubleArray(supply, 16));
    cJSON *temp = cJSON_AddObjectToObject(plan, "temperature_c");
    for (int32_t c = 0; c < w->ncities; c++) {
        double t[12];
        memcpy(t, w->cities[c].temperature_c, sizeof t);
        cJSON_AddItemToObject(temp, w->cities[c].name, cJSON_CreateDoubleArray(t, 12));
    }
    /* What the generator did (its scenario) is history, not a planning
     * scenario: it goes under "synth", and the plan's "scenario" is empty. */
    cJSON_AddItemToObject(o, "scenario", cJSON_CreateObject());
    cJSON *g = cJSON_AddObjectToObject(o, "synth");
    cJSON_AddItemToObject(g, "scenario", w->scenario ? cJSON_Duplicate(w->scenario, 1) : cJSON_CreateObject());
    cJSON_AddNumberToObject(g, "seed", (double)w->p.seed);
    cJSON_AddNumberToObject(g, "cities", w->ncities);
    cJSON_AddNumberToObject(g, "stations", w->nstations);
    cJSON_AddNumberToObject(g, "zips", w->nzips);
    cJSON_AddStringToObject(g, "start", a);
    cJSON_AddStringToObject(g, "end", b);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text) return FC_EINTERNAL;
    sink s;
    int st = sink_open(&s, dir, "config.json", 0, d);
    if (st == FC_OK) {
        if (fputs(text, s.o.fp) == EOF || fputc('\n', s.o.fp) == EOF) s.bad = 1;
        st = sink_close(&s, d, keep);
    }
    free(text);
    return st;
}

int fc_synth_write(const fc_synth_world *w, const fc_synth_result *r, const char *dir, int gzip, fc_diag *d)
{
    int32_t *van = malloc((size_t)w->nstations * sizeof *van);
    int32_t *count = malloc((size_t)w->nstations * sizeof *count);
    if (!van || !count) {
        free(van);
        free(count);
        return FC_EINTERNAL;
    }
    fleet_counts(w, r, van, count);
    /* All written and synced before any replaces its old version, so a
     * failure (a full disk, an output that cannot be created) leaves the
     * folder's previous set whole rather than half old, half new. */
    fc_outfile out[7];
    memset(out, 0, sizeof out);
    int st = write_vehicles(w, dir, d, &out[0]);
    if (!st) st = write_zips(w, dir, d, &out[1]);
    if (!st) st = write_stations(w, count, dir, d, &out[2]);
    if (!st) st = write_fleet(w, van, count, dir, d, &out[3]);
    if (!st) st = write_shipments(w, r, dir, gzip, d, &out[4]);
    if (!st) st = write_routes(w, r, dir, gzip, d, &out[5]);
    if (!st) st = write_config(w, r, dir, gzip, d, &out[6]);
    for (int k = 0; k < 7 && !st; k++) st = fc_outfile_publish(&out[k], d);
    for (int k = 0; k < 7; k++) fc_outfile_abort(&out[k]);
    free(van);
    free(count);
    return st;
}
