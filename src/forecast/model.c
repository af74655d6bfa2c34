/* model.c -- fitting every zip in bulk: network -> station -> zip, each
 * level pooled toward the one above, plus the correlation of innovations
 * within a station and across the network (docs/forecast.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "fleetcast/forecast.h"
#include "internal.h"

#define POOL_MONTHS 24.0    /* weight of the station prior, in months of data */
#define SHORT_MONTHS 12     /* fewer observed months: flagged as pooled */
/* Under FLAT_MONTHS months of history no calendar month was seen twice:
 * growth cannot be told from the season, so every fit is level + season
 * (FC_SERIES_NO_TREND) and the paths carry an assumed growth uncertainty
 * of FLAT_GROWTH_SD (log s.d.) per year from the history's centre
 * (docs/forecast.md section 3, "Under 13 months"). */
#define FLAT_MONTHS 13
#define FLAT_GROWTH_SD 0.10
/* One calendar month seen: the seasons have no spread to measure, and the
 * months never seen get this assumed season s.d. (log) instead of none. */
#define FLAT_SEASON_SD 0.15

/* The series-fit flags for a history of n months. */
static int series_flags(int n) { return n < FLAT_MONTHS ? FC_SERIES_NO_TREND : 0; }

void fc_vol_model_free(fc_vol_model *m)
{
    if (!m) return;
    free(m->fit);
    free(m->fitted);
    free(m->pooled);
    free(m->stops_ratio);
    free(m->station_fit);
    free(m);
}

typedef struct fit_ctx {
    const fc_vol_history *h;
    fc_vol_model *m;
    double *x;              /* [z * n + t]; the chosen scale is written back */
    int n, moy0, flags;
    fc_series_prior *prior; /* per station + network */
} fit_ctx;

/* A zip with no rows in the last STALE_MONTHS months of the history has
 * stopped (closed, or gone from the data); the ETS recursion would carry
 * its level through the missing months and forecast it at full volume
 * for ever. */
#define STALE_MONTHS 3

static int stopped(const double *x, int n)
{
    if (n <= STALE_MONTHS) return 0;
    for (int t = n - STALE_MONTHS; t < n; t++)
        if (!isnan(x[t])) return 0;
    return 1;
}

/* The prior of a series of unscaled monthly figures (fc_series_fit.per_month):
 * the station's season was fitted on figures scaled to standard months, in
 * which February is not short, so pooled toward it as it is the unscaled
 * fit's February dip (-7.5%) was shrunk about half away (+4.4% on February
 * against the same data daily), and a monthly rate series, pulled toward a
 * February bump, fitted worse unscaled than scaled and was never kept so.
 * Here the days of each calendar month go back in: log(days / standard
 * month), centred (February: 28.25). */
