/* history.c -- shipment history into monthly zip series plus the daily
 * detail the peak-day simulation needs (weekday pattern, day-to-day noise). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include "fleetcast/date.h"
#include "fleetcast/forecast.h"

#define WINDOW_DAYS 364   /* 52 weeks for the weekday pattern and noise */

double fc_vol_month_exposure(int month_index, const double *dow)
{
    int32_t d0 = fc_month_first_day(month_index);
    int nd = fc_month_days(month_index);
    if (!dow) return nd;
    double e = 0;
    for (int i = 0; i < nd; i++) e += dow[fc_date_weekday(d0 + i)];
    return e;
}

void fc_vol_history_free(fc_vol_history *h)
{
    if (!h) return;
    free(h->pk);
    free(h->sp);
    free(h->exposure);
    free(h->station);
    free(h->zip_peak);
    free(h->dow);
    free(h->day_sigma);
    free(h);
}

static double median(double *v, int n)
{
    if (n <= 0) return NAN;
    gsl_sort(v, 1, (size_t)n);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Weekday weights and day noise of one daily series (station or network)
 * over the window; days before the series' first non-zero day are skipped. */
static void daily_profile(const double *day, int nd, int32_t day0, double *w, double *sigma,
                          double *scratch)
{
    int start = 0;
    while (start < nd && day[start] <= 0) start++;
    double sum[7] = {0}, cnt[7] = {0}, tot = 0, n = 0;
    for (int i = start; i < nd; i++) {
        int k = fc_date_weekday(day0 + i);
        sum[k] += day[i];
        cnt[k] += 1;
        tot += day[i];
        n += 1;
    }
    double mean = n > 0 ? tot / n : 0;
    for (int k = 0; k < 7; k++) w[k] = (cnt[k] > 0 && mean > 0) ? sum[k] / cnt[k] / mean : 1;
    /* Noise: log of each working day against its month's mean working day
     * times its weekday weight; robust s.d. (MAD). */
    int m = 0;
    for (int i = start; i < nd;) {
        int mi = fc_date_month_index(day0 + i);
        int j = i;
        double mt = 0, me = 0;
        while (j < nd && fc_date_month_index(day0 + j) == mi) {
            mt += day[j];
            me += w[fc_date_weekday(day0 + j)];
            j++;
        }
        double rate = me > 0 ? mt / me : 0;
        for (int q = i; q < j && rate > 0; q++) {
            double wk = w[fc_date_weekday(day0 + q)];
            if (wk < 0.05) continue;
            scratch[m++] = log((day[q] + 0.5) / (rate * wk + 0.5));
        }
        i = j;
    }
    if (m < 14) {
        *sigma = 0;
        return;
    }
    double med = median(scratch, m);
    for (int i = 0; i < m; i++) scratch[i] = fabs(scratch[i] - med);
    *sigma = 1.4826 * median(scratch, m);
}

int fc_vol_history_build(const fc_shipments *s, int32_t nstations, fc_diag *d,
                         fc_vol_history **out)
{
    *out = NULL;
    fc_vol_history *h = calloc(1, sizeof *h);
    if (!h) return FC_EINTERNAL;
    int32_t nz = s->nzips, np = s->nperiods;
    h->nzips = nz;
    h->nstations = nstations;
    h->daily = !s->monthly;
    if (s->monthly) {
        h->month0 = s->t0;
        h->nmonths = np;
    } else {
        h->month0 = fc_date_month_index(s->t0);
        h->nmonths = fc_date_month_index(s->t0 + np - 1) - h->month0 + 1;
    }
    if (s->rows == 0 || np <= 0) {
        fc_diag_error(d, FC_EDATA, "the shipments file has no data rows to forecast from");
        free(h);
        return FC_EDATA;
    }
    size_t nzm = (size_t)nz * (size_t)h->nmonths;
    h->pk = malloc(nzm * sizeof *h->pk);
    h->sp = malloc(nzm * sizeof *h->sp);
    h->exposure = malloc(nzm * sizeof *h->exposure);
    h->station = malloc(((size_t)nz + 1) * sizeof *h->station);
    h->zip_peak = malloc(((size_t)nz + 1) * sizeof *h->zip_peak);
    h->dow = malloc(((size_t)nstations + 1) * 7 * sizeof *h->dow);
    h->day_sigma = calloc((size_t)nstations + 1, sizeof *h->day_sigma);
    double *stday = NULL, *scratch = NULL;
    int wd = np < WINDOW_DAYS ? np : WINDOW_DAYS;
    int32_t wstart = np - wd;  /* first period of the daily window */
    if (!s->monthly) {
        stday = calloc(((size_t)nstations + 1) * (size_t)wd, sizeof *stday);
        scratch = malloc(((size_t)wd + 1) * sizeof *scratch);
    }
    if (!h->pk || !h->sp || !h->exposure || !h->station || !h->zip_peak || !h->dow ||
        !h->day_sigma || (!s->monthly && (!stday || !scratch))) {
        free(stday);
        free(scratch);
        fc_vol_history_free(h);
        fc_diag_error(d, FC_EINTERNAL, "out of memory for the forecast history");
        return FC_EINTERNAL;
    }
    for (int32_t z = 0; z < nz; z++) h->station[z] = fc_shipments_station(s, z, np - 1);
    for (size_t i = 0; i < ((size_t)nstations + 1) * 7; i++) h->dow[i] = 1;

    if (!s->monthly) {
        /* Daily totals per station over the window, by the station serving
         * each zip on each day; the network is row nstations. */
        for (int32_t z = 0; z < nz; z++)
            for (int32_t k = s->seg_off[z]; k < s->seg_off[z + 1]; k++) {
                int32_t a = s->seg_first[k] > wstart ? s->seg_first[k] : wstart;
                int32_t st = s->seg_station[k];
                for (int32_t p = a; p <= s->seg_last[k]; p++) {
                    int32_t v = s->packages[(size_t)p * (size_t)nz + (size_t)z];
                    if (v <= 0) continue;
                    stday[(size_t)st * (size_t)wd + (size_t)(p - wstart)] += v;
                    stday[(size_t)nstations * (size_t)wd + (size_t)(p - wstart)] += v;
                }
            }
        for (int32_t st = 0; st <= nstations; st++)
            daily_profile(stday + (size_t)st * (size_t)wd, wd, s->t0 + wstart, h->dow + (size_t)st * 7,
                          &h->day_sigma[st], scratch);
        /* Stations without days in the window take the network's pattern. */
        for (int32_t st = 0; st < nstations; st++) {
            double t = 0;
            for (int i = 0; i < wd; i++) t += stday[(size_t)st * (size_t)wd + (size_t)i];
            if (t <= 0) {
                memcpy(h->dow + (size_t)st * 7, h->dow + (size_t)nstations * 7, 7 * sizeof(double));
                h->day_sigma[st] = h->day_sigma[nstations];
            }
        }
    }

    /* Monthly totals per zip: months cover the zip's own first..last row;
     * a month at least half covered (by weighted working days) is kept
     * with its covered exposure, otherwise dropped. */
    double pk_tmp[12];
    for (int32_t z = 0; z < nz; z++) {
        double *pk = h->pk + (size_t)z * (size_t)h->nmonths;
        double *sp = h->sp + (size_t)z * (size_t)h->nmonths;
        double *ex = h->exposure + (size_t)z * (size_t)h->nmonths;
        h->zip_peak[z] = 1;
        int32_t a = s->seg_off[z], b = s->seg_off[z + 1];
        if (a == b) {
            for (int32_t t = 0; t < h->nmonths; t++) pk[t] = sp[t] = ex[t] = NAN;
            continue;
        }
        int32_t pf = s->seg_first[a], pl = s->seg_last[a];
        for (int32_t k = a; k < b; k++) {
            if (s->seg_first[k] < pf) pf = s->seg_first[k];
            if (s->seg_last[k] > pl) pl = s->seg_last[k];
        }
        if (s->monthly) {
            for (int32_t t = 0; t < h->nmonths; t++) {
                int32_t v = s->packages[(size_t)t * (size_t)nz + (size_t)z];
                if (v < 0) {
                    pk[t] = sp[t] = ex[t] = NAN;
                } else {
                    pk[t] = v;
                    sp[t] = s->stops[(size_t)t * (size_t)nz + (size_t)z];
                    ex[t] = fc_month_days(h->month0 + t);
                }
            }
            continue;
        }
        const double *w = h->dow + (size_t)(h->station[z] >= 0 ? h->station[z] : nstations) * 7;
        int npeak = 0;
        for (int32_t t = 0; t < h->nmonths; t++) {
            int mi = h->month0 + t;
            int32_t d0 = fc_month_first_day(mi) - s->t0;
            int nd = fc_month_days(mi);
            double full = 0, cov = 0, tp = 0, ts = 0, mx = 0;
            int work = 0, any = 0;
            for (int i = 0; i < nd; i++) {
                int32_t p = d0 + i;
                double wk = w[fc_date_weekday(s->t0 + p)];
                full += wk;
                if (p < pf || p > pl) continue;
                cov += wk;
                work += wk >= 0.05;
                int32_t v = s->packages[(size_t)p * (size_t)nz + (size_t)z];
                if (v < 0) continue;
                any = 1;
                tp += v;
                ts += s->stops[(size_t)p * (size_t)nz + (size_t)z];
                if (v > mx) mx = v;
            }
            if (!any || cov < 0.5 * full) {
                pk[t] = sp[t] = ex[t] = NAN;
                continue;
            }
            pk[t] = tp;
            sp[t] = ts;
            ex[t] = cov;
            if (t >= h->nmonths - 12 && tp > 0 && work > 0 && cov >= full - 1e-9 && npeak < 12)
                pk_tmp[npeak++] = mx / (tp / work);
        }
        if (npeak > 0) h->zip_peak[z] = median(pk_tmp, npeak);
    }
    free(stday);
    free(scratch);
    *out = h;
    return FC_OK;
}
