/* test_forecast.c -- the volume forecast: series models recover a known
 * trend and season, pooling gives short zips a season, paths are
 * non-negative and deterministic across threads, a rezoning moves exactly
 * the moved zip's volume, and shocks multiply; a gap in daily data is no
 * data, not empty days; monthly figures fitted unscaled keep the months'
 * days in their station prior; the quantiles by selection
 * equal those of a full sort; the JSON writer's output parses back to the
 * CSV's numbers and the names as given. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fleetcast/data.h"
#include "fleetcast/date.h"
#include "fleetcast/forecast.h"
#include "../../src/forecast/internal.h"

static uint64_t rs = 12345;
static double unif(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return ((rs >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void) { return sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif()); }

static const double season12[12] = {-0.1, -0.15, -0.05, 0, 0.02, -0.03, -0.05, -0.02, 0.02, 0.05, 0.12, 0.19};

/* A monthly series with known growth and season forecasts close to truth. */
static void test_series(void)
{
    double y[48], out[16];
    for (int t = 0; t < 48; t++) y[t] = 1000 * exp(0.01 * t + season12[t % 12] + 0.01 * gauss());
    for (int meth = FC_VOL_ETS; meth <= FC_VOL_COMBO; meth++) {
        CHECK(fc_series_forecast(y, 48, 0, meth, 16, out) == 0);
        double worst = 0;
        for (int h = 1; h <= 16; h++) {
            double truth = 1000 * exp(0.01 * (47 + h) + season12[(47 + h) % 12]);
            double e = fabs(out[h - 1] / truth - 1);
            if (e > worst) worst = e;
        }
        CHECK(worst < 0.08);
    }
    /* Seasonal naive repeats last year. */
    CHECK(fc_series_forecast(y, 48, 0, FC_VOL_SNAIVE, 13, out) == 0);
    CHECK_NEAR(out[0], y[36], 1e-9);
    CHECK_NEAR(out[11], y[47], 1e-9);
    CHECK_NEAR(out[12], y[36], 1e-9);
    /* A collapsing series never forecasts below zero. */
    for (int t = 0; t < 24; t++) y[t] = t < 18 ? 100 - 5 * t : 1;
    CHECK(fc_series_forecast(y, 24, 0, FC_VOL_ETS, 16, out) == 0);
    for (int h = 0; h < 16; h++) CHECK(out[h] >= 0);
    /* Twelve months (a season and +1% a month): without a trend every
     * month is its own season, so next year repeats this one around its
     * level; six months: the months never seen sit at the level. */
    {
        double x[12], pt[12];
        for (int t = 0; t < 12; t++) x[t] = log(1000 * exp(0.01 * t + season12[t]) + 1);
        fc_series_fit f;
        CHECK(fc_series_fit_log_ex(x, 12, 0, NULL, FC_SERIES_NO_TREND, &f) == 0);
        CHECK(f.phi == 0 && f.trend == 0 && f.reg_trend == 0);
        fc_series_point(&f, FC_VOL_COMBO, 12, pt);
        for (int h = 0; h < 12; h++) CHECK_NEAR(pt[h], x[h], 1e-3);  /* the season's ridge 1e-3 */
        double mean6 = 0;
        for (int t = 0; t < 6; t++) mean6 += x[t] / 6;
        CHECK(fc_series_fit_log_ex(x, 6, 0, NULL, FC_SERIES_NO_TREND, &f) == 0);
        fc_series_point(&f, FC_VOL_COMBO, 12, pt);
        for (int h = 0; h < 6; h++) CHECK_NEAR(pt[h], mean6, 5e-3);        /* Jul..Dec */
        for (int h = 6; h < 12; h++) CHECK_NEAR(pt[h], x[h - 6], 5e-3);    /* Jan..Jun */
        /* with a trend, the same 12 months read the season as growth */
        CHECK(fc_series_fit_log(x, 12, 0, NULL, &f) == 0);
        fc_series_point(&f, FC_VOL_COMBO, 12, pt);
        CHECK(pt[0] - x[0] > 0.2);
    }
    /* Methods have names both ways. */
    CHECK(fc_vol_method_parse("fourier") == FC_VOL_FOURIER);
    CHECK(fc_vol_method_parse("nope") == -1);
}

/* Build a daily fc_shipments by hand: nz zips, 2 stations, 3 years. */
typedef struct world {
    fc_zips zips;
    fc_stations st;
    fc_shipments sh;
} world;

