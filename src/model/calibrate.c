/* calibrate.c -- fitting the routing physics to observed routes, hours and
 * km with GSL's trust-region nonlinear least squares (multifit_nlinear),
 * with Huber reweighting for robustness and a prior toward network values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_vector.h>
#include <lapacke.h>
#include "calibrate.h"
#include "fleetcast/parallel.h"

#define NP FC_PHYS_NPARAM
#define STALL_TOL 1e-7
#define STALL_RUN 5
/* ... or below STALL_WTOL over a window of STALL_WIN iterations: a slow
 * creep along a ridge (t_stop against t_pkg when packages per stop hardly
 * vary) that no longer changes any prediction; the ridge shows in the
 * standard errors instead. */
#define STALL_WIN 50
#define STALL_WTOL 1e-4
/* ... or the Gauss-Newton step that is left would move the parameters by
 * less than this many standard errors (gn_distance): closer than the data
 * can tell. GSL's step and gradient tests ask for 1e-6 in the parameters
 * themselves, three or four iterations more on a flat valley. The pass
 * that only sets the Huber weights stops at GN_PRE. */
#define GN_TOL 0.01
#define GN_PRE 0.25

/* A thread's memory of the zip-mix term per zip during one evaluation (one
 * station at one beta): a zip's term is the same on every day, so its
 * exp is taken once, not once per zip-day. An entry is current when its
 * stamp is now; a new evaluation takes the next now. */
typedef struct mix_memo {
    uint32_t now, *stamp;
    float *mult;            /* per zip: work_mult */
    float *a;               /* per zip: nattr attributes, 0 where the term is clamped */
} mix_memo;

static int memo_init(mix_memo *mm, int32_t nzip, int na)
{
    mm->now = 0;
    mm->stamp = calloc((size_t)nzip + 1, sizeof *mm->stamp);
    mm->mult = malloc(((size_t)nzip + 1) * sizeof *mm->mult);
    mm->a = malloc(((size_t)nzip * (size_t)na + 1) * sizeof *mm->a);
    return mm->stamp && mm->mult && mm->a ? 0 : -1;
}

static void memo_free(mix_memo *mm)
{
    free(mm->stamp);
    free(mm->mult);
    free(mm->a);
}

typedef struct ctx {
    const calib_rows *rows;
    double prior[NP];       /* each parameter's prior centre (log) and sd */
    double psd[NP];
    double sig[3];
    const double *w;        /* Huber weights, 3 per row */
    double *buf;            /* 3 per row */
    int nx;                 /* NP + rows->nattr */
    fc_phys_zip *row_terms; /* one row's terms with their work_mult (nattr > 0) */
    mix_memo *memo;         /* NULL, or this evaluation's memory of the zip-mix terms */
    int threads;            /* for the residuals of many rows */
} ctx;

static double lres(double pred, double obs, double sig)
{
    if (!(obs > 0) || !isfinite(obs) || !(pred > 0)) return 0;
    return (log(pred) - log(obs)) / sig;
}

/* Row i's terms into out[] with the zip-mix term of the slopes beta set
 * (work_mult = exp of sum_j beta_j a_j, clamped to the bound); with dir,
 * each term's attributes as the gradient's directions (0 where the term
 * is clamped: the slopes do not move it there). mm: NULL, or the
 * evaluation's memory of each zip's term. */
static void mix_terms(const calib_rows *r, int64_t i, const double *beta, fc_phys_zip *out, float *dir,
                      mix_memo *mm)
{
    const int na = r->nattr, nz = (int)(r->off[i + 1] - r->off[i]);
    const double bound = r->attr_bound;
    for (int q = 0; q < nz; q++) {
        out[q] = r->terms[r->off[i] + q];
        const int32_t z = out[q].zip;
        float a[CALIB_MAXATTR], *ap = a;
        if (mm && mm->stamp[z] == mm->now) {
            out[q].work_mult = mm->mult[z];
            ap = mm->a + (size_t)z * (size_t)na;
        } else {
            double lw = 0;
            for (int j = 0; j < na; j++) {
                double v = r->zval[(size_t)z * (size_t)na + (size_t)j], c = r->centre[j], sd = r->scale[j];
                a[j] = isfinite(v) && isfinite(c) && sd > 0 ? (float)((v - c) / sd) : 0.0f;
                lw += beta[j] * a[j];
            }
            out[q].work_mult = (float)exp(lw > bound ? bound : lw < -bound ? -bound : lw);
            if (lw > bound || lw < -bound)
                for (int j = 0; j < na; j++) a[j] = 0.0f;
            if (mm) {
                mm->stamp[z] = mm->now;
                mm->mult[z] = out[q].work_mult;
                memcpy(mm->a + (size_t)z * (size_t)na, a, (size_t)na * sizeof *a);
            }
        }
        if (dir) memcpy(dir + (size_t)q * (size_t)na, ap, (size_t)na * sizeof *ap);
    }
}

