/* bootstrap.h -- paired block bootstrap of a difference of means: is one
 * forecast's error really lower than another's on the same rows, or is the
 * gap within the noise? Rows that share a block (a week of days) share its
 * shocks, so whole blocks are resampled (Künsch 1989; here non-overlapping
 * blocks given by the caller). */
#ifndef FLEETCAST_BOOTSTRAP_H
#define FLEETCAST_BOOTSTRAP_H

#include <stdint.h>

typedef struct fc_boot_diff {
    double mean;        /* mean of x - y over the rows */
    double lo, hi;      /* percentile interval of that mean at the level asked */
    int blocks;         /* distinct blocks */
} fc_boot_diff;

/* x[i], y[i]: two errors of row i; block[i]: its block id (any int32).
 * reps resamples of the blocks with replacement (as many blocks as there
 * are), each giving sum(x - y) / rows over the chosen blocks; lo and hi
 * are the (1 - level)/2 and (1 + level)/2 quantiles of those. The random
 * numbers come from seed alone (MT19937), so the result is reproducible.
 * Returns 0, or -1 when n < 1 or memory runs out (out: NaN). */
int fc_boot_paired_diff(const double *x, const double *y, const int32_t *block, int64_t n, int reps,
                        double level, uint64_t seed, fc_boot_diff *out);

#endif