static void world_make(world *w, int nz, int ndays, int short_zip)
{
    memset(w, 0, sizeof *w);
    w->zips.ids = fc_intern_new();
    w->st.ids = fc_intern_new();
    w->st.cities = fc_intern_new();
    char name[16];
    for (int z = 0; z < nz; z++) {
        snprintf(name, sizeof name, "%05d", z);
        fc_intern_add(w->zips.ids, name, strlen(name), NULL);
    }
    w->zips.n = nz;
    fc_intern_add(w->st.ids, "A", 1, NULL);
    fc_intern_add(w->st.ids, "B", 1, NULL);
    fc_intern_add(w->st.cities, "Metro", 5, NULL);
    w->st.n = 2;
    w->st.city = calloc(2, sizeof *w->st.city);
    fc_shipments *s = &w->sh;
    s->t0 = fc_days_from_civil(2022, 1, 1);
    s->nperiods = ndays;
    s->nzips = nz;
    s->packages = malloc((size_t)ndays * (size_t)nz * sizeof *s->packages);
    s->stops = malloc((size_t)ndays * (size_t)nz * sizeof *s->stops);
    s->seg_off = calloc((size_t)nz + 1, sizeof *s->seg_off);
    s->seg_first = malloc((size_t)nz * sizeof *s->seg_first);
    s->seg_last = malloc((size_t)nz * sizeof *s->seg_last);
    s->seg_station = malloc((size_t)nz * sizeof *s->seg_station);
    static const double dow[7] = {1.2, 1.1, 1.05, 1.0, 1.0, 0.6, 0.05};
    for (int z = 0; z < nz; z++) {
        int start = (z == short_zip) ? ndays - 90 : 0;  /* about 3 months of history */
        double lvl = 20 + 10 * z;
        double amp = z == short_zip ? 1.0 : 1.0;
        for (int p = 0; p < ndays; p++) {
            size_t k = (size_t)p * (size_t)nz + (size_t)z;
            if (p < start) {
                s->packages[k] = -1;
                s->stops[k] = 0;
                continue;
            }
            int y, m, d;
            fc_civil_from_days(s->t0 + p, &y, &m, &d);
            double lam = lvl * exp(0.012 * p / 30.4 + amp * 2 * season12[m - 1]) *
                         dow[fc_date_weekday(s->t0 + p)] * exp(0.05 * gauss());
            int v = (int)(lam + 0.5);
            s->packages[k] = v;
            s->stops[k] = v ? (v + 1) / 2 : 0;
            s->rows++;
            s->total_packages += v;
        }
        s->seg_off[z + 1] = z + 1;
        s->seg_first[z] = start;
        s->seg_last[z] = ndays - 1;
        s->seg_station[z] = z % 2;
    }
}

static void world_free(world *w)
{
    fc_intern_free(w->zips.ids);
    fc_intern_free(w->st.ids);
    fc_intern_free(w->st.cities);
    free(w->st.city);
    free(w->sh.packages);
    free(w->sh.stops);
    free(w->sh.seg_off);
    free(w->sh.seg_first);
    free(w->sh.seg_last);
    free(w->sh.seg_station);
}

static double path_sum(const fc_vol_paths *p, int s, int h)
{
    double t = 0;
    for (int i = 0; i < p->paths; i++) t += p->packages[((size_t)s * p->horizon + h) * p->paths + i];
    return t;
}