/* The most terms any row has (at least 1): the size of a row's scratch. */
static int64_t longest_row(const calib_rows *r)
{
    int64_t maxz = 1;
    for (int64_t i = 0; i < r->n; i++)
        if (r->off[i + 1] - r->off[i] > maxz) maxz = r->off[i + 1] - r->off[i];
    return maxz;
}

/* Residuals of rows lo .. hi-1 at x (bounded parameters p). */
static void residual_rows(const ctx *c, const double *x, const double *p, double *e, int64_t lo, int64_t hi,
                          fc_phys_zip *scratch)
{
    const calib_rows *r = c->rows;
    for (int64_t i = lo; i < hi; i++) {
        fc_phys_out o;
        const fc_phys_zip *t = r->terms + r->off[i];
        int nz = (int)(r->off[i + 1] - r->off[i]);
        if (r->nattr > 0) {
            mix_terms(r, i, x + NP, scratch, NULL, c->memo);
            t = scratch;
        }
        fc_phys_eval(p, t, nz, r->share[i], r->cap[i], r->shift[i], &o);
        e[3 * i] = lres(o.routes, r->obs_r[i], c->sig[0]);
        e[3 * i + 1] = r->obs_h ? lres(o.hours, r->obs_h[i], c->sig[1]) : 0;
        e[3 * i + 2] = r->obs_k ? lres(o.km, r->obs_k[i], c->sig[2]) : 0;
    }
}

/* The Jacobian of rows lo .. hi-1 (weighted, standardised) at x, in
 * closed form (fc_phys_eval_grad) through the bound map; a residual that
 * lres sets to 0 has a zero row. */
static void jacobian_rows(const ctx *c, const double *p, const double *dx, gsl_matrix *J, int64_t lo, int64_t hi)
{
    const calib_rows *r = c->rows;
    for (int64_t i = lo; i < hi; i++) {
        fc_phys_out o;
        double g[3][NP];
        fc_phys_eval_grad(p, r->terms + r->off[i], (int)(r->off[i + 1] - r->off[i]), r->share[i], r->cap[i],
                          r->shift[i], NULL, 0, &o, &g[0][0]);
        const double pred[3] = {o.routes, o.hours, o.km};
        const double obs[3] = {r->obs_r[i], r->obs_h ? r->obs_h[i] : NAN, r->obs_k ? r->obs_k[i] : NAN};
        for (int k = 0; k < 3; k++) {
            double *row = J->data + (size_t)(3 * i + k) * J->tda;
            int on = obs[k] > 0 && isfinite(obs[k]) && pred[k] > 0;
            double f = on ? c->w[3 * i + k] / c->sig[k] : 0;
            for (int j = 0; j < NP; j++) row[j] = f * g[k][j] * dx[j];
        }
    }
}

/* Every row's residuals into e (J NULL) or its Jacobian rows into J. */
typedef struct rows_job {
    const ctx *c;
    const double *x, *p, *dx;
    double *e;
    gsl_matrix *J;
} rows_job;

static void rows_one(void *arg, int64_t i, int thread)
{
    const rows_job *j = arg;
    (void)thread;
    if (j->J) jacobian_rows(j->c, j->p, j->dx, j->J, i, i + 1);
    else residual_rows(j->c, j->x, j->p, j->e, i, i + 1, NULL);
}

/* The rows of j on c->threads threads when there are many and no per-row
 * scratch is needed (no zip-mix slopes), else on this thread. */
static void rows_run(const ctx *c, rows_job *j)
{
    const int64_t n = c->rows->n;
    if (c->threads > 1 && c->rows->nattr == 0 && n >= 1024) fc_parallel_for(n, c->threads, rows_one, j);
    else if (j->J) jacobian_rows(c, j->p, j->dx, j->J, 0, n);
    else residual_rows(c, j->x, j->p, j->e, 0, n, c->row_terms);
}

