/* ridge.h -- ridge regression (LAPACKE dposv on X'X + lambda I) with the
 * penalty chosen by k-fold cross-validation; the learned parts of the SPR
 * model. Features are standardised inside; missing values (NAN) take the
 * training mean. Free with fc_ridge_free() (NULL-safe on the contents). */
#ifndef FLEETCAST_RIDGE_H
#define FLEETCAST_RIDGE_H

#include <stdint.h>
#include "fleetcast/diag.h"

typedef struct fc_ridge {
    int p;              /* features */
    char **names;       /* p owned names */
    double *mean, *scale, *beta;  /* per feature (beta on the standardised scale) */
    double intercept;
    double lambda;      /* chosen penalty (on the standardised scale, per row) */
    double cv_rmse;     /* cross-validated RMSE at lambda */
    double train_rmse;
    int64_t n;          /* training rows */
    double lo, hi;      /* predictions are clamped to [lo, hi] (-inf/inf: none) */
} fc_ridge;

/* Fit y ~ X (n x p, row-major, NAN = missing) with the penalty picked from
 * `lambdas` (nl values) by the folds fold[i] in 0..k-1 (k >= 2; k < 2 or
 * fold NULL: the first lambda, no CV). names are copied. FC_EDATA (reported)
 * when n < 2, FC_EINTERNAL on a singular system or out of memory. */
int fc_ridge_fit(const double *X, const double *y, int64_t n, int p, char *const *names,
                 const int32_t *fold, int k, const double *lambdas, int nl, fc_ridge *out,
                 fc_diag *d) FC_MUST_CHECK;

/* Prediction for one row x (p values, NAN = missing), clamped. */
double fc_ridge_predict(const fc_ridge *m, const double *x);

/* Release what fc_ridge_fit (or the model reader) allocated; zeroes *m. */
void fc_ridge_free(fc_ridge *m);

#endif
