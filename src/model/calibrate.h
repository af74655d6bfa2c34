/* calibrate.h -- (private to src/model) per-station nonlinear least squares
 * of the routing physics, in log-parameter space with a Gaussian prior. */
#ifndef FLEETCAST_MODEL_CALIBRATE_H
#define FLEETCAST_MODEL_CALIBRATE_H

#include <stdint.h>
#include "fleetcast/physics.h"
#include "fleetcast/spr.h"

/* Rows to fit: the terms of row i are terms[off[i] .. off[i+1]-1]. */
typedef struct calib_rows {
    int64_t n;
    const int64_t *off;
    const fc_phys_zip *terms;
    const double *share, *cap, *shift, *obs_r, *obs_h, *obs_k;
} calib_rows;

typedef struct calib_result {
    double x[FC_PHYS_NPARAM];       /* log parameters (clamped to the bounds) */
    double se[FC_PHYS_NPARAM];      /* standard errors of the parameters themselves */
    int iterations;
    int converged;                  /* 0: iteration limit, or a non-finite cost */
    double rmse_log_routes;         /* of the route counts, unweighted */
    const char *why;                /* when not converged */
} calib_result;

/* Fit x starting from prior_x, pulled toward prior_x with log-sd prior_sd.
 * Returns FC_OK (see res->converged) or FC_EINTERNAL on out of memory. */
int calib_fit(const calib_rows *rows, const double prior_x[FC_PHYS_NPARAM], double prior_sd,
              const fc_spr_settings *s, calib_result *res);

#endif
