/* diagnose.c -- zips and stations whose behaviour departs from the hybrid
 * SPR model: residual panels per station, weighted regressions on zip
 * shares with Newey-West standard errors, multiple-testing corrections
 * (docs/diagnose.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_sort.h>
#include "fleetcast/date.h"
#include "fleetcast/diagnose.h"
#include "fleetcast/parallel.h"

void fc_dx_settings_default(fc_dx_settings *s)
{
    s->alpha = 0.01;
    s->correction = FC_DX_BH;
    s->hac_lag = 28;
    s->block_days = 28;
    s->min_side = 56;
    s->drift_weeks = 8;
    s->min_share = 0.005;
    s->low_day = 0.3;
    s->threads = 0;
}

const char *fc_dx_kind_name(int kind)
{
    static const char *n[] = {"share", "change", "arrival"};
    return kind >= 0 && kind <= FC_DX_ARRIVAL ? n[kind] : "?";
}

const char *fc_dx_measure_name(int measure)
{
    return measure == FC_DX_HOURS ? "route_hours" : "routes";
}

/* ---- one station's residual panel ---- */

/* The other stations' day residual is a control only when at least this
 * many share it: with fewer, one station's anomaly leaks into the others'
 * controls (a step at its date appears, mirrored, at a clean station). */
#define FC_DX_MIN_OTHER 5

typedef struct panel {
    int n;                  /* days kept */
    int32_t *day;
    double *sw;             /* sqrt of the weight (expected routes) */
    double *y[FC_DX_NMEASURE];  /* log(observed / hybrid), times sw */
    double *pkg;            /* the station's zip packages that day */
    double *other;          /* the other stations' mean residual that day (hours or routes) */
    int n_other;            /* days it exists */
    int use_other;          /* enough other stations that one anomaly cannot leak in */
    int32_t *van;           /* the van type with most routes that day */
    /* zips served in the panel: share[k * n + t] */
    int nz;
    int32_t *zip;
    double *share;
    int32_t *zfirst, *zlast;    /* index into day[] of the first/last day served */
} panel;

static void panel_free(panel *p)
{
    free(p->day);
    free(p->sw);
    for (int m = 0; m < FC_DX_NMEASURE; m++) free(p->y[m]);
    free(p->pkg);
    free(p->other);
    free(p->van);
    free(p->zip);
    free(p->share);
    free(p->zfirst);
    free(p->zlast);
    memset(p, 0, sizeof *p);
}

/* Orthonormal basis (columns of q, n x rank) of the weighted controls;
 * modified Gram-Schmidt twice, dropping columns the others explain. */
typedef struct basis {
    int n, rank;
    double *q;
} basis;

static int basis_build(basis *b, const double *cols, int ncols, int n)
{
    b->n = n;
    b->rank = 0;
    b->q = malloc(sizeof(double) * (size_t)(ncols > 0 ? ncols : 1) * (size_t)n);
    if (!b->q) return -1;
    for (int j = 0; j < ncols; j++) {
        double *v = b->q + (size_t)b->rank * n;
        memcpy(v, cols + (size_t)j * n, sizeof(double) * n);
        double norm0 = 0;
        for (int t = 0; t < n; t++) norm0 += v[t] * v[t];
        if (norm0 <= 0) continue;
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; k < b->rank; k++) {
                const double *u = b->q + (size_t)k * n;
                double dot = 0;
                for (int t = 0; t < n; t++) dot += u[t] * v[t];
                for (int t = 0; t < n; t++) v[t] -= dot * u[t];
            }
        double norm = 0;
        for (int t = 0; t < n; t++) norm += v[t] * v[t];
        if (norm <= 1e-10 * norm0) continue;
        norm = sqrt(norm);
        for (int t = 0; t < n; t++) v[t] /= norm;
        b->rank++;
    }
    return 0;
}

/* v -= Q Q' v */
static void basis_resid(const basis *b, double *v)
{
    int n = b->n;
    for (int k = 0; k < b->rank; k++) {
        const double *u = b->q + (size_t)k * n;
        double dot = 0;
        for (int t = 0; t < n; t++) dot += u[t] * v[t];
        for (int t = 0; t < n; t++) v[t] -= dot * u[t];
    }
}

/* How the variance of a coefficient is estimated from the scores u_t:
 *  Newey-West (Bartlett kernel, `lag` days; blk NULL), t with n - used - k
 *  df: for the zip tests, whose regressors move from day to day;
 *  batch means over consecutive blocks (blk[t] = block of day t, nblk
 *  blocks), t with nblk - lost - k df: for a station's own steps, whose
 *  regressor is constant for months, so that what matters is how the
 *  residual wanders from month to month (a fixed-b test: the df are those
 *  of the block means, not of the days). `lost` = the controls' share of
 *  the block-level freedom (trend, season, composition steps). */
typedef struct lrv {
    int lag;
    const int32_t *blk;
    int nblk;
    double lost;
} lrv;

/* Least squares of y on the k (<= 4) columns x (all already weighted and
 * residualised on the controls, which used `used` degrees of freedom);
 * coefficient j with a HAC standard error (v).
 * Returns -1 when the regressors are (nearly) collinear or too few
 * degrees of freedom remain. */