/* Standardised residuals of every row (no weights) into e[3n]. */
static void residuals(const ctx *c, const double *x, double *e)
{
    double p[NP];
    for (int j = 0; j < NP; j++) p[j] = fc_phys_unlog(j, x[j]);
    rows_job j = {c, x, p, NULL, e, NULL};
    rows_run(c, &j);
}

static int f_eval(const gsl_vector *xv, void *params, gsl_vector *f)
{
    const ctx *c = params;
    size_t m = (size_t)(3 * c->rows->n);
    double x[CALIB_MAXP];
    for (int j = 0; j < c->nx; j++) x[j] = gsl_vector_get(xv, (size_t)j);
    /* f may be a column of the Jacobian (finite differences): mind the stride. */
    residuals(c, x, c->buf);
    for (size_t k = 0; k < m; k++) gsl_vector_set(f, k, c->buf[k] * c->w[k]);
    for (int j = 0; j < NP; j++)
        gsl_vector_set(f, m + (size_t)j, (x[j] - c->prior[j]) / c->psd[j]);
    for (int j = NP; j < c->nx; j++)
        gsl_vector_set(f, m + (size_t)j, x[j] / c->rows->attr_prior_sd);
    return GSL_SUCCESS;
}

/* GSL's df: the data rows from jacobian_rows (rows_run), the prior rows
 * diagonal. Without the zip-mix slopes among
 * the parameters (nattr 0); with them GSL differences f. */
static int df_eval(const gsl_vector *xv, void *params, gsl_matrix *J)
{
    const ctx *c = params;
    const int64_t n = c->rows->n;
    double p[NP], dx[NP];
    for (int j = 0; j < NP; j++) {
        double x = gsl_vector_get(xv, (size_t)j);
        p[j] = fc_phys_unlog(j, x);
        dx[j] = fc_phys_dunlog(j, x);
    }
    rows_job jj = {c, NULL, p, dx, NULL, J};
    rows_run(c, &jj);
    for (int j = 0; j < NP; j++) {
        double *row = J->data + (size_t)(3 * n + j) * J->tda;
        for (int q = 0; q < NP; q++) row[q] = q == j ? 1.0 / c->psd[j] : 0;
    }
    return GSL_SUCCESS;
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
    gsl_sort(tmp, 1, na);
    double mad = tmp[na / 2] * 1.4826;
    if (!(mad > 0)) return;
    double cut = 1.345 * mad;
    for (size_t k = 0; k < m; k++) {
        double a = fabs(e[k]);
        w[k] = a <= cut ? 1.0 : sqrt(cut / a);
    }
}

/* How far the Gauss-Newton step from the current point would move the
 * parameters, in standard errors: sqrt(g' (J'J)^-1 g / s2), g = J'f,
 * s2 = f'f / (m - nx), from the Jacobian and residuals GSL holds. A
 * (nx x nx), g, d (nx): scratch. INFINITY when J'J is not positive
 * definite. */
static double gn_distance(gsl_multifit_nlinear_workspace *ws, gsl_matrix *A, gsl_vector *g, gsl_vector *d)
{
    const gsl_matrix *J = gsl_multifit_nlinear_jac(ws);
    const gsl_vector *f = gsl_multifit_nlinear_residual(ws);
    const size_t m = J->size1, nx = J->size2;
    double ff = 0, q = 0;
    if (m <= nx) return INFINITY;
    gsl_blas_dsyrk(CblasLower, CblasTrans, 1.0, J, 0.0, A);
    gsl_blas_dgemv(CblasTrans, 1.0, J, f, 0.0, g);
    gsl_blas_ddot(f, f, &ff);
    double s2 = ff / (double)(m - nx);
    if (!(s2 > 0)) return 0;
    if (gsl_linalg_cholesky_decomp1(A) || gsl_linalg_cholesky_solve(A, g, d)) return INFINITY;
    gsl_blas_ddot(g, d, &q);
    return q >= 0 ? sqrt(q / s2) : INFINITY;
}

int calib_fit(const calib_rows *rows, const double prior_x[NP], double prior_sd,
              const fc_spr_settings *s, calib_result *res)
{
    return calib_fit_from(rows, prior_x, prior_x, prior_sd, s, res, NULL);
}

