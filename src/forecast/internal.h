/* internal.h -- (private to src/forecast) random numbers, a deterministic
 * parallel loop and quantiles shared by the forecast files. */
#ifndef FLEETCAST_FORECAST_INTERNAL_H
#define FLEETCAST_FORECAST_INTERNAL_H

#include <stdint.h>
#include "fleetcast/parallel.h"

/* xoshiro256** seeded through splitmix64: fast, and each zip or station
 * gets its own stream from (seed, its index) so results never depend on the
 * order or the thread in which entities are simulated. */
typedef struct fc_rng {
    uint64_t s[4];
} fc_rng;

/* A stream for entity `id` (zip or station index) and purpose `salt`. */
void fc_rng_seed(fc_rng *r, uint64_t seed, uint64_t id, uint64_t salt);

static inline uint64_t fc_rng_next(fc_rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5;
    uint64_t res = ((x << 7) | (x >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return res;
}

/* Standard normals by a piecewise-linear inverse CDF over 4096 cells
 * (error < 1e-3 inside +-3.3, tails cut at +-4.3): two per 64-bit draw.
 * fc_normal_init() must run once before threads start. */
void fc_normal_init(void);
extern float fc_normal_table[4097];

static inline float fc_normal_from(uint32_t u)
{
    uint32_t i = u >> 20;
    float f = (float)(u & 0xFFFFF) * (1.0f / 1048576.0f);
    return fc_normal_table[i] + f * (fc_normal_table[i + 1] - fc_normal_table[i]);
}

static inline void fc_rng_normal2(fc_rng *r, float *a, float *b)
{
    uint64_t u = fc_rng_next(r);
    *a = fc_normal_from((uint32_t)u);
    *b = fc_normal_from((uint32_t)(u >> 32));
}

/* Fill out[0..n-1] with standard normals. */
void fc_rng_normals(fc_rng *r, float *out, int n);

/* Run fn(ctx, i) for i in [0, n) on up to `threads` threads (chunks of
 * consecutive i). fn must only write to state owned by i. Returns 0, or -1
 * when threads could not be started (then runs serially). */

/* Mean and the 10th, 50th and 90th percentiles (linear interpolation,
 * R type 7) of v[0..n-1]; v is reordered. */
void fc_quantiles(float *v, int n, double *mean, double *p10, double *p50, double *p90);

/* One-step ETS errors of a fitted series (NAN where x is missing). */
struct fc_series_fit;
void fc_series_residuals(const double *x, int n, int moy0, const struct fc_series_fit *f, double *e);

/* h-step variance factors of the ETS error process: v[1..H]. */
void fc_series_hvar(const struct fc_series_fit *f, int H, double *v);

/* Volume in "standard months" of 30.4375 exposure days, and its log scale. */
#define FC_STD_MONTH 30.4375

#endif
