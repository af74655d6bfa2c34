/* calibrate.c -- fitting the routing physics to observed routes, hours and
 * km with GSL's trust-region nonlinear least squares (multifit_nlinear),
 * with Huber reweighting for robustness and a prior toward network values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include "calibrate.h"

#define NP FC_PHYS_NPARAM
#define STALL_TOL 1e-7
#define STALL_RUN 5
/* ... or below STALL_WTOL over a window of STALL_WIN iterations: a slow
 * creep along a ridge (t_stop against t_pkg when packages per stop hardly
 * vary) that no longer changes any prediction; the ridge shows in the
 * standard errors instead. */
#define STALL_WIN 50
#define STALL_WTOL 1e-4

typedef struct ctx {
    const calib_rows *rows;
    const double *prior;
    double prior_sd;
    double sig[3];
    const double *w;        /* Huber weights, 3 per row */
    double *buf;            /* 3 per row */
} ctx;

static double lres(double pred, double obs, double sig)
{
    if (!(obs > 0) || !isfinite(obs) || !(pred > 0)) return 0;
    return (log(pred) - log(obs)) / sig;
}

/* Standardised residuals of every row (no weights) into e[3n]. */
static void residuals(const ctx *c, const double *x, double *e)
{
    const calib_rows *r = c->rows;
    for (int64_t i = 0; i < r->n; i++) {
        fc_phys_out o;
        fc_phys_eval_log(x, r->terms + r->off[i], (int)(r->off[i + 1] - r->off[i]), r->share[i],
                         r->cap[i], r->shift[i], &o);
        e[3 * i] = lres(o.routes, r->obs_r[i], c->sig[0]);
        e[3 * i + 1] = r->obs_h ? lres(o.hours, r->obs_h[i], c->sig[1]) : 0;
        e[3 * i + 2] = r->obs_k ? lres(o.km, r->obs_k[i], c->sig[2]) : 0;
    }
}