#define MAXK 4
static int ols_hac(const double *y, double *const *x, int k, int n, int used, const lrv *lv, int j,
                   double *work, fc_dx_coef *out)
{
    int df = n - used - k;
    if (df < 10) return -1;
    double dfb = lv->blk ? lv->nblk - lv->lost - k : df;
    if (lv->blk && !(dfb >= 4)) return -1;
    double a[MAXK * MAXK], xy[MAXK], beta[MAXK], row[MAXK];
    for (int i = 0; i < k; i++) {
        for (int l = 0; l <= i; l++) {
            double s = 0;
            for (int t = 0; t < n; t++) s += x[i][t] * x[l][t];
            a[i * k + l] = a[l * k + i] = s;
        }
        double s = 0;
        for (int t = 0; t < n; t++) s += x[i][t] * y[t];
        xy[i] = s;
    }
    double diag[MAXK];
    for (int i = 0; i < k; i++) {
        diag[i] = a[i * k + i];
        if (!(diag[i] > 1e-14)) return -1;
    }
    gsl_matrix_view av = gsl_matrix_view_array(a, (size_t)k, (size_t)k);
    if (gsl_linalg_cholesky_decomp1(&av.matrix) != GSL_SUCCESS) return -1;
    gsl_vector_view xyv = gsl_vector_view_array(xy, (size_t)k);
    gsl_vector_view bv = gsl_vector_view_array(beta, (size_t)k);
    if (gsl_linalg_cholesky_solve(&av.matrix, &xyv.vector, &bv.vector) != GSL_SUCCESS) return -1;
    /* row j of A^-1 */
    double ej[MAXK] = {0};
    ej[j] = 1;
    gsl_vector_view ev = gsl_vector_view_array(ej, (size_t)k);
    gsl_vector_view rv = gsl_vector_view_array(row, (size_t)k);
    if (gsl_linalg_cholesky_solve(&av.matrix, &ev.vector, &rv.vector) != GSL_SUCCESS) return -1;
    /* a collinear design shows as a huge variance factor */
    if (!(row[j] * diag[j] < 1e8)) return -1;
    double *u = work;
    for (int t = 0; t < n; t++) {
        double e = y[t], g = 0;
        for (int i = 0; i < k; i++) {
            e -= beta[i] * x[i][t];
            g += row[i] * x[i][t];
        }
        u[t] = g * e;
    }
    double v = 0;
    if (lv->blk) {
        /* blocks are runs of consecutive t */
        double s = 0;
        for (int t = 0; t < n; t++) {
            if (t > 0 && lv->blk[t] != lv->blk[t - 1]) {
                v += s * s;
                s = 0;
            }
            s += u[t];
        }
        v += s * s;
        v *= lv->nblk / dfb;
    } else {
        int lag = lv->lag;
        for (int t = 0; t < n; t++) v += u[t] * u[t];
        for (int l = 1; l <= lag && l < n; l++) {
            double s = 0;
            for (int t = l; t < n; t++) s += u[t] * u[t - l];
            v += 2.0 * (1.0 - (double)l / (lag + 1)) * s;
        }
        v *= (double)n / df;
    }
    if (!(v > 0)) return -1;
    out->est = beta[j];
    out->se = sqrt(v);
    out->t = out->est / out->se;
    /* the block df are fractional; the p is taken at the whole df that is
     * reported (rounded down, the conservative side), so that t and df
     * reproduce it (it used the fraction: p 0.0086 where t 2.97 on the
     * reported 16 df gives 0.0090) */
    out->df = (int)dfb;
    out->p = 2 * gsl_cdf_tdist_Q(fabs(out->t), out->df);
    return 0;
}

/* ---- building the panels ---- */

typedef struct acc {
    double obs_r, pred_r, obs_h, pred_h, pkg, best_routes;
    int32_t van;
    int bad;            /* a row could not be scored or lacks an observation */
    int rows;
} acc;

/* Panel of station s from its accumulated days. */
static double acc_resid(const acc *a, int has_hours)
{
    return has_hours ? log(a->obs_h / a->pred_h) : log(a->obs_r / a->pred_r);
}

static int acc_ok(const acc *a, int has_hours)
{
    return a->rows > 0 && !a->bad && a->obs_r > 0 && a->pred_r > 0 &&
           (!has_hours || (a->obs_h > 0 && a->pred_h > 0));
}

static int panel_build(panel *p, const acc *ac, const double *net, int32_t d0, int ndays, int has_hours,
                       const fc_shipments *sh, const int32_t *zlist, int nzl, int32_t s,
                       const fc_dx_settings *set)
{
    memset(p, 0, sizeof *p);
    int cand = 0;
    for (int i = 0; i < ndays; i++) cand += ac[i].rows > 0 && !ac[i].bad;
    if (cand == 0) return 0;
    double *med = malloc(sizeof(double) * cand);
    if (!med) return -1;
    int k = 0;
    for (int i = 0; i < ndays; i++)
        if (ac[i].rows > 0 && !ac[i].bad) med[k++] = ac[i].pkg;
    gsl_sort(med, 1, (size_t)k);
    double median = med[k / 2];
    free(med);
    p->day = malloc(sizeof(int32_t) * cand);
    p->sw = malloc(sizeof(double) * cand);
    p->pkg = malloc(sizeof(double) * cand);
    p->van = malloc(sizeof(int32_t) * cand);
    p->other = malloc(sizeof(double) * cand);
    for (int m = 0; m < FC_DX_NMEASURE; m++) p->y[m] = calloc((size_t)cand, sizeof(double));
    if (!p->day || !p->sw || !p->pkg || !p->van || !p->other || !p->y[0] || !p->y[1]) return -1;
    for (int i = 0; i < ndays; i++) {
        const acc *a = &ac[i];
        if (a->rows == 0 || a->bad || a->pkg < set->low_day * median) continue;
        if (!(a->obs_r > 0 && a->pred_r > 0)) continue;
        if (has_hours && !(a->obs_h > 0 && a->pred_h > 0)) continue;
        int t = p->n++;
        p->day[t] = d0 + i;
        p->sw[t] = sqrt(a->pred_r);
        p->pkg[t] = a->pkg;
        p->van[t] = a->van;
        p->y[FC_DX_ROUTES][t] = p->sw[t] * log(a->obs_r / a->pred_r);
        if (has_hours) p->y[FC_DX_HOURS][t] = p->sw[t] * log(a->obs_h / a->pred_h);
        /* leave this station out of the network's day residual */
        double num = net[2 * i], den = net[2 * i + 1];
        if (acc_ok(a, has_hours)) {
            num -= a->pred_r * acc_resid(a, has_hours);
            den -= a->pred_r;
        }
        p->other[t] = den > 1e-9 ? num / den : 0;
        if (den > 1e-9) p->n_other++;
    }
    if (p->n == 0) return 0;
    int n = p->n;
    p->zip = malloc(sizeof(int32_t) * (nzl > 0 ? nzl : 1));
    p->zfirst = malloc(sizeof(int32_t) * (nzl > 0 ? nzl : 1));
    p->zlast = malloc(sizeof(int32_t) * (nzl > 0 ? nzl : 1));
    p->share = calloc((size_t)(nzl > 0 ? nzl : 1) * (size_t)n, sizeof(double));
    double *tot = calloc((size_t)n, sizeof(double));
    if (!p->zip || !p->zfirst || !p->zlast || !p->share || !tot) {
        free(tot);
        return -1;
    }
    for (int j = 0; j < nzl; j++) {
        int32_t z = zlist[j];
        double *x = p->share + (size_t)p->nz * n;
        int first = -1, last = -1;
        for (int t = 0; t < n; t++) {
            int32_t per = p->day[t] - sh->t0;
            if (per < 0 || per >= sh->nperiods) continue;
            int32_t pk = sh->packages[(size_t)per * sh->nzips + z];
            if (pk <= 0 || fc_shipments_station(sh, z, per) != s) continue;
            x[t] = pk;
            tot[t] += pk;
            if (first < 0) first = t;
            last = t;
        }
        if (first < 0) continue;
        p->zip[p->nz] = z;
        p->zfirst[p->nz] = first;
        p->zlast[p->nz] = last;
        p->nz++;
    }
    for (int j = 0; j < p->nz; j++) {
        double *x = p->share + (size_t)j * n;
        for (int t = 0; t < n; t++) x[t] = tot[t] > 0 ? x[t] / tot[t] : 0;
    }
    free(tot);
    return 0;
}

