/* series.c -- one monthly series on the log scale: a ridge-pooled Fourier
 * regression (level, trend, yearly season) that also seeds a damped-trend
 * additive ETS fitted by grid search, refined by Nelder-Mead on long series
 * (docs/forecast.md, "Model"). */
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <gsl/gsl_multimin.h>
#include "fleetcast/forecast.h"

#define TWO_PI 6.283185307179586

static const char *method_names[] = {"ets", "fourier", "combo", "snaive"};

const char *fc_vol_method_name(int method)
{
    return method >= 0 && method <= FC_VOL_SNAIVE ? method_names[method] : "?";
}

int fc_vol_method_parse(const char *name)
{
    for (int i = 0; i <= FC_VOL_SNAIVE; i++)
        if (strcmp(name, method_names[i]) == 0) return i;
    return -1;
}

/* Seasonal regressor j (0..10) at calendar month m: cos/sin pairs of
 * harmonics 1..5, then the cosine of harmonic 6 (its sine is zero). */
static double season_term(int j, int m)
{
    int k = j / 2 + 1;
    double a = TWO_PI * k * m / 12.0;
    if (j == 10) return cos(a);
    return (j % 2 == 0) ? cos(a) : sin(a);
}

/* season_term for every (calendar month, regressor), computed once: the
 * regression asked for 11 cos/sin per observation. */
static double season_tab[12][11];
static pthread_once_t season_once = PTHREAD_ONCE_INIT;

static void season_tab_init(void)
{
    for (int m = 0; m < 12; m++)
        for (int j = 0; j < 11; j++) season_tab[m][j] = season_term(j, m);
}

/* Solve the SPD system A x = b (n x n, row-major, overwritten) by Cholesky.
 * Returns -1 when A is not positive definite. */