static void test_pipeline(void)
{
    world w;
    int nz = 12, ndays = 3 * 365 + 2, short_zip = 5;
    world_make(&w, nz, ndays, short_zip);
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_vol_history *h = NULL;
    CHECK(fc_vol_history_build(&w.sh, 2, &d, &h) == FC_OK);
    if (!h) return;
    CHECK(h->daily == 1);
    /* 2022-01 .. 2024-12: the last month, 2025-01, has one day; under half
     * covered, it leaves the history, and the forecast starts with it */
    CHECK(h->nmonths == 36);
    /* The weekday pattern is found: Sunday far below Monday. */
    CHECK(h->dow[6] < 0.2 && h->dow[0] > 1.05);
    CHECK(!isnan(h->pk[35]));
    fc_vol_model *m = NULL;
    CHECK(fc_vol_model_fit(h, 0, FC_VOL_ETS, 1, &d, &m) == FC_OK);
    if (!m) return;
    CHECK(m->fitted[short_zip] && m->pooled[short_zip]);
    CHECK(!m->pooled[0]);
    /* The short zip borrowed the station's season: December above June. */
    double pt[16];
    fc_series_point(&m->fit[short_zip], FC_VOL_ETS, 16, pt);
    CHECK(pt[11] > pt[5] + 0.2);  /* forecast starts 2025-01: Dec = 11, Jun = 5 */

    fc_vol_options o = {.horizon = 16, .paths = 200, .seed = 7, .threads = 1, .zip_rows = 1};
    fc_vol_forecast *f1 = NULL, *f2 = NULL;
    CHECK(fc_vol_forecast_run(h, m, NULL, &w.st, &o, &d, &f1) == FC_OK);
    o.threads = 3;
    CHECK(fc_vol_forecast_run(h, m, NULL, &w.st, &o, &d, &f2) == FC_OK);
    if (!f1 || !f2) return;
    size_t cells = (size_t)3 * 16 * 200;
    CHECK(memcmp(f1->paths->packages, f2->paths->packages, cells * sizeof(float)) == 0);
    CHECK(memcmp(f1->paths->peak_day, f2->paths->peak_day, cells * sizeof(float)) == 0);
    CHECK(f1->nzip_rows == (int64_t)nz * 16);
    CHECK(memcmp(f1->zip_rows, f2->zip_rows, (size_t)f1->nzip_rows * sizeof *f1->zip_rows) == 0);
    int neg = 0, order = 1;
    for (size_t i = 0; i < cells; i++) neg += f1->paths->packages[i] < 0 || f1->paths->peak_day[i] < 0;
    for (int64_t i = 0; i < f1->nstation_rows; i++) {
        const fc_vol_row *r = &f1->station_rows[i];
        order &= r->pk_p10 <= r->pk_p50 && r->pk_p50 <= r->pk_p90 && r->peak_p50 <= r->peak_p90;
        order &= r->peak_p50 > r->pk_p50 / 31;  /* a peak day beats the mean day */
    }
    CHECK(neg == 0);
    CHECK(order);
    CHECK(f1->nstation_rows == 2 * 16);
    /* Network = sum of stations, path by path. */
    double maxdiff = 0;
    for (int hh = 0; hh < 16; hh++)
        for (int p = 0; p < 200; p++) {
            const fc_vol_paths *P = f1->paths;
            double a = P->packages[((size_t)0 * 16 + hh) * 200 + p] + P->packages[((size_t)1 * 16 + hh) * 200 + p];
            double b = P->packages[((size_t)2 * 16 + hh) * 200 + p];
            if (fabs(a - b) > maxdiff) maxdiff = fabs(a - b);
        }
    CHECK(maxdiff < 0.1);
    /* Forecast level is in line with the last year (growth ~15%/yr). */
    double last12 = 0;
    for (int z = 0; z < nz; z++)
        for (int t = 24; t < 36; t++)
            if (z != short_zip) last12 += h->pk[(size_t)z * 36 + t];
    double next12 = 0;
    for (int hh = 0; hh < 12; hh++) next12 += f1->network_rows[hh].pk_p50;
    if (!(next12 > 1.0 * last12 && next12 < 1.35 * last12)) fprintf(stderr, "next12 %g last12 %g\n", next12, last12);
    CHECK(next12 > 1.0 * last12 && next12 < 1.35 * last12);

    /* Rezoning: zip 0 (station A) moves to B from the 4th forecast month. */
    char month[8];
    fc_month_format(f1->month0 + 3, month);
    char cfg[512];
    snprintf(cfg, sizeof cfg,
             "{\"scenario\":{\"rezoning\":[{\"zip\":\"00000\",\"to\":\"B\",\"from\":\"%s\"}]}}", month);
    cJSON *j = cJSON_Parse(cfg);
    fc_scenario *sc = NULL;
    CHECK(fc_scenario_parse(j, "cfg.json", &w.zips, &w.st, &d, &sc) == FC_OK);
    fc_vol_forecast *f3 = NULL;
    o.threads = 2;
    CHECK(fc_vol_forecast_run(h, m, sc, &w.st, &o, &d, &f3) == FC_OK);
    if (f3 && f1) {
        const fc_vol_paths *a = f1->paths, *b = f3->paths;
        int moved_ok = 1, same_before = 1;
        for (int hh = 0; hh < 16; hh++) {
            /* zip 0's own paths, from the zip rows' means: compare path sums */
            double zmean = f1->zip_rows[hh].pk_mean * 200;
            double dA = path_sum(a, 0, hh) - path_sum(b, 0, hh);
            double dB = path_sum(b, 1, hh) - path_sum(a, 1, hh);
            if (hh < 3) same_before &= fabs(dA) < 1e-3 && fabs(dB) < 1e-3;
            else moved_ok &= fabs(dA - dB) < 0.05 * 200 && fabs(dA - zmean) < 0.01 * zmean + 1;
            /* network unchanged path by path */
            for (int p = 0; p < 200; p++) {
                size_t k = ((size_t)2 * 16 + hh) * 200 + p;
                if (fabs(a->packages[k] - b->packages[k]) > 0.05) moved_ok = 0;
            }
        }
        CHECK(same_before);
        CHECK(moved_ok);
        CHECK(f3->zip_rows[3].station == 1 && f3->zip_rows[2].station == 0);
    }
    /* A shock of x1.5 on station A from the first month. */
    fc_month_format(f1->month0, month);
    snprintf(cfg, sizeof cfg,
             "{\"scenario\":{\"shocks\":[{\"scope\":\"station\",\"ids\":[\"A\"],\"from\":\"%s\",\"multiplier\":1.5}]}}",
             month);
    cJSON *j2 = cJSON_Parse(cfg);
    fc_scenario *sc2 = NULL;
    CHECK(fc_scenario_parse(j2, "cfg.json", &w.zips, &w.st, &d, &sc2) == FC_OK);
    fc_vol_forecast *f4 = NULL;
    CHECK(fc_vol_forecast_run(h, m, sc2, &w.st, &o, &d, &f4) == FC_OK);
    if (f4) {
        CHECK_NEAR(path_sum(f4->paths, 0, 5) / path_sum(f1->paths, 0, 5), 1.5, 1e-4);
        CHECK_NEAR(path_sum(f4->paths, 1, 5) / path_sum(f1->paths, 1, 5), 1.0, 1e-6);
    }
    /* Bad scenarios are refused with the key named. */
    cJSON *j3 = cJSON_Parse("{\"scenario\":{\"rezoning\":[{\"zip\":\"99999\",\"to\":\"B\",\"from\":\"2025-01\"}]}}");
    fc_scenario *sc3 = NULL;
    CHECK(fc_scenario_parse(j3, "cfg.json", &w.zips, &w.st, &d, &sc3) == FC_EDATA && !sc3);

    fc_vol_forecast_free(f1);
    fc_vol_forecast_free(f2);
    fc_vol_forecast_free(f3);
    fc_vol_forecast_free(f4);
    fc_scenario_free(sc);
    fc_scenario_free(sc2);
    cJSON_Delete(j);
    cJSON_Delete(j2);
    cJSON_Delete(j3);
    fc_vol_model_free(m);
    fc_vol_history_free(h);
    world_free(&w);
}