int calib_fit_from(const calib_rows *rows, const double start[NP], const double prior_x[NP], double prior_sd,
                   const fc_spr_settings *s, calib_result *res, double *w_out)
{
    memset(res, 0, sizeof *res);
    const int nx = NP + (rows->nattr > 0 ? rows->nattr : 0);
    size_t m = (size_t)(3 * rows->n), nres = m + (size_t)nx;
    /* The data hardly tell the stem's speed and circuity from the time at
     * the stops, in a station's fit and in the network's alike: they are
     * pulled toward the textbook values with at least stem_prior_sd in
     * every fit, so a zip that moves station pays a stem of a plausible
     * cost (docs/model.md §2, item 3). */
    double stem_sd = s->stem_prior_sd < prior_sd ? s->stem_prior_sd : prior_sd;
    ctx c = {.rows = rows, .sig = {s->sigma_routes, s->sigma_hours, s->sigma_km}, .nx = nx,
             .threads = fc_parallel_threads(s->threads)};
    for (int j = 0; j < NP; j++) {
        int stem = j == FC_PHYS_V_STEM || j == FC_PHYS_CIRCUITY;
        c.prior[j] = stem ? log(fc_phys_default[j]) : prior_x[j];
        c.psd[j] = stem ? stem_sd : prior_sd;
    }
    const int64_t maxz = longest_row(rows);
    fc_phys_zip *rt = rows->nattr > 0 ? malloc((size_t)maxz * sizeof *rt) : NULL;
    double *w = malloc((m + 1) * sizeof *w);
    double *e = malloc((m + 1) * sizeof *e);
    double *tmp = malloc((m + 1) * sizeof *tmp);
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    fp.trs = gsl_multifit_nlinear_trs_lmaccel;
    gsl_multifit_nlinear_workspace *ws =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, nres, (size_t)nx);
    gsl_matrix *cov = gsl_matrix_alloc((size_t)nx, (size_t)nx);
    gsl_vector *x0 = gsl_vector_alloc((size_t)nx);
    gsl_matrix *gA = gsl_matrix_alloc((size_t)nx, (size_t)nx);
    gsl_vector *gg = gsl_vector_alloc((size_t)nx), *gd = gsl_vector_alloc((size_t)nx);
    int ret = FC_EINTERNAL;
    if (!w || !e || !tmp || !ws || !cov || !x0 || !gA || !gg || !gd || (rows->nattr > 0 && !rt)) goto out;
    for (size_t k = 0; k < m; k++) w[k] = rows->w ? rows->w[k] : 1.0;
    c.w = w;
    c.buf = tmp;
    c.row_terms = rt;
    gsl_multifit_nlinear_fdf fdf = {f_eval, rows->nattr > 0 ? NULL : df_eval, NULL, nres, (size_t)nx, &c, 0, 0, 0};
    double x[CALIB_MAXP] = {0};
    memcpy(x, start, NP * sizeof *x);
    res->converged = 1;
    for (int pass = 0; pass <= s->robust; pass++) {
        if (pass > 0) huber(&c, x, e, w, tmp);
        for (int j = 0; j < nx; j++) gsl_vector_set(x0, (size_t)j, x[j]);
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
            if (gn_distance(ws, gA, gg, gd) <= (pass < s->robust ? GN_PRE : GN_TOL)) break;
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
        for (int j = 0; j < nx; j++) x[j] = gsl_vector_get(xs, (size_t)j);
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
    for (int j = NP; j < nx; j++) res->x[j] = x[j];
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
    double s2 = na > nx ? sse / (na - nx) : 1.0;
    int cst = res->converged ? gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(ws), 0.0, cov)
                             : GSL_EFAILED;
    for (int j = 0; j < NP; j++) {
        double v = cst == GSL_SUCCESS ? gsl_matrix_get(cov, (size_t)j, (size_t)j) * s2 : NAN;
        /* delta method through the bounded map: dp/dx = p dy/dx */
        double dp = fc_phys_unlog(j, x[j]) * fc_phys_dunlog(j, x[j]);
        res->se[j] = v >= 0 && isfinite(v) ? fabs(dp) * sqrt(v) : NAN;
    }
    for (int j = NP; j < nx; j++) {
        double v = cst == GSL_SUCCESS ? gsl_matrix_get(cov, (size_t)j, (size_t)j) * s2 : NAN;
        res->se[j] = v >= 0 && isfinite(v) ? sqrt(v) : NAN;
    }
    if (w_out) memcpy(w_out, w, m * sizeof *w);
    ret = FC_OK;
