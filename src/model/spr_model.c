/* spr_model.c -- fitting the hybrid SPR model (network physics, per-station
 * physics, learned correction, ML-only baseline) and scoring with it. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "calibrate.h"
#include "fleetcast/parallel.h"
#include "fleetcast/spr.h"

#define NP FC_PHYS_NPARAM
#define ML_EXTRA 4   /* log_capacity, log_packages, log_stops, station_level */
static const char *const ml_extra_names[ML_EXTRA] = {
    "log_capacity", "log_packages", "log_stops", "station_level"};

double fc_spr_round_routes(double routes, double packages)
{
    if (!(packages > 0) || !isfinite(routes)) return 0;
    double v = floor(routes + 0.5);
    return v < 1 ? 1 : v;
}

void fc_spr_model_free(fc_spr_model *m)
{
    if (!m) return;
    for (int s = 0; s < m->nstations; s++) {
        free(m->st[s].name);
        free(m->st[s].corr_centre);
        free(m->st[s].mix_centre);
    }
    free(m->st);
    for (int j = 0; j < m->mix.n; j++) free(m->mix.names[j]);
    free(m->mix.names);
    free(m->mix.mean);
    free(m->mix.sd);
    free(m->mix.beta);
    free(m->mix.se);
    fc_ridge_free(&m->corr);
    fc_ridge_free(&m->ml);
    cJSON_Delete(m->inputs);
    free(m);
}

/* Median of v[0..n-1], n > 0 (sorts v). */
static double median(double *v, int n)
{
    gsl_sort(v, 1, (size_t)n);
    return gsl_stats_median_from_sorted_data(v, 1, (size_t)n);
}

/* Pool the fitted stations of city (-1: every fitted station): per
 * parameter the median in log space of their plain (p) and hybrid (pmix)
 * parameters, and (centre not NULL) the median of their zip-mix centres.
 * v: scratch for nstations values. Returns the stations pooled (0: the
 * outputs are untouched). */
static int pool_fitted(const fc_spr_model *m, const int32_t *st_city, int city, double *v, double *p,
                       double *pmix, double *centre)
{
    const fc_spr_station *st = m->st;
#define POOLED(k) (st[k].status == FC_SPR_FITTED && (city < 0 || st_city[k] == city))
    int n = 0;
    for (int k = 0; k < m->nstations; k++) n += POOLED(k);
    if (n == 0) return 0;
    for (int j = 0; j < NP; j++) {
        int q = 0;
        for (int k = 0; k < m->nstations; k++)
            if (POOLED(k)) v[q++] = log(st[k].p[j]);
        p[j] = exp(median(v, n));
        q = 0;
        for (int k = 0; k < m->nstations; k++)
            if (POOLED(k)) v[q++] = log(st[k].pmix[j]);
        pmix[j] = exp(median(v, n));
    }
    for (int a = 0; centre && a < m->mix.n; a++) {
        int q = 0;
        for (int k = 0; k < m->nstations; k++)
            if (POOLED(k) && st[k].mix_centre && isfinite(st[k].mix_centre[a])) v[q++] = st[k].mix_centre[a];
        centre[a] = q > 0 ? median(v, q) : NAN;
    }
#undef POOLED
    return n;
}

/* A station without its own fit (too few days, not converged) takes its
 * city's fitted stations pooled (docs/model.md §2, item 2) -- stations of
 * one city share roads, traffic and practice -- or, with none in its
 * city, the typical station: every fitted station pooled (predict does
 * the same for a station unknown to the model: pool_unknown). Its zip-mix centre is
 * the pooled stations' too: the parameters were fitted relative to
 * those mixes, so the zip-mix term then prices what differs about this
 * station's zips. The network fit is a poor stand-in for one station: it
 * prices all stations' differences with one parameter set, and its stem
 * drifts (79 km/h on synth seed 7 where the stations' own fits say
 * 45-55). st_city: each station's city (-1: none). */
static int typical_station(fc_spr_model *m, const int32_t *st_city)
{
    memcpy(m->typical, m->network, sizeof m->typical);
    memcpy(m->typical_mix, m->network, sizeof m->typical_mix);
    double *v = malloc(((size_t)m->nstations + 1) * sizeof *v);
    double *centre = malloc(((size_t)m->mix.n + 1) * sizeof *centre);
    if (!v || !centre) {
        free(v);
        free(centre);
        return FC_EINTERNAL;
    }
    m->typical_n = pool_fitted(m, st_city, -1, v, m->typical, m->typical_mix, centre);
    for (int si = 0; si < m->nstations; si++) {
        fc_spr_station *ss = &m->st[si];
        if (ss->status == FC_SPR_FITTED) continue;
        int c = st_city ? st_city[si] : -1;
        ss->pooled = c >= 0 ? pool_fitted(m, st_city, c, v, ss->p, ss->pmix, ss->mix_centre) : 0;
        if (ss->pooled > 0) continue;
        /* no fitted station in its city: the typical station (every fitted
         * one pooled, with their centres), or with none fitted the network
         * (its own centre kept) */
        memcpy(ss->p, m->typical, sizeof ss->p);
        memcpy(ss->pmix, m->typical_mix, sizeof ss->pmix);
        if (m->typical_n > 0 && ss->mix_centre) memcpy(ss->mix_centre, centre, (size_t)m->mix.n * sizeof *centre);
    }
    free(v);
    free(centre);
    return FC_OK;
}

/* Growing buffers of prepared rows, for one calibration. */
typedef struct rowbuf {
    int64_t n, cap, nterms, tcap;
    int64_t *off, *src;
    fc_phys_zip *terms;
    double *share, *capv, *shift, *obs_r, *obs_h, *obs_k, *feat;
    int nf;
} rowbuf;

static void rowbuf_free(rowbuf *b)
{
    free(b->off);
    free(b->src);
    free(b->terms);
    free(b->share);
    free(b->capv);
    free(b->shift);
    free(b->obs_r);
    free(b->obs_h);
    free(b->obs_k);
    free(b->feat);
    memset(b, 0, sizeof *b);
}

static int grow(void **p, int64_t n, size_t el)
{
    void *q = realloc(*p, (size_t)(n ? n : 1) * el);
    if (!q) return -1;
    *p = q;
    return 0;
}

/* Room for c rows in every per-row array of b (terms apart). */
static int rowbuf_reserve(rowbuf *b, int64_t c)
{
    if (grow((void **)&b->off, c + 1, sizeof *b->off) || grow((void **)&b->src, c, sizeof *b->src) ||
        grow((void **)&b->share, c, sizeof(double)) || grow((void **)&b->capv, c, sizeof(double)) ||
        grow((void **)&b->shift, c, sizeof(double)) || grow((void **)&b->obs_r, c, sizeof(double)) ||
        grow((void **)&b->obs_h, c, sizeof(double)) || grow((void **)&b->obs_k, c, sizeof(double)) ||
        grow((void **)&b->feat, c * b->nf, sizeof(double)))
        return -1;
    b->cap = c;
    return 0;
}

/* Slot k of b from routes row i, prepared into row (terms and features
 * already in place). */
static void rowbuf_set(rowbuf *b, int64_t k, int64_t i, const fc_spr_row *row, double default_shift)
{
    b->src[k] = i;
    b->share[k] = row->share;
    b->capv[k] = row->capacity;
    b->shift[k] = isfinite(row->shift_h) ? row->shift_h : default_shift;
    b->obs_r[k] = row->obs_routes;
    b->obs_h[k] = row->obs_hours;
    b->obs_k[k] = row->obs_km;
}

/* Prepare row i and append it (when it has zips); returns -1 on OOM. */
static int rowbuf_add(rowbuf *b, const fc_spr_index *ix, const fc_routes *r,
                      const fc_vehicles *veh, int64_t i, double default_shift)
{
    int mz = fc_spr_index_max_zips(ix);
    if (b->n + 1 >= b->cap) {
        if (rowbuf_reserve(b, b->cap ? b->cap * 2 : 256)) return -1;
        if (b->n == 0) b->off[0] = 0;
    }
    if (b->nterms + mz > b->tcap) {
        int64_t c = (b->nterms + mz) * 2;
        if (grow((void **)&b->terms, c, sizeof *b->terms)) return -1;
        b->tcap = c;
    }
    fc_spr_row row;
    fc_spr_row_prepare(ix, r, veh, i, b->terms + b->nterms, b->feat + b->n * b->nf, &row);
    if (row.nz == 0 || !(row.share > 0)) return 0;
    int64_t k = b->n++;
    rowbuf_set(b, k, i, &row, default_shift);
    b->nterms += row.nz;
    b->off[k + 1] = b->nterms;
    return 0;
}