static int solve_spd(double *A, double *b, int n)
{
    for (int j = 0; j < n; j++) {
        double s = A[j * n + j];
        for (int k = 0; k < j; k++) s -= A[j * n + k] * A[j * n + k];
        if (!(s > 1e-12)) return -1;
        double d = sqrt(s);
        A[j * n + j] = d;
        for (int i = j + 1; i < n; i++) {
            double t = A[i * n + j];
            for (int k = 0; k < j; k++) t -= A[i * n + k] * A[j * n + k];
            A[i * n + j] = t / d;
        }
    }
    for (int i = 0; i < n; i++) {
        double t = b[i];
        for (int k = 0; k < i; k++) t -= A[i * n + k] * b[k];
        b[i] = t / A[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double t = b[i];
        for (int k = i + 1; k < n; k++) t -= A[k * n + i] * b[k];
        b[i] = t / A[i * n + i];
    }
    return 0;
}

/* Ridge regression of x on level, trend (t = 0 at the last month) and
 * nseas seasonal terms, pulled toward the prior's season and trend. */
static void regress(const double *x, int n, int moy0, int nobs, const fc_series_prior *pr,
                    int flags, fc_series_fit *f)
{
    int nseas = nobs >= 24 ? 11 : nobs >= 12 ? 4 : 0;
    /* The prior keeps short series' seasons sensible; without a trend
     * every month seen is its own season (a month never seen stays at the
     * level: the smallest season that fits). */
    if (pr || (flags & FC_SERIES_NO_TREND)) nseas = 11;
    int fit_trend = (nobs >= 3 || pr) && !(flags & FC_SERIES_NO_TREND);
    int p = 2 + nseas;
    double A[13 * 13], b[13];
    memset(A, 0, sizeof A);
    memset(b, 0, sizeof b);
    double row[13];
    pthread_once(&season_once, season_tab_init);
    for (int i = 0; i < n; i++) {
        if (isnan(x[i])) continue;
        int m = (moy0 + i) % 12;
        double t = (double)(i - (n - 1));
        double z = x[i] - (pr ? pr->season[m] + pr->trend * t : 0);
        row[0] = 1;
        row[1] = t;
        for (int j = 0; j < nseas; j++) row[2 + j] = season_tab[m][j];
        for (int r = 0; r < p; r++) {
            b[r] += row[r] * z;
            for (int c = 0; c < p; c++) A[r * p + c] += row[r] * row[c];
        }
    }
    /* Priors as pseudo-observations: the seasonal terms have mean square 1/2
     * over a year and a trend over W months carries W^3/12 of information. */
    double w = pr ? pr->weight_months : 0;
    A[0] += 1e-9;
    A[1 * p + 1] += fit_trend ? (pr ? w * w * w / 12.0 : 1e-6) : 1e12;
    for (int j = 0; j < nseas; j++) A[(2 + j) * p + 2 + j] += pr ? 0.5 * w : 1e-3;
    if (solve_spd(A, b, p)) memset(b, 0, sizeof b);
    f->reg_level = b[0];
    f->reg_trend = fit_trend ? b[1] + (pr ? pr->trend : 0) : 0;
    double mean = 0;
    for (int m = 0; m < 12; m++) {
        double s = pr ? pr->season[m] : 0;
        for (int j = 0; j < nseas; j++) s += b[2 + j] * season_tab[m][j];
        f->reg_season[m] = s;
        mean += s / 12;
    }
    for (int m = 0; m < 12; m++) f->reg_season[m] -= mean;
    f->reg_level += mean;
}

static const double grid_alpha[] = {0.02, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9};
static const double grid_beta[] = {0.0, 0.02, 0.08};
static const double grid_phi[] = {0.0, 0.85, 0.95, 0.99, 1.0};
static const double grid_gamma[] = {0.0, 0.05, 0.15, 0.3};
#ifndef NM_ITER
#define NM_ITER 200
#endif
#define NM_MIN_MONTHS 60
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Run the ETS recursion from the regression's start state; returns the SSE
 * of the one-step errors and leaves the final state in f when keep. */
static double ets_run(const double *x, int n, int moy0, int first, fc_series_fit *f, double al,
                      double be, double ph, double ga, int keep)
{
    double s[12];
    memcpy(s, f->reg_season, sizeof s);
    double b = ph > 0 ? f->reg_trend : 0;
    double l = f->reg_level + f->reg_trend * (double)(first - 1 - (n - 1));
    double sse = 0;
    for (int i = first; i < n; i++) {
        int m = (moy0 + i) % 12;
        double mu = l + ph * b + s[m];
        double e = isnan(x[i]) ? 0 : x[i] - mu;
        sse += e * e;
        l += ph * b + al * e;
        b = ph * b + be * e;
        s[m] += ga * e;
    }
    if (keep) {
        f->level = l;
        f->trend = b;
        memcpy(f->season, s, sizeof s);
    }
    return sse;
}

/* The grid search's SSEs, ETS_LANES parameter sets at a time: one set's
 * recursion is a chain of dependent operations that left the CPU waiting,
 * independent sets side by side do not (the bulk fit at 41,000 zips took
 * ~2.5x less CPU). Each set does exactly ets_run's operations in the same
 * order, so its SSE is the same to the bit. */
#define ETS_LANES 8

typedef struct ets_par {
    double al, be, ph, ga;
} ets_par;

static void ets_sse_lanes(const double *x, int n, int moy0, int first, const fc_series_fit *f,
                          const ets_par *par, int k, double *sse_out)
{
    double al[ETS_LANES], be[ETS_LANES], ph[ETS_LANES], ga[ETS_LANES];
    double l[ETS_LANES], b[ETS_LANES], s[12][ETS_LANES], sse[ETS_LANES];
    double l0 = f->reg_level + f->reg_trend * (double)(first - 1 - (n - 1));
    for (int j = 0; j < ETS_LANES; j++) {
        const ets_par *q = &par[j < k ? j : 0];  /* spare lanes repeat the first set */
        al[j] = q->al;
        be[j] = q->be;
        ph[j] = q->ph;
        ga[j] = q->ga;
        l[j] = l0;
        b[j] = q->ph > 0 ? f->reg_trend : 0;
        sse[j] = 0;
        for (int m = 0; m < 12; m++) s[m][j] = f->reg_season[m];
    }
    int m = (moy0 + first) % 12;
    for (int i = first; i < n; i++) {
        double xi = x[i];
        double *sm = s[m];
        if (isnan(xi)) {
            /* a missing month: e = 0, with ets_run's operations */
            for (int j = 0; j < ETS_LANES; j++) {
                double e = 0;
                sse[j] += e * e;
                l[j] += ph[j] * b[j] + al[j] * e;
                b[j] = ph[j] * b[j] + be[j] * e;
                sm[j] += ga[j] * e;
            }
        } else {
            for (int j = 0; j < ETS_LANES; j++) {
                double mu = l[j] + ph[j] * b[j] + sm[j];
                double e = xi - mu;
                sse[j] += e * e;
                l[j] += ph[j] * b[j] + al[j] * e;
                b[j] = ph[j] * b[j] + be[j] * e;
                sm[j] += ga[j] * e;
            }
        }
        if (++m == 12) m = 0;
    }
    for (int j = 0; j < k; j++) sse_out[j] = sse[j];
}

/* Local refinement of the grid optimum by Nelder-Mead on the one-step SSE,
 * in unconstrained coordinates: alpha = L(u0), gamma = (1 - alpha) L(u1),
 * and with a trend beta = alpha L(u2), phi = 0.8 + 0.2 L(u3) (L logistic). */
typedef struct nm_ctx {
    const double *x;
    int n, moy0, first, trend;
    fc_series_fit *f;
} nm_ctx;

static double logistic(double u) { return 1 / (1 + exp(-u)); }
static double logit(double p)
{
    if (p < 1e-3) p = 1e-3;
    if (p > 1 - 1e-3) p = 1 - 1e-3;
    return log(p / (1 - p));
}

static void nm_params(const nm_ctx *c, const gsl_vector *u, double *al, double *be, double *ph, double *ga)
{
    *al = logistic(gsl_vector_get(u, 0));
    *ga = (1 - *al) * logistic(gsl_vector_get(u, 1));
    *be = c->trend ? *al * logistic(gsl_vector_get(u, 2)) : 0;
    *ph = c->trend ? 0.8 + 0.2 * logistic(gsl_vector_get(u, 3)) : 0;
}

static double nm_sse(const gsl_vector *u, void *vc)
{
    nm_ctx *c = vc;
    double al, be, ph, ga;
    nm_params(c, u, &al, &be, &ph, &ga);
    return ets_run(c->x, c->n, c->moy0, c->first, c->f, al, be, ph, ga, 0);
}

static void refine(const double *x, int n, int moy0, int first, fc_series_fit *f, double *best,
                   double *ba, double *bb, double *bp, double *bg)
{
    nm_ctx c = {x, n, moy0, first, *bp > 0, f};
    size_t dim = c.trend ? 4 : 2;
    gsl_multimin_fminimizer *mm = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, dim);
    gsl_vector *u = gsl_vector_alloc(dim), *step = gsl_vector_alloc(dim);
    if (!mm || !u || !step) goto out;
    gsl_vector_set(u, 0, logit(*ba));
    gsl_vector_set(u, 1, logit(*bg / (1 - *ba)));
    if (c.trend) {
        gsl_vector_set(u, 2, logit(*bb / *ba));
        gsl_vector_set(u, 3, logit((*bp - 0.8) / 0.2));
    }
    gsl_vector_set_all(step, 0.7);
    gsl_multimin_function fn = {nm_sse, dim, &c};
    if (gsl_multimin_fminimizer_set(mm, &fn, u, step)) goto out;
    for (int it = 0; it < NM_ITER; it++) {
        if (gsl_multimin_fminimizer_iterate(mm)) break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(mm), 1e-3) == GSL_SUCCESS) break;
    }
    if (mm->fval < *best - 1e-12) {
        *best = mm->fval;
        nm_params(&c, mm->x, ba, bb, bp, bg);
    }
