/* ridge.c -- ridge regression with cross-validated penalty (LAPACKE). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#include "fleetcast/ridge.h"

void fc_ridge_free(fc_ridge *m)
{
    if (!m) return;
    if (m->names)
        for (int j = 0; j < m->p; j++) free(m->names[j]);
    free(m->names);
    free(m->mean);
    free(m->scale);
    free(m->beta);
    memset(m, 0, sizeof *m);
}

/* Standardised value of feature j (missing -> 0, the mean). */
static double zval(const fc_ridge *m, const double *x, int j)
{
    double v = x[j];
    return isfinite(v) ? (v - m->mean[j]) / m->scale[j] : 0.0;
}

double fc_ridge_predict(const fc_ridge *m, const double *x)
{
    double s = m->intercept;
    for (int j = 0; j < m->p; j++) s += m->beta[j] * zval(m, x, j);
    if (s < m->lo) s = m->lo;
    if (s > m->hi) s = m->hi;
    return s;
}

/* Accumulated sums of one subset: X'X, X'y, sum x, sum y, sum y^2, count. */
typedef struct moments {
    double *xx, *xy, *sx;
    double sy, syy, n;
} moments;

static int moments_alloc(moments *mo, int p)
{
    mo->xx = calloc((size_t)p * (size_t)p + 1, sizeof(double));
    mo->xy = calloc((size_t)p + 1, sizeof(double));
    mo->sx = calloc((size_t)p + 1, sizeof(double));
    mo->sy = mo->syy = mo->n = 0;
    return mo->xx && mo->xy && mo->sx ? 0 : -1;
}

static void moments_free(moments *mo)
{
    free(mo->xx);
    free(mo->xy);
    free(mo->sx);
}

/* Solve for the coefficients from moments `tr`: centred normal equations
 * (Sxx - n xbar xbar' + lambda n I) b = Sxy - n xbar ybar. */
static int solve(const moments *tr, int p, double lambda, double *A, double *b, double *icpt)
{
    double n = tr->n;
    if (n < 1) return -1;
    for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++)
            A[i * p + j] = tr->xx[i * p + j] - tr->sx[i] * tr->sx[j] / n;
        A[i * p + i] += lambda * n + 1e-12 * n;
        b[i] = tr->xy[i] - tr->sx[i] * tr->sy / n;
    }
    if (p > 0 && LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', p, 1, A, p, b, 1) != 0) return -1;
    double c = tr->sy / n;
    for (int j = 0; j < p; j++) c -= b[j] * tr->sx[j] / n;
    *icpt = c;
    return 0;
}