/* ---- controls ---- */

typedef struct ctrl {
    int nsteps;
    int32_t *step;      /* panel index where a composition or van step starts */
    basis full;         /* all controls */
} ctrl;

static int add_step(int32_t *steps, int *ns, int32_t t, int n)
{
    if (t < 7 || t > n - 7) return 0;   /* too close to an end to tell apart */
    for (int i = 0; i < *ns; i++)
        if (steps[i] == t) return 0;
    steps[(*ns)++] = t;
    return 1;
}

/* Weighted control columns: intercept, weekdays, trend, yearly Fourier
 * terms (a year or more of data), steps at composition and van changes
 * (except the one at `skip`, -1 for none). */
static double *controls_cols(const panel *p, const ctrl *c, int32_t skip, int *ncols)
{
    int n = p->n;
    double span = p->day[n - 1] - p->day[0];
    int nfour = span >= 700 ? 6 : 0;    /* with less, a season and a step are one thing */
    int nc = 1 + 6 + 1 + nfour + 1 + 2 + c->nsteps;
    double *cols = calloc((size_t)nc * (size_t)n, sizeof(double));
    if (!cols) return NULL;
    int j = 0;
    for (int t = 0; t < n; t++) cols[(size_t)j * n + t] = p->sw[t];
    j++;
    for (int wd = 1; wd < 7; wd++, j++)
        for (int t = 0; t < n; t++)
            cols[(size_t)j * n + t] = fc_date_weekday(p->day[t]) == wd ? p->sw[t] : 0;
    for (int t = 0; t < n; t++) cols[(size_t)j * n + t] = p->sw[t] * (p->day[t] - p->day[0]) / 365.25;
    j++;
    for (int h = 1; h <= nfour / 2; h++) {
        for (int t = 0; t < n; t++) {
            double a = 2 * M_PI * h * p->day[t] / 365.25;
            cols[(size_t)j * n + t] = p->sw[t] * sin(a);
            cols[(size_t)(j + 1) * n + t] = p->sw[t] * cos(a);
        }
        j += 2;
    }
    /* smooth misfit in the day's volume (the physics' curvature) */
    double lm = 0;
    for (int t = 0; t < n; t++) lm += log(p->pkg[t]) / n;
    for (int t = 0; t < n; t++) {
        double l = log(p->pkg[t]) - lm;
        cols[(size_t)j * n + t] = p->sw[t] * l;
        cols[(size_t)(j + 1) * n + t] = p->sw[t] * l * l;
    }
    j += 2;
    if (p->use_other) {
        for (int t = 0; t < n; t++) cols[(size_t)j * n + t] = p->sw[t] * p->other[t];
        j++;
    }
    for (int i = 0; i < c->nsteps; i++) {
        if (c->step[i] == skip) continue;
        for (int t = c->step[i]; t < n; t++) cols[(size_t)j * n + t] = p->sw[t];
        j++;
    }
    *ncols = j;
    return cols;
}

static int basis_for(const panel *p, const ctrl *c, int32_t skip, basis *b)
{
    int nc;
    double *cols = controls_cols(p, c, skip, &nc);
    if (!cols) return -1;
    int rc = basis_build(b, cols, nc, p->n);
    free(cols);
    return rc;
}

static int ctrl_build(ctrl *c, const panel *p)
{
    int n = p->n;
    memset(c, 0, sizeof *c);
    c->step = malloc(sizeof(int32_t) * (size_t)(2 * p->nz + n + 1));
    if (!c->step) return -1;
    for (int k = 0; k < p->nz; k++) {
        add_step(c->step, &c->nsteps, p->zfirst[k], n);
        add_step(c->step, &c->nsteps, p->zlast[k] + 1, n);
    }
    /* van changes: only a few clean switches are modelled as steps */
    int32_t vs[8];
    int nv = 0, many = 0;
    for (int t = 1; t < n; t++)
        if (p->van[t] != p->van[t - 1]) {
            if (nv == 8) many = 1;
            else vs[nv++] = t;
        }
    if (!many)
        for (int i = 0; i < nv; i++) add_step(c->step, &c->nsteps, vs[i], n);
    return basis_for(p, c, -1, &c->full);
}