out:
    gsl_multimin_fminimizer_free(mm);
    gsl_vector_free(u);
    gsl_vector_free(step);
}

int fc_series_fit_log(const double *x, int n, int moy0, const fc_series_prior *prior,
                      fc_series_fit *f)
{
    return fc_series_fit_log_ex(x, n, moy0, prior, 0, f);
}

int fc_series_fit_log_ex(const double *x, int n, int moy0, const fc_series_prior *prior, int flags,
                         fc_series_fit *f)
{
    memset(f, 0, sizeof *f);
    int nobs = 0, first = -1;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i])) {
            nobs++;
            if (first < 0) first = i;
        }
    f->n_obs = nobs;
    f->last_moy = ((moy0 + n - 1) % 12 + 12) % 12;
    moy0 = ((moy0 % 12) + 12) % 12;
    if (nobs == 0) return -1;
    regress(x, n, moy0, nobs, prior, flags, f);
    double best = INFINITY, ba = 0.2, bb = 0, bp = 0, bg = 0;
    /* no trend: the grid's first phi, 0, only */
    int nphi = (flags & FC_SERIES_NO_TREND) ? 1 : NELEM(grid_phi);
    if (nobs >= 4) {
        ets_par grid[NELEM(grid_phi) * NELEM(grid_beta) * NELEM(grid_alpha) * NELEM(grid_gamma)];
        double sse[NELEM(grid)];
        int ng = 0;
        for (int ip = 0; ip < nphi; ip++)
            for (int ib = 0; ib < (grid_phi[ip] > 0 ? NELEM(grid_beta) : 1); ib++)
                for (int ia = 0; ia < NELEM(grid_alpha); ia++) {
                    if (grid_beta[ib] > grid_alpha[ia]) continue;
                    for (int ig = 0; ig < NELEM(grid_gamma); ig++) {
                        if (grid_gamma[ig] > 1 - grid_alpha[ia]) continue;
                        grid[ng++] = (ets_par){grid_alpha[ia], grid_beta[ib], grid_phi[ip],
                                               grid_gamma[ig]};
                    }
                }
        for (int g = 0; g < ng; g += ETS_LANES) {
            int k = ng - g < ETS_LANES ? ng - g : ETS_LANES;
            ets_sse_lanes(x, n, moy0, first, f, grid + g, k, sse + g);
        }
        /* the first strictly better set in grid order wins, as one by one */
        for (int g = 0; g < ng; g++)
            if (sse[g] < best - 1e-12) {
                best = sse[g];
                ba = grid[g].al;
                bb = grid[g].be;
                bp = grid[g].ph;
                bg = grid[g].ga;
            }
        /* Refine only long series: with a few years of data the grid point
         * is as good (docs/forecast.md) and refining would triple the bulk
         * fit time. */
        if (NM_ITER > 0 && nobs >= NM_MIN_MONTHS) refine(x, n, moy0, first, f, &best, &ba, &bb, &bp, &bg);
    } else if (prior && !(flags & FC_SERIES_NO_TREND)) {
        bp = prior->phi;
    }
    f->alpha = ba;
    f->beta = bb;
    f->phi = bp;
    f->gamma = bg;
    double sse = ets_run(x, n, moy0, first, f, ba, bb, bp, bg, 1);
    /* Degrees of freedom: level, trend and the four smoothing parameters;
     * the season is mostly carried by the regression (and its prior).
     * Without a trend, beta and phi are fixed: level, alpha and gamma (so
     * a zip of a 6-month history has a noise of its own). */
    int dof = nobs - ((flags & FC_SERIES_NO_TREND) ? 3 : 6);
    f->sigma = dof >= 2 ? sqrt(sse / dof) : NAN;
    return 0;
}

