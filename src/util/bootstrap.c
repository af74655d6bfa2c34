/* bootstrap.c -- paired block bootstrap of a difference of means. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "fleetcast/bootstrap.h"

typedef struct idrow {
    int32_t id;
    int64_t row;
} idrow;

static int cmp_idrow(const void *a, const void *b)
{
    const idrow *p = a, *q = b;
    if (p->id != q->id) return (p->id > q->id) - (p->id < q->id);
    return (p->row > q->row) - (p->row < q->row);
}

int fc_boot_paired_diff(const double *x, const double *y, const int32_t *block, int64_t n, int reps,
                        double level, uint64_t seed, fc_boot_diff *out)
{
    *out = (fc_boot_diff){NAN, NAN, NAN, 0};
    if (n < 1 || reps < 1) return -1;
    idrow *ir = malloc((size_t)n * sizeof *ir);
    double *sum = malloc((size_t)n * sizeof *sum), *cnt = malloc((size_t)n * sizeof *cnt);
    double *stat = malloc((size_t)reps * sizeof *stat);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = -1;
    if (!ir || !sum || !cnt || !stat || !rng) goto done;
    for (int64_t i = 0; i < n; i++) ir[i] = (idrow){block[i], i};
    qsort(ir, (size_t)n, sizeof *ir, cmp_idrow);
    /* per block (in the order of the ids): the sum of x - y and its rows */
    int64_t nb = 0;
    double total = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i == 0 || ir[i].id != ir[i - 1].id) {
            sum[nb] = 0;
            cnt[nb] = 0;
            nb++;
        }
        double d = x[ir[i].row] - y[ir[i].row];
        sum[nb - 1] += d;
        cnt[nb - 1] += 1;
        total += d;
    }
    gsl_rng_set(rng, (unsigned long)(seed ^ (seed >> 32)));
    for (int r = 0; r < reps; r++) {
        double s = 0, c = 0;
        for (int64_t b = 0; b < nb; b++) {
            int64_t k = (int64_t)gsl_rng_uniform_int(rng, (unsigned long)nb);
            s += sum[k];
            c += cnt[k];
        }
        stat[r] = s / c;
    }
    gsl_sort(stat, 1, (size_t)reps);
    double a = (1 - level) / 2;
    out->mean = total / (double)n;
    out->lo = gsl_stats_quantile_from_sorted_data(stat, 1, (size_t)reps, a);
    out->hi = gsl_stats_quantile_from_sorted_data(stat, 1, (size_t)reps, 1 - a);
    out->blocks = (int)nb;
    rc = 0;
done:
    free(ir);
    free(sum);
    free(cnt);
    free(stat);
    if (rng) gsl_rng_free(rng);
    return rc;
}