static void ctrl_free(ctrl *c)
{
    free(c->step);
    free(c->full.q);
}

/* Candidate change dates: month starts with min_side days of [lo, hi]
 * on either side; into out[] as panel indices. */
static int month_starts(const panel *p, int lo, int hi, int min_side, int32_t *out)
{
    int k = 0;
    for (int t = lo + 1; t <= hi; t++) {
        int y, m, d, y0, m0, d0;
        fc_civil_from_days(p->day[t], &y, &m, &d);
        fc_civil_from_days(p->day[t - 1], &y0, &m0, &d0);
        if (m == m0 && y == y0) continue;
        if (t - lo < min_side || hi - t + 1 < min_side) continue;
        out[k++] = t;
    }
    return k;
}

/* Candidate dates of a station step: the first panel day of each week
 * (Monday or the first day kept after it) and of each month, with
 * min_side days on either side and at least `gap` days from every
 * composition or van step of the controls. Not month starts alone: a step
 * that starts mid-month, tested only at the month starts around it,
 * leaves up to a month of misfit in one 28-day block, which inflates the
 * block-means variance there; an earlier month start (with the trend
 * pulled by the step) then won with the wrong date and sign (+3% from
 * 2024-03-16 read as -2.5% from 2023-03-01). The gap: a candidate a few
 * days from a control step is, over the controls, a pulse of those days,
 * which the block means cannot measure (the bundled example's SEA1, van
 * switch on 2024-10-01, flagged +2.4% from 2024-09-30, p_adj 5e-7). */
static int step_dates(const panel *p, const ctrl *c, int min_side, int gap, int32_t *out)
{
    int k = 0, n = p->n;
    for (int t = 1; t < n; t++) {
        int32_t d = p->day[t], d0 = p->day[t - 1];
        int y, m, dd, y0, m0, dd0;
        fc_civil_from_days(d, &y, &m, &dd);
        fc_civil_from_days(d0, &y0, &m0, &dd0);
        int week = d - fc_date_weekday(d) != d0 - fc_date_weekday(d0);
        if (!week && m == m0 && y == y0) continue;
        if (t < min_side || n - t < min_side) continue;
        int near = 0;
        for (int i = 0; i < c->nsteps && !near; i++) near = abs(p->day[c->step[i]] - d) < gap;
        if (!near) out[k++] = t;
    }
    return k;
}

/* ---- the tests of one station ---- */

typedef struct work {
    double *y, *x[MAXK], *u;
} work;

/* y and regressors, weighted and residualised on basis b; returns 0 or -1. */
static int test_one(const panel *p, const basis *b, int m, const double *const *raw, int k, int j,
                    const lrv *lv, work *w, fc_dx_coef *out)
{
    int n = p->n;
    memcpy(w->y, p->y[m], sizeof(double) * n);
    basis_resid(b, w->y);
    for (int i = 0; i < k; i++) {
        for (int t = 0; t < n; t++) w->x[i][t] = p->sw[t] * raw[i][t];
        basis_resid(b, w->x[i]);
    }
    return ols_hac(w->y, w->x, k, n, b->rank, lv, j, w->u, out);
}

static double mean_share(const double *x, int lo, int hi)
{
    double s = 0;
    for (int t = lo; t <= hi; t++) s += x[t];
    return hi >= lo ? s / (hi - lo + 1) : 0;
}