out:    /* GSL's frees, like free, take NULL */
    free(rt);
    free(w);
    free(e);
    free(tmp);
    gsl_multifit_nlinear_free(ws);
    gsl_matrix_free(cov);
    gsl_vector_free(x0);
    gsl_matrix_free(gA);
    gsl_vector_free(gg);
    gsl_vector_free(gd);
    return ret;
}

/* ---- the shared zip-mix slopes: joint Levenberg-Marquardt ---- */

/* Stop when an accepted step lowers the cost by less than this share. */
#define MIX_TOL 1e-6

/* The station parameters the joint fit moves with the slopes: those that
 * trade off with a zip's time per stop (k, v_local, t_stop, t_pkg). The
 * stem and the usable shift stay at the station's plain fit: the stem
 * speed sits on its bound at most stations, where the steps kept failing
 * and the fit crawled (90 iterations on one data set). The refit that
 * follows frees them all again. */
static const int mix_free[NP] = {1, 1, 0, 0, 1, 1, 0};

/* Residuals (e[3n], weighted by rows->w when given) of one station's rows
 * at log parameters x and slopes beta; rt: scratch for one row's terms;
 * mm: the thread's memory of the zip-mix terms, for this evaluation. */
static void station_res(const calib_rows *rows, const double *x, const double *beta, const fc_spr_settings *s,
                        double *e, fc_phys_zip *rt, mix_memo *mm)
{
    const int na = rows->nattr;
    ctx c = {.rows = rows, .sig = {s->sigma_routes, s->sigma_hours, s->sigma_km}, .nx = NP + na,
             .row_terms = rt, .memo = mm, .threads = 1};   /* residuals only: no prior */
    mm->now++;
    double xx[CALIB_MAXP];
    memcpy(xx, x, NP * sizeof *xx);
    memcpy(xx + NP, beta, (size_t)na * sizeof *xx);
    residuals(&c, xx, e);
    if (rows->w)
        for (int64_t k = 0; k < 3 * rows->n; k++) e[k] *= rows->w[k];
}

/* The normal equations of one station (no priors): A = J'J (nx x nx),
 * g = J'e, with J in closed form (fc_phys_eval_grad: the slopes are extra
 * directions, each zip's attribute values, 0 where the term is clamped);
 * the residuals into e (all weighted by rows->w when given); returns the
 * sum of squares. rt: scratch terms,
 * dir: scratch attributes (nattr per term) for the longest row, mm: as for
 * station_res. The parameters the joint fit holds (mix_free 0) get zero
 * columns. */
static double station_normal(const calib_rows *rows, const double *x, const double *beta,
                             const fc_spr_settings *s, double *e, float *dir, fc_phys_zip *rt, mix_memo *mm,
                             double *A, double *g)
{
    const int na = rows->nattr, nx = NP + na;
    const double sig[3] = {s->sigma_routes, s->sigma_hours, s->sigma_km};
    double p[NP], dx[NP], gr[3 * CALIB_MAXP], J[CALIB_MAXP];
    for (int j = 0; j < NP; j++) {
        p[j] = fc_phys_unlog(j, x[j]);
        dx[j] = mix_free[j] ? fc_phys_dunlog(j, x[j]) : 0;
    }
    mm->now++;
    memset(A, 0, (size_t)(nx * nx) * sizeof *A);
    memset(g, 0, (size_t)nx * sizeof *g);
    double sse = 0;
    for (int64_t i = 0; i < rows->n; i++) {
        int nz = (int)(rows->off[i + 1] - rows->off[i]);
        mix_terms(rows, i, beta, rt, dir, mm);
        fc_phys_out o;
        fc_phys_eval_grad(p, rt, nz, rows->share[i], rows->cap[i], rows->shift[i], dir, na, &o, gr);
        const double pred[3] = {o.routes, o.hours, o.km};
        const double obs[3] = {rows->obs_r[i], rows->obs_h ? rows->obs_h[i] : NAN,
                               rows->obs_k ? rows->obs_k[i] : NAN};
        for (int c = 0; c < 3; c++) {
            double *ek = &e[3 * i + c], wk = rows->w ? rows->w[3 * i + c] : 1.0;
            *ek = wk * lres(pred[c], obs[c], sig[c]);
            if (*ek == 0) continue;
            sse += *ek * *ek;
            for (int q = 0; q < nx; q++) J[q] = wk * gr[c * nx + q] * (q < NP ? dx[q] : 1.0) / sig[c];
            for (int q = 0; q < nx; q++) {
                g[q] += J[q] * *ek;
                for (int r = q; r < nx; r++) A[q * nx + r] += J[q] * J[r];
            }
        }
    }
    for (int q = 0; q < nx; q++)
        for (int r = 0; r < q; r++) A[q * nx + r] = A[r * nx + q];
    return sse;
}

