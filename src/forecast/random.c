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

/* Move the k-th smallest of v[lo..hi] (inclusive) to v[k], smaller ones
 * before it and larger ones after (Hoare quickselect, median of three). */
static void select_k(float *v, int lo, int hi, int k)
{
    while (hi > lo) {
        int mid = lo + (hi - lo) / 2;
        float a = v[lo], b = v[mid], c = v[hi];
        float piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < piv) i++;
            while (v[j] > piv) j--;
            if (i <= j) {
                float t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return;
    }
}

/* Smallest of v[lo..hi] (lo <= hi). */
static float min_of(const float *v, int lo, int hi)
{
    float m = v[lo];
    for (int i = lo + 1; i <= hi; i++)
        if (v[i] < m) m = v[i];
    return m;
}

/* R type 7 quantile from the order statistics at floor(h) and floor(h)+1. */
static double interp(float lo, float hi, double h)
{
    return lo + (h - (int)h) * ((double)hi - lo);
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
    /* Three selections instead of a sort: v[k90] first, then the k50-th
     * inside [0, k90) and the k10-th inside [0, k50); the next order
     * statistic is the minimum of what lies between. Same values as a sort. */
    double h10 = (n - 1) * 0.1, h50 = (n - 1) * 0.5, h90 = (n - 1) * 0.9;
    int k10 = (int)h10, k50 = (int)h50, k90 = (int)h90;
    select_k(v, 0, n - 1, k90);
    float a90 = v[k90], b90 = k90 + 1 < n ? min_of(v, k90 + 1, n - 1) : a90;
    if (k50 < k90) select_k(v, 0, k90 - 1, k50);
    float a50 = v[k50], b50 = k50 + 1 < n ? (k50 < k90 ? min_of(v, k50 + 1, k90) : b90) : a50;
    if (k10 < k50) select_k(v, 0, k50 - 1, k10);
    float a10 = v[k10], b10 = k10 + 1 < n ? (k10 < k50 ? min_of(v, k10 + 1, k50) : b50) : a10;
    *p10 = interp(a10, b10, h10);
    *p50 = interp(a50, b50, h50);
    *p90 = interp(a90, b90, h90);
}