void fc_series_point(const fc_series_fit *f, int method, int horizon, double *out)
{
    double damp = 0, dreg = 0;
    const double phi_reg = 0.95;
    for (int h = 1; h <= horizon; h++) {
        int m = (f->last_moy + h) % 12;
        double pw = pow(f->phi, h);
        damp += pw;
        dreg += pow(phi_reg, h);
        double ets = f->level + damp * f->trend + f->season[m];
        double reg = f->reg_level + dreg * f->reg_trend + f->reg_season[m];
        switch (method) {
        case FC_VOL_ETS: out[h - 1] = ets; break;
        case FC_VOL_FOURIER: out[h - 1] = reg; break;
        default: out[h - 1] = 0.5 * (ets + reg); break;
        }
    }
}

int fc_series_forecast(const double *y, int n, int moy0, int method, int horizon, double *out)
{
    if (method == FC_VOL_SNAIVE) {
        int last = -1;
        for (int i = n - 1; i >= 0 && last < 0; i--)
            if (!isnan(y[i])) last = i;
        if (last < 0) return -1;
        for (int h = 1; h <= horizon; h++) {
            double v = NAN;
            for (int i = n - 1 - ((12 - (h % 12)) % 12); i >= 0 && isnan(v); i -= 12)
                if (!isnan(y[i])) v = y[i];
            out[h - 1] = isnan(v) ? y[last] : v;
        }
        return 0;
    }
    double xs[4096];
    if (n > 4096) return -1;
    for (int i = 0; i < n; i++) xs[i] = isnan(y[i]) ? NAN : log(fmax(y[i], 0) + 1);
    fc_series_fit f;
    if (fc_series_fit_log(xs, n, moy0, NULL, &f)) return -1;
    fc_series_point(&f, method, horizon, out);
    for (int h = 0; h < horizon; h++) out[h] = fmax(exp(out[h]) - 1, 0);
    return 0;
}

void fc_series_residuals(const double *x, int n, int moy0, const fc_series_fit *f, double *e)
{
    moy0 = ((moy0 % 12) + 12) % 12;
    int first = 0;
    while (first < n && isnan(x[first])) first++;
    for (int i = 0; i < first; i++) e[i] = NAN;
    double s[12];
    memcpy(s, f->reg_season, sizeof s);
    double b = f->phi > 0 ? f->reg_trend : 0;
    double l = f->reg_level + f->reg_trend * (double)(first - 1 - (n - 1));
    for (int i = first; i < n; i++) {
        int m = (moy0 + i) % 12;
        double mu = l + f->phi * b + s[m];
        double r = isnan(x[i]) ? 0 : x[i] - mu;
        e[i] = isnan(x[i]) ? NAN : r;
        l += f->phi * b + f->alpha * r;
        b = f->phi * b + f->beta * r;
        s[m] += f->gamma * r;
    }
}

/* h-step error variance factors of ETS(A,Ad,A), v[h] = 1 + sum_{j<h} c_j^2
 * for h = 1..H (v[0] unused). */
void fc_series_hvar(const fc_series_fit *f, int H, double *v)
{
    double acc = 1, damp = 0;
    for (int h = 1; h <= H; h++) {
        v[h] = acc;
        damp += pow(f->phi, h);
        double cj = f->alpha + f->beta * damp + (h % 12 == 0 ? f->gamma : 0);
        acc += cj * cj;
    }
}