/* Monthly input, 20 zips x 2022-01 .. 2024-12 at a flat rate: totals
 * (the month's days x a daily rate) or a monthly figure that is already a
 * rate (days play no part), log noise `noise`. Returns 1 when fitted, the
 * zips' forecast figures v[z * 3 + k] of 2025-01 .. 2025-03 and how many
 * zips were fitted unscaled. */
enum { MZ = 20, MM = 36 };
static int monthly_fit(int rate, double noise, double *v, int *unscaled)
{
    world w;
    world_make(&w, MZ, 1, -1);  /* names and stations; the data below */
    fc_shipments *s = &w.sh;
    s->t0 = fc_date_month_index(fc_days_from_civil(2022, 1, 1));
    s->monthly = 1;
    s->nperiods = MM;
    s->rows = 0;
    free(s->packages);
    free(s->stops);
    s->packages = malloc((size_t)MM * MZ * sizeof *s->packages);
    s->stops = malloc((size_t)MM * MZ * sizeof *s->stops);
    for (int z = 0; z < MZ; z++) {
        for (int t = 0; t < MM; t++) {
            double days = rate ? 30 : fc_month_days(s->t0 + t);
            int x = (int)(100 * (1 + 0.1 * z) * days * exp(noise * gauss()) + 0.5);
            s->packages[(size_t)t * MZ + (size_t)z] = x;
            s->stops[(size_t)t * MZ + (size_t)z] = (x + 1) / 2;
            s->rows++;
        }
        s->seg_first[z] = 0;
        s->seg_last[z] = MM - 1;
    }
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_vol_history *h = NULL;
    fc_vol_model *m = NULL;
    int ok = fc_vol_history_build(s, 2, &d, &h) == FC_OK &&
             fc_vol_model_fit(h, 0, FC_VOL_ETS, 1, &d, &m) == FC_OK;
    *unscaled = 0;
    for (int z = 0; ok && z < MZ; z++) {
        double pt[3];
        fc_series_point(&m->fit[z], FC_VOL_ETS, 3, pt);
        for (int k = 0; k < 3; k++)
            v[z * 3 + k] = (exp(pt[k]) - 1) *
                           (m->fit[z].per_month ? 1 : fc_month_days(s->t0 + MM + k) / FC_STD_MONTH);
        *unscaled += m->fit[z].per_month;
    }
    fc_vol_model_free(m);
    fc_vol_history_free(h);
    world_free(&w);
    return ok;
}