static void prior_unscaled(const fc_series_prior *p, fc_series_prior *out)
{
    static const double days[12] = {31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    *out = *p;
    double mean = 0;
    for (int mo = 0; mo < 12; mo++) {
        out->season[mo] = p->season[mo] + log(days[mo] / FC_STD_MONTH);
        mean += out->season[mo] / 12;
    }
    for (int mo = 0; mo < 12; mo++) out->season[mo] -= mean;
}

static void fit_zip(void *vctx, int64_t zi, int thread)
{
    (void)thread;
    fit_ctx *c = vctx;
    int32_t z = (int32_t)zi;
    int32_t st = c->h->station[z];
    if (st < 0) return;
    double *x = c->x + (size_t)z * (size_t)c->n;
    if (stopped(x, c->n)) return;
    fc_series_fit *f = &c->m->fit[z];
    if (fc_series_fit_log_ex(x, c->n, c->moy0, &c->prior[st], c->flags, f) == 0) {
        c->m->fitted[z] = 1;
        c->m->pooled[z] = f->n_obs < SHORT_MONTHS;
    } else {
        return;
    }
    /* Monthly input: a month's figure may be a total (scaled by its days,
     * the default) or already a monthly rate; keep the one whose one-step
     * errors are smaller (same parameters, same log scale). */
    if (c->h->daily || f->n_obs < 24) return;
    double xr[FC_MAX_FIT_MONTHS];
    if (c->n > FC_MAX_FIT_MONTHS) return;
    const double *pk = c->h->pk + (size_t)z * (size_t)c->h->nmonths;
    for (int t = 0; t < c->n; t++) xr[t] = isnan(x[t]) ? NAN : log(pk[t] + 1);
    fc_series_fit fr;
    fc_series_prior pr;
    prior_unscaled(&c->prior[st], &pr);
    if (fc_series_fit_log_ex(xr, c->n, c->moy0, &pr, c->flags, &fr) == 0 && fr.sigma < f->sigma) {
        *f = fr;
        f->per_month = 1;
        memcpy(x, xr, (size_t)c->n * sizeof *x);
    }
}

/* Like-for-like growth index of each station (row s) and the network (row
 * ns): month-on-month log change of the zips observed in both months,
 * chained, so zips joining or leaving do not look like growth. */
static int chain_index(const fc_vol_history *h, const double *y, int stride, int n, double *out)
{
    int32_t ns = h->nstations;
    size_t cells = ((size_t)ns + 1) * (size_t)n;
    double *num = calloc(cells * 3, sizeof *num);
    if (!num) return -1;
    double *den = num + cells, *lvl = den + cells;
    for (int32_t z = 0; z < h->nzips; z++) {
        int32_t s = h->station[z];
        if (s < 0) continue;
        const double *yz = y + (size_t)z * (size_t)stride;
        for (int t = 0; t < n; t++) {
            if (isnan(yz[t])) continue;
            lvl[(size_t)s * n + t] += yz[t];
            lvl[(size_t)ns * n + t] += yz[t];
            if (t == 0 || isnan(yz[t - 1])) continue;
            num[(size_t)s * n + t] += yz[t];
            den[(size_t)s * n + t] += yz[t - 1];
            num[(size_t)ns * n + t] += yz[t];
            den[(size_t)ns * n + t] += yz[t - 1];
        }
    }
    for (int32_t s = 0; s <= ns; s++) {
        double prev = NAN;
        for (int t = 0; t < n; t++) {
            size_t k = (size_t)s * (size_t)n + (size_t)t;
            if (isnan(prev)) {
                out[k] = lvl[k] > 0 ? log(lvl[k] + 1) : NAN;
                if (!isnan(out[k])) prev = out[k];
            } else if (num[k] > 0 && den[k] > 0) {
                out[k] = prev + log(num[k] / den[k]);
                prev = out[k];
            } else {
                out[k] = NAN;
            }
        }
    }
    free(num);
    return 0;
}

static void prior_from(const fc_series_fit *f, fc_series_prior *p)
{
    double mean = 0;
    for (int m = 0; m < 12; m++) mean += f->season[m] / 12;
    for (int m = 0; m < 12; m++) p->season[m] = f->season[m] - mean;
    p->phi = f->phi;
    p->trend = f->phi > 0 ? f->trend : 0;
    p->weight_months = POOL_MONTHS;
}

/* Network fit on the like-for-like index of the first n months (y: zip
 * volumes, row stride `stride`), then each station pooled toward it; their
 * profiles become the priors (prior[ns] = the network's). sfit: ns + 1
 * fits out, or NULL. Returns 0, 1 when nothing is observed, -1 out of memory. */
static int build_priors(const fc_vol_history *h, const double *y, int stride, int n, int moy0,
                        fc_series_fit *sfit, fc_series_prior *prior)
{
    int32_t ns = h->nstations;
    double *idx = malloc((((size_t)ns + 1) * (size_t)n + 1) * sizeof *idx);
    fc_series_fit *own = sfit ? NULL : calloc((size_t)ns + 1, sizeof *own);
    if (!idx || (!sfit && !own)) {
        free(idx);
        free(own);
        return -1;
    }
    fc_series_fit *fits = sfit ? sfit : own;
    int rc = 0;
    if (chain_index(h, y, stride, n, idx)) {
        rc = -1;
        goto out;
    }
    int flags = series_flags(n);
    if (fc_series_fit_log_ex(idx + (size_t)ns * (size_t)n, n, moy0, NULL, flags, &fits[ns])) {
        rc = 1;
        goto out;
    }
    prior_from(&fits[ns], &prior[ns]);
    for (int32_t s = 0; s < ns; s++) {
        if (fc_series_fit_log_ex(idx + (size_t)s * (size_t)n, n, moy0, &prior[ns], flags, &fits[s]) == 0)
            prior_from(&fits[s], &prior[s]);
        else
            prior[s] = prior[ns];
    }
out:
    free(idx);
    free(own);
    return rc;
}

#define CAL_H 12
#ifndef G_MIN
#define G_MIN (1 / 1.5)  /* the error size line may narrow the intervals by at most 1.5x */
#endif

/* Holdout cells: horizon k (0..K-1) from origin j (0..K-1-k) inside the
 * holdout, stored horizon by horizon: cell(k, j) = off(k) + j. */
static int cell_off(int K, int k) { return k * K - k * (k - 1) / 2; }

typedef struct cal_ctx {
    const fc_vol_history *h;
    const fc_vol_model *m;
    const double *x;
    int n, moy0, K, NC;     /* NC = K (K + 1) / 2 cells per zip */
    const fc_series_prior *prior;
    double *z;              /* [zip * NC + cell], NAN = none */
    double *ev, *sd;        /* same cells: error in volume, model s.d. in volume */
} cal_ctx;

/* Refit the zip on the months before the holdout, then roll its ETS state
 * through the holdout (parameters fixed), forecasting the rest of the
 * holdout from every month: each horizon is scored over several calendar
 * months, not one (a single month's shared season error made the spread
 * factor jump, e.g. December as the first holdout month). */
static void cal_zip(void *vctx, int64_t zi, int thread)
{
    (void)thread;
    cal_ctx *c = vctx;
    int32_t z = (int32_t)zi;
    int K = c->K;
    double *out = c->z + (size_t)z * (size_t)c->NC;
    double *ev = c->ev + (size_t)z * (size_t)c->NC, *sd = c->sd + (size_t)z * (size_t)c->NC;
    for (int k = 0; k < c->NC; k++) out[k] = ev[k] = sd[k] = NAN;
    if (!c->m->fitted[z] || c->m->pooled[z]) return;
    const double *x = c->x + (size_t)z * (size_t)c->n;
    int nt = c->n - K;
    fc_series_fit f;
    fc_series_prior pr = c->prior[c->h->station[z]];
    if (c->m->fit[z].per_month) prior_unscaled(&c->prior[c->h->station[z]], &pr);
    if (fc_series_fit_log(x, nt, c->moy0, &pr, &f) || f.n_obs < SHORT_MONTHS ||
        !(f.sigma > 0))
        return;
    double reg[CAL_H], v[CAL_H + 1];
    fc_series_point(&f, FC_VOL_FOURIER, K, reg);
    fc_series_hvar(&f, K, v);
    int method = c->m->method;
    double l = f.level, b = f.trend, sea[12];
    memcpy(sea, f.season, sizeof sea);
    for (int j = 0; j < K; j++) {
        /* forecasts from origin nt + j (state after month nt + j - 1) */
        double damp = 0;
        for (int k = 0; j + k < K; k++) {
            int t = nt + j + k, mo = (c->moy0 + t) % 12;
            damp += pow(f.phi, k + 1);
            double e = l + damp * b + sea[mo];
            double fc = method == FC_VOL_ETS ? e : method == FC_VOL_FOURIER ? reg[j + k]
                                                                           : 0.5 * (e + reg[j + k]);
            if (isnan(x[t])) continue;
            size_t i = (size_t)cell_off(K, k) + (size_t)j;
            double sdv = f.sigma * sqrt(v[k + 1]);
            out[i] = (x[t] - fc) / sdv;
            /* to volume (standard months): error, and the log s.d. times the level */
            ev[i] = exp(x[t]) - exp(fc);
            sd[i] = exp(fc) * sdv;
        }
        int t = nt + j, mo = (c->moy0 + t) % 12;
        double r = isnan(x[t]) ? 0 : x[t] - (l + f.phi * b + sea[mo]);
        l += f.phi * b + f.alpha * r;
        b = f.phi * b + f.beta * r;
        sea[mo] += f.gamma * r;
    }
}

/* The within-station correlation rho that makes the station intervals
 * cover 80% of the holdout's station totals in cells [0, nc): the 80th
 * percentile of |E| / sqrt((1 - rho) S2 + rho S1^2) over stations and
 * cells is 1.2816 (bisection: it falls as rho grows). v: scratch. */
static double station_rho(const double *se, const double *s1, const double *s2, const double *sn,
                          const double *w, int32_t ns, int NC, int nc, double *v)
{
    double lo = 0, hi = 0.95;
    for (int it = 0; it < 30; it++) {
        double r = 0.5 * (lo + hi);
        int cnt = 0;
        for (int32_t s = 0; s < ns; s++)
            for (int k = 0; k < nc; k++) {
                size_t j = (size_t)s * (size_t)NC + (size_t)k;
                if (sn[j] < 2) continue;
                double var = s2[j] + r * w[k] * (s1[j] * s1[j] - s2[j]);
                v[cnt++] = var > 0 ? fabs(se[j]) / sqrt(var) : 0;
            }
        if (cnt == 0) return 0;
        /* one order statistic: a selection, not a sort */
        if (gsl_stats_select(v, 1, (size_t)cnt, (size_t)(int)(0.8 * (cnt - 1))) > 1.2816) lo = r;
        else hi = r;
    }
    return 0.5 * (lo + hi);
}

static int calibrate(const fc_vol_history *h, fc_vol_model *m, const double *x, const double *y,
                     int n, int moy0, int K, int threads, fc_diag *d)
{
    int32_t nz = h->nzips, ns = h->nstations;
    int NC = K * (K + 1) / 2;
    size_t cells = (size_t)nz * (size_t)NC + 1;
    /* The holdout's priors come from the months before it too: priors fitted
     * on all n months already know the holdout's station seasons, which made
     * the holdout's station errors look independent (rho ~ 0). */
    fc_series_prior *prior = calloc((size_t)ns + 1, sizeof *prior);
    if (!prior) return -1;
    int prc = build_priors(h, y, n, n - K, moy0, NULL, prior);
    if (prc) {
        free(prior);
        return prc < 0 ? -1 : 0;
    }
    cal_ctx c = {h, m, x, n, moy0, K, NC, prior, malloc(cells * sizeof(double)),
                 malloc(cells * sizeof(double)), malloc(cells * sizeof(double))};
    size_t vn = ((size_t)nz + 1) * (size_t)K;
    if (vn < ((size_t)ns + 1) * (size_t)NC) vn = ((size_t)ns + 1) * (size_t)NC;
    double *v = malloc(vn * sizeof *v);
    double *ssum = calloc((size_t)ns + 1, sizeof *ssum), *scnt = calloc((size_t)ns + 1, sizeof *scnt);
    /* station sums per cell: error, sum of s.d., sum of squared s.d., zips */
    size_t sk = ((size_t)ns + 1) * (size_t)NC;
    double *se = calloc(sk * 4, sizeof *se), *s1 = se + sk, *s2 = s1 + sk, *sn = s2 + sk;
    if (!c.z || !c.ev || !c.sd || !v || !ssum || !scnt || !se) {
        free(prior);
        free(c.ev);
        free(c.sd);
        free(se);
        free(c.z);
        free(v);
        free(ssum);
        free(scnt);
        return -1;
    }
    fc_parallel_for(nz, threads, cal_zip, &c);
    double prev = 0.7;
    double within = 0, wp = 0, across = 0, ap = 0;
    for (int k = 0; k < K; k++) {
        int cnt = 0, nj = K - k, zips = 0;
        for (int32_t z = 0; z < nz; z++) {
            int has = 0;
            for (int j = 0; j < nj; j++) {
                double zz = c.z[(size_t)z * (size_t)NC + (size_t)cell_off(K, k) + (size_t)j];
                if (isnan(zz)) continue;
                v[cnt++] = fabs(zz);
                has = 1;
            }
            zips += has;
        }
        if (zips < 30) break;
        double q = gsl_stats_select(v, 1, (size_t)cnt, (size_t)(int)(0.8 * (cnt - 1))) / 1.2816;
        if (q < prev) q = prev;
        m->hscale[k] = prev = q;
        m->nscale = k + 1;
        for (int j = 0; j < nj; j++) {
            int cl = cell_off(K, k) + j;
            memset(ssum, 0, ((size_t)ns + 1) * sizeof *ssum);
            memset(scnt, 0, ((size_t)ns + 1) * sizeof *scnt);
            double sq = 0;
            for (int32_t z = 0; z < nz; z++) {
                size_t i = (size_t)z * (size_t)NC + (size_t)cl;
                double zz = c.z[i];
                if (isnan(zz)) continue;
                /* winsorise for the correlation so one wild zip cannot drive it */
                double u = zz > 4 ? 4 : zz < -4 ? -4 : zz;
                ssum[h->station[z]] += u;
                scnt[h->station[z]] += 1;
                sq += u * u;
                size_t js = (size_t)h->station[z] * (size_t)NC + (size_t)cl;
                double a = q * c.sd[i];
                se[js] += c.ev[i];
                s1[js] += a;
                s2[js] += a * a;
                sn[js] += 1;
            }
            if (!(sq > 0)) continue;
            double tot = 0, totn = 0, q2 = 0, n2 = 0;
            for (int32_t s = 0; s < ns; s++) {
                tot += ssum[s];
                totn += scnt[s];
                q2 += ssum[s] * ssum[s];
                n2 += scnt[s] * scnt[s];
            }
            /* normalised per cell: z's spread grows with h */
            double wgt = 1.0 / nj;
            within += wgt * (q2 - sq) / sq;
            wp += wgt * (n2 - totn) / totn;
            across += wgt * (tot * tot - q2) / sq;
            ap += wgt * (totn * totn - n2) / totn;
        }
    }
    /* Beyond the holdout: continue the factor's growth over its second
     * half (errors of drifting growth keep widening), at most doubling. */
    double slope = 0;
    if (m->nscale >= 4) {
        int a = m->nscale / 2 - 1, b = m->nscale - 1;
        slope = (m->hscale[b] - m->hscale[a]) / (b - a);
    }
    for (int k = m->nscale; k < 240; k++) {
        double v = m->nscale ? prev + slope * (k - m->nscale + 1) : 1;
        m->hscale[k] = v < 2 * prev ? v : 2 * prev;
    }
    if (m->nscale >= 3 && wp > 0) {
        double rs = within / wp, rn = ap > 0 ? across / ap : 0;
        /* Station sums of the holdout (station_rho) set rho_station. */
        int npts = 0, nc = cell_off(K, m->nscale);
        for (int32_t s = 0; s < ns; s++)
            for (int k = 0; k < nc; k++) npts += sn[(size_t)s * (size_t)NC + (size_t)k] >= 2;
        if (npts >= 30) {
            /* A station's shared error is mostly its season estimated from
             * few years: the estimate of calendar month m from c(m) years
             * has variance ~ 1/c(m). The holdout's targets were seen
             * c_hold(m) times before it, the forecast's c(m) times: the
             * holdout's shared variance is that of the forecast times
             * w = (1/c_hold(m)) / mean_m(1/c(m)). Without this an 18-month
             * holdout (July..December seen once) gave rho 0.3-0.4 where a
             * 25-month forecast needed ~0.05 (station coverage 98%). */
            double cf[12] = {0}, ch[12] = {0}, minv = 0;
            for (int t = 0; t < n; t++) {
                cf[(moy0 + t) % 12] += 1;
                if (t < n - K) ch[(moy0 + t) % 12] += 1;
            }
            for (int mo = 0; mo < 12; mo++) minv += (cf[mo] > 0 ? 1 / cf[mo] : 1) / 12;
            double *w = malloc((size_t)NC * sizeof *w);
            if (!w) {
                free(prior);
                free(c.z);
                free(c.ev);
                free(c.sd);
                free(se);
                free(v);
                free(ssum);
                free(scnt);
                return -1;
            }
            for (int k = 0; k < K; k++)
                for (int j = 0; j + k < K; j++) {
                    int mo = (moy0 + n - K + j + k) % 12;
                    w[cell_off(K, k) + j] = (ch[mo] > 0 ? 1 / ch[mo] : 1) / minv;
                }
            double pooled = station_rho(se, s1, s2, sn, w, ns, NC, nc, v);
            free(w);
            for (int k = 0; k < 240; k++) m->rho_station_h[k] = pooled;
            fc_diag_debug(d, "volume model: station sums of the holdout: correlation %.3f "
                          "(zip errors: %.3f)", pooled, rs);
            rs = pooled;
        } else {
            for (int k = 0; k < 240; k++) m->rho_station_h[k] = rs;
        }
        if (!(rs > 0)) rs = 0;
        if (rs > 0.95) rs = 0.95;
        if (!(rn > 0)) rn = 0;
        if (rn > rs) rn = rs;
        m->rho_station = rs;
        m->rho_network = rn;
    }
    fc_diag_debug(d, "volume model: holdout of %d months: spread factor h1 %.2f, h%d %.2f; "
                  "correlation station %.3f, network %.3f", K, m->hscale[0], m->nscale,
                  m->hscale[m->nscale ? m->nscale - 1 : 0], m->rho_station, m->rho_network);
    free(prior);
    free(c.z);
    free(c.ev);
    free(c.sd);
    free(se);
    free(v);
    free(ssum);
    free(scnt);
    return 0;
}

/* Short histories: when some calendar month was seen in one year only, the
 * season estimated from it is an error all zips of a station share, and
 * the holdout calibration cannot see it (it needs 21 months, and its own
 * targets were seen once too). Its size comes from the year-on-year
 * changes of the like-for-like station indexes against the model's own
 * 12-month growth: r = x_t - x_{t-12} - b (phi + ... + phi^12), with b and
 * phi from the station's fit. When a month's seasonal deviation varies
 * from year to year with variance tau^2, r has variance 2 tau^2 plus the
 * error of the fitted growth, so tau^2 = mean(r^2) / 2 carries both. A
 * target month seen c(m) times errs by tau^2 (1 + 1/c(m)): its own year's
 * deviation plus that of the estimate. The same on the network index gives
 * the share common to all stations. (Removing each station's mean change
 * instead of the model's growth gave tau ~0.007 on 2-year synth data and
 * station coverage 71-74%: it misses the growth error.) */
static int short_history_var(const fc_vol_history *h, fc_vol_model *m, const double *y, int n,
                             int moy0, fc_diag *d)
{
    int32_t ns = h->nstations;
    double cnt[12] = {0};
    for (int t = 0; t < n; t++) cnt[(moy0 + t) % 12] += 1;
    double cmin = cnt[0];
    for (int mo = 1; mo < 12; mo++) cmin = cnt[mo] < cmin ? cnt[mo] : cmin;
    if (cmin >= 2 || n < 13) return 0;
    double *idx = malloc((((size_t)ns + 1) * (size_t)n + 1) * sizeof *idx);
    if (!idx) return -1;
    if (chain_index(h, y, n, n, idx)) {
        free(idx);
        return -1;
    }
    double ss[2] = {0, 0}, df[2] = {0, 0};
    int pairs = 0;
    for (int32_t s = 0; s <= ns; s++) {
        const double *xs = idx + (size_t)s * (size_t)n;
        double dv[FC_MAX_FIT_MONTHS], g;
        int p = 0;
        for (int t = 12; t < n && p < FC_MAX_FIT_MONTHS; t++)
            if (isfinite(xs[t]) && isfinite(xs[t - 12])) dv[p++] = xs[t] - xs[t - 12];
        if (p == 0) continue;
        int w = s == ns;
        {
            const fc_series_fit *f = &m->station_fit[s];
            double dm = 0, pw = 1;  /* the model's own 12-month growth: phi + ... + phi^12 */
            for (int j = 0; j < 12; j++) dm += (pw *= f->phi);
            g = f->phi > 0 && isfinite(f->trend) ? dm * f->trend : 0;
            df[w] += p;
        }
        for (int i = 0; i < p; i++) ss[w] += (dv[i] - g) * (dv[i] - g);
        if (!w && p > pairs) pairs = p;
    }
    free(idx);
    if (!(df[0] > 0)) return 0;
    double tau2 = ss[0] / df[0] / 2, tn2 = df[1] > 0 ? ss[1] / df[1] / 2 : 0;
    for (int mo = 0; mo < 12; mo++) m->season_var[mo] = tau2 * (1 + 1 / (cnt[mo] > 0 ? cnt[mo] : 1));
    m->net_share = tau2 > 0 ? (tn2 < tau2 ? tn2 / tau2 : 1) : 0;
    fc_diag_debug(d, "volume model: short history (%d months): year-on-year season s.d. %.4f "
                  "(network %.4f), %d pairs per station", n, sqrt(tau2), sqrt(tn2), pairs);
    return 0;
}

/* Under 13 months no calendar month was seen twice, and nothing in the
 * data can tell growth from the season: the fits have no trend (a month
 * seen once is its own season, one never seen sits at the level), and
 * the paths get what the data cannot measure. (1) Growth: a log offset
 * common to every zip of a path, of s.d. FLAT_GROWTH_SD per year of
 * distance from the history's centre, where the level was measured.
 * (2) A calendar month never seen: its season is unknown, so it gets the
 * variance of the seasons that were seen (on the network index), one draw
 * per calendar month and path, common to all stations. */
static void flat_history_var(fc_vol_model *m, int n, int moy0, fc_diag *d)
{
    const fc_series_fit *net = &m->station_fit[m->nstations];
    int seen[12] = {0}, nseen = 0;
    for (int t = 0; t < n; t++) seen[(moy0 + t) % 12] = 1;
    double ss = 0;
    for (int mo = 0; mo < 12; mo++)
        if (seen[mo]) {
            ss += net->season[mo] * net->season[mo];
            nseen++;
        }
    /* With one month seen there is no spread: it was 0, and a history of
     * one December forecast every month at December's level with an 80%
     * interval of +-4% for the network a month ahead. */
    double unseen_var = nseen > 1 ? ss / (nseen - 1) : FLAT_SEASON_SD * FLAT_SEASON_SD;
    char miss[64] = "";
    static const char *abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int mo = 0; mo < 12; mo++) {
        m->season_var[mo] = seen[mo] ? 0 : unseen_var;
        if (!seen[mo]) {
            size_t l = strlen(miss);
            snprintf(miss + l, sizeof miss - l, "%s%s", l ? " " : "", abbr[mo]);
        }
    }
    m->net_share = 1;
    m->growth_sd = FLAT_GROWTH_SD;
    m->growth_mid = (n - 1) / 2.0;
    char spread[64] = "";
    if (nseen == 1)
        snprintf(spread, sizeof spread, "an assumed season spread of +-%.0f%% (1 s.d.)", 100 * FLAT_SEASON_SD);
    fc_diag_warn(d, "the history spans %d month%s: under 13, growth cannot be told from the "
                 "season, so the forecast assumes no growth (interval: +-%.0f%% a year, 1 s.d.)%s%s%s%s; "
                 "a scenario volume multiplier sets a growth to plan on", n, n == 1 ? "" : "s",
                 100 * FLAT_GROWTH_SD, nseen < 12 ? "; months never seen (" : "", miss,
                 nseen < 12 ? (nseen > 1 ? ") are forecast at the mean level, with the spread of the months seen"
                                         : ") are forecast at the level of the one month seen, with ")
                            : "",
                 spread);
}

