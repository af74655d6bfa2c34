/* test_bootstrap.c -- the paired block bootstrap against known answers:
 * a constant difference, the normal-theory interval of iid differences,
 * and the wider interval of rows that move together within a block. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "check.h"
#include "fleetcast/bootstrap.h"

#define N 4000

static double x[N], y[N];
static int32_t blk[N];

int main(void)
{
    fc_boot_diff d, d2;
    /* a constant difference: the interval is that constant */
    for (int i = 0; i < 100; i++) {
        x[i] = 1.0 + i;
        y[i] = i - 0.25;
        blk[i] = i / 7;
    }
    CHECK(fc_boot_paired_diff(x, y, blk, 100, 500, 0.9, 1, &d) == 0);
    CHECK_NEAR(d.mean, 1.25, 1e-12);
    CHECK_NEAR(d.lo, 1.25, 1e-12);
    CHECK_NEAR(d.hi, 1.25, 1e-12);
    CHECK(d.blocks == 15);

    /* iid differences, sd 1, one row per block: the 90% interval of the
     * mean is mean -+ 1.645 / sqrt(N) (normal theory) */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    for (int i = 0; i < N; i++) {
        x[i] = 0.3 + gsl_ran_gaussian(r, 1.0);
        y[i] = 0;
        blk[i] = i;
    }
    CHECK(fc_boot_paired_diff(x, y, blk, N, 4000, 0.9, 7, &d) == 0);
    double half = 1.6449 / sqrt((double)N);
    CHECK_NEAR((d.hi - d.lo) / 2, half, 0.1 * half);
    CHECK_NEAR((d.hi + d.lo) / 2, d.mean, 0.2 * half);
    CHECK(d.lo < d.mean && d.mean < d.hi);

    /* the same draws, but 40 rows per block share one shock: only N/40
     * independent values, so the interval is sqrt(40) times wider than
     * the iid one would be for N rows */
    for (int i = 0; i < N; i++) {
        blk[i] = i / 40;
        x[i] = i % 40 ? x[i - 1] : 0.3 + gsl_ran_gaussian(r, 1.0);
    }
    CHECK(fc_boot_paired_diff(x, y, blk, N, 4000, 0.9, 7, &d) == 0);
    double half_b = 1.6449 / sqrt((double)N / 40);
    CHECK_NEAR((d.hi - d.lo) / 2, half_b, 0.15 * half_b);
    CHECK(d.blocks == N / 40);

    /* reproducible from the seed; another seed, another (close) interval */
    CHECK(fc_boot_paired_diff(x, y, blk, N, 4000, 0.9, 7, &d2) == 0);
    CHECK(d2.lo == d.lo && d2.hi == d.hi && d2.mean == d.mean);
    CHECK(fc_boot_paired_diff(x, y, blk, N, 4000, 0.9, 8, &d2) == 0);
    CHECK(d2.lo != d.lo && fabs(d2.lo - d.lo) < 0.1 * half_b);

    /* nothing to resample */
    CHECK(fc_boot_paired_diff(x, y, blk, 0, 100, 0.9, 1, &d) == -1 && isnan(d.mean) && isnan(d.lo));
    gsl_rng_free(r);
    return check_report();
}
