/* random.c -- seeded random streams, table normals, a deterministic
 * parallel loop and sample quantiles for the forecast. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include "fleetcast/intern.h"
#include "internal.h"

float fc_normal_table[4097];
static int normal_ready;

void fc_normal_init(void)
{
    if (normal_ready) return;
    /* Cell edges at i/4096; the two end points sit at the 1e-5 quantiles. */
    for (int i = 0; i <= 4096; i++) {
        double p = i / 4096.0;
        if (i == 0) p = 1e-5;
        if (i == 4096) p = 1 - 1e-5;
        fc_normal_table[i] = (float)gsl_cdf_ugaussian_Pinv(p);
    }
    normal_ready = 1;
}

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void fc_rng_seed(fc_rng *r, uint64_t seed, uint64_t id, uint64_t salt)
{
    uint64_t key[3] = {seed, id, salt};
    uint64_t x = fc_hash_bytes(key, sizeof key, 0x243F6A8885A308D3ull);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix(&x);
}

void fc_rng_normals(fc_rng *r, float *out, int n)
{
    int i = 0;
    for (; i + 1 < n; i += 2) fc_rng_normal2(r, &out[i], &out[i + 1]);
    if (i < n) {
        float b;
        fc_rng_normal2(r, &out[i], &b);
    }
}

typedef struct par_job {
    int64_t lo, hi;
    int thread;
    fc_par_fn fn;
    void *ctx;
} par_job;

static void *par_main(void *arg)
{
    par_job *j = arg;
    for (int64_t i = j->lo; i < j->hi; i++) j->fn(j->ctx, i, j->thread);
    return NULL;
}

int fc_parallel_for(int64_t n, int threads, fc_par_fn fn, void *ctx)
{
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    if (threads > n) threads = n > 0 ? (int)n : 1;
    if (threads == 1) {
        for (int64_t i = 0; i < n; i++) fn(ctx, i, 0);
        return 0;
    }
    /* Contiguous blocks, one per thread: each index runs exactly once, and
     * callers make results independent of which thread ran it. */
    pthread_t tid[64];
    par_job job[64];
    int started = 0, rc = 0;
    for (int t = 0; t < threads; t++) {
        job[t] = (par_job){n * t / threads, n * (t + 1) / threads, t, fn, ctx};
        if (pthread_create(&tid[t], NULL, par_main, &job[t]) != 0) {
            rc = -1;
            break;
        }
        started++;
    }
    for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
    for (int t = started; t < threads; t++) par_main(&job[t]);
    return rc;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static double q7(const float *v, int n, double p)
{
    double h = (n - 1) * p;
    int lo = (int)h;
    int hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (h - lo) * ((double)v[hi] - v[lo]);
}

void fc_quantiles(float *v, int n, double *mean, double *p10, double *p50, double *p90)
{
    if (n <= 0) {
        *mean = *p10 = *p50 = *p90 = 0;
        return;
    }
    double s = 0;
    for (int i = 0; i < n; i++) s += v[i];
    *mean = s / n;
    qsort(v, (size_t)n, sizeof *v, cmp_float);
    *p10 = q7(v, n, 0.1);
    *p50 = q7(v, n, 0.5);
    *p90 = q7(v, n, 0.9);
}
