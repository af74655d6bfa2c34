/* parallel.h -- a parallel for-loop over independent items (pthreads). */
#ifndef FLEETCAST_PARALLEL_H
#define FLEETCAST_PARALLEL_H

#include <stdint.h>

/* fn(ctx, i, thread) for item i, run by worker `thread` (0 .. threads-1,
 * for per-thread scratch). Items must be independent and write only their
 * own results, so the outcome does not depend on the thread count. */
typedef void (*fc_par_fn)(void *ctx, int64_t i, int thread);

/* Run fn for i = 0 .. n-1 in contiguous blocks, one per thread (at most
 * 64; threads < 1 runs serially). Returns 0, or -1 when a thread
 * could not be started (its block then ran on the caller's thread). */
int fc_parallel_for(int64_t n, int threads, fc_par_fn fn, void *ctx);

/* Online cores (1 .. 64). */
int fc_parallel_cores(void);

/* A thread-count setting made concrete: threads itself when > 0, else
 * one per online core. */
int fc_parallel_threads(int threads);

#endif