/* station_normal for every station, for fc_parallel_for (each with its
 * own buffers; sse[si] NAN on out of memory). */
typedef struct normal_job {
    const calib_rows *st_rows;
    double (*xs)[NP];
    const double *beta;
    const fc_spr_settings *s;
    double *A, *g, *sse;
    double *nobs;       /* NULL, or the number of residuals each station has */
    mix_memo *memo;     /* one per thread */
} normal_job;

static void normal_one(void *arg, int64_t si, int thread)
{
    normal_job *j = arg;
    const calib_rows *rw = &j->st_rows[si];
    const int nx = NP + rw->nattr;
    j->sse[si] = 0;
    if (rw->n == 0) return;
    const int64_t maxz = longest_row(rw);
    double *e = malloc((size_t)(3 * rw->n) * sizeof *e);
    float *dir = malloc((size_t)maxz * (size_t)rw->nattr * sizeof *dir + 1);
    fc_phys_zip *rt = malloc((size_t)maxz * sizeof *rt);
    j->sse[si] = e && dir && rt ? station_normal(rw, j->xs[si], j->beta, j->s, e, dir, rt, &j->memo[thread],
                                                j->A + (size_t)si * nx * nx, j->g + (size_t)si * nx)
                                : NAN;
    if (j->nobs && e) {
        j->nobs[si] = 0;
        for (int64_t k = 0; k < 3 * rw->n; k++) j->nobs[si] += e[k] != 0;
    }
    free(e);
    free(dir);
    free(rt);
}

/* One station's share of the slopes' system, its own parameters profiled
 * out: with A_s = [App Apb; Abp Abb] (App with the prior, damped by
 * lambda, only the mix_free parameters) and g_s = [gp; gb] (gp with the
 * prior's gradient), solves App X = [Apb | gp] into Xs (NP x (na + 1)) and
 * adds Abb - Abp X_b to S and, when b is given, gb - Abp X_g to b. gs NULL:
 * no gradient (X_g = 0). Returns 0, or -1 when App is singular. */