/* All candidate rows cand[0..nc-1] into an empty b, on threads: their zip
 * counts first (fc_spr_row_nzips), so every buffer is allocated once at
 * its size and each row prepared straight into its place; rows without
 * zips are left out, as rowbuf_add does. kept[c] (nc + 1 entries): the
 * number of rows kept before candidate c. Returns -1 on OOM. */
typedef struct fill_job {
    rowbuf *b;
    const fc_spr_index *ix;
    const fc_routes *r;
    const fc_vehicles *veh;
    const int64_t *cand, *kept;
    const int64_t *visit;   /* the candidates in the order to visit them: by day */
    int *nz;
    double default_shift;
} fill_job;

static void count_one(void *arg, int64_t v, int thread)
{
    const fill_job *j = arg;
    (void)thread;
    int64_t c = j->visit[v];
    j->nz[c] = fc_spr_row_nzips(j->ix, j->r, j->cand[c]);
}

static void fill_one(void *arg, int64_t v, int thread)
{
    const fill_job *j = arg;
    rowbuf *b = j->b;
    (void)thread;
    int64_t c = j->visit[v];
    if (j->nz[c] == 0) return;
    int64_t k = j->kept[c], i = j->cand[c];
    fc_spr_row row;
    fc_spr_row_prepare(j->ix, j->r, j->veh, i, b->terms + b->off[k], b->feat + k * b->nf, &row);
    rowbuf_set(b, k, i, &row, j->default_shift);
}

/* The positions 0 .. n-1 of the items ids[] into pos, ordered by their
 * key col[ids[i]] (counting sort, stable: in their own order within a
 * key). -1 on out of memory. */