static int zip_tests(const panel *p, const ctrl *c, int has_hours, int k, const fc_dx_settings *set,
                     work *w, int32_t station, fc_dx_zip *out, int64_t *ntests)
{
    int n = p->n;
    const double *x = p->share + (size_t)k * n;
    int lo = p->zfirst[k], hi = p->zlast[k];
    memset(out, 0, sizeof *out);
    out->zip = p->zip[k];
    out->station = station;
    out->days = 0;
    for (int t = lo; t <= hi; t++) out->days += x[t] > 0;
    out->mean_share = mean_share(x, lo, hi);
    out->p_zip = 1;
    out->effect.p = 1;
    out->specific.p = NAN;
    out->share.p = NAN;
    out->kind = -1;
    const lrv nw = {set->hac_lag, NULL, 0, 0};
    if (out->mean_share < set->min_share || out->days < 2 * set->min_side) return 0;
    double *xs = malloc(sizeof(double) * n), *st = malloc(sizeof(double) * n);
    int32_t *dates = malloc(sizeof(int32_t) * (size_t)(n + 1));
    if (!xs || !st || !dates) {
        free(xs);
        free(st);
        free(dates);
        return -1;
    }
    int arrived = lo >= set->min_side;
    basis barr = {0, 0, NULL};
    if (arrived && basis_for(p, c, lo, &barr)) goto oom;
    int nd = month_starts(p, lo, hi, set->min_side, dates);
    int nmeas = 1;
    int ntest = 0;
    double best_p = 2;
    for (int mi = 0; mi < nmeas; mi++) {
        int m = has_hours ? mi : FC_DX_ROUTES;
        fc_dx_coef cf;
        const double *r1[1] = {x};
        /* the whole time at the station: reported, not flagged (a zip's
         * constant misfit is confounded with what the model cannot see) */
        if (test_one(p, &c->full, m, r1, 1, 0, &nw, w, &cf) == 0) out->share = cf;
        /* since it came to the station, without the step at its arrival */
        if (arrived) {
            ntest++;
            if (test_one(p, &barr, m, r1, 1, 0, &nw, w, &cf) == 0 &&
                cf.p < best_p) {
                best_p = cf.p;
                out->effect = cf;
                out->kind = FC_DX_ARRIVAL;
                out->measure = m;
                out->first_day = p->day[lo];
            }
        }
        /* its share from a date on */
        for (int i = 0; i < nd; i++) {
            int tau = dates[i];
            for (int t = 0; t < n; t++) xs[t] = t >= tau ? x[t] : 0;
            const double *r2[2] = {x, xs};
            ntest++;
            if (test_one(p, &c->full, m, r2, 2, 1, &nw, w, &cf) == 0 &&
                cf.p < best_p) {
                best_p = cf.p;
                out->effect = cf;
                out->kind = FC_DX_CHANGE;
                out->measure = m;
                out->first_day = p->day[tau];
            }
        }
    }
    *ntests += ntest;
    out->ntests = ntest;
    if (out->kind >= 0) {
        out->p_zip = fmin(1.0, out->effect.p * ntest);
        double q = gsl_cdf_tdist_Qinv(set->alpha / 2, out->effect.df);
        out->lo = out->effect.est - q * out->effect.se;
        out->hi = out->effect.est + q * out->effect.se;
        int tau = 0;
        while (tau < n && p->day[tau] < out->first_day) tau++;
        out->station_pct = 100 * out->effect.est * mean_share(x, tau, hi);
        /* how well a zip effect beats a station-wide step at the same date */
        if (out->kind != FC_DX_SHARE) {
            const basis *b = out->kind == FC_DX_ARRIVAL ? &barr : &c->full;
            for (int t = 0; t < n; t++) {
                xs[t] = t >= tau ? x[t] : 0;
                st[t] = t >= tau ? 1 : 0;
            }
            const double *r3[3] = {x, xs, st};
            fc_dx_coef sp;
            int ok = out->kind == FC_DX_CHANGE
                         ? test_one(p, b, out->measure, r3, 3, 1, &nw, w, &sp)
                         : test_one(p, b, out->measure, r3 + 1, 2, 0, &nw, w, &sp);
            if (ok == 0) out->specific = sp;
        }
    }
    free(barr.q);
    free(xs);
    free(st);
    free(dates);
    return 0;
oom:
    free(xs);
    free(st);
    free(dates);
    return -1;
}

/* The controls' share of the block-level degrees of freedom: for each
 * orthonormal control column, the part of its norm that survives summing
 * within blocks (1 for a column constant over a block such as the trend,
 * the season or a composition step; about 0 for the weekdays). */
static double block_share(const basis *b, const int32_t *blk, int nblk)
{
    double lost = 0;
    int n = b->n;
    for (int k = 0; k < b->rank; k++) {
        const double *q = b->q + (size_t)k * n;
        int t = 0;
        for (int g = 0; g < nblk && t < n; g++) {
            double s = 0;
            int len = 0;
            for (; t < n && blk[t] == g; t++, len++) s += q[t];
            if (len) lost += s * s / len;
        }
    }
    return lost;
}

/* Drift (last weeks) and the largest step of station s's residual. */
static int station_tests(const panel *p, const ctrl *c, int has_hours, const fc_dx_settings *set,
                         work *w, fc_dx_station *out, int *ndates)
{
    int n = p->n;
    int m = has_hours ? FC_DX_HOURS : FC_DX_ROUTES;
    out->measure = m;
    out->days = n;
    out->first_day = p->day[0];
    out->last_day = p->day[n - 1];
    out->recent.p = out->change.p = 1;
    out->change_day = FC_NO_DATE;
    double sw2 = 0, sy = 0, syy = 0;
    for (int t = 0; t < n; t++) {
        double yy = p->y[m][t] / p->sw[t];
        sw2 += p->sw[t] * p->sw[t];
        sy += p->sw[t] * p->sw[t] * yy;
        syy += p->sw[t] * p->sw[t] * yy * yy;
    }
    double mu = sy / sw2;
    out->resid_sd = sqrt(fmax(0, syy / sw2 - mu * mu));
    /* blocks of block_days calendar days; a short tail joins the last block */
    int32_t *blk = malloc(sizeof(int32_t) * n);
    if (!blk) return -1;
    int L = set->block_days > 0 ? set->block_days : 28;
    int span = p->day[n - 1] - p->day[0] + 1;
    int nfull = span / L, nblk = nfull + (span - nfull * L >= L / 2);
    if (nblk < 1) nblk = 1;
    for (int t = 0; t < n; t++) {
        int b = (p->day[t] - p->day[0]) / L;
        blk[t] = b < nblk ? b : nblk - 1;
    }
    lrv bm = {0, blk, nblk, block_share(&c->full, blk, nblk)};
    out->blocks = nblk;
    out->block_lost = bm.lost;
    /* drift: a step at the start of the last weeks, over the controls */
    int32_t from = p->day[n - 1] - 7 * set->drift_weeks + 1;
    int t0 = 0;
    while (t0 < n && p->day[t0] < from) t0++;
    /* a test needs 4 block-level df (ols_hac): with fewer blocks neither
     * the drift nor any step can be tested; say so rather than read p = 1 */
    const int few_blocks = !(nblk - bm.lost - 1 >= 4);
    out->untested = few_blocks ? FC_DX_UNTESTED_BLOCKS
                    : !(n - t0 >= 14 && t0 >= set->min_side) ? FC_DX_UNTESTED_WINDOW : FC_DX_TESTED;
    if (out->untested == FC_DX_TESTED) {
        double *rs = malloc(sizeof(double) * n);
        if (!rs) {
            free(blk);
            return -1;
        }
        for (int t = 0; t < n; t++) rs[t] = t >= t0;
        const double *r1[1] = {rs};
        fc_dx_coef cf;
        if (test_one(p, &c->full, m, r1, 1, 0, &bm, w, &cf) == 0) {
            out->recent = cf;
            out->recent_tested = 1;
        } else {
            out->untested = FC_DX_UNTESTED_SINGULAR;
        }
        free(rs);
    }
    /* step at a week or month start, over the controls */
    int32_t *dates = malloc(sizeof(int32_t) * (size_t)(n + 1));
    double *st = malloc(sizeof(double) * n);
    if (!dates || !st) {
        free(dates);
        free(st);
        free(blk);
        return -1;
    }
    int nd = step_dates(p, c, set->min_side, L, dates);
    /* Bonferroni over all the dates (~110 in two years, not ~20 month
     * starts): counting only the months they fall in flagged a clean
     * station (seed 5, BOS2, +0.4% from 2024-02-19, p_adj 0.009), the
     * maximum over week starts being well above that over month starts */
    *ndates = nd;
    for (int i = 0; i < nd; i++) {
        for (int t = 0; t < n; t++) st[t] = t >= dates[i];
        const double *r1[1] = {st};
        fc_dx_coef cf;
        if (test_one(p, &c->full, m, r1, 1, 0, &bm, w, &cf) == 0 &&
            cf.p < out->change.p) {
            out->change = cf;
            out->change_day = p->day[dates[i]];
        }
    }
    free(dates);
    free(st);
    free(blk);
    return 0;
}