/* Monthly input fitted unscaled (a monthly rate, or totals whose figures
 * fit better as they are) was pooled toward a station season fitted on
 * figures scaled by the month's days, whose February is not short: a rate
 * series then fitted worse unscaled than scaled (0 of 20 zips kept it
 * unscaled) and its February came out 1.2% low on average (2% at worst)
 * from the leap year; totals kept unscaled came out up to 4.4% high in
 * February. The unscaled fit's prior now has the months' days in it. */
static void test_monthly_unscaled(void)
{
    double v[MZ * 3];
    int unscaled = 0;
    CHECK(monthly_fit(1, 0.01, v, &unscaled));
    double mean = 0;
    for (int z = 0; z < MZ; z++) mean += (v[z * 3 + 1] / (0.5 * (v[z * 3] + v[z * 3 + 2])) - 1) / MZ;
    if (!(unscaled >= MZ / 2 && fabs(mean) < 0.006))
        fprintf(stderr, "rates: %d of %d zips unscaled, February %+.4f\n", unscaled, MZ, mean);
    CHECK(unscaled >= MZ / 2);
    CHECK(fabs(mean) < 0.006);
    /* Totals: a day of February against a day of January and March is
     * 1, or 28.33 / 28 in the zips kept unscaled (they have the Februaries
     * they saw, of 28, 28 and 29 days). */
    CHECK(monthly_fit(0, 0.05, v, &unscaled));
    CHECK(unscaled >= 3);  /* the case under test occurs */
    mean = 0;
    for (int z = 0; z < MZ; z++) mean += ((v[z * 3 + 1] / 28) / ((v[z * 3] + v[z * 3 + 2]) / 62) - 1) / MZ;
    if (!(fabs(mean) < 0.015)) fprintf(stderr, "totals: February %+.4f\n", mean);
    CHECK(fabs(mean) < 0.015);
}