static int order_by(const int32_t *col, const int64_t *ids, int64_t n, int64_t *pos)
{
    if (n == 0) return 0;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (int64_t i = 0; i < n; i++) {
        int32_t v = col[ids[i]];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    int64_t *at = calloc((size_t)(hi - lo) + 2, sizeof *at);
    if (!at) return -1;
    for (int64_t i = 0; i < n; i++) at[col[ids[i]] - lo + 1]++;
    for (int64_t v = 0; v <= (int64_t)hi - lo; v++) at[v + 1] += at[v];
    for (int64_t i = 0; i < n; i++) pos[at[col[ids[i]] - lo]++] = i;
    free(at);
    return 0;
}

static int rowbuf_fill(rowbuf *b, const fc_spr_index *ix, const fc_routes *r, const fc_vehicles *veh,
                       const int64_t *cand, int64_t nc, double default_shift, int threads, int64_t *kept)
{
    /* The candidates come station by station; a row reads its day's
     * shipments of every zip of the station, scattered over a row of the
     * dense day x zip arrays. Visited day by day instead, those stay in
     * cache for all the stations of the day (the rows still land station
     * by station). */
    int64_t *visit = malloc(((size_t)nc + 1) * sizeof *visit);
    fill_job j = {b, ix, r, veh, cand, kept, visit, malloc(((size_t)nc + 1) * sizeof(int)), default_shift};
    if (!j.nz || !visit || order_by(r->day, cand, nc, visit)) {
        free(j.nz);
        free(visit);
        return -1;
    }
    fc_parallel_for(nc, threads, count_one, &j);
    int64_t n = 0, nterms = 0;
    for (int64_t c = 0; c < nc; c++) {
        kept[c] = n;
        if (j.nz[c] > 0) {
            n++;
            nterms += j.nz[c];
        }
    }
    kept[nc] = n;
    b->n = n;
    b->nterms = b->tcap = nterms;
    int bad = rowbuf_reserve(b, n) || grow((void **)&b->terms, nterms, sizeof *b->terms);
    if (!bad) {
        b->off[0] = 0;
        for (int64_t c = 0; c < nc; c++)
            if (j.nz[c] > 0) b->off[kept[c] + 1] = b->off[kept[c]] + j.nz[c];
        fc_parallel_for(nc, threads, fill_one, &j);
    }
    free(j.nz);
    free(visit);
    return bad ? -1 : 0;
}

/* A thread's zip-mix multipliers: w[z] is zip z's for station st[z] (-1:
 * none yet). A zip's multiplier depends only on its station, not on the
 * day, so each is worked out once rather than once per zip-day. */
typedef struct mix_cache {
    int32_t *st;
    float *w;
} mix_cache;

static void mix_apply_cached(const fc_spr_mix *mx, const int *fidx, const double *centre, double bound,
                             const fc_spr_index *ix, int32_t station, mix_cache *mc, fc_phys_zip *t, int nz);

/* The plain physics (phys) and the hybrid's (physm: the mix parameters
 * with the zip-mix term) of every row of b, on threads (each with its
 * scratch terms and cache). */
typedef struct phys_job {
    const fc_spr_model *m;
    const rowbuf *b;
    const fc_routes *r;
    const fc_spr_index *ix;
    const int *fidx;
    double mix_bound, *phys, *physm;
    fc_phys_zip *scratch;
    int mz;
    mix_cache *mc;          /* one per thread */
} phys_job;

static double eval_routes(const double *p, const rowbuf *b, int64_t k);
static void mix_apply(const fc_spr_mix *mx, const int *fidx, const double *centre, double bound,
                      const fc_spr_index *ix, fc_phys_zip *t, int nz);

static void phys_one(void *arg, int64_t k, int thread)
{
    const phys_job *j = arg;
    const rowbuf *b = j->b;
    fc_phys_zip *scratch = j->scratch + (size_t)thread * (size_t)j->mz;
    const int32_t si = j->r->station[b->src[k]];
    const fc_spr_station *ss = &j->m->st[si];
    j->phys[k] = j->physm[k] = eval_routes(ss->p, b, k);
    if (j->m->mix.n > 0) {
        int nz = (int)(b->off[k + 1] - b->off[k]);
        memcpy(scratch, b->terms + b->off[k], (size_t)nz * sizeof *scratch);
        mix_apply_cached(&j->m->mix, j->fidx, ss->mix_centre, j->mix_bound, j->ix, si, &j->mc[thread], scratch,
                         nz);
        fc_phys_out o;
        fc_phys_eval(ss->pmix, scratch, nz, b->share[k], b->capv[k], b->shift[k], &o);
        j->physm[k] = o.routes;
    }
}

static calib_rows rowbuf_view(const rowbuf *b)
{
    return (calib_rows){.n = b->n, .off = b->off, .terms = b->terms, .share = b->share, .cap = b->capv,
                        .shift = b->shift, .obs_r = b->obs_r, .obs_h = b->obs_h, .obs_k = b->obs_k};
}

static double eval_routes(const double *p, const rowbuf *b, int64_t k)
{
    fc_phys_out o;
    fc_phys_eval(p, b->terms + b->off[k], (int)(b->off[k + 1] - b->off[k]), b->share[k], b->capv[k],
                 b->shift[k], &o);
    return o.routes;
}

/* The zip-mix term: set the work_mult of terms t[0..nz-1] from their zips'
 * attributes (feature fidx[j] of the index) relative to centre[j]. */
static void mix_apply(const fc_spr_mix *mx, const int *fidx, const double *centre, double bound,
                      const fc_spr_index *ix, fc_phys_zip *t, int nz)
{
    for (int q = 0; q < nz; q++) {
        double lw = 0;
        for (int j = 0; j < mx->n; j++) {
            double a = fidx[j] >= 0 ? fc_spr_index_zip_value(ix, fidx[j], t[q].zip) : NAN;
            double c = centre && isfinite(centre[j]) ? centre[j] : mx->mean[j];
            if (isfinite(a) && mx->sd[j] > 0) lw += mx->beta[j] * (a - c) / mx->sd[j];
        }
        t[q].work_mult = (float)exp(lw > bound ? bound : lw < -bound ? -bound : lw);
    }
}

static void mix_apply_cached(const fc_spr_mix *mx, const int *fidx, const double *centre, double bound,
                             const fc_spr_index *ix, int32_t station, mix_cache *mc, fc_phys_zip *t, int nz)
{
    for (int q = 0; q < nz; q++) {
        int32_t z = t[q].zip;
        if (mc->st[z] != station) {
            mix_apply(mx, fidx, centre, bound, ix, t + q, 1);
            mc->st[z] = station;
            mc->w[z] = t[q].work_mult;
        }
        t[q].work_mult = mc->w[z];
    }
}

static void mix_caches_free(mix_cache *mc, int T)
{
    for (int t = 0; mc && t < T; t++) {
        free(mc[t].st);
        free(mc[t].w);
    }
    free(mc);
}

/* T caches for nzip zips, empty; NULL on out of memory. */
static mix_cache *mix_caches_new(int T, int32_t nzip)
{
    mix_cache *mc = calloc((size_t)T, sizeof *mc);
    int bad = !mc;
    for (int t = 0; t < T && !bad; t++) {
        mc[t].st = malloc(((size_t)nzip + 1) * sizeof *mc[t].st);
        mc[t].w = malloc(((size_t)nzip + 1) * sizeof *mc[t].w);
        bad = !mc[t].st || !mc[t].w;
        for (int32_t z = 0; !bad && z < nzip; z++) mc[t].st[z] = -1;
    }
    if (!bad) return mc;
    mix_caches_free(mc, T);
    return NULL;
}

/* Package-weighted mean of each mix attribute over rows [k0, k1) of b,
 * and (sd not NULL) its package-weighted sd, 0 when it has none. */
static void mix_centre(const fc_spr_mix *mx, const int *fidx, const fc_spr_index *ix, const rowbuf *b,
                       int64_t k0, int64_t k1, double *mean, double *sd)
{
    for (int j = 0; j < mx->n; j++) {
        double sw = 0, sv = 0, ss = 0;
        /* no rows (a station with no usable route-days; the buffer may
         * not even be allocated yet when it is the first): no centre */
        if (k1 <= k0) {
            mean[j] = NAN;
            if (sd) sd[j] = 0;
            continue;
        }
        for (int64_t t = b->off[k0]; t < b->off[k1]; t++) {
            double a = fc_spr_index_zip_value(ix, fidx[j], b->terms[t].zip);
            if (!isfinite(a)) continue;
            sw += b->terms[t].packages;
            sv += b->terms[t].packages * a;
        }
        mean[j] = sw > 0 ? sv / sw : NAN;
        if (!sd) continue;
        for (int64_t t = b->off[k0]; t < b->off[k1] && sw > 0; t++) {
            double a = fc_spr_index_zip_value(ix, fidx[j], b->terms[t].zip);
            if (isfinite(a)) ss += b->terms[t].packages * (a - mean[j]) * (a - mean[j]);
        }
        sd[j] = sw > 0 ? sqrt(ss / sw) : 0;
    }
}

/* Whether zip feature j takes at least two values over the zips. */
static int zip_feat_varies(const fc_spr_index *ix, int j)
{
    double first = NAN;
    for (int32_t z = 0; z < fc_spr_index_nzips(ix); z++) {
        double a = fc_spr_index_zip_value(ix, j, z);
        if (!isfinite(a)) continue;
        if (!isfinite(first)) first = a;
        else if (a != first) return 1;
    }
    return 0;
}

/* One station's calibration (rows k0..k1-1 of the gathered rows), for
 * fc_parallel_for. */
typedef struct station_fit {
    int64_t k0, k1;         /* the rows calibrated: k0 .. k1-1 (at most max_days) */
    int64_t kend;           /* all of the station's rows: k0 .. kend-1 */
    int run, st;
    const double *start;    /* NULL: from the prior */
    calib_result res;
} station_fit;

typedef struct station_job {
    const rowbuf *all;
    station_fit *f;
    const double *xnet;
    const fc_spr_settings *s;
    double *w;              /* Huber weights, 3 per row of all: the plain fits set
                             * them, the refits start from them and keep them */
    int refit;
} station_job;

static void station_fit_one(void *arg, int64_t si, int thread)
{
    (void)thread;
    station_job *j = arg;
    station_fit *f = &j->f[si];
    const rowbuf *b = j->all;
    if (!f->run) return;
    double *w = j->w + 3 * f->k0;
    calib_rows v = {.n = f->k1 - f->k0, .off = b->off + f->k0, .terms = b->terms, .share = b->share + f->k0,
                    .cap = b->capv + f->k0, .shift = b->shift + f->k0, .obs_r = b->obs_r + f->k0,
                    .obs_h = b->obs_h + f->k0, .obs_k = b->obs_k + f->k0, .w = j->refit ? w : NULL};
    fc_spr_settings one = *j->s;
    one.threads = 1;    /* the stations are the parallel loop */
    if (j->refit) one.robust = 0;   /* one pass, with the plain fit's weights */
    f->st = calib_fit_from(&v, f->start ? f->start : j->xnet, j->xnet, one.prior_sd, &one, &f->res,
                           j->refit ? NULL : w);
}

static void stats_add(double *ape, double *bias, double pred, double obs, double packages)
{
    double rp = fc_spr_round_routes(pred, packages);
    *ape += fabs(rp - obs) / obs;
    *bias += (rp - obs) / obs;
}

/* The zip-mix term set on the calibrated rows of each station (for the
 * refit), for fc_parallel_for: the stations' terms are disjoint. */
typedef struct apply_job {
    const fc_spr_model *m;
    const int *fidx;
    const fc_spr_index *ix;
    double bound;
    rowbuf *all;
    const station_fit *f;
    mix_cache *mc;
} apply_job;

static void apply_one(void *arg, int64_t si, int thread)
{
    const apply_job *j = arg;
    const rowbuf *b = j->all;
    for (int64_t q = j->f[si].k0; q < j->f[si].k1; q++)
        mix_apply_cached(&j->m->mix, j->fidx, j->m->st[si].mix_centre, j->bound, j->ix, (int32_t)si, &j->mc[thread],
                         b->terms + b->off[q], (int)(b->off[q + 1] - b->off[q]));
}

/* Each station's zip-mix centre over all its rows, for fc_parallel_for. */
typedef struct centre_job {
    fc_spr_model *m;
    const int *fidx;
    const fc_spr_index *ix;
    const rowbuf *all;
    const station_fit *f;
} centre_job;

static void centre_one(void *arg, int64_t si, int thread)
{
    const centre_job *j = arg;
    (void)thread;
    mix_centre(&j->m->mix, j->fidx, j->ix, j->all, j->f[si].k0, j->f[si].kend, j->m->st[si].mix_centre, NULL);
}

int fc_spr_sample_order(const fc_routes *r, int64_t *order, const int64_t *soff, int nst, int max_days)
{
    int64_t most = 0;
    for (int si = 0; si < nst; si++)
        if (soff[si + 1] - soff[si] > most) most = soff[si + 1] - soff[si];
    if (max_days <= 0 || most <= max_days) return 0;
    int64_t *tmp = malloc((size_t)most * sizeof *tmp), *pos = malloc((size_t)most * sizeof *pos);
    int st = tmp && pos ? 0 : -1;
    for (int si = 0; si < nst && st == 0; si++) {
        int64_t n = soff[si + 1] - soff[si], a = 0, b = max_days;
        if (n <= max_days) continue;
        int64_t *o = order + soff[si];
        /* grouped by van type, so that a stride cannot fall in step with
         * the types' turns in the file (two types a day and max_days =
         * n / 2 would take one type only) */
        if ((st = order_by(r->van, o, n, pos)) != 0) break;
        for (int64_t j = 0; j < n; j++) tmp[j] = o[pos[j]];
        for (int64_t j = 0; j < n; j++) {
            int take = (j + 1) * max_days / n > j * max_days / n;
            o[take ? a++ : b++] = tmp[j];
        }
    }
    free(tmp);
    free(pos);
    return st;
}

int fc_spr_fit(const fc_spr_index *ix, const fc_routes *r, const fc_vehicles *veh,
               const unsigned char *train, const fc_spr_settings *s, fc_diag *d,
               fc_spr_model **out)
{
    *out = NULL;
    const int nst = fc_spr_index_nstations(ix);
    const int nf = fc_spr_index_nfeat(ix);
    const int T = fc_parallel_threads(s->threads);
    int st = FC_EINTERNAL;
    fc_spr_model *m = calloc(1, sizeof *m);
    int64_t *soff = calloc((size_t)nst + 2, sizeof *soff), *order = NULL, *fill = NULL;
    rowbuf all = {0}, b = {0};
    double *yc = NULL, *ym = NULL, *xm = NULL, *phys = NULL, *physm = NULL;
    double *zval = NULL;
    mix_cache *pcache = NULL;
    station_fit *sfit = NULL;
    double *hw = NULL;
    fc_phys_zip *scratch = NULL;
    int fidx[FC_SPR_MAX_MIX];
    const double mix_bound = log(1 + s->max_correction);
    int32_t *fold = NULL;
    all.nf = b.nf = nf;
    if (!m || !soff) goto oom;
    m->settings = *s;
    m->nstations = nst;
    m->st = calloc((size_t)nst + 1, sizeof *m->st);
    if (!m->st) goto oom;
    for (int i = 0; i < nst; i++)
        if (!(m->st[i].name = strdup(fc_spr_index_station_name(ix, i)))) goto oom;
    /* Rows with an observed route count, grouped by station. */
    int64_t ncand = 0;
    for (int64_t i = 0; i < r->n; i++)
        if ((!train || train[i]) && r->routes[i] > 0 && r->packages[i] > 0) {
            soff[r->station[i] + 1]++;
            ncand++;
        }
    if (ncand == 0) {
        fc_diag_error(d, FC_EDATA, "no routes rows with an observed route count to fit on");
        st = FC_EDATA;
        goto fail;
    }
    for (int i = 0; i < nst; i++) soff[i + 1] += soff[i];
    order = malloc((size_t)ncand * sizeof *order);
    fill = calloc((size_t)nst + 1, sizeof *fill);
    if (!order || !fill) goto oom;
    for (int64_t i = 0; i < r->n; i++)
        if ((!train || train[i]) && r->routes[i] > 0 && r->packages[i] > 0)
            order[soff[r->station[i]] + fill[r->station[i]]++] = i;

    /* The zip-mix attributes: the zip features of the data (hilliness and
     * the extra columns of the zips file), at most FC_SPR_MAX_MIX. */
    int nmix = 0;
    if (s->zip_mix)
        for (int j = 0; j < nf; j++)
            if (fc_spr_index_is_zip_feat(ix, j)) {
                /* an empty or constant column has no slope to fit, and
                 * would take the place of a real attribute */
                if (!zip_feat_varies(ix, j)) {
                    fc_diag_note(d, "zip attribute %s: empty or one value for every zip; not in the zip-mix "
                                 "term", fc_spr_index_feat_name(ix, j));
                } else if (nmix < FC_SPR_MAX_MIX) {
                    fidx[nmix++] = j;
                } else {
                    fc_diag_note(d, "zip attribute %s: not in the zip-mix term, which takes the first %d "
                                 "(hilliness, then the extra columns in name order); it still enters "
                                 "the day-level correction",
                                 fc_spr_index_feat_name(ix, j), FC_SPR_MAX_MIX);
                }
            }
    if (nmix > 0) {
        fc_spr_mix *mx = &m->mix;
        mx->names = calloc((size_t)nmix, sizeof *mx->names);
        mx->mean = calloc((size_t)nmix, sizeof(double));
        mx->sd = calloc((size_t)nmix, sizeof(double));
        mx->beta = calloc((size_t)nmix, sizeof(double));
        mx->se = calloc((size_t)nmix, sizeof(double));
        if (!mx->names || !mx->mean || !mx->sd || !mx->beta || !mx->se) goto oom;
        mx->n = nmix;
        for (int j = 0; j < nmix; j++)
            if (!(mx->names[j] = strdup(fc_spr_index_feat_name(ix, fidx[j])))) goto oom;
    }

    /* 1. The network: one fit on an even sample of all rows, pulled
     *    toward textbook values. */
    int64_t stride = (ncand + s->network_rows - 1) / s->network_rows;
    for (int64_t k = 0; k < ncand; k += stride)
        if (rowbuf_add(&b, ix, r, veh, order[k], s->default_shift_hours)) goto oom;
    double x0[NP];
    for (int j = 0; j < NP; j++) x0[j] = log(fc_phys_default[j]);
    calib_result cr;
    calib_rows view = rowbuf_view(&b);
    if (b.n == 0) {
        fc_diag_error(d, FC_EDATA, "no routes row has shipments for its station and day");
        st = FC_EDATA;
        goto fail;
    }
    /* The network fit crosses every station's differences, the longest
     * valleys of the problem: it gets four times the iterations of a
     * station (it is one fit, on a sample). */
    fc_spr_settings snet = *s;
    snet.max_iter = s->max_iter > INT_MAX / 4 ? INT_MAX : 4 * s->max_iter;
    if (calib_fit(&view, x0, snet.network_prior_sd, &snet, &cr)) goto oom;
    if (!cr.converged) {
        fc_diag_error(d, FC_ENOCONV, "the network-wide physics fit did not converge (%s, %d iterations)",
                      cr.why, cr.iterations);
        st = FC_ENOCONV;
        goto fail;
    }
    double xnet[NP];
    for (int j = 0; j < NP; j++) {
        xnet[j] = cr.x[j];
        m->network[j] = exp(cr.x[j]);
        m->network_se[j] = cr.se[j];
    }
    m->network_iterations = cr.iterations;
    /* The zip-mix attributes' network mean and spread (their scale). */
    if (nmix > 0) mix_centre(&m->mix, fidx, ix, &b, 0, b.n, m->mix.mean, m->mix.sd);
    rowbuf_free(&b);
    b.nf = nf;

    /* 2. Each station, pulled toward the network: rows gathered in turn,
     *    the fits (independent) on threads. A station with more than
     *    max_days candidate rows is calibrated on an even sample of
     *    max_days of them, put first in its run of order[]; the rest
     *    follow, for the learned parts and the in-sample figures. */
    if (!(sfit = calloc((size_t)nst + 1, sizeof *sfit))) goto oom;
    /* never fewer than min_days: a station with them is fitted on them */
    const int max_days = s->max_days > 0 && s->max_days < s->min_days ? s->min_days : s->max_days;
    if (fc_spr_sample_order(r, order, soff, nst, max_days)) goto oom;
    {
        int64_t *kept = malloc(((size_t)ncand + 1) * sizeof *kept);
        int bad = !kept || rowbuf_fill(&all, ix, r, veh, order, ncand, s->default_shift_hours, T, kept);
        /* a station's candidates are order[soff[si] .. soff[si+1]): its rows
         * are from the first kept of them; its calibrated rows end at the
         * first kept after its sample */
        if (!bad)
            for (int si = 0; si <= nst; si++) {
                int64_t n = si < nst ? soff[si + 1] - soff[si] : 0;
                sfit[si].k1 = kept[soff[si] + (max_days > 0 && n > max_days ? max_days : n)];
                soff[si] = kept[soff[si]];
            }
        free(kept);
        if (bad) goto oom;
    }
    for (int si = 0; si < nst; si++) {
        fc_spr_station *ss = &m->st[si];
        int64_t before = soff[si], after = soff[si + 1];
        ss->days = (int)(after - before);
        if (nmix > 0 && !(ss->mix_centre = malloc((size_t)nmix * sizeof *ss->mix_centre))) goto oom;
        memcpy(ss->p, m->network, sizeof ss->p);
        for (int j = 0; j < NP; j++) ss->se[j] = NAN;
        ss->status = FC_SPR_FEW_DAYS;
        ss->rmse_log_routes = NAN;
        sfit[si].k0 = before;
        sfit[si].kend = after;
        sfit[si].run = ss->days >= s->min_days;
        ss->calibrated_days = sfit[si].run ? (int)(sfit[si].k1 - sfit[si].k0) : 0;
    }
    if (!(hw = malloc((3 * (size_t)all.n + 1) * sizeof *hw))) goto oom;
    if (nmix > 0) {
        centre_job cj = {m, fidx, ix, &all, sfit};
        fc_parallel_for(nst, T, centre_one, &cj);
    }
    station_job sj = {&all, sfit, xnet, s, hw, 0};
    fc_parallel_for(nst, T, station_fit_one, &sj);
    for (int si = 0; si < nst; si++) {
        fc_spr_station *ss = &m->st[si];
        const calib_result *c = &sfit[si].res;
        if (ss->days == 0) {
            /* in stations.csv but no usable route-day: scored as the typical station */
            m->n_few++;
            int64_t nr = 0;     /* its routes rows (soff now counts the usable ones) */
            for (int64_t i = 0; i < r->n; i++)
                nr += r->station[i] == si && (!train || train[i]) && r->routes[i] > 0 && r->packages[i] > 0;
            if (nr == 0)
                fc_diag_note(d, "station %s: no routes rows to fit on; scored as its city's fitted stations "
                             "(or the typical one)", ss->name);
            else
                fc_diag_note(d, "station %s: none of its %lld routes rows has shipments that day; scored as "
                             "its city's fitted stations (or the typical one)", ss->name, (long long)nr);
            continue;
        }
        if (sfit[si].run) {
            if (sfit[si].st) goto oom;
            ss->iterations = c->iterations;
            if (c->converged) {
                ss->status = FC_SPR_FITTED;
                for (int j = 0; j < NP; j++) {
                    ss->p[j] = exp(c->x[j]);
                    ss->se[j] = c->se[j];
                }
                ss->rmse_log_routes = c->rmse_log_routes;
            } else {
                ss->status = FC_SPR_NOCONV;
                m->n_noconv++;
                fc_diag_warn(d, "station %s: the physics fit did not converge (%s); it takes pooled values",
                             ss->name, c->why);
            }
        } else {
            m->n_few++;
            fc_diag_note(d, "station %s: %d route-days (fewer than model.min_days = %d)",
                         ss->name, ss->days, s->min_days);
        }
    }
    /* 2b. The zip-mix slopes, shared by all stations, estimated jointly
     *     with the station parameters that trade off with them
     *     (calib_mix_fit: Levenberg-Marquardt with the stations' parameters
     *     profiled out, docs/model.md 2.5): within a station
     *     the mix moves with packages per stop, so the slopes must be
     *     fitted together with t_pkg, not after it. Attributes enter as
     *     deviations from the station's mean; route hours, not rounded to
     *     whole routes, carry most of the signal. The stations' hybrid
     *     parameters (pmix) move with the slopes; p stays the plain
     *     physics. */
    for (int si = 0; si < nst; si++) memcpy(m->st[si].pmix, m->st[si].p, sizeof m->st[si].pmix);
    if (nmix > 0 && all.n > 0) {
        fc_spr_mix *mx = &m->mix;
        double (*xs)[NP] = malloc((size_t)nst * sizeof *xs);
        calib_rows *sr = calloc((size_t)nst, sizeof *sr);
        int64_t *o2 = malloc(((size_t)all.n + (size_t)nst + 1) * sizeof *o2);
        /* every zip's attribute values (the terms name their zip) */
        const int32_t nzip = fc_spr_index_nzips(ix);
        zval = malloc(((size_t)nzip * (size_t)nmix + 1) * sizeof *zval);
        if (!xs || !sr || !o2 || !zval) {
            free(xs);
            free(sr);
            free(o2);
            goto oom;
        }
        for (int32_t z = 0; z < nzip; z++)
            for (int j = 0; j < nmix; j++) zval[(size_t)z * nmix + j] = fc_spr_index_zip_value(ix, fidx[j], z);
        /* a station's calibrated rows are sfit k0 .. k1-1, contiguous in all */
        int64_t ko = 0;
        for (int si = 0; si < nst; si++) {
            fc_spr_station *ss = &m->st[si];
            for (int j = 0; j < NP; j++) xs[si][j] = log(ss->p[j]);
            int64_t k0 = sfit[si].k0, k = sfit[si].k1;
            int64_t t0 = all.off[k0];
            for (int64_t q = k0; q <= k; q++) o2[ko + q - k0] = all.off[q] - t0;
            sr[si] = (calib_rows){.n = ss->status == FC_SPR_FITTED ? k - k0 : 0, .off = o2 + ko,
                                  .terms = all.terms + t0, .share = all.share + k0, .cap = all.capv + k0,
                                  .shift = all.shift + k0, .obs_r = all.obs_r + k0, .obs_h = all.obs_h + k0,
                                  .obs_k = all.obs_k + k0, .nattr = nmix, .zval = zval, .nzip = nzip,
                                  .attr_prior_sd = s->mix_prior_sd, .attr_bound = mix_bound, .w = hw + 3 * k0};
            for (int j = 0; j < nmix; j++) {
                sr[si].centre[j] = ss->mix_centre[j];
                sr[si].scale[j] = mx->sd[j];
            }
            ko += k - k0 + 1;
        }
        int mix_it = 0;
        int ms = calib_mix_fit(sr, nst, xs, xnet, s->prior_sd, mx->beta, mx->se, &mix_it, s);
        m->mix_iterations = mix_it;
        free(sr);
        free(o2);
        free(zval);
        zval = NULL;
        if (ms == FC_EINTERNAL) {
            free(xs);
            goto oom;
        }
        if (ms != FC_OK) {
            fc_diag_warn(d, "the zip-mix slopes could not be estimated (%s after %d iterations); the hybrid "
                         "runs without them", mix_it >= s->max_iter ? "iteration limit" : "singular system",
                         mix_it);
            for (int j = 0; j < nmix; j++) {
                mx->beta[j] = 0;
                mx->se[j] = NAN;
            }
            m->mix_noconv = 1;
        } else {
            /* each station's hybrid physics: refitted to convergence (with
             * the Huber weights of the plain calibration) with its zips'
             * mix term fixed, from where the joint fit left it */
            mix_cache *mc = mix_caches_new(T, fc_spr_index_nzips(ix));
            if (!mc) {
                free(xs);
                goto oom;
            }
            apply_job aj = {m, fidx, ix, mix_bound, &all, sfit, mc};
            fc_parallel_for(nst, T, apply_one, &aj);
            mix_caches_free(mc, T);
            for (int si = 0; si < nst; si++) {
                sfit[si].run = m->st[si].status == FC_SPR_FITTED;
                sfit[si].start = xs[si];
            }
            sj.refit = 1;
            fc_parallel_for(nst, T, station_fit_one, &sj);
            for (int64_t t = 0; t < all.nterms; t++) all.terms[t].work_mult = 0;
            for (int si = 0; si < nst; si++) {
                fc_spr_station *ss = &m->st[si];
                if (!sfit[si].run) continue;
                if (sfit[si].st) {
                    free(xs);
                    goto oom;
                }
                const calib_result *c = &sfit[si].res;
                for (int j = 0; j < NP; j++)
                    ss->pmix[j] = c->converged ? exp(c->x[j]) : fc_phys_unlog(j, xs[si][j]);
            }
        }
        free(xs);
        /* the slopes, for the log (model.json has them with the rest);
         * without them the warning above has said so */
        if (!m->mix_noconv) {
            char line[512];
            int at = 0;
            for (int j = 0; j < nmix && at < (int)sizeof line - 80; j++)
                at += snprintf(line + at, sizeof line - (size_t)at, "%s%s %+.3f (se %.3f)", j ? ", " : "",
                               mx->names[j], mx->beta[j], mx->se[j]);
            fc_diag_note(d, "zip-mix slopes (log time per stop per sd; %d iterations): %s", mix_it, line);
        }
    }
    {
        int32_t *st_city = malloc(((size_t)nst + 1) * sizeof *st_city);
        if (!st_city) goto oom;
        for (int si = 0; si < nst; si++) st_city[si] = fc_spr_index_station_city(ix, si);
        int ts = typical_station(m, st_city);
        free(st_city);
        if (ts) goto oom;
        for (int si = 0; si < nst; si++) {
            const fc_spr_station *ss = &m->st[si];
            if (ss->status == FC_SPR_FITTED) continue;
            if (ss->pooled > 0)
                fc_diag_note(d, "station %s: takes the pooled values of the %d fitted station%s of its city", ss->name,
                             ss->pooled, ss->pooled == 1 ? "" : "s");
            else if (m->typical_n > 0)
                fc_diag_note(d, "station %s: takes the typical station (%d fitted station%s pooled)", ss->name,
                             m->typical_n, m->typical_n == 1 ? "" : "s");
            else
                fc_diag_note(d, "station %s: takes the network values (no station has its own fit)", ss->name);
        }
    }
    int64_t n = all.n;
    if (n < 2) {
        fc_diag_error(d, FC_EDATA, "too few usable route-days to fit the model (%lld)", (long long)n);
        st = FC_EDATA;
        goto fail;
    }

    /* 3. Learned parts: correction of the physics, and the ML-only model. */
    int pm = nf + ML_EXTRA;
    yc = malloc((size_t)n * sizeof *yc);
    ym = malloc((size_t)n * sizeof *ym);
    phys = malloc((size_t)n * sizeof *phys);
    physm = malloc((size_t)n * sizeof *physm);
    const int mz = fc_spr_index_max_zips(ix);
    scratch = malloc((size_t)T * (size_t)mz * sizeof *scratch);
    xm = malloc((size_t)n * (size_t)pm * sizeof *xm);
    fold = malloc((size_t)n * sizeof *fold);
    if (!yc || !ym || !phys || !physm || !scratch || !xm || !fold) goto oom;
    if (nmix > 0 && !(pcache = mix_caches_new(T, fc_spr_index_nzips(ix)))) goto oom;
    int32_t dmin = INT32_MAX, dmax = INT32_MIN;
    double *lvl_sum = calloc((size_t)nst + 1, sizeof(double));
    if (!lvl_sum) goto oom;
    {
        phys_job pj = {m, &all, r, ix, fidx, mix_bound, phys, physm, scratch, mz, pcache};
        fc_parallel_for(n, T, phys_one, &pj);
    }
    /* The range the training rows span (predict flags rows far outside
     * it; nothing in the fit depends on it). */
    m->cap_min = m->ppr_max = m->stem_km_max = NAN;
    m->cap_max = NAN;
    for (int si = 0; si < nst; si++) m->st[si].shift_hours = m->st[si].max_day_packages = NAN;
    for (int64_t k = 0; k < n; k++) {
        int64_t i = all.src[k];
        fc_spr_station *S = &m->st[r->station[i]];
        double pk = 0;
        for (int64_t t = all.off[k]; t < all.off[k + 1]; t++) {
            pk += all.terms[t].packages;
            if (!(all.terms[t].dist_km <= m->stem_km_max)) m->stem_km_max = all.terms[t].dist_km;
        }
        if (!(pk <= S->max_day_packages)) S->max_day_packages = pk;
        S->shift_hours = all.shift[k];
        if (!(all.capv[k] >= m->cap_min)) m->cap_min = all.capv[k];
        if (!(all.capv[k] <= m->cap_max)) m->cap_max = all.capv[k];
        double ppr = r->packages[i] / all.obs_r[k];
        if (!(ppr <= m->ppr_max)) m->ppr_max = ppr;
    }
    /* The zip-day terms (most of the fit's memory) are done with: freed
     * before the learned parts fill their feature matrices. */
    free(all.terms);
    all.terms = NULL;
    for (int64_t k = 0; k < n; k++) {
        int64_t i = all.src[k];
        int32_t sid = r->station[i];
        yc[k] = log(all.obs_r[k] / physm[k]);
        ym[k] = log(r->packages[i] / all.obs_r[k]);
        lvl_sum[sid] += ym[k];
        if (r->day[i] < dmin) dmin = r->day[i];
        if (r->day[i] > dmax) dmax = r->day[i];
    }
    for (int si = 0; si < nst; si++)
        m->st[si].ml_level = m->st[si].days > 0 ? lvl_sum[si] / m->st[si].days : NAN;
    free(lvl_sum);
    int K = s->cv_folds;
    for (int64_t k = 0; k < n; k++) {
        int64_t i = all.src[k];
        fold[k] = (int32_t)((int64_t)(r->day[i] - dmin) * K / ((int64_t)dmax - dmin + 1));
        double *x = xm + k * pm;
        memcpy(x, all.feat + k * nf, (size_t)nf * sizeof *x);
        x[nf] = log(all.capv[k]);
        x[nf + 1] = log(r->packages[i]);
        double stops = r->has_stops && r->stops[i] > 0 ? r->stops[i] : NAN;
        x[nf + 2] = isfinite(stops) ? log(stops) : NAN;
        x[nf + 3] = m->st[r->station[i]].ml_level;
    }
    static const double lambdas[] = {1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2,
                                     3e-2, 0.1,  0.3,  1,    3,    10,   30};
    const int nl = (int)(sizeof lambdas / sizeof lambdas[0]);
    char **names = calloc((size_t)pm, sizeof *names);
    if (!names) goto oom;
    for (int j = 0; j < nf; j++) names[j] = (char *)fc_spr_index_feat_name(ix, j);
    for (int j = 0; j < ML_EXTRA; j++) names[nf + j] = (char *)ml_extra_names[j];
    /* The correction sees the first nf columns of xm (stride pm): copy,
     * as deviations from each station's training mean when
     * correction_centre is set. The per-station calibration has already
     * absorbed each station's level of every feature (its mean zip mix is
     * in its t_stop, t_pkg, k...), so across stations the residual does
     * not move with the features; pooling that between-station variation
     * (about ten times the within-station variation of the zip mix) with
     * the within-station signal flattened the slope to nothing. */
    double *xc = malloc((size_t)n * (size_t)(nf ? nf : 1) * sizeof *xc);
    if (!xc) {
        free(names);
        goto oom;
    }
    for (int64_t k = 0; k < n; k++) memcpy(xc + k * nf, xm + k * pm, (size_t)nf * sizeof *xc);
    if (s->correction_centre && nf > 0) {
        double *cnt = calloc((size_t)nf, sizeof *cnt);
        if (!cnt) {
            free(xc);
            free(names);
            goto oom;
        }
        for (int si = 0; si < nst; si++) {
            double *c = calloc((size_t)nf, sizeof *c);
            if (!c) {
                free(cnt);
                free(xc);
                free(names);
                goto oom;
            }
            m->st[si].corr_centre = c;
        }
        for (int si = 0; si < nst; si++) {
            memset(cnt, 0, (size_t)nf * sizeof *cnt);
            double *c = m->st[si].corr_centre;
            /* a station's rows are contiguous in all */
            for (int64_t k = sfit[si].k0; k < sfit[si].kend; k++) {
                for (int j = 0; j < nf; j++)
                    if (isfinite(xc[k * nf + j])) {
                        c[j] += xc[k * nf + j];
                        cnt[j] += 1;
                    }
            }
            for (int j = 0; j < nf; j++) c[j] = cnt[j] > 0 ? c[j] / cnt[j] : NAN;
        }
        free(cnt);
        for (int64_t k = 0; k < n; k++) {
            const double *c = m->st[r->station[all.src[k]]].corr_centre;
            for (int j = 0; j < nf; j++) xc[k * nf + j] -= c[j];
        }
    }
    int rs = fc_ridge_fit(xc, yc, n, nf, names, fold, K, lambdas, nl, &m->corr, d);
    if (rs == FC_OK) rs = fc_ridge_fit(xm, ym, n, pm, names, fold, K, lambdas, nl, &m->ml, d);
    free(names);
    if (rs != FC_OK) {
        free(xc);
        st = rs;
        goto fail;
    }
    m->corr.hi = log(1 + s->max_correction);
    m->corr.lo = -m->corr.hi;

    /* 4. In-sample accuracy of the three variants. */
    fc_spr_stats *t = &m->train;
    t->rows = n;
    for (int64_t k = 0; k < n; k++) {
        int64_t i = all.src[k];
        double obs = all.obs_r[k], pk = r->packages[i];
        double c = fc_ridge_predict(&m->corr, xc + k * nf);
        double sprl = fc_ridge_predict(&m->ml, xm + k * pm);
        stats_add(&t->mape[FC_VAR_PHYSICS], &t->bias[FC_VAR_PHYSICS], phys[k], obs, pk);
        stats_add(&t->mape[FC_VAR_ML], &t->bias[FC_VAR_ML], pk / exp(sprl), obs, pk);
        stats_add(&t->mape[FC_VAR_HYBRID], &t->bias[FC_VAR_HYBRID], physm[k] * exp(c), obs, pk);
    }
    free(xc);
    for (int v = 0; v < 3; v++) {
        t->mape[v] *= 100.0 / (double)n;
        t->bias[v] *= 100.0 / (double)n;
    }
    st = FC_OK;
    goto done;
oom:
    fc_diag_error(d, FC_EINTERNAL, "out of memory");
    st = FC_EINTERNAL;
fail:
    fc_spr_model_free(m);
    m = NULL;
done:
    rowbuf_free(&all);
    rowbuf_free(&b);
    free(soff);
    free(order);
    free(fill);
    free(yc);
    free(ym);
    free(xm);
    free(phys);
    free(physm);
    free(sfit);
    free(hw);
    free(scratch);
    free(zval);
    mix_caches_free(pcache, T);
    free(fold);
    *out = m;
    return st;
}

/* ---- scoring ---- */

struct fc_spr_predictor {
    const fc_spr_model *m;
    const fc_spr_index *ix;
    int32_t *st_map;        /* data station -> model station (>= nstations: extra[k - nstations]),
                             * -1 = unknown (the typical station) */
    fc_spr_station *extra;  /* stations unknown to the model with fitted stations in their city:
                             * those pooled (p, pmix, mix_centre; no correction centre) */
    int nextra;
    int *corr_map, *ml_map; /* model feature -> data feature (ML extras: -2 - k), -1 = missing */
    int mix_map[FC_SPR_MAX_MIX];   /* zip-mix attribute -> data feature, -1 = missing */
    double mix_bound;
    /* the zip-mix term as u[zip] - v[station]: u = sum beta a / sd over
     * the zip's attributes (NAN: one is missing, computed in full), v the
     * same over the station's centre (v[nstations]: the network mean) */
    double *mix_u, *mix_v;
    int mix_on;             /* some attribute of the model is in these data */
    fc_phys_zip *terms;
    double *feat, *xc, *xm;
    double default_shift;
};

void fc_spr_predictor_free(fc_spr_predictor *p)
{
    if (!p) return;
    free(p->st_map);
    free(p->corr_map);
    free(p->ml_map);
    free(p->terms);
    free(p->feat);
    free(p->xc);
    free(p->xm);
    free(p->mix_u);
    free(p->mix_v);
    for (int k = 0; k < p->nextra; k++) free(p->extra[k].mix_centre);
    free(p->extra);
    free(p);
}

/* The model's station for data station s (NULL: the typical station). */
static const fc_spr_station *station_of(const fc_spr_predictor *p, int32_t ms)
{
    if (ms < 0) return NULL;
    return ms < p->m->nstations ? &p->m->st[ms] : &p->extra[ms - p->m->nstations];
}

/* What the typical station is, for a message. */
static void typical_what(const fc_spr_model *m, char *buf, size_t n)
{
    if (m->typical_n > 0)
        snprintf(buf, n, "the typical station (%d fitted station%s pooled)", m->typical_n,
                 m->typical_n == 1 ? "" : "s");
    else
        snprintf(buf, n, "the network-wide fit (no station has a fit of its own)");
}

const fc_spr_station *fc_spr_predictor_station(const fc_spr_predictor *p, int32_t s)
{
    return station_of(p, p->st_map[s]);
}

/* Data stations the model does not know but whose city has fitted
 * stations in it take those pooled, as fit does for a station without
 * its own fit (pool_fitted); the rest take the typical station. */
static int pool_unknown(fc_spr_predictor *p, const fc_stations *st, fc_diag *d)
{
    const fc_spr_model *m = p->m;
    if (!st->city) return FC_OK;
    int32_t *mcity = malloc(((size_t)m->nstations + 1) * sizeof *mcity);
    double *v = malloc(((size_t)m->nstations + 1) * sizeof *v);
    p->extra = calloc((size_t)st->n + 1, sizeof *p->extra);
    if (!mcity || !v || !p->extra) goto oom;
    for (int k = 0; k < m->nstations; k++) mcity[k] = -1;
    for (int32_t s = 0; s < st->n; s++)
        if (p->st_map[s] >= 0) mcity[p->st_map[s]] = st->city[s];
    for (int32_t s = 0; s < st->n; s++) {
        if (p->st_map[s] >= 0 || st->city[s] < 0) continue;
        fc_spr_station *e = &p->extra[p->nextra];
        if (m->mix.n > 0 && !(e->mix_centre = malloc((size_t)m->mix.n * sizeof *e->mix_centre))) goto oom;
        e->ml_level = NAN;
        e->shift_hours = e->max_day_packages = NAN;     /* no history to compare with */
        e->status = FC_SPR_FEW_DAYS;
        int n = pool_fitted(m, mcity, st->city[s], v, e->p, e->pmix, e->mix_centre);
        if (n == 0) {
            free(e->mix_centre);
            e->mix_centre = NULL;
            continue;
        }
        e->pooled = n;
        p->st_map[s] = m->nstations + p->nextra++;
        fc_diag_warn(d, "station %s is not in the model; it takes the pooled values of the %d fitted station%s of "
                     "its city", fc_intern_name(st->ids, s), n, n == 1 ? "" : "s");
    }
    free(mcity);
    free(v);
    return FC_OK;
oom:
    free(mcity);
    free(v);
    return FC_EINTERNAL;
}

/* map[j]: the data's feature for the model's feature j of rg. A missing
 * one is noted, once: not again when it is a feature of noted (the
 * correction and the ML-only baseline share most features). */
static int map_features(const fc_ridge *rg, const fc_spr_index *ix, int *map, int extras,
                        const fc_ridge *noted, fc_diag *d)
{
    int nf = fc_spr_index_nfeat(ix);
    for (int j = 0; j < rg->p; j++) {
        map[j] = -1;
        for (int k = 0; k < nf; k++)
            if (strcmp(rg->names[j], fc_spr_index_feat_name(ix, k)) == 0) map[j] = k;
        for (int k = 0; extras && k < ML_EXTRA; k++)
            if (strcmp(rg->names[j], ml_extra_names[k]) == 0) map[j] = -2 - k;
        int seen = 0;
        for (int k = 0; noted && k < noted->p && !seen; k++) seen = strcmp(rg->names[j], noted->names[k]) == 0;
        if (map[j] == -1 && !seen)
            fc_diag_note(d, "feature '%s' of the model is not in these data; its training mean is used",
                         rg->names[j]);
    }
    return 0;
}

int fc_spr_predictor_new(const fc_spr_model *m, const fc_spr_index *ix, const fc_stations *st,
                         fc_diag *d, fc_spr_predictor **out)
{
    *out = NULL;
    fc_spr_predictor *p = calloc(1, sizeof *p);
    if (!p) goto oom;
    p->m = m;
    p->ix = ix;
    p->default_shift = m->settings.default_shift_hours;
    p->st_map = malloc(((size_t)st->n + 1) * sizeof *p->st_map);
    p->corr_map = malloc(((size_t)m->corr.p + 1) * sizeof *p->corr_map);
    p->ml_map = malloc(((size_t)m->ml.p + 1) * sizeof *p->ml_map);
    p->terms = malloc((size_t)fc_spr_index_max_zips(ix) * sizeof *p->terms);
    p->feat = malloc(((size_t)fc_spr_index_nfeat(ix) + 1) * sizeof *p->feat);
    p->xc = malloc(((size_t)m->corr.p + 1) * sizeof *p->xc);
    p->xm = malloc(((size_t)m->ml.p + 1) * sizeof *p->xm);
    if (!p->st_map || !p->corr_map || !p->ml_map || !p->terms || !p->feat || !p->xc || !p->xm) goto oom;
    for (int32_t s = 0; s < st->n; s++) {
        p->st_map[s] = -1;
        const char *name = fc_intern_name(st->ids, s);
        for (int k = 0; k < m->nstations; k++)
            if (strcmp(m->st[k].name, name) == 0) p->st_map[s] = k;
    }
    if (pool_unknown(p, st, d)) goto oom;
    /* A station scored from pooled values is a guess (docs/model.md §2:
     * 1-5% off when measured): warned, naming it, whether the model does
     * not know it or has it without a fit of its own. */
    for (int32_t s = 0; s < st->n; s++) {
        const char *name = fc_intern_name(st->ids, s);
        if (p->st_map[s] < 0) {
            char ty[80];
            typical_what(m, ty, sizeof ty);
            fc_diag_warn(d, "station %s is not in the model and %s; it takes %s", name,
                         st->city && st->city[s] >= 0 ? "no fitted station of its city is" : "has no city", ty);
        } else if (p->st_map[s] < m->nstations && m->st[p->st_map[s]].status != FC_SPR_FITTED) {
            const fc_spr_station *S = &m->st[p->st_map[s]];
            char why[96], pool[64];
            if (S->status == FC_SPR_NOCONV)
                snprintf(why, sizeof why, "its fit did not converge");
            else
                snprintf(why, sizeof why, "it had %d route-day%s, fewer than model.min_days (%d)", S->days,
                         S->days == 1 ? "" : "s", m->settings.min_days);
            if (S->pooled > 0)
                snprintf(pool, sizeof pool, "the %d fitted station%s of its city", S->pooled,
                         S->pooled == 1 ? "" : "s");
            else
                typical_what(m, pool, sizeof pool);
            fc_diag_warn(d, "station %s has no fit of its own in the model (%s); it takes %s%s", name, why,
                         S->pooled > 0 ? "the pooled values of " : "", pool);
        }
        /* an empty shift_hours silently priced the station at the default */
        const int32_t k = p->st_map[s];
        if (k >= 0 && k < m->nstations && !isfinite(st->shift_hours[s]) && isfinite(m->st[k].shift_hours) &&
            fabs(m->st[k].shift_hours - p->default_shift) > 1e-9)
            fc_diag_warn(d, "station %s: no shift_hours in the stations file; it is scored with the model's "
                         "default_shift_hours (%g h), where it was fitted with %g h", name, p->default_shift,
                         m->st[k].shift_hours);
    }
    map_features(&m->corr, ix, p->corr_map, 0, NULL, d);
    map_features(&m->ml, ix, p->ml_map, 1, &m->corr, d);
    p->mix_bound = log(1 + m->settings.max_correction);
    for (int j = 0; j < m->mix.n && j < FC_SPR_MAX_MIX; j++) {
        p->mix_map[j] = -1;
        for (int k = 0; k < fc_spr_index_nfeat(ix); k++)
            if (fc_spr_index_is_zip_feat(ix, k) && strcmp(m->mix.names[j], fc_spr_index_feat_name(ix, k)) == 0)
                p->mix_map[j] = k;
        if (p->mix_map[j] < 0)
            fc_diag_note(d, "zip attribute '%s' of the model is not in these data: the hybrid takes its "
                         "calibration without the zip-mix term", m->mix.names[j]);
    }
    /* The zip-mix term needs every attribute it was fitted with: the
     * stations' parameters were fitted beside all of its slopes, and with
     * one attribute gone the rest gave a hybrid biased -1.3% (1.48% error
     * against the physics' 0.99%). Without one, the plain calibration. */
    p->mix_on = m->mix.n > 0;
    for (int j = 0; j < m->mix.n && j < FC_SPR_MAX_MIX; j++)
        if (p->mix_map[j] < 0) p->mix_on = 0;
    if (p->mix_on) {
        const fc_spr_mix *mx = &m->mix;
        int32_t nzip = fc_spr_index_nzips(ix);
        p->mix_u = malloc(((size_t)nzip + 1) * sizeof *p->mix_u);
        const int nall = m->nstations + p->nextra;
        p->mix_v = malloc(((size_t)nall + 1) * sizeof *p->mix_v);
        if (!p->mix_u || !p->mix_v) goto oom;
        for (int32_t z = 0; z < nzip; z++) {
            double u = 0;
            for (int j = 0; j < mx->n; j++) {
                if (p->mix_map[j] < 0 || !(mx->sd[j] > 0)) continue;
                u += mx->beta[j] * fc_spr_index_zip_value(ix, p->mix_map[j], z) / mx->sd[j];
            }
            p->mix_u[z] = u;    /* NAN when an attribute is missing */
        }
        for (int k = 0; k <= nall; k++) {
            const fc_spr_station *S = k < nall ? station_of(p, k) : NULL;
            const double *c = S ? S->mix_centre : NULL;
            double v = 0;
            for (int j = 0; j < mx->n; j++) {
                if (p->mix_map[j] < 0 || !(mx->sd[j] > 0)) continue;
                v += mx->beta[j] * (c && isfinite(c[j]) ? c[j] : mx->mean[j]) / mx->sd[j];
            }
            p->mix_v[k] = v;
        }
    }
    *out = p;
    return FC_OK;
oom:
    fc_spr_predictor_free(p);
    fc_diag_error(d, FC_EINTERNAL, "out of memory");
    return FC_EINTERNAL;
}

int fc_spr_predict_row(fc_spr_predictor *p, const fc_routes *r, const fc_vehicles *veh,
                       int64_t i, fc_spr_row *row, fc_spr_pred *out)
{
    const fc_spr_model *m = p->m;
    memset(out, 0, sizeof *out);
    fc_spr_row_prepare(p->ix, r, veh, i, p->terms, p->feat, row);
    if (row->nz == 0) return -1;
    if (!(row->packages > 0)) return 0;     /* nothing to deliver: no routes */
    if (!(row->share > 0)) return -1;
    int32_t ms = p->st_map[row->station];
    const fc_spr_station *S = station_of(p, ms);
    const double *par = S ? S->p : m->typical;
    double shift = isfinite(row->shift_h) ? row->shift_h : p->default_shift;
    fc_phys_out o;
    fc_phys_eval(par, p->terms, row->nz, row->share, row->capacity, shift, &o);
    const double *centre = S ? S->corr_centre : NULL;
    for (int j = 0; j < m->corr.p; j++) {
        double v = p->corr_map[j] >= 0 ? p->feat[p->corr_map[j]] : NAN;
        /* within-station deviation; a station the model does not know gets
         * none (missing = no correction from that feature) */
        if (m->settings.correction_centre && m->corr.p > 0) v = centre ? v - centre[j] : NAN;
        p->xc[j] = v;
    }
    double extra[ML_EXTRA] = {log(row->capacity), log(row->packages),
                              r->has_stops && r->stops[i] > 0 ? log(r->stops[i]) : NAN,
                              S ? S->ml_level : NAN};
    for (int j = 0; j < m->ml.p; j++) {
        int k = p->ml_map[j];
        p->xm[j] = k >= 0 ? p->feat[k] : k <= -2 ? extra[-2 - k] : NAN;
    }
    double c = exp(fc_ridge_predict(&m->corr, p->xc));
    double spr_ml = exp(fc_ridge_predict(&m->ml, p->xm));
    out->routes[FC_VAR_PHYSICS] = o.routes;
    out->routes[FC_VAR_ML] = row->packages / spr_ml;
    /* the hybrid's physics: with the zip-mix term when these data have its
     * attributes (its parameters were fitted with it); without them the
     * plain calibration, which was fitted without it */
    fc_phys_out oh = o;
    if (p->mix_on) {
        double v = p->mix_v[ms >= 0 ? ms : m->nstations + p->nextra], bd = p->mix_bound;
        for (int q = 0; q < row->nz; q++) {
            double lw = p->mix_u[p->terms[q].zip] - v;
            if (isfinite(lw)) p->terms[q].work_mult = (float)exp(lw > bd ? bd : lw < -bd ? -bd : lw);
            else mix_apply(&m->mix, p->mix_map, S ? S->mix_centre : NULL, bd, p->ix, p->terms + q, 1);
        }
        fc_phys_eval(S ? S->pmix : m->typical_mix, p->terms, row->nz, row->share, row->capacity,
                     shift, &oh);
    }
    out->routes[FC_VAR_HYBRID] = oh.routes * c;
    out->correction = o.routes > 0 ? oh.routes * c / o.routes : c;
    out->hours = oh.hours * c;
    out->km = oh.km * c;
    out->cap_share = o.cap_share;
    /* Far outside what the model was fitted on? The physics still
     * extrapolates; the flags say which numbers rest on it alone. */
    double stem = 0;
    for (int q = 0; q < row->nz; q++)
        if (p->terms[q].dist_km > stem) stem = p->terms[q].dist_km;
    out->stem_km = stem;
    const double F = FC_SPR_FAR;
    unsigned far = 0;
    if (row->capacity > F * m->cap_max || row->capacity * F < m->cap_min) far |= FC_SPR_FAR_CAPACITY;
    if (row->packages / fc_spr_round_routes(out->routes[FC_VAR_HYBRID], row->packages) > F * m->ppr_max)
        far |= FC_SPR_FAR_PPR;
    if (stem > F * m->stem_km_max) far |= FC_SPR_FAR_STEM;
    if (S && row->zip_packages > F * S->max_day_packages) far |= FC_SPR_FAR_VOLUME;
    if (S && (shift > F * S->shift_hours || shift * F < S->shift_hours)) far |= FC_SPR_FAR_SHIFT;
    out->far = far;     /* comparisons with NAN (range unknown) are false: nothing flagged */
    return 0;
}