/* ---- the run ---- */

static int cmp_zip(const void *a, const void *b)
{
    const fc_dx_zip *x = a, *y = b;
    if (x->flagged != y->flagged) return y->flagged - x->flagged;
    if (x->p_adj != y->p_adj) return x->p_adj < y->p_adj ? -1 : 1;
    if (x->station != y->station) return x->station < y->station ? -1 : 1;
    return (x->zip > y->zip) - (x->zip < y->zip);
}

static int cmp_p(const void *a, const void *b)
{
    const fc_dx_zip *const *x = a, *const *y = b;
    if ((*x)->p_zip != (*y)->p_zip) return (*x)->p_zip < (*y)->p_zip ? -1 : 1;
    if ((*x)->station != (*y)->station) return (*x)->station < (*y)->station ? -1 : 1;
    return ((*x)->zip > (*y)->zip) - ((*x)->zip < (*y)->zip);
}

/* Correction across zips; then, per station and date, the zip that fits a
 * change best keeps its flag and the others count as its rivals unless
 * they stand out against a station-wide step themselves. */
static int correct_zips(fc_diagnosis *dx)
{
    int nt = 0;
    for (int i = 0; i < dx->nzips; i++) nt += dx->zips[i].kind >= 0;
    fc_dx_zip **o = malloc(sizeof(*o) * (size_t)(nt > 0 ? nt : 1));
    if (!o) return -1;
    int k = 0;
    for (int i = 0; i < dx->nzips; i++) {
        dx->zips[i].p_adj = 1;
        if (dx->zips[i].kind >= 0) o[k++] = &dx->zips[i];
    }
    qsort(o, (size_t)k, sizeof *o, cmp_p);
    const fc_dx_settings *s = &dx->settings;
    if (s->correction == FC_DX_BONFERRONI) {
        for (int i = 0; i < k; i++) o[i]->p_adj = fmin(1.0, o[i]->p_zip * k);
    } else {
        double run = 1;
        for (int i = k - 1; i >= 0; i--) {
            run = fmin(run, o[i]->p_zip * k / (i + 1));
            o[i]->p_adj = fmin(1.0, run);
        }
    }
    /* A change that fits several zips of a station alike is a station
     * change: a zip is flagged only when it also stands out against a
     * station-wide step at its date (Bonferroni over its tests and the
     * zips), or when the change is its arrival at the station. */
    for (int i = 0; i < k; i++) {
        fc_dx_zip *a = o[i];
        int sig = a->p_adj < s->alpha;
        int specific = isfinite(a->specific.p) && a->specific.p * a->ntests * k < s->alpha;
        a->flagged = sig && (a->kind == FC_DX_ARRIVAL || specific);
    }
    /* rivals: other zips of the station with a significant change within a month */
    for (int i = 0; i < k; i++) {
        fc_dx_zip *a = o[i];
        if (!(a->p_adj < s->alpha)) continue;
        for (int j = 0; j < k; j++)
            if (j != i && o[j]->p_adj < s->alpha && o[j]->station == a->station &&
                abs(o[j]->first_day - a->first_day) <= 31)
                a->rivals++;
    }
    free(o);
    return 0;
}

/* One station's tests (an item of fc_parallel_for): its panel and
 * controls built and freed here, the regressions in its thread's work
 * buffers, its flagged zips into its own slots of dx->zips; merged in
 * station order afterwards, so nothing depends on the thread count. */
typedef struct station_res {
    int state;              /* 0 tested, 1 too few days (n), -1 out of memory */
    int n, nd, nz;
    int64_t ntests;
    fc_dx_station so;
} station_res;

typedef struct dx_job {
    const acc *ac;
    const double *net;
    int32_t dmin;
    int ndays, has_hours, nst_data;
    const fc_shipments *sh;
    const int32_t *zl, *zoff, *fill;
    const fc_dx_settings *s;
    work *w;                /* one per thread */
    fc_dx_zip *zips;        /* station sid's from zoff[sid] */
    station_res *res;
} dx_job;