static int cmp_f(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* fc_quantiles selects instead of sorting: same values as R type 7 on the
 * sorted sample, for every size and with ties. */
static void test_quantiles(void)
{
    float v[600], s[600];
    int bad = 0;
    for (int n = 1; n <= 600; n += (n < 40 ? 1 : 37)) {
        for (int rep = 0; rep < 4; rep++) {
            for (int i = 0; i < n; i++) {
                double g = gauss();
                v[i] = rep == 1 ? (float)floor(3 * unif()) : rep == 2 ? (float)i : rep == 3 ? (float)(n - i) : (float)g;
                s[i] = v[i];
            }
            qsort(s, (size_t)n, sizeof *s, cmp_f);
            double mean, q[3], p[3] = {0.1, 0.5, 0.9};
            fc_quantiles(v, n, &mean, &q[0], &q[1], &q[2]);
            for (int k = 0; k < 3; k++) {
                double h = (n - 1) * p[k];
                int lo = (int)h, hi = lo + 1 < n ? lo + 1 : lo;
                double want = s[lo] + (h - lo) * ((double)s[hi] - s[lo]);
                if (fabs(q[k] - want) > 1e-6 * (1 + fabs(want))) bad++;
            }
        }
    }
    CHECK(bad == 0);
}

/* Under two years of history every calendar month's season rests on one
 * year: the model adds a season variance (docs/forecast.md section 3);
 * with three years it does not. */
static void test_short_history(void)
{
    int lens[3] = {18 * 30 + 10, 3 * 365 + 2, 365};
    for (int k = 0; k < 3; k++) {
        world w;
        world_make(&w, 12, lens[k], -1);
        fc_diag d;
        fc_diag_init(&d, NULL, NULL);
        fc_vol_history *h = NULL;
        fc_vol_model *m = NULL;
        CHECK(fc_vol_history_build(&w.sh, 2, &d, &h) == FC_OK);
        if (h) CHECK(fc_vol_model_fit(h, 0, FC_VOL_ETS, 1, &d, &m) == FC_OK);
        if (m) {
            double mx = 0;
            for (int i = 0; i < 12; i++) mx = m->season_var[i] > mx ? m->season_var[i] : mx;
            if (k == 0)
                CHECK(mx > 0);
            else
                CHECK(mx == 0);
            /* one year: no trend anywhere, and the growth nobody could
             * measure goes into the paths */
            CHECK((m->growth_sd > 0) == (k == 2));
            if (k == 2)
                for (int32_t s = 0; s <= m->nstations; s++) CHECK(m->station_fit[s].phi == 0);
        }
        fc_vol_model_free(m);
        fc_vol_history_free(h);
        world_free(&w);
    }
}

/* Gaps in daily data. A week with no row from any zip (a feed outage) is
 * no data: the month keeps the rate of the days it has (it was read as a
 * week of empty days, the month 23% low); one day with no row (a holiday)
 * stays an empty day. The weekday pattern is unchanged by the gap. */
static void test_gaps(void)
{
    int nz = 12, ndays = 3 * 365 + 2;
    world full, gap;
    uint64_t rs0 = rs;  /* the same data twice; the later tests' data as they were */
    world_make(&full, nz, ndays, -1);
    rs = rs0;
    world_make(&gap, nz, ndays, -1);
    int32_t w0 = fc_days_from_civil(2023, 12, 8) - gap.sh.t0;     /* Fri 8 .. Thu 14 */
    int32_t hol = fc_days_from_civil(2023, 7, 4) - gap.sh.t0;      /* a Tuesday */
    int32_t w1 = fc_days_from_civil(2024, 11, 11) - gap.sh.t0;     /* in the 52-week window */
    for (int z = 0; z < nz; z++) {
        for (int i = 0; i < 7; i++) {
            gap.sh.packages[(size_t)(w0 + i) * (size_t)nz + (size_t)z] = -1;
            gap.sh.packages[(size_t)(w1 + i) * (size_t)nz + (size_t)z] = -1;
        }
        gap.sh.packages[(size_t)hol * (size_t)nz + (size_t)z] = -1;
    }
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_vol_history *hf = NULL, *hg = NULL;
    CHECK(fc_vol_history_build(&full.sh, 2, &d, &hf) == FC_OK);
    CHECK(fc_vol_history_build(&gap.sh, 2, &d, &hg) == FC_OK);
    if (hf && hg) {
        int dec = 2023 * 12 + 11 - hf->month0, jul = 2023 * 12 + 6 - hf->month0;
        int nov = 2024 * 12 + 10 - hf->month0;
        for (int z = 0; z < nz; z++) {
            size_t kd = (size_t)z * (size_t)hf->nmonths + (size_t)dec;
            size_t kn = (size_t)z * (size_t)hf->nmonths + (size_t)nov;
            size_t kj = (size_t)z * (size_t)hf->nmonths + (size_t)jul;
            double rf = hf->pk[kd] / hf->exposure[kd], rg = hg->pk[kd] / hg->exposure[kd];
            CHECK(hg->exposure[kd] < hf->exposure[kd] - 4);  /* a week's weights are ~6 */
            CHECK_NEAR(rg / rf, 1.0, 0.03);
            CHECK_NEAR((hg->pk[kn] / hg->exposure[kn]) / (hf->pk[kn] / hf->exposure[kn]), 1.0, 0.03);
            CHECK_NEAR(hg->exposure[kj], hf->exposure[kj], 0.3);  /* the holiday: an empty day */
            CHECK(hg->pk[kj] < hf->pk[kj]);
        }
        for (int i = 0; i < 3 * 7; i++) CHECK_NEAR(hg->dow[i], hf->dow[i], 0.02);
        CHECK_NEAR(hg->day_sigma[2], hf->day_sigma[2], 0.2 * hf->day_sigma[2]);
    }
    fc_vol_history_free(hf);
    fc_vol_history_free(hg);
    world_free(&full);
    world_free(&gap);
    rs = rs0;
}

/* The backtest's whole CSV (origins 29, 32 and 35 of 36 months). */
static char *backtest_csv(const fc_shipments *sh)
{
    fc_vol_backtest_options o = {.horizon = 16, .origins = 3, .step = 3, .min_train = 24, .paths = 50,
                                 .seed = 3, .threads = 1};
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    d.verbosity = -1;
    FILE *f = tmpfile();
    if (!f) return NULL;
    int st = fc_vol_backtest(sh, 2, &o, f, &d);
    long n = ftell(f);
    char *t = st == FC_OK && n > 0 ? calloc((size_t)n + 1, 1) : NULL;
    rewind(f);
    if (t && fread(t, 1, (size_t)n, f) != (size_t)n) {
        free(t);
        t = NULL;
    }
    fclose(f);
    return t;
}

/* Nothing after an origin reaches the model fitted at it. Two data sets
 * differ only in the last month, and there not in any zip's month total:
 * in one, every Monday's packages go to the Tuesday after (a new weekday
 * pattern) and zip 0 moves to the other station from the 15th. The
 * latest origin is that month, so every forecast, and every outcome
 * scored (month totals; stations as they were at the origin), is the
 * same: so is the table. It was not while the weekday pattern, day noise
 * and zip-to-station map came from the whole file. fc_shipments_head, which
 * the backtest fits each origin on, checked beside it. */
static void test_backtest_no_lookahead(void)
{
    int nz = 40, ndays = 3 * 365 + 2;
    world a, b;
    uint64_t rs0 = rs;
    world_make(&a, nz, ndays, -1);
    rs = rs0;
    world_make(&b, nz, ndays, -1);
    fc_shipments *s = &b.sh;
    int32_t dec = fc_days_from_civil(2024, 12, 1) - s->t0, jan = fc_days_from_civil(2025, 1, 1) - s->t0;
    for (int32_t p = dec; p + 1 < jan; p++) {
        if (fc_date_weekday(s->t0 + p) != 0) continue;
        for (int z = 0; z < nz; z++) {
            size_t k = (size_t)p * (size_t)nz + (size_t)z, k1 = k + (size_t)nz;
            s->packages[k1] += s->packages[k];
            s->stops[k1] += s->stops[k];
            s->packages[k] = s->stops[k] = 0;
        }
    }
    /* zip 0 (station A) served by B from 2024-12-15: a second segment */
    int32_t move = fc_days_from_civil(2024, 12, 15) - s->t0;
    int32_t *first = malloc((size_t)(nz + 1) * sizeof *first), *last = malloc((size_t)(nz + 1) * sizeof *last);
    int32_t *stn = malloc((size_t)(nz + 1) * sizeof *stn);
    if (!first || !last || !stn) return;
    first[0] = 0, last[0] = move - 1, stn[0] = 0;
    first[1] = move, last[1] = s->seg_last[0], stn[1] = 1;
    for (int z = 1; z < nz; z++) {
        first[z + 1] = s->seg_first[z], last[z + 1] = s->seg_last[z], stn[z + 1] = s->seg_station[z];
        s->seg_off[z] = z + 1;
    }
    s->seg_off[nz] = nz + 1;
    free(s->seg_first);
    free(s->seg_last);
    free(s->seg_station);
    s->seg_first = first, s->seg_last = last, s->seg_station = stn;
    char *ta = backtest_csv(&a.sh), *tb = backtest_csv(&b.sh);
    CHECK(ta && tb);
    if (ta && tb) {
        CHECK(strstr(ta, "station,ets,1,16,3,") != NULL);
        CHECK(strcmp(ta, tb) == 0);
    }
    free(ta);
    free(tb);

    /* the head: as if the file ended before period `end` */
    int32_t end = dec - 40;
    for (int32_t p = end - 5; p < end; p++) a.sh.packages[(size_t)p * (size_t)nz + 1] = -1;  /* zip 1's last rows */
    fc_shipments *hd = NULL;
    CHECK(fc_shipments_head(&b.sh, end, &hd) == FC_OK);
    fc_shipments *ha = NULL;
    CHECK(fc_shipments_head(&a.sh, end, &ha) == FC_OK);
    if (hd && ha) {
        CHECK(hd->nperiods == end && hd->packages == b.sh.packages && hd->borrowed);
        CHECK(hd->seg_off[1] == 1 && hd->seg_last[0] == end - 1 && hd->seg_off[nz] == nz);  /* the move is later */
        int64_t rows = 0;
        double pk = 0;
        for (size_t i = 0; i < (size_t)end * (size_t)nz; i++)
            if (b.sh.packages[i] >= 0) rows++, pk += b.sh.packages[i];
        CHECK(hd->rows == rows && hd->total_packages == pk);
        CHECK(ha->seg_last[1] == end - 6 && ha->seg_last[2] == end - 1);
    }
    fc_shipments_free(hd);
    fc_shipments_free(ha);
    world_free(&a);
    world_free(&b);
    rs = rs0;
}

/* The JSON document, written row by row through cJSON: it parses, names
 * with quotes, backslashes and control bytes (and one longer than the row
 * buffer) come back as given, and numbers are the CSV's "%.1f" values. */
static char *write_json(const fc_vol_forecast *fc, const char *level, const fc_stations *st,
                        const cJSON *meta)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = f ? fc_vol_write_json(f, fc, level, NULL, st, NULL, meta) : FC_EIO;
    if (f) fclose(f);
    CHECK(rc == FC_OK);
    return buf;
}