static int f_eval(const gsl_vector *xv, void *params, gsl_vector *f)
{
    const ctx *c = params;
    size_t m = (size_t)(3 * c->rows->n);
    double x[NP];
    for (int j = 0; j < NP; j++) x[j] = gsl_vector_get(xv, (size_t)j);
    /* f may be a column of the Jacobian (finite differences): mind the stride. */
    residuals(c, x, c->buf);
    for (size_t k = 0; k < m; k++) gsl_vector_set(f, k, c->buf[k] * c->w[k]);
    for (int j = 0; j < NP; j++)
        gsl_vector_set(f, m + (size_t)j, (x[j] - c->prior[j]) / c->prior_sd);
    return GSL_SUCCESS;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Huber weights (as square roots, applied to residuals) from the residuals
 * at x, with the cut at 1.345 robust sigmas (MAD). */
static void huber(const ctx *c, const double *x, double *e, double *w, double *tmp)
{
    size_t m = (size_t)(3 * c->rows->n), na = 0;
    residuals(c, x, e);
    for (size_t k = 0; k < m; k++)
        if (e[k] != 0) tmp[na++] = fabs(e[k]);
    if (na < 4) return;
    qsort(tmp, na, sizeof *tmp, cmp_double);
    double mad = tmp[na / 2] * 1.4826;
    if (!(mad > 0)) return;
    double cut = 1.345 * mad;
    for (size_t k = 0; k < m; k++) {
        double a = fabs(e[k]);
        w[k] = a <= cut ? 1.0 : sqrt(cut / a);
    }
}

int calib_fit(const calib_rows *rows, const double prior_x[NP], double prior_sd,
              const fc_spr_settings *s, calib_result *res)
{
    memset(res, 0, sizeof *res);
    size_t m = (size_t)(3 * rows->n), nres = m + NP;
    ctx c = {rows, prior_x, prior_sd, {s->sigma_routes, s->sigma_hours, s->sigma_km}, NULL, NULL};
    double *w = malloc((m + 1) * sizeof *w);
    double *e = malloc((m + 1) * sizeof *e);
    double *tmp = malloc((m + 1) * sizeof *tmp);
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    fp.trs = gsl_multifit_nlinear_trs_lmaccel;
    gsl_multifit_nlinear_workspace *ws =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, nres, NP);
    gsl_matrix *cov = gsl_matrix_alloc(NP, NP);
    gsl_vector *x0 = gsl_vector_alloc(NP);
    if (!w || !e || !tmp || !ws || !cov || !x0) {
        free(w);
        free(e);
        free(tmp);
        if (ws) gsl_multifit_nlinear_free(ws);
        if (cov) gsl_matrix_free(cov);
        if (x0) gsl_vector_free(x0);
        return FC_EINTERNAL;
    }
    for (size_t k = 0; k < m; k++) w[k] = 1.0;
    c.w = w;
    c.buf = tmp;
    gsl_multifit_nlinear_fdf fdf = {f_eval, NULL, NULL, nres, NP, &c, 0, 0, 0};
    double x[NP];
    memcpy(x, prior_x, sizeof x);
    res->converged = 1;
    for (int pass = 0; pass <= s->robust; pass++) {
        if (pass > 0) huber(&c, x, e, w, tmp);
        for (int j = 0; j < NP; j++) gsl_vector_set(x0, (size_t)j, x[j]);
        int info = 0;
        int st = gsl_multifit_nlinear_init(x0, &fdf, ws);
        /* Besides GSL's step and gradient tests: the cost has stalled
         * (relative decrease below STALL_TOL over STALL_RUN accepted
         * iterations). Parameters the data barely determine (a flat
         * valley, e.g. a stem speed against its bound) otherwise creep
         * on for hundreds of iterations without changing any prediction. */
        double cost_prev = INFINITY, cost_win = INFINITY;
        int stall = 0;
        for (int it = 0; st == GSL_SUCCESS; it++) {
            st = gsl_multifit_nlinear_iterate(ws);
            if (st != GSL_SUCCESS) break;
            st = gsl_multifit_nlinear_test(1e-6, 1e-6, 0.0, &info, ws);
            if (st == GSL_SUCCESS) break;
            if (st != GSL_CONTINUE) break;
            st = GSL_SUCCESS;
            double cost = gsl_blas_dnrm2(gsl_multifit_nlinear_residual(ws));
            cost *= cost;
            if (isfinite(cost) && cost_prev - cost <= STALL_TOL * cost) {
                if (++stall >= STALL_RUN) break;
            } else {
                stall = 0;
            }
            cost_prev = cost;
            if (it % STALL_WIN == 0) {
                if (isfinite(cost) && cost_win - cost <= STALL_WTOL * cost) break;
                cost_win = cost;
            }
            if (it + 1 >= s->max_iter) {
                st = GSL_EMAXITER;
                break;
            }
        }
        res->iterations += (int)gsl_multifit_nlinear_niter(ws);
        const gsl_vector *xs = gsl_multifit_nlinear_position(ws);
        for (int j = 0; j < NP; j++) x[j] = gsl_vector_get(xs, (size_t)j);
        double chi = gsl_blas_dnrm2(gsl_multifit_nlinear_residual(ws));
        /* The loop is gsl_multifit_nlinear_driver's, written out so the
         * iteration count and the stopping reason stay ours. */
        /* GSL_ENOPROG: no step lowers the cost any more -- at the minimum
         * when the data are exact; still a usable fit. */
        if (st == GSL_EMAXITER) {
            res->converged = 0;
            res->why = "iteration limit reached";
        } else if (st != GSL_SUCCESS && st != GSL_ENOPROG) {
            res->converged = 0;
            res->why = gsl_strerror(st);
        } else if (!isfinite(chi)) {
            res->converged = 0;
            res->why = "the cost is not finite";
        }
        if (!res->converged) break;
    }
    /* The fitted values are the bounded parameters (fc_phys_unlog). */
    for (int j = 0; j < NP; j++) res->x[j] = log(fc_phys_unlog(j, x[j]));
    /* Standard errors: s^2 (J'J)^-1 at the solution, delta method to the
     * parameters themselves. */
    residuals(&c, x, e);
    double sse = 0, sse_r = 0, na = 0, nr = 0;
    for (size_t k = 0; k < m; k++) {
        if (e[k] == 0) continue;
        sse += e[k] * e[k] * w[k] * w[k];
        na += 1;
        if (k % 3 == 0) {
            sse_r += e[k] * e[k];
            nr += 1;
        }
    }
    res->rmse_log_routes = nr > 0 ? sqrt(sse_r / nr) * s->sigma_routes : NAN;
    double s2 = na > NP ? sse / (na - NP) : 1.0;
    int cst = res->converged ? gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(ws), 0.0, cov)
                             : GSL_EFAILED;
    for (int j = 0; j < NP; j++) {
        double v = cst == GSL_SUCCESS ? gsl_matrix_get(cov, (size_t)j, (size_t)j) * s2 : NAN;
        /* delta method through the bounded map: dp/dx */
        double dp = (fc_phys_unlog(j, x[j] + 1e-6) - fc_phys_unlog(j, x[j] - 1e-6)) / 2e-6;
        res->se[j] = v >= 0 && isfinite(v) ? fabs(dp) * sqrt(v) : NAN;
    }
    free(w);
    free(e);
    free(tmp);
    gsl_multifit_nlinear_free(ws);
    gsl_matrix_free(cov);
    gsl_vector_free(x0);
    return FC_OK;
}
