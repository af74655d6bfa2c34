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
#define GAP_WORK_DAYS 3   /* working days without any row that make a gap, see mark_gaps */

/* Monthly sums of a block of daily zips, accumulated day by day: a day's
 * row of the period-major arrays is then read as one run per block rather
 * than one cache line per zip and day (one zip at a time took ~1 s at
 * 41,000 zips x 3 years, mostly waiting on memory). */
/* A zip's latest two months dropped as under half covered, with rows in
 * them (t = -1: none), kept for zips that have no other month. */
typedef struct late_month {
    int32_t t[2];
    double pk[2], sp[2], ex[2];
} late_month;

typedef struct zip_block {
    int32_t z[ZIP_BLOCK], first[ZIP_BLOCK], last[ZIP_BLOCK];
    int32_t seg[ZIP_BLOCK], kept[ZIP_BLOCK];  /* segment of the day read; months kept */
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
 * over the window; days before the series' first non-zero day are skipped,
 * and so are the days of a gap in the data (skip[i], see mark_gaps; NULL:
 * none). */
static void daily_profile(const double *day, const unsigned char *skip, int nd, int32_t day0,
                          double *w, double *sigma, double *scratch)
{
    int start = 0;
    while (start < nd && day[start] <= 0) start++;
    double sum[7] = {0}, cnt[7] = {0}, tot = 0, n = 0;
    for (int i = start; i < nd; i++) {
        if (skip && skip[i]) continue;
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
            if (!skip || !skip[j]) {
                mt += day[j];
                me += w[fc_date_weekday(day0 + j)];
            }
            j++;
        }
        double rate = me > 0 ? mt / me : 0;
        for (int q = i; q < j && rate > 0; q++) {
            double wk = w[fc_date_weekday(day0 + q)];
            if (wk < 0.05 || (skip && skip[q])) continue;
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

/* Weekday weights and day noise of every station (nstations: the network)
 * from the window's daily totals; stations without packages in the window
 * take the network's. skip: [(nstations + 1) * nperiods] gap days, read
 * from period p0 on (NULL: none). */
static void profiles(fc_vol_history *h, const double *stday, int wd, int32_t day0,
                     const unsigned char *skip, int32_t np, int32_t p0, double *scratch)
{
    int32_t ns = h->nstations;
    for (int32_t st = 0; st <= ns; st++)
        daily_profile(stday + (size_t)st * (size_t)wd,
                      skip ? skip + (size_t)st * (size_t)np + (size_t)p0 : NULL, wd, day0,
                      h->dow + (size_t)st * 7, &h->day_sigma[st], scratch);
    for (int32_t st = 0; st < ns; st++) {
        double t = 0;
        for (int i = 0; i < wd; i++) t += stday[(size_t)st * (size_t)wd + (size_t)i];
        if (t <= 0) {
            memcpy(h->dow + (size_t)st * 7, h->dow + (size_t)ns * 7, 7 * sizeof(double));
            h->day_sigma[st] = h->day_sigma[ns];
        }
    }
}

/* Gaps in daily data: a zip's day with no row, between its first and last
 * row, is a day with no packages (files that leave out empty days), except
 * in a gap: a stretch of days on which its station (or the whole file) has
 * no row at all and which holds at least GAP_WORK_DAYS working days (weight
 * >= 0.05) of that station. A feed outage is no data: read as empty days,
 * a week missing from December lowered the next January's forecast by 4%
 * (a holiday, or a Sunday, is one day and stays an empty day). gap[(st *
 * nperiods) + p] = 1 on the days of a gap of station st (nstations: the
 * network). */
static int mark_gaps(const fc_shipments *s, const fc_vol_history *h, unsigned char *gap)
{
    int32_t nz = s->nzips, np = s->nperiods, ns = h->nstations;
    int32_t *cur = malloc(((size_t)nz + 1) * sizeof *cur);
    if (!cur) return -1;
    /* Days with rows (1), by the station serving the zip that day. */
    for (int32_t z = 0; z < nz; z++) cur[z] = s->seg_off[z];
    for (int32_t p = 0; p < np; p++) {
        const int32_t *v = s->packages + (size_t)p * (size_t)nz;
        for (int32_t z = 0; z < nz; z++) {
            if (v[z] < 0) continue;
            int32_t k = cur[z];
            while (k + 1 < s->seg_off[z + 1] && s->seg_first[k + 1] <= p) k++;
            cur[z] = k;
            gap[(size_t)s->seg_station[k] * (size_t)np + (size_t)p] = 1;
            gap[(size_t)ns * (size_t)np + (size_t)p] = 1;
        }
    }
    free(cur);
    /* Runs of days without rows: a gap (1) when long enough, else 0. */
    for (int32_t st = 0; st <= ns; st++) {
        unsigned char *g = gap + (size_t)st * (size_t)np;
        const double *w = h->dow + (size_t)st * 7;
        for (int32_t p = 0; p < np;) {
            if (g[p]) {
                g[p++] = 0;
                continue;
            }
            int32_t q = p;
            int work = 0;
            while (q < np && !g[q]) work += w[fc_date_weekday(s->t0 + q++)] >= 0.05;
            memset(g + p, work >= GAP_WORK_DAYS, (size_t)(q - p));
            p = q;
        }
    }
    return 0;
}

/* Is zip z's day p (no row) in a gap of its station that day, or of the
 * network? seg: the zip's segment for an earlier day, moved on to day p's. */
static int in_gap(const fc_shipments *s, const unsigned char *gap, int32_t ns, int32_t z,
                  int32_t *seg, int32_t p)
{
    int32_t k = *seg;
    while (k + 1 < s->seg_off[z + 1] && s->seg_first[k + 1] <= p) k++;
    *seg = k;
    size_t np = (size_t)s->nperiods;
    return gap[(size_t)s->seg_station[k] * np + (size_t)p] || gap[(size_t)ns * np + (size_t)p];
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

/* A zip whose rows all fall in a month under half covered by them (one
 * that started in the last half of the history's last month) has no month
 * to forecast from: it was not forecast at all, noted as "closed?", and its
 * volume was missing from its station's forecast. It keeps its latest such
 * month inside the history, with the exposure of the days it covers, as a
 * zip's first or last month always does once half covered. After
 * trim_tail: the month in progress that left the history is not one. Only
 * beside zips with a month: a file shorter than half a month still has no
 * month to forecast from (CLI case forecast_one_date). */
static void keep_late(const fc_shipments *s, fc_vol_history *h, const late_month *late)
{
    size_t nzm = (size_t)h->nzips * (size_t)h->nmonths, i0 = 0;
    while (i0 < nzm && isnan(h->pk[i0])) i0++;
    if (i0 == nzm) return;
    for (int32_t z = 0; z < h->nzips; z++) {
        if (s->seg_off[z] == s->seg_off[z + 1]) continue;
        const late_month *l = &late[z];
        int i = l->t[0] >= 0 && l->t[0] < h->nmonths ? 0 : l->t[1] >= 0 && l->t[1] < h->nmonths ? 1 : -1;
        if (i < 0) continue;
        size_t k = (size_t)z * (size_t)h->nmonths + (size_t)l->t[i];
        h->pk[k] = l->pk[i];
        h->sp[k] = l->sp[i];
        h->exposure[k] = l->ex[i];
    }
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
    unsigned char *nodata = NULL;  /* [(nstations + 1) * np] days of a gap, see mark_gaps */
    late_month *late = NULL;       /* [nz], see keep_late */
    zip_block *blk = malloc(sizeof *blk);
    int wd = np < WINDOW_DAYS ? np : WINDOW_DAYS;
    int32_t wstart = np - wd;  /* first period of the daily window */
    if (!s->monthly) {
        stday = calloc(((size_t)nstations + 1) * (size_t)wd, sizeof *stday);
        scratch = malloc(((size_t)wd + 1) * sizeof *scratch);
        nodata = calloc(((size_t)nstations + 1) * (size_t)np, 1);
        late = malloc(((size_t)nz + 1) * sizeof *late);
    }
    if (!h->pk || !h->sp || !h->exposure || !h->station || !h->zip_peak || !h->dow ||
        !h->day_sigma || !blk || (!s->monthly && (!stday || !scratch || !nodata || !late)))
        goto oom;
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
        /* The profiles read a gap's days as days with no packages; the gaps
         * are then found with those weekday weights, and the profiles of
         * stations with a gap in the window made again without it. */
        profiles(h, stday, wd, s->t0 + wstart, NULL, np, 0, scratch);
        if (mark_gaps(s, h, nodata)) goto oom;
        profiles(h, stday, wd, s->t0 + wstart, nodata, np, wstart, scratch);
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
            blk->seg[nb] = a;
            blk->kept[nb] = 0;
            late[z].t[0] = late[z].t[1] = -1;
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
                    int32_t v = s->packages[(size_t)p * (size_t)nz + (size_t)blk->z[j]];
                    if (v < 0 && in_gap(s, nodata, nstations, blk->z[j], &blk->seg[j], p)) continue;
                    blk->cov[j] += wk;
                    blk->work[j] += wk >= 0.05;
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
                    if (blk->any[j] && blk->cov[j] > 0) {
                        late_month *l = &late[blk->z[j]];
                        l->t[1] = l->t[0], l->pk[1] = l->pk[0], l->sp[1] = l->sp[0], l->ex[1] = l->ex[0];
                        l->t[0] = t, l->pk[0] = blk->tp[j], l->sp[0] = blk->ts[j], l->ex[0] = blk->cov[j];
                    }
                    continue;
                }
                blk->kept[j]++;
                h->pk[k] = blk->tp[j];
                h->sp[k] = blk->ts[j];
                h->exposure[k] = blk->cov[j];
                if (t >= h->nmonths - 12 && blk->tp[j] > 0 && blk->work[j] > 0 &&
                    blk->cov[j] >= blk->full[j] - 1e-9 && blk->npeak[j] < 12)
                    blk->peak[j][blk->npeak[j]++] = blk->mx[j] / (blk->tp[j] / blk->work[j]);
            }
        }
        for (int j = 0; j < nb; j++) {
            if (blk->npeak[j] > 0) h->zip_peak[blk->z[j]] = median(blk->peak[j], blk->npeak[j]);
            if (blk->kept[j]) late[blk->z[j]].t[0] = late[blk->z[j]].t[1] = -1;
        }
    }
    free(blk);
    free(stday);
    free(scratch);
    free(nodata);
    trim_tail(h);
    if (late) keep_late(s, h, late);
    free(late);
    *out = h;
    return FC_OK;
oom:
    free(blk);
    free(stday);
    free(scratch);
    free(nodata);
    free(late);
    fc_vol_history_free(h);
    fc_diag_error(d, FC_EINTERNAL, "out of memory for the forecast history");
    return FC_EINTERNAL;
}
