/* history.c -- shipment history into monthly zip series plus the daily
 * detail the peak-day simulation needs (weekday pattern, day-to-day noise). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include "fleetcast/date.h"
#include "fleetcast/forecast.h"

#define WINDOW_DAYS 364   /* 52 weeks for the weekday pattern and noise */
#define ZIP_BLOCK 1024    /* zips summed together, see zip_block */

/* Monthly sums of a block of daily zips, accumulated day by day: a day's
 * row of the period-major arrays is then read as one run per block rather
 * than one cache line per zip and day (one zip at a time took ~1 s at
 * 41,000 zips x 3 years, mostly waiting on memory). */
typedef struct zip_block {
    int32_t z[ZIP_BLOCK], first[ZIP_BLOCK], last[ZIP_BLOCK];
    const double *w[ZIP_BLOCK];  /* weekday weights of the zip's station */
    int work[ZIP_BLOCK], any[ZIP_BLOCK], npeak[ZIP_BLOCK];
    double full[ZIP_BLOCK], cov[ZIP_BLOCK], tp[ZIP_BLOCK], ts[ZIP_BLOCK], mx[ZIP_BLOCK];
    double peak[ZIP_BLOCK][12];
} zip_block;

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

/* Months at the end that no zip kept (a daily file that stops early in a
 * month: the month in progress, under half covered) leave the history, so
 * the forecast starts with them. Kept, they were in the history as missing
 * and the forecast began after them: a batch run on the 3rd had the month
 * it runs in neither in the history nor in the forecast and the plan. */
static void trim_tail(fc_vol_history *h)
{
    int32_t nm = h->nmonths, keep = nm;
    while (keep > 1) {
        int any = 0;
        for (int32_t z = 0; z < h->nzips && !any; z++) any = !isnan(h->pk[(size_t)z * (size_t)nm + (size_t)keep - 1]);
        if (any) break;
        keep--;
    }
    if (keep == nm) return;
    for (int32_t z = 0; z < h->nzips; z++) {
        size_t from = (size_t)z * (size_t)nm, to = (size_t)z * (size_t)keep;
        memmove(h->pk + to, h->pk + from, (size_t)keep * sizeof *h->pk);
        memmove(h->sp + to, h->sp + from, (size_t)keep * sizeof *h->sp);
        memmove(h->exposure + to, h->exposure + from, (size_t)keep * sizeof *h->exposure);
    }
    h->nmonths = keep;
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
    zip_block *blk = malloc(sizeof *blk);
    int wd = np < WINDOW_DAYS ? np : WINDOW_DAYS;
    int32_t wstart = np - wd;  /* first period of the daily window */
    if (!s->monthly) {
        stday = calloc(((size_t)nstations + 1) * (size_t)wd, sizeof *stday);
        scratch = malloc(((size_t)wd + 1) * sizeof *scratch);
    }
    if (!h->pk || !h->sp || !h->exposure || !h->station || !h->zip_peak || !h->dow ||
        !h->day_sigma || !blk || (!s->monthly && (!stday || !scratch))) {
        free(blk);
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
     * with its covered exposure, otherwise dropped. Daily zips go in
     * blocks (zip_block). */
    for (int32_t z0 = 0; z0 < nz; z0 += ZIP_BLOCK) {
        int32_t z1 = nz - z0 < ZIP_BLOCK ? nz : z0 + ZIP_BLOCK;
        int nb = 0;
        for (int32_t z = z0; z < z1; z++) {
            double *pk = h->pk + (size_t)z * (size_t)h->nmonths;
            double *sp = h->sp + (size_t)z * (size_t)h->nmonths;
            double *ex = h->exposure + (size_t)z * (size_t)h->nmonths;
            h->zip_peak[z] = 1;
            int32_t a = s->seg_off[z], b = s->seg_off[z + 1];
            if (a == b) {
                for (int32_t t = 0; t < h->nmonths; t++) pk[t] = sp[t] = ex[t] = NAN;
                continue;
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
            blk->z[nb] = z;
            blk->first[nb] = s->seg_first[a];
            blk->last[nb] = s->seg_last[a];
            for (int32_t k = a; k < b; k++) {
                if (s->seg_first[k] < blk->first[nb]) blk->first[nb] = s->seg_first[k];
                if (s->seg_last[k] > blk->last[nb]) blk->last[nb] = s->seg_last[k];
            }
            blk->w[nb] = h->dow + (size_t)(h->station[z] >= 0 ? h->station[z] : nstations) * 7;
            blk->npeak[nb++] = 0;
        }
        for (int32_t t = 0; t < h->nmonths && nb > 0; t++) {
            int mi = h->month0 + t;
            int32_t d0 = fc_month_first_day(mi) - s->t0;
            int nd = fc_month_days(mi);
            for (int j = 0; j < nb; j++) {
                blk->full[j] = blk->cov[j] = blk->tp[j] = blk->ts[j] = blk->mx[j] = 0;
                blk->work[j] = blk->any[j] = 0;
            }
            for (int i = 0; i < nd; i++) {
                int32_t p = d0 + i;
                int wday = fc_date_weekday(s->t0 + p);
                for (int j = 0; j < nb; j++) {
                    double wk = blk->w[j][wday];
                    blk->full[j] += wk;
                    if (p < blk->first[j] || p > blk->last[j]) continue;
                    blk->cov[j] += wk;
                    blk->work[j] += wk >= 0.05;
                    int32_t v = s->packages[(size_t)p * (size_t)nz + (size_t)blk->z[j]];
                    if (v < 0) continue;
                    blk->any[j] = 1;
                    blk->tp[j] += v;
                    blk->ts[j] += s->stops[(size_t)p * (size_t)nz + (size_t)blk->z[j]];
                    if (v > blk->mx[j]) blk->mx[j] = v;
                }
            }
            for (int j = 0; j < nb; j++) {
                size_t k = (size_t)blk->z[j] * (size_t)h->nmonths + (size_t)t;
                if (!blk->any[j] || blk->cov[j] < 0.5 * blk->full[j]) {
                    h->pk[k] = h->sp[k] = h->exposure[k] = NAN;
                    continue;
                }
                h->pk[k] = blk->tp[j];
                h->sp[k] = blk->ts[j];
                h->exposure[k] = blk->cov[j];
                if (t >= h->nmonths - 12 && blk->tp[j] > 0 && blk->work[j] > 0 &&
                    blk->cov[j] >= blk->full[j] - 1e-9 && blk->npeak[j] < 12)
                    blk->peak[j][blk->npeak[j]++] = blk->mx[j] / (blk->tp[j] / blk->work[j]);
            }
        }
        for (int j = 0; j < nb; j++)
            if (blk->npeak[j] > 0) h->zip_peak[blk->z[j]] = median(blk->peak[j], blk->npeak[j]);
    }
    free(blk);
    free(stday);
    free(scratch);
    trim_tail(h);
    *out = h;
    return FC_OK;
}