int fc_vol_model_fit(const fc_vol_history *h, int n_used, int method, int threads, fc_diag *d,
                     fc_vol_model **out)
{
    *out = NULL;
    int n = (n_used <= 0 || n_used > h->nmonths) ? h->nmonths : n_used;
    int32_t nz = h->nzips, ns = h->nstations;
    fc_vol_model *m = calloc(1, sizeof *m);
    double *x = NULL, *y = NULL, *res = NULL, *tmp = NULL;
    fc_series_prior *prior = NULL;
    if (!m) goto oom;
    m->nzips = nz;
    m->nstations = ns;
    m->n_used = n;
    m->month0 = h->month0;
    m->method = method;
    m->sigma_scale = 1;
    m->fit = calloc((size_t)nz + 1, sizeof *m->fit);
    m->fitted = calloc((size_t)nz + 1, sizeof *m->fitted);
    m->pooled = calloc((size_t)nz + 1, sizeof *m->pooled);
    m->stops_ratio = calloc((size_t)nz + 1, sizeof *m->stops_ratio);
    m->station_fit = calloc((size_t)ns + 1, sizeof *m->station_fit);
    x = malloc(((size_t)nz * (size_t)n + 1) * sizeof *x);
    y = malloc(((size_t)nz * (size_t)n + 1) * sizeof *y);
    prior = calloc((size_t)ns + 1, sizeof *prior);
    tmp = malloc(((size_t)nz + 1) * sizeof *tmp);
    if (!m->fit || !m->fitted || !m->pooled || !m->stops_ratio || !m->station_fit || !x || !y ||
        !prior || !tmp)
        goto oom;
    int moy0 = ((h->month0 % 12) + 12) % 12;
    for (int32_t z = 0; z < nz; z++)
        for (int t = 0; t < n; t++) {
            size_t k = (size_t)z * (size_t)h->nmonths + (size_t)t;
            double v = h->pk[k], e = h->exposure[k];
            double std = (isnan(v) || !(e > 0)) ? NAN : v * FC_STD_MONTH / e;
            y[(size_t)z * (size_t)n + (size_t)t] = std;
            x[(size_t)z * (size_t)n + (size_t)t] = isnan(std) ? NAN : log(std + 1);
        }

    /* Network, then each station pooled toward the network. */
    {
        int rc = build_priors(h, y, n, n, moy0, m->station_fit, prior);
        if (rc < 0) goto oom;
        if (rc > 0) {
            fc_diag_error(d, FC_EDATA, "no zip has a month of shipment history to forecast from: daily data "
                          "count a month when at least half of its days are covered, and a file of one "
                          "date is read as one day (monthly data need two months or more; docs/data.md)");
            fc_vol_model_free(m);
            m = NULL;
            goto done;
        }
    }

    fit_ctx c = {h, m, x, n, moy0, series_flags(n), prior};
    fc_parallel_for(nz, threads, fit_zip, &c);
    {
        int32_t nstop = 0;
        for (int32_t z = 0; z < nz; z++) nstop += h->station[z] >= 0 && stopped(x + (size_t)z * (size_t)n, n);
        if (nstop)
            fc_diag_note(d, "%d zip%s with no shipments in the last %d months of the history %s not "
                         "forecast (closed?)", (int)nstop, nstop == 1 ? "" : "s", STALE_MONTHS,
                         nstop == 1 ? "is" : "are");
    }

    /* Short zips' noise: at least their station's median zip noise. When
     * no zip has SHORT_MONTHS months (the whole history is shorter), the
     * medians are of the short zips' own noise: it was a fixed 0.3, ten
     * times a zip's monthly noise, so under 12 months every zip's 80%
     * interval was about +-40% a month ahead (zip coverage 100% on the
     * example cut at 6 and 11 months) and the station medians rose ~4%. */
    double *st_sigma = malloc(((size_t)ns + 1) * sizeof *st_sigma);
    if (!st_sigma) goto oom;
    int cnt = 0, all_short = 1;
    for (int32_t z = 0; z < nz; z++)
        if (m->fitted[z] && !m->pooled[z] && isfinite(m->fit[z].sigma)) all_short = 0;
    for (int32_t z = 0; z < nz; z++)
        if (m->fitted[z] && (all_short || !m->pooled[z]) && isfinite(m->fit[z].sigma))
            tmp[cnt++] = m->fit[z].sigma;
    gsl_sort(tmp, 1, (size_t)cnt);
    double net_sigma = cnt ? tmp[cnt / 2] : 0.3;
    for (int32_t s = 0; s < ns; s++) {
        cnt = 0;
        for (int32_t z = 0; z < nz; z++)
            if (h->station[z] == s && m->fitted[z] && (all_short || !m->pooled[z]) &&
                isfinite(m->fit[z].sigma))
                tmp[cnt++] = m->fit[z].sigma;
        gsl_sort(tmp, 1, (size_t)cnt);
        st_sigma[s] = cnt >= 3 ? tmp[cnt / 2] : net_sigma;
    }
    for (int32_t z = 0; z < nz; z++) {
        if (!m->fitted[z]) continue;
        fc_series_fit *f = &m->fit[z];
        double floor_s = st_sigma[h->station[z]];
        if (!isfinite(f->sigma)) f->sigma = floor_s;
        else if (m->pooled[z] && f->sigma < floor_s) f->sigma = floor_s;
    }
    free(st_sigma);

    /* Stops per package over the last 12 observed months. */
    for (int32_t z = 0; z < nz; z++) {
        double a = 0, b = 0;
        int k = 0;
        for (int t = n - 1; t >= 0 && k < 12; t--) {
            size_t i = (size_t)z * (size_t)h->nmonths + (size_t)t;
            if (isnan(h->pk[i])) continue;
            a += h->sp[i];
            b += h->pk[i];
            k++;
        }
        m->stops_ratio[z] = b > 0 ? a / b : NAN;
    }
    {
        double a = 0, b = 0;
        for (int32_t z = 0; z < nz; z++)
            for (int t = 0; t < n; t++) {
                size_t i = (size_t)z * (size_t)h->nmonths + (size_t)t;
                if (!isnan(h->pk[i])) {
                    a += h->sp[i];
                    b += h->pk[i];
                }
            }
        double net = b > 0 ? a / b : 1;
        for (int32_t z = 0; z < nz; z++)
            if (isnan(m->stops_ratio[z])) m->stops_ratio[z] = net;
    }

    /* Correlation of standardised one-step errors: pairs of zips in one
     * station, and pairs in different stations. */
    res = malloc(((size_t)n + 1) * sizeof *res);
    double *ssum = calloc(((size_t)ns + 1) * (size_t)n, sizeof *ssum);
    double *scnt = calloc(((size_t)ns + 1) * (size_t)n, sizeof *scnt);
    double *sq = calloc((size_t)n + 1, sizeof *sq);
    if (!res || !ssum || !scnt || !sq) {
        free(ssum);
        free(scnt);
        free(sq);
        goto oom;
    }
    for (int32_t z = 0; z < nz; z++) {
        if (!m->fitted[z] || m->pooled[z] || !(m->fit[z].sigma > 0)) continue;
        fc_series_residuals(x + (size_t)z * (size_t)n, n, moy0, &m->fit[z], res);
        int32_t s = h->station[z];
        for (int t = 13; t < n; t++) {  /* skip the first year: start-up errors */
            if (isnan(res[t])) continue;
            double u = res[t] / m->fit[z].sigma;
            ssum[(size_t)s * (size_t)n + (size_t)t] += u;
            scnt[(size_t)s * (size_t)n + (size_t)t] += 1;
            sq[t] += u * u;
        }
    }
    double within = 0, within_pairs = 0, across = 0, across_pairs = 0;
    for (int t = 13; t < n; t++) {
        double tot = 0, totn = 0, s2 = 0, n2 = 0;
        for (int32_t s = 0; s < ns; s++) {
            double S = ssum[(size_t)s * (size_t)n + (size_t)t], N = scnt[(size_t)s * (size_t)n + (size_t)t];
            tot += S;
            totn += N;
            s2 += S * S;
            n2 += N * N;
        }
        within += s2 - sq[t];
        within_pairs += n2 - totn;
        across += tot * tot - s2;
        across_pairs += totn * totn - n2;
    }
    /* Volatility trends: month by month, the mean square of the
     * standardised one-step errors across zips (V_t) and their covariance
     * between zips of one station (C_t); straight lines fitted to sqrt(V_t)
     * and sqrt(C_t) say whether errors, and their station-shared part, grow. */
    double vt[2][2] = {{1, 0}, {1, 0}};  /* [total, station][intercept, slope] */
    for (int which = 0; which < 2; which++) {
        double S0 = 0, S1 = 0, S2 = 0, Sy = 0, Sty = 0;
        for (int t = 13; t < n; t++) {
            double tot = 0, totn = 0, s2 = 0, n2 = 0;
            for (int32_t s = 0; s < ns; s++) {
                double S = ssum[(size_t)s * (size_t)n + (size_t)t], N = scnt[(size_t)s * (size_t)n + (size_t)t];
                tot += S;
                totn += N;
                s2 += S * S;
                n2 += N * N;
            }
            if (totn < 30 || n2 - totn < 30) continue;
            double r = which == 0 ? sq[t] / totn : (s2 - sq[t]) / (n2 - totn);
            if (r < 0) r = 0;
            double tt = (double)t * t;
            S0 += 1;
            S1 += tt;
            S2 += tt * tt;
            Sy += r;
            Sty += tt * r;
        }
        double det = S0 * S2 - S1 * S1;
        if (S0 >= 12 && det > 0) {
            vt[which][1] = (S0 * Sty - S1 * Sy) / det;
            vt[which][0] = (Sy - vt[which][1] * S1) / S0;
        }
    }
    free(ssum);
    free(scnt);
    free(sq);
    double rs = within_pairs > 0 ? within / within_pairs : 0;
    double rn = across_pairs > 0 ? across / across_pairs : 0;
    if (!(rs > 0)) rs = 0;
    if (rs > 0.95) rs = 0.95;
    if (!(rn > 0)) rn = 0;
    if (rn > rs) rn = rs;
    m->rho_station = rs;
    m->rho_network = rn;
    fc_diag_debug(d, "volume model: %d months, station correlation %.3f, network %.3f", n, rs, rn);

    /* Interval calibration on a holdout: refit every zip without its last
     * K months, forecast them, and standardise the errors by the model's own
     * h-step s.d. The 80th percentile of |z| over 1.2816 is the spread
     * factor per horizon, and the errors' correlation within a station and
     * across stations replaces the one-step estimate (multi-step errors
     * share persistent station shocks that one-step errors hide). */
    {
        int K = n - 18 < CAL_H ? n - 18 : CAL_H;
        if (K > 12) K = 12;
        for (int hh = 0; hh < 240; hh++) {
            m->hscale[hh] = 1;
            m->rho_station_h[hh] = m->rho_station;
        }
        m->nscale = 0;
        if (K >= 3 && calibrate(h, m, x, y, n, moy0, K, threads, d)) goto oom;
        /* The holdout's errors at horizon k happened in month n - K + k - 1,
         * the forecast's happen in month n + k - 1: scale the spread factor
         * by the ratio of the volatility line at the two months (errors whose
         * size drifts over time keep drifting), within [1/1.5, 1.5]; and the
         * station-shared share of the variance by the station line's ratio
         * over the total's, squared. */
        for (int k = 0; k < 240; k++) {
            double g[2];
            int kh = k < K ? k : K - 1 > 0 ? K - 1 : 0;
            for (int w = 0; w < 2; w++) {
                double tn = n + k, tt = n - K + kh;
                double now = vt[w][0] + vt[w][1] * tn * tn, then = vt[w][0] + vt[w][1] * tt * tt;
                g[w] = (then > 0 && now > 0 && m->nscale > 0) ? sqrt(now / then) : 1;
                if (g[w] > 1.5) g[w] = 1.5;
                if (g[w] < G_MIN) g[w] = G_MIN;
            }
            m->hscale[k] *= g[0];
            double r = m->rho_station_h[k] * (g[1] / g[0]) * (g[1] / g[0]);
            m->rho_station_h[k] = r > 0.95 ? 0.95 : r < m->rho_network ? m->rho_network : r;
        }
        {
            double t1 = n - 1, v1 = vt[0][0] + vt[0][1] * t1 * t1;
            m->vol_trend = v1 > 0 ? vt[0][1] * t1 / v1 : 0;  /* d log s.d. / dt */
        }
        if (short_history_var(h, m, y, n, moy0, d)) goto oom;
        if (n < FLAT_MONTHS) flat_history_var(m, n, moy0, d);
        if (m->nscale > 0)
            fc_diag_debug(d, "volume model: error size trend %+.4f/month; station correlation h1 %.3f, "
                          "h%d %.3f", m->vol_trend, m->rho_station_h[0], K, m->rho_station_h[K - 1]);
    }
    goto done;
oom:
    fc_diag_error(d, FC_EINTERNAL, "out of memory fitting the volume model");
    fc_vol_model_free(m);
    m = NULL;
done:
    free(x);
    free(y);
    free(res);
    free(prior);
    free(tmp);
    if (!m) return d->status ? d->status : FC_EINTERNAL;
    *out = m;
    return FC_OK;
}
