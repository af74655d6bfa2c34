/* demand.c -- daily stops per zip (base x growth x yearly season with a
 * peak before year end x weekday x scenario x noise) and the stops
 * themselves: a point in the zip, packages, service time. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "fleetcast/date.h"
#include "synth_internal.h"

/* Monday .. Sunday */
static const double weekday_factor[7] = {1.10, 1.08, 1.04, 1.02, 0.98, 0.80, 0.45};

static double bump(double x, double mu, double sd) { return exp(-0.5 * (x - mu) * (x - mu) / (sd * sd)); }

/* Thanksgiving: the fourth Thursday of November. */
static int is_thanksgiving(int y, int m, int d, int32_t day)
{
    return m == 11 && fc_date_weekday(day) == 3 && d >= 22 && d <= 28 && y > 0;
}

static double season(int32_t day)
{
    int y, m, d;
    fc_civil_from_days(day, &y, &m, &d);
    double doy = day - fc_days_from_civil(y, 1, 1);
    if ((m == 12 && d == 25) || (m == 1 && d == 1)) return 0.05;
    if (is_thanksgiving(y, m, d, day)) return 0.2;
    double s = 1 + 0.05 * sin(2 * M_PI * (doy - 100) / 365.25);
    s += 0.40 * bump(doy, 345, 14);     /* peak: Cyber Week to mid December */
    s += 0.18 * bump(doy, 193, 2);      /* a mid-July sales event */
    s -= 0.10 * bump(doy, 20, 15);      /* January lull */
    return s;
}

double fc_synth_expected_stops(const fc_synth_world *w, int32_t zip, int32_t station, int32_t day)
{
    const fc_synth_zip *z = &w->zips[zip];
    double years = (day - w->p.start) / 365.25;
    return z->base_stops * pow(1 + z->growth, years) * season(day) * weekday_factor[fc_date_weekday(day)] *
           fc_synth_volume_factor(w, station, day);
}

int fc_synth_draw_stops(const fc_synth_world *w, int32_t zip, int32_t station, int32_t day, gsl_rng *rng,
                        fc_route_stop **stops, int32_t *n, int32_t *cap)
{
    const fc_synth_zip *z = &w->zips[zip];
    const fc_synth_station *st = &w->stations[station];
    gsl_rng_set(rng, synth_seed(w->p.seed, 2, (uint64_t)zip, (uint64_t)(uint32_t)day));
    double mean = fc_synth_expected_stops(w, zip, station, day) * exp(gsl_ran_gaussian(rng, 0.07) - 0.00245);
    int32_t k = (int32_t)gsl_ran_poisson(rng, mean);
    if (*n + k > *cap) {
        int32_t c = *cap ? *cap : 1024;
        while (c < *n + k) c *= 2;
        fc_route_stop *p = realloc(*stops, (size_t)c * sizeof *p);
        if (!p) return FC_EINTERNAL;
        *stops = p;
        *cap = c;
    }
    double radius = sqrt(z->area_km2 / M_PI);
    double sf = fc_synth_service_factor(w, zip, day);
    double ox = z->x - st->x, oy = z->y - st->y;
    for (int32_t i = 0; i < k; i++) {
        fc_route_stop *s = &(*stops)[*n + i];
        /* uniform in the zip's disc */
        double r = radius * sqrt(gsl_rng_uniform(rng)), a = 2 * M_PI * gsl_rng_uniform(rng);
        s->x = ox + r * cos(a);
        s->y = oy + r * sin(a);
        int32_t pk = 1 + (int32_t)gsl_ran_poisson(rng, z->pkg_lambda);
        s->packages = pk > 40 ? 40 : pk;
        s->service_h = (z->stop_s + z->pkg_s * s->packages) * sf / 3600.0;
        s->speed_kmh = z->speed_kmh;
    }
    *n += k;
    return FC_OK;
}