static void test_write_json(void)
{
    char long_name[3000];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    long_name[7] = '\x01';
    const char *names[3] = {"A\"q\\b\tc", long_name, "\xc3\xa9t\xc3\xa9"};
    fc_stations st;
    memset(&st, 0, sizeof st);
    st.ids = fc_intern_new();
    for (int i = 0; i < 3; i++) fc_intern_add(st.ids, names[i], strlen(names[i]), NULL);
    st.n = 3;
    /* Exact halves go to even (0.25 -> 0.2, 0.75 -> 0.8); 1.05 and 2.45
     * lie just above their halves in binary (1.1, 2.5). */
    const double vals[10] = {0.25, 0.75, 1.05, 2.45, 12.0, 71367.06, 0.04, 3e9 + 0.35, 7.95, 1e-9};
    fc_vol_row rows[3], net[2];
    memset(rows, 0, sizeof rows);
    memset(net, 0, sizeof net);
    for (int i = 0; i < 3; i++) {
        rows[i].id = rows[i].station = i;
        rows[i].month = 2025 * 12 + i;
        memcpy(&rows[i].pk_mean, vals, sizeof vals);
    }
    for (int i = 0; i < 2; i++) {
        net[i].id = net[i].station = -1;
        net[i].month = 2025 * 12 + i;
    }
    fc_vol_forecast fc;
    memset(&fc, 0, sizeof fc);
    fc.horizon = 2;
    fc.station_rows = rows;
    fc.nstation_rows = 3;
    fc.network_rows = net;
    cJSON *meta = cJSON_CreateObject();
    cJSON_AddStringToObject(meta, "schema_version", "1");
    cJSON_AddObjectToObject(meta, "scenario");

    char *txt = write_json(&fc, "station", &st, meta);
    char *again = write_json(&fc, "station", &st, meta);
    CHECK(txt && again && strcmp(txt, again) == 0);
    cJSON *doc = txt ? cJSON_Parse(txt) : NULL;
    CHECK(doc != NULL);
    if (doc) {
        CHECK(doc->child && strcmp(doc->child->string, "schema_version") == 0);
        CHECK(strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "level")), "station") == 0);
        const cJSON *rs = cJSON_GetObjectItemCaseSensitive(doc, "rows");
        CHECK(cJSON_GetArraySize(rs) == 3);
        for (int i = 0; i < 3 && i < cJSON_GetArraySize(rs); i++) {
            const cJSON *r = cJSON_GetArrayItem(rs, i);
            CHECK(strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "id")), names[i]) == 0);
            CHECK(strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "station")), names[i]) == 0);
            const cJSON *x = cJSON_GetObjectItemCaseSensitive(r, "packages_mean");
            for (int k = 0; k < 10 && x; k++, x = x->next) {
                char want[64];
                snprintf(want, sizeof want, "%.1f", vals[k]);
                CHECK(cJSON_IsNumber(x) && x->valuedouble == strtod(want, NULL));
            }
            CHECK(x == NULL);
        }
    }
    CHECK(txt && strstr(txt, "\"packages_mean\":0.2,\"packages_p10\":0.8,\"packages_p50\":1.1,"
                             "\"packages_p90\":2.5,\"stops_mean\":12,"));
    cJSON_Delete(doc);
    free(txt);
    free(again);

    /* No rows to a level, and no meta: still a document. */
    txt = write_json(&fc, "network", &st, NULL);
    doc = txt ? cJSON_Parse(txt) : NULL;
    CHECK(doc && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "rows")) == 2);
    if (doc) {
        const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "rows"), 1);
        CHECK(strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "id")), "network") == 0);
        CHECK(strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "station")), "") == 0);
    }
    cJSON_Delete(doc);
    free(txt);
    fc.nstation_rows = 0;
    txt = write_json(&fc, "station", &st, meta);
    doc = txt ? cJSON_Parse(txt) : NULL;
    CHECK(doc && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "rows")) &&
          cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "rows")) == 0);
    cJSON_Delete(doc);
    free(txt);
    cJSON_Delete(meta);
    fc_intern_free(st.ids);
}

int main(void)
{
    test_quantiles();
    test_short_history();
    test_gaps();
    test_backtest_no_lookahead();
    test_series();
    test_pipeline();
    test_monthly_unscaled();
    test_write_json();
    return check_report();
}