static int station_profile(const double *As, const double *gs, const double *x, const double *xprior,
                           double psd2, double lambda, int na, double *Xs, double *S, double *b)
{
    const int nx = NP + na;
    double App[NP * NP];
    for (int p = 0; p < NP; p++) {
        for (int q = 0; q < NP; q++) App[p * NP + q] = mix_free[p] && mix_free[q] ? As[p * nx + q] : 0;
        App[p * NP + p] = mix_free[p] ? App[p * NP + p] + 1.0 / psd2 + lambda * (As[p * nx + p] + 1.0 / psd2)
                                      : 1.0;
        for (int q = 0; q < na; q++) Xs[p * (na + 1) + q] = mix_free[p] ? As[p * nx + NP + q] : 0;
        Xs[p * (na + 1) + na] = mix_free[p] && gs ? gs[p] + (x[p] - xprior[p]) / psd2 : 0;
    }
    if (LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', NP, na + 1, App, NP, Xs, na + 1) != 0) return -1;
    for (int p = 0; p < na; p++) {
        for (int q = 0; q < na; q++) {
            double v = As[(NP + p) * nx + NP + q];
            for (int k = 0; k < NP; k++) v -= As[(NP + p) * nx + k] * Xs[k * (na + 1) + q];
            S[p * na + q] += v;
        }
        if (!b) continue;
        double v = gs[NP + p];
        for (int k = 0; k < NP; k++) v -= As[(NP + p) * nx + k] * Xs[k * (na + 1) + na];
        b[p] += v;
    }
    return 0;
}

/* One station's share of the cost at (xs[si], beta): its data and its
 * prior, for fc_parallel_for (cost[si] -1 on out of memory). */
typedef struct cost_job {
    const calib_rows *st_rows;
    double (*xs)[NP];
    const double *xprior, *beta;
    double prior_sd;
    const fc_spr_settings *s;
    double *cost;
    mix_memo *memo;     /* one per thread */
} cost_job;

static void cost_one(void *arg, int64_t si, int thread)
{
    const cost_job *j = arg;
    const calib_rows *rw = &j->st_rows[si];
    j->cost[si] = 0;
    if (rw->n == 0) return;
    const int64_t maxz = longest_row(rw);
    double *e = malloc((size_t)(3 * rw->n) * sizeof *e);
    fc_phys_zip *rt = malloc((size_t)maxz * sizeof *rt);
    if (e && rt) {
        double c = 0;
        station_res(rw, j->xs[si], j->beta, j->s, e, rt, &j->memo[thread]);
        for (int64_t k = 0; k < 3 * rw->n; k++) c += e[k] * e[k];
        for (int p = 0; p < NP; p++) {
            double d = j->xs[si][p] - j->xprior[p];
            c += d * d / (j->prior_sd * j->prior_sd);
        }
        j->cost[si] = c;
    } else {
        j->cost[si] = -1;
    }
    free(e);
    free(rt);
}

/* Cost of the whole problem at (xs, beta): data + priors, the stations on
 * threads, summed in station order (the same on any number of threads).
 * cost: nst scratch; memo: one per thread. -1 on out of memory. */
static double joint_cost(const calib_rows *st_rows, int nst, double (*xs)[NP], const double *xprior,
                         double prior_sd, const double *beta, const fc_spr_settings *s, double *cost,
                         mix_memo *memo)
{
    const int na = st_rows[0].nattr;
    cost_job j = {st_rows, xs, xprior, beta, prior_sd, s, cost, memo};
    fc_parallel_for(nst, fc_parallel_threads(s->threads), cost_one, &j);
    double c = 0;
    for (int si = 0; si < nst; si++) {
        if (cost[si] < 0) return -1;
        c += cost[si];
    }
    for (int p = 0; p < na; p++) c += beta[p] * beta[p] / (s->mix_prior_sd * s->mix_prior_sd);
    return c;
}

int calib_mix_fit(const calib_rows *st_rows, int nst, double (*xs)[FC_PHYS_NPARAM], const double *xprior,
                  double prior_sd, double *beta, double *beta_se, int *iterations, const fc_spr_settings *s)
{
    const int na = nst > 0 ? st_rows[0].nattr : 0, nx = NP + na;
    *iterations = 0;
    if (na <= 0 || na > CALIB_MAXATTR) return FC_OK;
    const double psd2 = prior_sd * prior_sd, bsd2 = s->mix_prior_sd * s->mix_prior_sd;
    double *sse_st = malloc(((size_t)nst + 1) * sizeof *sse_st);
    double *nobs_st = malloc(((size_t)nst + 1) * sizeof *nobs_st);
    double *A = malloc((size_t)nst * (size_t)(nx * nx) * sizeof *A);
    double *g = malloc((size_t)nst * (size_t)nx * sizeof *g);
    double *X = malloc((size_t)nst * NP * (size_t)(na + 1) * sizeof *X);
    double (*xn)[NP] = malloc((size_t)nst * sizeof *xn);
    const int T = fc_parallel_threads(s->threads);
    int32_t nzip = 0;
    for (int si = 0; si < nst; si++)
        if (st_rows[si].nzip > nzip) nzip = st_rows[si].nzip;
    mix_memo *memo = calloc((size_t)T, sizeof *memo);
    int st = FC_OK, bad = !memo;
    for (int t = 0; t < T && !bad; t++) bad = memo_init(&memo[t], nzip, na);
    if (bad || !sse_st || !nobs_st || !A || !g || !X || !xn) {
        st = FC_EINTERNAL;
        goto done;
    }
    double cost = joint_cost(st_rows, nst, xs, xprior, prior_sd, beta, s, sse_st, memo), lambda = 1e-3;
    if (cost < 0) {
        st = FC_EINTERNAL;
        goto done;
    }
    double S[CALIB_MAXATTR * CALIB_MAXATTR], rhs[CALIB_MAXATTR * (CALIB_MAXATTR + 1)];
    int it, fresh = 1;
    for (it = 0; it < s->max_iter; it++) {
        if (fresh) {
            normal_job nj = {st_rows, xs, beta, s, A, g, sse_st, NULL, memo};
            fc_parallel_for(nst, T, normal_one, &nj);
            for (int si = 0; si < nst; si++)
                if (st_rows[si].n > 0 && !isfinite(sse_st[si])) {
                    st = FC_EINTERNAL;
                    goto done;
                }
            fresh = 0;
        }
        /* the damped step, stations profiled out: S db = -b */
        double b[CALIB_MAXATTR] = {0};
        memset(S, 0, sizeof S);
        for (int si = 0; si < nst; si++) {
            if (st_rows[si].n == 0) continue;
            if (station_profile(A + (size_t)si * nx * nx, g + (size_t)si * nx, xs[si], xprior, psd2, lambda,
                                na, X + (size_t)si * NP * (na + 1), S, b)) {
                st = FC_ENOCONV;
                goto done;
            }
        }
        for (int p = 0; p < na; p++) {
            S[p * na + p] += 1.0 / bsd2 + lambda * (S[p * na + p] + 1.0 / bsd2);
            b[p] += beta[p] / bsd2;
            rhs[p] = -b[p];
        }
        if (LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', na, 1, S, na, rhs, 1) != 0) {
            st = FC_ENOCONV;
            goto done;
        }
        double bn[CALIB_MAXATTR];
        for (int p = 0; p < na; p++) bn[p] = beta[p] + rhs[p];
        for (int si = 0; si < nst; si++) {
            const double *Xs = X + (size_t)si * NP * (na + 1);
            for (int p = 0; p < NP; p++) {
                double v = Xs[p * (na + 1) + na];
                for (int q = 0; q < na; q++) v += Xs[p * (na + 1) + q] * rhs[q];
                xn[si][p] = st_rows[si].n > 0 ? xs[si][p] - v : xs[si][p];
            }
        }
        double cn = joint_cost(st_rows, nst, xn, xprior, prior_sd, bn, s, sse_st, memo);
        if (cn < 0) {
            st = FC_EINTERNAL;
            goto done;
        }
        if (isfinite(cn) && cn <= cost) {
            double drop = cost - cn;
            memcpy(xs, xn, (size_t)nst * sizeof *xn);
            memcpy(beta, bn, (size_t)na * sizeof *bn);
            cost = cn;
            fresh = 1;
            lambda = lambda / 3 > 1e-7 ? lambda / 3 : 1e-7;
            if (drop <= MIX_TOL * cost) break;
        } else {
            lambda *= 4;
            if (lambda > 1e6) break;   /* no step lowers the cost: at the minimum */
        }
    }
    *iterations = it + 1;
    if (it >= s->max_iter) {
        st = FC_ENOCONV;
        goto done;
    }
    /* standard errors of beta: the undamped S^-1 at the solution, scaled by
     * the residual variance */
    {
        double sse = 0, nobs = 0;
        normal_job nj = {st_rows, xs, beta, s, A, g, sse_st, nobs_st, memo};
        fc_parallel_for(nst, T, normal_one, &nj);
        memset(S, 0, sizeof S);
        for (int si = 0; si < nst; si++) {
            if (st_rows[si].n == 0) continue;
            if (!isfinite(sse_st[si])) {
                st = FC_EINTERNAL;
                goto done;
            }
            sse += sse_st[si];
            nobs += nobs_st[si];
            station_profile(A + (size_t)si * nx * nx, NULL, xs[si], xprior, psd2, 0, na,
                            X + (size_t)si * NP * (na + 1), S, NULL);
        }
        for (int p = 0; p < na; p++) {
            S[p * na + p] += 1.0 / bsd2;
            for (int q = 0; q < na; q++) rhs[p * na + q] = p == q;
        }
        double s2 = nobs > nx ? sse / nobs : 1.0;
        int ok = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', na, na, S, na, rhs, na) == 0;
        for (int p = 0; p < na; p++) beta_se[p] = ok ? sqrt(rhs[p * na + p] * s2) : NAN;
    }
done:
    for (int t = 0; memo && t < T; t++) memo_free(&memo[t]);
    free(memo);
    free(sse_st);
    free(nobs_st);
    free(A);
    free(g);
    free(X);
    free(xn);
    return st;
}
