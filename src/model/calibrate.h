/* calibrate.h -- (private to src/model) per-station nonlinear least squares
 * of the routing physics, in log-parameter space with a Gaussian prior. */
#ifndef FLEETCAST_MODEL_CALIBRATE_H
#define FLEETCAST_MODEL_CALIBRATE_H

#include <stdint.h>
#include "fleetcast/physics.h"
#include "fleetcast/spr.h"

#define CALIB_MAXATTR FC_SPR_MAX_MIX

/* Rows to fit: the terms of row i are terms[off[i] .. off[i+1]-1].
 * With nattr > 0 the fit has nattr more parameters, beta: term t's time
 * per stop is multiplied by exp(sum_j beta_j a_j) (its work_mult is
 * replaced), beta pulled toward 0 with sd attr_prior_sd, where a_j, the
 * term's attribute j, is (zval[zip * nattr + j] - centre[j]) / scale[j]
 * of its zip (fc_phys_zip.zip), in single precision, and 0 where that is
 * not finite. The attributes are the zip's, not the day's: they are
 * looked up, not stored per term. */
typedef struct calib_rows {
    int64_t n;
    const int64_t *off;
    const fc_phys_zip *terms;
    const double *share, *cap, *shift, *obs_r, *obs_h, *obs_k;
    int nattr;
    const double *zval;     /* nzip x nattr: each zip's raw attribute values (NAN: missing) */
    int32_t nzip;
    double centre[CALIB_MAXATTR], scale[CALIB_MAXATTR];
    double attr_prior_sd, attr_bound;   /* |sum beta a| is capped at attr_bound */
    const double *w;    /* NULL, or weights of the residuals (square roots, 3 per
                         * row: a station fit's final Huber weights) to start from,
                         * and in the joint fit to keep */
} calib_rows;
#define CALIB_MAXP (FC_PHYS_NPARAM + CALIB_MAXATTR)

typedef struct calib_result {
    double x[CALIB_MAXP];           /* log parameters (clamped to the bounds), then beta */
    double se[CALIB_MAXP];          /* standard errors of the parameters themselves, then of beta */
    int iterations;
    int converged;                  /* 0: iteration limit, or a non-finite cost */
    double rmse_log_routes;         /* of the route counts, unweighted */
    const char *why;                /* when not converged */
} calib_result;

/* Fit x starting from prior_x, pulled toward prior_x with log-sd prior_sd
 * (beta starts at, and is pulled toward, 0).
 * Returns FC_OK (see res->converged) or FC_EINTERNAL on out of memory. */
int calib_fit(const calib_rows *rows, const double prior_x[FC_PHYS_NPARAM], double prior_sd,
              const fc_spr_settings *s, calib_result *res);
/* The same from the starting point start (log parameters); with w_out
 * (3 per row), the final weights of the residuals into it. */
int calib_fit_from(const calib_rows *rows, const double start[FC_PHYS_NPARAM],
                   const double prior_x[FC_PHYS_NPARAM], double prior_sd, const fc_spr_settings *s,
                   calib_result *res, double *w_out);

/* The joint least squares of nst stations' physics (xs[s], log
 * parameters, pulled toward xprior with log-sd prior_sd) and the zip-mix
 * slopes beta shared by all (pulled toward 0 with sd s->mix_prior_sd), by
 * Levenberg-Marquardt with the stations' parameters profiled out at each
 * step (Schur complement: the work is per station, nothing grows with the
 * number of stations squared). st_rows[s] are station s's rows with attr
 * (nattr > 0; n = 0 leaves a station out). Updates xs and beta in place
 * from where they are, sets beta_se and *iterations; FC_ENOCONV when
 * the iteration limit is reached or a system is singular. */
int calib_mix_fit(const calib_rows *st_rows, int nst, double (*xs)[FC_PHYS_NPARAM], const double *xprior,
                  double prior_sd, double *beta, double *beta_se, int *iterations, const fc_spr_settings *s);

#endif