static void station_one(void *arg, int64_t i, int thread)
{
    const dx_job *j = arg;
    const int32_t sid = (int32_t)i;
    station_res *res = &j->res[sid];
    panel p;
    ctrl c;
    memset(&p, 0, sizeof p);
    memset(&c, 0, sizeof c);
    memset(res, 0, sizeof *res);
    res->state = -1;
    if (panel_build(&p, j->ac + (size_t)sid * j->ndays, j->net, j->dmin, j->ndays, j->has_hours, j->sh,
                    j->zl + j->zoff[sid], j->fill[sid], sid, j->s))
        goto out;
    p.use_other = j->nst_data >= FC_DX_MIN_OTHER + 1 && p.n_other >= p.n / 2;
    if (p.n < 2 * j->s->min_side) {
        res->state = 1;
        res->n = p.n;
        goto out;
    }
    if (ctrl_build(&c, &p)) goto out;
    res->so.station = sid;
    if (station_tests(&p, &c, j->has_hours, j->s, &j->w[thread], &res->so, &res->nd)) goto out;
    for (int k = 0; k < p.nz; k++) {
        fc_dx_zip *zo = &j->zips[j->zoff[sid] + res->nz];
        if (zip_tests(&p, &c, j->has_hours, k, j->s, &j->w[thread], sid, zo, &res->ntests)) goto out;
        if (zo->kind >= 0) res->nz++;
    }
    res->state = 0;
out:
    ctrl_free(&c);
    panel_free(&p);
}

/* One warning per reason a station's drift test was not made, naming the
 * stations (drift_tested false in the JSON; the text table shows p 1). */
static int warn_untested(const fc_diagnosis *dx, const fc_stations *stations, const fc_dx_settings *s,
                         fc_diag *d)
{
    for (int why = FC_DX_UNTESTED_BLOCKS; why <= FC_DX_UNTESTED_SINGULAR; why++) {
        int n = 0;
        size_t len = 1;
        for (int i = 0; i < dx->nstations; i++)
            if (!dx->st[i].recent_tested && dx->st[i].untested == why) {
                n++;
                len += strlen(fc_intern_name(stations->ids, dx->st[i].station)) + 2;
            }
        if (n == 0) continue;
        char *names = malloc(len);
        if (!names) return -1;
        names[0] = 0;
        for (int i = 0; i < dx->nstations; i++)
            if (!dx->st[i].recent_tested && dx->st[i].untested == why) {
                if (names[0]) strcat(names, ", ");
                strcat(names, fc_intern_name(stations->ids, dx->st[i].station));
            }
        const char *pl = n == 1 ? "" : "s";
        if (why == FC_DX_UNTESTED_BLOCKS)
            fc_diag_warn(d, "%d station%s not tested for drift nor for a step (drift_tested false): %s; "
                         "%s %d-day blocks leave fewer than 4 degrees of freedom for the standard "
                         "error (about 8 blocks, 7-8 months of days, are needed)",
                         n, pl, names, n == 1 ? "its" : "their", s->block_days > 0 ? s->block_days : 28);
        else if (why == FC_DX_UNTESTED_WINDOW)
            fc_diag_warn(d, "%d station%s not tested for drift (drift_tested false): %s; the last %d weeks "
                         "leave fewer than %d days before them, or hold fewer than 14; a smaller "
                         "--drift-weeks tests them", n, pl, names, s->drift_weeks, s->min_side);
        else
            fc_diag_warn(d, "%d station%s not tested for drift (drift_tested false): %s; the last %d weeks "
                         "cannot be told from the controls", n, pl, names, s->drift_weeks);
        free(names);
    }
    return 0;
}

