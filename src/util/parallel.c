/* parallel.c -- fc_parallel_for (see parallel.h). */
#include <pthread.h>
#include <unistd.h>
#include "fleetcast/parallel.h"

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


int fc_parallel_cores(void)
{
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c < 1 ? 1 : c > 64 ? 64 : (int)c;
}

int fc_parallel_threads(int threads) { return threads > 0 ? threads : fc_parallel_cores(); }
