/* stats.c -- summary statistics of generated routes (means and 10th /
 * 50th / 90th percentiles), for the calibration table in docs/synth.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include "fleetcast/synth.h"

/* Percentile q of sorted v (linear interpolation between order statistics). */
static double quantile(const double *v, int64_t n, double q)
{
    double h = q * (double)(n - 1);
    int64_t i = (int64_t)floor(h);
    if (i >= n - 1) return v[n - 1];
    return v[i] + (h - (double)i) * (v[i + 1] - v[i]);
}

int fc_synth_route_stats(const fc_synth_world *w, const fc_synth_result *r, fc_synth_stats *s)
{
    memset(s, 0, sizeof *s);
    int64_t n = r->nroute;
    if (n <= 0) return FC_EDATA;
    double *v = malloc((size_t)n * sizeof *v);
    if (!v) return FC_EINTERNAL;
    double stops = 0, pk = 0, hours = 0, svc = 0, drive = 0, km = 0, full = 0;
    for (int64_t i = 0; i < n; i++) {
        const fc_synth_route *x = &r->route[i];
        stops += x->stops;
        pk += x->packages;
        hours += x->hours;
        svc += x->service_h;
        drive += x->drive_h;
        km += x->km;
        int32_t van = fc_synth_station_van(w, x->station, x->day);
        if (x->packages > 0.95 * w->vehicles[van].capacity) full++;
    }
    s->routes = n;
    s->stops_mean = stops / (double)n;
    s->packages_mean = pk / (double)n;
    s->packages_per_stop = stops > 0 ? pk / stops : 0;
    s->hours_mean = hours / (double)n;
    s->service_h_mean = svc / (double)n;
    s->drive_h_mean = drive / (double)n;
    s->km_mean = km / (double)n;
    s->capacity_bound = full / (double)n;
    for (int64_t i = 0; i < n; i++) v[i] = r->route[i].stops;
    gsl_sort(v, 1, (size_t)n);
    s->stops_p10 = quantile(v, n, 0.1);
    s->stops_p50 = quantile(v, n, 0.5);
    s->stops_p90 = quantile(v, n, 0.9);
    for (int64_t i = 0; i < n; i++) v[i] = r->route[i].packages;
    gsl_sort(v, 1, (size_t)n);
    s->packages_p10 = quantile(v, n, 0.1);
    s->packages_p90 = quantile(v, n, 0.9);
    for (int64_t i = 0; i < n; i++) v[i] = r->route[i].hours;
    gsl_sort(v, 1, (size_t)n);
    s->hours_p10 = quantile(v, n, 0.1);
    s->hours_p90 = quantile(v, n, 0.9);
    free(v);
    return FC_OK;
}