int fc_ridge_fit(const double *X, const double *y, int64_t n, int p, char *const *names,
                 const int32_t *fold, int k, const double *lambdas, int nl, fc_ridge *out,
                 fc_diag *d)
{
    memset(out, 0, sizeof *out);
    out->lo = -INFINITY;
    out->hi = INFINITY;
    if (n < 2 || nl < 1) {
        fc_diag_error(d, FC_EDATA, "too few rows to fit a regression (%lld)", (long long)n);
        return FC_EDATA;
    }
    if (!fold || k < 2) k = 1;
    out->p = p;
    out->n = n;
    out->names = calloc((size_t)p + 1, sizeof *out->names);
    out->mean = calloc((size_t)p + 1, sizeof(double));
    out->scale = calloc((size_t)p + 1, sizeof(double));
    out->beta = calloc((size_t)p + 1, sizeof(double));
    moments *fm = calloc((size_t)k + 1, sizeof *fm);   /* per fold, [k] = total */
    double *A = malloc(((size_t)p * (size_t)p + 1) * sizeof(double));
    double *b = malloc(((size_t)p + 1) * sizeof(double));
    double *z = malloc(((size_t)p + 1) * sizeof(double));
    double *cv = calloc((size_t)nl, sizeof(double));
    int st = FC_EINTERNAL;
    if (!out->names || !out->mean || !out->scale || !out->beta || !fm || !A || !b || !z || !cv)
        goto done;
    for (int j = 0; j < p; j++)
        if (!(out->names[j] = strdup(names[j]))) goto done;
    for (int f = 0; f <= k; f++)
        if (moments_alloc(&fm[f], p)) goto done;
    /* Means and scales over non-missing values. */
    for (int j = 0; j < p; j++) {
        double s = 0, ss = 0, c = 0;
        for (int64_t i = 0; i < n; i++) {
            double v = X[i * p + j];
            if (!isfinite(v)) continue;
            s += v;
            c += 1;
        }
        double m = c > 0 ? s / c : 0;
        for (int64_t i = 0; i < n; i++) {
            double v = X[i * p + j];
            if (isfinite(v)) ss += (v - m) * (v - m);
        }
        out->mean[j] = m;
        double sd = c > 1 ? sqrt(ss / c) : 0;
        out->scale[j] = sd > 1e-12 ? sd : 1.0;
    }
    for (int64_t i = 0; i < n; i++) {
        moments *mo = &fm[k > 1 ? fold[i] : 0];
        for (int j = 0; j < p; j++) z[j] = zval(out, X + i * p, j);
        for (int a = 0; a < p; a++) {
            mo->sx[a] += z[a];
            mo->xy[a] += z[a] * y[i];
            for (int c = a; c < p; c++) mo->xx[a * p + c] += z[a] * z[c];
        }
        mo->sy += y[i];
        mo->syy += y[i] * y[i];
        mo->n += 1;
    }
    for (int f = 0; f < k; f++) {
        moments *mo = &fm[f];
        for (int a = 0; a < p; a++)
            for (int c = 0; c < a; c++) mo->xx[a * p + c] = mo->xx[c * p + a];
        if (f == 0 && k == 1) break;
        for (int a = 0; a < p * p; a++) fm[k].xx[a] += mo->xx[a];
        for (int a = 0; a < p; a++) {
            fm[k].xy[a] += mo->xy[a];
            fm[k].sx[a] += mo->sx[a];
        }
        fm[k].sy += mo->sy;
        fm[k].syy += mo->syy;
        fm[k].n += mo->n;
    }
    const moments *total = k > 1 ? &fm[k] : &fm[0];
    int best = 0;
    if (k > 1) {
        moments tr;
        if (moments_alloc(&tr, p)) goto done;
        for (int l = 0; l < nl; l++) {
            double sse = 0, cnt = 0;
            for (int f = 0; f < k; f++) {
                const moments *te = &fm[f];
                if (te->n < 1) continue;
                for (int a = 0; a < p * p; a++) tr.xx[a] = total->xx[a] - te->xx[a];
                for (int a = 0; a < p; a++) {
                    tr.xy[a] = total->xy[a] - te->xy[a];
                    tr.sx[a] = total->sx[a] - te->sx[a];
                }
                tr.sy = total->sy - te->sy;
                tr.n = total->n - te->n;
                double c0;
                if (solve(&tr, p, lambdas[l], A, b, &c0)) {
                    sse = INFINITY;
                    break;
                }
                /* Held-out SSE from the fold's moments: sum (y - c0 - z'b)^2. */
                double e = te->syy - 2 * c0 * te->sy + te->n * c0 * c0;
                for (int a = 0; a < p; a++) {
                    e -= 2 * b[a] * (te->xy[a] - c0 * te->sx[a]);
                    for (int c = 0; c < p; c++) e += b[a] * b[c] * te->xx[a * p + c];
                }
                sse += e > 0 ? e : 0;
                cnt += te->n;
            }
            cv[l] = cnt > 0 ? sqrt(sse / cnt) : INFINITY;
            if (cv[l] < cv[best]) best = l;
        }
        moments_free(&tr);
    }
    if (solve(total, p, lambdas[best], A, b, &out->intercept)) {
        fc_diag_error(d, FC_EINTERNAL, "the regression's normal equations are singular");
        goto done;
    }
    memcpy(out->beta, b, (size_t)p * sizeof(double));
    out->lambda = lambdas[best];
    out->cv_rmse = k > 1 ? cv[best] : NAN;
    double sse = 0;
    for (int64_t i = 0; i < n; i++) {
        double e = y[i] - fc_ridge_predict(out, X + i * p);
        sse += e * e;
    }
    out->train_rmse = sqrt(sse / (double)n);
    st = FC_OK;
done:
    if (fm)
        for (int f = 0; f <= k; f++) moments_free(&fm[f]);
    free(fm);
    free(A);
    free(b);
    free(z);
    free(cv);
    if (st != FC_OK) {
        if (st == FC_EINTERNAL && !d->n_errors) fc_diag_error(d, FC_EINTERNAL, "out of memory");
        fc_ridge_free(out);
    }
    return st;
}