int fc_diagnosis_run(fc_spr_predictor *pr, const fc_routes *r, const fc_vehicles *veh,
                     const fc_shipments *sh, const fc_stations *stations, const fc_dx_settings *s,
                     fc_diag *d, fc_diagnosis **out)
{
    *out = NULL;
    const int nstations = stations->n;
    if (r->n == 0 || !r->has_routes) {
        fc_diag_error(d, FC_EDATA, "diagnose needs observed route counts");
        return FC_EDATA;
    }
    int32_t dmin = r->day[0], dmax = r->day[0];
    for (int64_t i = 1; i < r->n; i++) {
        if (r->day[i] < dmin) dmin = r->day[i];
        if (r->day[i] > dmax) dmax = r->day[i];
    }
    int ndays = dmax - dmin + 1;
    fc_diagnosis *dx = calloc(1, sizeof *dx);
    acc *ac = calloc((size_t)nstations * (size_t)ndays, sizeof *ac);
    int32_t *zoff = calloc((size_t)nstations + 1, sizeof(int32_t));
    int32_t *zl = NULL;
    double *net = NULL;
    int st = FC_OK;
    if (!dx || !ac || !zoff) goto oom;
    dx->settings = *s;
    dx->has_hours = r->has_hours;
    for (int64_t i = 0; i < r->n; i++) {
        fc_spr_row row;
        fc_spr_pred pd;
        acc *a = &ac[(size_t)r->station[i] * ndays + (r->day[i] - dmin)];
        a->rows++;
        if (fc_spr_predict_row(pr, r, veh, i, &row, &pd) || !(row.obs_routes >= 0)) {
            a->bad = 1;
            continue;
        }
        a->obs_r += row.obs_routes;
        a->pred_r += pd.routes[FC_VAR_HYBRID];
        a->obs_h += row.obs_hours;  /* NAN spreads: the day then drops out */
        a->pred_h += pd.hours;
        a->pkg += row.packages;
        if (row.obs_routes > a->best_routes || a->rows == 1) {
            a->best_routes = row.obs_routes;
            a->van = row.van;
        }
    }
    /* zips ever served by each station (from the shipments' segments) */
    for (int32_t z = 0; z < sh->nzips; z++)
        for (int32_t g = sh->seg_off[z]; g < sh->seg_off[z + 1]; g++) zoff[sh->seg_station[g] + 1]++;
    for (int i = 0; i < nstations; i++) zoff[i + 1] += zoff[i];
    zl = malloc(sizeof(int32_t) * (size_t)(zoff[nstations] > 0 ? zoff[nstations] : 1));
    int32_t *fill = calloc((size_t)nstations, sizeof(int32_t));
    if (!zl || !fill) {
        free(fill);
        goto oom;
    }
    for (int32_t z = 0; z < sh->nzips; z++)
        for (int32_t g = sh->seg_off[z]; g < sh->seg_off[z + 1]; g++) {
            int32_t sid = sh->seg_station[g];
            int dup = 0;
            for (int32_t q = zoff[sid]; q < zoff[sid] + fill[sid]; q++) dup |= zl[q] == z;
            if (!dup) zl[zoff[sid] + fill[sid]++] = z;
        }
    dx->st = calloc((size_t)nstations, sizeof *dx->st);
    dx->zips = calloc((size_t)(zoff[nstations] > 0 ? zoff[nstations] : 1), sizeof *dx->zips);
    if (!dx->st || !dx->zips) {
        free(fill);
        goto oom;
    }
    net = calloc((size_t)2 * ndays, sizeof(double));
    if (!net) {
        free(fill);
        goto oom;
    }
    for (int32_t sid = 0; sid < nstations; sid++)
        for (int i = 0; i < ndays; i++) {
            const acc *a = &ac[(size_t)sid * ndays + i];
            if (!acc_ok(a, r->has_hours)) continue;
            net[2 * i] += a->pred_r * acc_resid(a, r->has_hours);
            net[2 * i + 1] += a->pred_r;
        }
    int nst_data = 0;
    for (int32_t sid = 0; sid < nstations; sid++) {
        int any = 0;
        for (int i = 0; i < ndays && !any; i++) any = acc_ok(&ac[(size_t)sid * ndays + i], r->has_hours);
        nst_data += any;
    }
    {
        /* the stations on threads, then merged in station order */
        const int T = fc_parallel_threads(s->threads);
        station_res *res = calloc((size_t)nstations + 1, sizeof *res);
        work *wt = calloc((size_t)T, sizeof *wt);
        int bad = !res || !wt;
        for (int t = 0; t < T && !bad; t++) {
            wt[t].y = malloc(sizeof(double) * ndays);
            wt[t].u = malloc(sizeof(double) * ndays);
            bad = !wt[t].y || !wt[t].u;
            for (int i = 0; i < MAXK && !bad; i++) bad = !(wt[t].x[i] = malloc(sizeof(double) * ndays));
        }
        if (!bad) {
            dx_job dj = {ac, net, dmin, ndays, r->has_hours, nst_data, sh, zl, zoff, fill, s, wt, dx->zips, res};
            fc_parallel_for(nstations, T, station_one, &dj);
        }
        for (int32_t sid = 0; sid < nstations && !bad; sid++) {
            const station_res *rs = &res[sid];
            if (rs->state < 0) {
                bad = 1;
            } else if (rs->state == 1) {
                if (rs->n > 0)
                    fc_diag_note(d, "station %s: %d usable days, too few to diagnose (it needs %d)",
                                 fc_intern_name(stations->ids, sid), rs->n, 2 * s->min_side);
            } else {
                fc_dx_station *so = &dx->st[dx->nstations++];
                *so = rs->so;
                so->change_p_adj = rs->nd; /* scaled below, once the station count is known */
                /* its flagged zips, moved up behind the previous stations' */
                memmove(&dx->zips[dx->nzips], &dx->zips[zoff[sid]], (size_t)rs->nz * sizeof *dx->zips);
                dx->nzips += rs->nz;
                dx->ntests += rs->ntests;
            }
        }
        for (int t = 0; wt && t < T; t++) {
            free(wt[t].y);
            free(wt[t].u);
            for (int i = 0; i < MAXK; i++) free(wt[t].x[i]);
        }
        free(wt);
        free(res);
        free(fill);
        if (bad) goto oom;
    }
    if (warn_untested(dx, stations, s, d)) goto oom;
    for (int i = 0; i < dx->nstations; i++) {
        fc_dx_station *so = &dx->st[i];
        double nd = so->change_p_adj > 0 ? so->change_p_adj : 1;
        so->change_p_adj = fmin(1.0, so->change.p * nd * dx->nstations);
        so->recent_p_adj = fmin(1.0, so->recent.p * dx->nstations);
        /* CIs at the reported df, like the zips' (the size to act on) */
        so->recent_lo = so->recent_hi = so->change_lo = so->change_hi = NAN;
        if (so->recent_tested) {
            double q = gsl_cdf_tdist_Qinv(s->alpha / 2, so->recent.df);
            so->recent_lo = so->recent.est - q * so->recent.se;
            so->recent_hi = so->recent.est + q * so->recent.se;
        }
        if (so->change_day != FC_NO_DATE) {
            double q = gsl_cdf_tdist_Qinv(s->alpha / 2, so->change.df);
            so->change_lo = so->change.est - q * so->change.se;
            so->change_hi = so->change.est + q * so->change.se;
        }
        so->drift_flag = so->recent_p_adj < s->alpha;
        so->change_flag = so->change_p_adj < s->alpha;
        dx->nflag_drift += so->drift_flag;
        dx->nflag_change += so->change_flag;
    }
    if (correct_zips(dx)) goto oom;
    for (int i = 0; i < dx->nzips; i++) dx->nflag_zips += dx->zips[i].flagged;
    qsort(dx->zips, (size_t)dx->nzips, sizeof *dx->zips, cmp_zip);
    if (dx->nstations == 0) {
        fc_diag_error(d, FC_EDATA, "no station has %d usable days with observed routes to diagnose",
                      2 * s->min_side);
        st = FC_EDATA;
    }
    goto done;
oom:
    fc_diag_error(d, FC_EINTERNAL, "out of memory");
    st = FC_EINTERNAL;
done:
    free(ac);
    free(net);
    free(zoff);
    free(zl);
    if (st != FC_OK) {
        fc_diagnosis_free(dx);
        return st;
    }
    *out = dx;
    return FC_OK;
}

void fc_diagnosis_free(fc_diagnosis *dx)
{
    if (!dx) return;
    free(dx->zips);
    free(dx->st);
    free(dx);
}
