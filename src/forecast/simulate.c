/* simulate.c -- Monte Carlo sample paths of zip volume, correlated within a
 * station and across the network, with the scenario applied and summed into
 * stations by the mapping in force each month. Zip paths live only while
 * their zip is simulated; station sums are exact integers (1/64 package), so
 * the result does not depend on the order or thread that adds them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/date.h"
#include "fleetcast/forecast.h"
#include "fleetcast/intern.h"
#include "internal.h"

#define FIX 64.0            /* fixed-point units per package in the sums */
#define ZIP_CAP 5.0         /* a zip's path never exceeds this many times (its
                               busiest month of the history + 1), see zip_cap */

enum { SALT_ZIP = 1, SALT_STATION, SALT_NETWORK, SALT_PEAK, SALT_SEASON, SALT_GROWTH };
#define NET_KEY 0x6E6574776F726Bull  /* the network's streams ("network") */
#define NAME_SALT 0x9C2A7D31E4B5F068ull

typedef struct sim_ctx {
    const fc_vol_history *h;
    const fc_vol_model *m;
    const fc_scenario *sc;
    const fc_stations *st;
    int H, P;
    uint64_t seed;
    int32_t ns, NS;         /* existing stations; existing + new */
    uint64_t *zkey, *skey;  /* [nz], [NS + 1]: random-stream key of each zip and station */
    int32_t fm0;            /* month index of the first forecast month */
    int32_t *map;           /* [z * H + h] station after the scenario */
    double *smult;          /* [s * H + h] shock multiplier of a station's zips */
    double *expo;           /* [(ns + 1) * H] exposure by weekday pattern (ns = network) */
    double *work;           /* [(NS + 1) * H] working days */
    float *eta_st;          /* [(s * H + h) * P + p] station shocks */
    float *eta_net;         /* [h * P + p] */
    float *soff;            /* [(s * H + h) * P + p] short-history season/growth offset, or NULL */
    float a_net, a_st[240], a_id[240];  /* shock loadings by horizon */
    int64_t *acc_pk, *acc_sp;   /* [(s * H + h) * P + p], s < NS */
    int32_t *order, *group_off; /* zips grouped by station as of the origin */
    fc_vol_row *zip_rows;   /* [z * H + h] or NULL */
    fc_vol_row *station_rows;
    int64_t *row_off;       /* [s] first station row of active station s */
    /* per-thread scratch */
    float **buf, **nrm, **dev;
    int64_t **lpk, **lsp;
    fc_vol_paths *out;
} sim_ctx;

void fc_vol_forecast_free(fc_vol_forecast *f)
{
    if (!f) return;
    if (f->paths) {
        free(f->paths->packages);
        free(f->paths->stops);
        free(f->paths->peak_day);
        free(f->paths->mean_day);
        free(f->paths->dow);
        free(f->paths->work_days);
        free(f->paths->active);
        free(f->paths);
    }
    free(f->zip_rows);
    free(f->station_rows);
    free(f->network_rows);
    free(f);
}

static void add_fixed(int64_t *cell, double v)
{
    __atomic_fetch_add(cell, (int64_t)(v * FIX + 0.5), __ATOMIC_RELAXED);
}

/* One month of a zip's ETS error paths: the innovation from the network,
 * station and own shocks, the state update, and the log volume's exponent
 * cen + hs d into out (par: sig, a_net, a_st, a_id, alpha, beta, phi,
 * gamma, cen). Apart from the expf call so that it runs on vectors; the
 * operations and their order are the scalar loop's, so are the values. */
static void step_paths(int P, const float *par, float hs, const float *restrict en,
                       const float *restrict es, const float *restrict ei, float *restrict dl,
                       float *restrict db, float *restrict dsm, float *restrict out)
{
    float sig = par[0], a_net = par[1], a_st = par[2], a_id = par[3];
    float al = par[4], be = par[5], ph = par[6], ga = par[7], cen = par[8];
    for (int p = 0; p < P; p++) {
        float e = sig * (a_net * en[p] + a_st * es[p] + a_id * ei[p]);
        float d = dl[p] + ph * db[p] + dsm[p] + e;
        dl[p] += ph * db[p] + al * e;
        db[p] = ph * db[p] + be * e;
        dsm[p] += ga * e;
        out[p] = cen + hs * d;
    }
}

/* Ceiling of a zip's simulated volume (standard months, or the month's
 * figure when per_month): ZIP_CAP x (its busiest month + 1) - 1. The paths
 * are exp of a normal on the log scale; a zip whose volume fell to zero
 * (one-step errors of several log units, sigma ~ 2) otherwise drew months
 * of e^20 packages, and means of billions at its station and the network. */
static double zip_cap(const fc_vol_history *h, const fc_vol_model *m, int32_t z)
{
    const double *pk = h->pk + (size_t)z * (size_t)h->nmonths;
    const double *ex = h->exposure + (size_t)z * (size_t)h->nmonths;
    double mx = 0;
    for (int t = 0; t < m->n_used; t++) {
        if (isnan(pk[t]) || !(ex[t] > 0)) continue;
        double y = m->fit[z].per_month ? pk[t] : pk[t] * FC_STD_MONTH / ex[t];
        if (y > mx) mx = y;
    }
    return ZIP_CAP * (mx + 1) - 1;
}

static uint64_t name_key(const char *name, uint64_t index)
{
    return name ? fc_hash_bytes(name, strlen(name), NAME_SALT) : index;
}

/* The key of each zip's and station's random streams: a hash of its name,
 * so that adding, removing or reordering stations and zips in the input
 * files leaves every other one's paths as they were (the revision report
 * would otherwise count the reshuffled draws as a change). Without names
 * (the volume backtest), the index. */
static void stream_keys(sim_ctx *c, const fc_intern *zip_ids)
{
    for (int32_t z = 0; z < c->h->nzips; z++)
        c->zkey[z] = name_key(zip_ids ? fc_intern_name(zip_ids, z) : NULL, (uint64_t)z);
    for (int32_t s = 0; s < c->NS; s++) {
        const char *name = NULL;
        if (s < c->ns && c->st && c->st->ids) name = fc_intern_name(c->st->ids, s);
        else if (s >= c->ns) name = c->sc->new_names[s - c->ns];
        c->skey[s] = name_key(name, (uint64_t)s);
    }
    c->skey[c->NS] = NET_KEY;
}

/* Simulate every zip of one station group (the zips served by station s0
 * at the forecast origin): their innovations share that station's shock. */
static void sim_group(void *vctx, int64_t gi, int thread)
{
    sim_ctx *c = vctx;
    const fc_vol_model *m = c->m;
    int H = c->H, P = c->P;
    size_t HP = (size_t)H * (size_t)P;
    int32_t s0 = (int32_t)gi;
    float *buf = c->buf[thread], *nrm = c->nrm[thread], *dev = c->dev[thread];
    int64_t *lpk = c->lpk[thread], *lsp = c->lsp[thread];
    memset(lpk, 0, HP * sizeof *lpk);
    memset(lsp, 0, HP * sizeof *lsp);
    const float *eta_s = c->eta_st + (size_t)s0 * HP;
    float *dl = dev, *db = dev + P, *ds = dev + 2 * (size_t)P;  /* ds: 12 x P */
    double center[256];
    int any = 0;
    for (int32_t k = c->group_off[s0]; k < c->group_off[s0 + 1]; k++) {
        int32_t z = c->order[k];
        if (!m->fitted[z]) continue;
        any = 1;
        const fc_series_fit *f = &m->fit[z];
        fc_series_point(f, m->method, H, center);
        fc_rng r;
        fc_rng_seed(&r, c->seed, c->zkey[z], SALT_ZIP);
        fc_rng_normals(&r, nrm, (int)HP);
        float sig = (float)(f->sigma * m->sigma_scale);
        float al = (float)f->alpha, be = (float)f->beta, ph = (float)f->phi, ga = (float)f->gamma;
        memset(dev, 0, (size_t)P * 14 * sizeof *dev);
        double ratio = m->stops_ratio[z];
        float cap = (float)zip_cap(c->h, m, z);
        for (int h = 0; h < H; h++) {
            int moy = (f->last_moy + h + 1) % 12;
            float *dsm = ds + (size_t)moy * (size_t)P;
            double conv = f->per_month ? 1 : c->expo[(size_t)s0 * (size_t)H + (size_t)h] / FC_STD_MONTH;
            int32_t sm = c->map[(size_t)z * (size_t)H + (size_t)h];
            conv *= c->smult[(size_t)sm * (size_t)H + (size_t)h];
            float cen = (float)center[h];
            float hs = (float)m->hscale[h < 240 ? h : 239];
            float a_st = c->a_st[h], a_id = c->a_id[h], a_net = c->a_net;
            const float *en = c->eta_net + (size_t)h * (size_t)P, *es = eta_s + (size_t)h * (size_t)P;
            const float *ei = nrm + (size_t)h * (size_t)P;
            float *out = buf + (size_t)h * (size_t)P;
            const float *so = c->soff ? c->soff + ((size_t)s0 * (size_t)H + (size_t)h) * (size_t)P : NULL;
            /* All but expf on vectors; expf stays the scalar libm call. */
            float par[9] = {sig, a_net, a_st, a_id, al, be, ph, ga, cen};
            step_paths(P, par, hs, en, es, ei, dl, db, dsm, out);
            if (so)
                for (int p = 0; p < P; p++) out[p] += so[p];
            for (int p = 0; p < P; p++) out[p] = expf(out[p]);
            for (int p = 0; p < P; p++) {
                float y = out[p] - 1.0f;
                if (y > cap) y = cap;
                out[p] = y > 0 ? (float)(y * conv) : 0.0f;
            }
            if (sm == s0) {
                int64_t *lp = lpk + (size_t)h * (size_t)P, *ls = lsp + (size_t)h * (size_t)P;
                for (int p = 0; p < P; p++) {
                    lp[p] += (int64_t)(out[p] * FIX + 0.5);
                    ls[p] += (int64_t)(out[p] * ratio * FIX + 0.5);
                }
            } else {
                int64_t *ap = c->acc_pk + ((size_t)sm * (size_t)H + (size_t)h) * (size_t)P;
                int64_t *as = c->acc_sp + ((size_t)sm * (size_t)H + (size_t)h) * (size_t)P;
                for (int p = 0; p < P; p++) {
                    add_fixed(&ap[p], out[p]);
                    add_fixed(&as[p], out[p] * ratio);
                }
            }
        }
        if (c->zip_rows) {
            float *tmp = nrm;  /* the normals are used up */
            for (int h = 0; h < H; h++) {
                fc_vol_row *row = &c->zip_rows[(size_t)z * (size_t)H + (size_t)h];
                memcpy(tmp, buf + (size_t)h * (size_t)P, (size_t)P * sizeof *tmp);
                fc_quantiles(tmp, P, &row->pk_mean, &row->pk_p10, &row->pk_p50, &row->pk_p90);
                row->id = z;
                row->station = c->map[(size_t)z * (size_t)H + (size_t)h];
                row->month = c->fm0 + h;
                row->sp_mean = row->pk_mean * ratio;
                row->sp_p10 = row->pk_p10 * ratio;
                row->sp_p50 = row->pk_p50 * ratio;
                row->sp_p90 = row->pk_p90 * ratio;
                double wd = c->work[(size_t)s0 * (size_t)H + (size_t)h];
                double pf = c->h->zip_peak[z] / (wd > 0 ? wd : 1);
                row->peak_p50 = row->pk_p50 * pf;
                row->peak_p90 = row->pk_p90 * pf;
            }
        }
    }
    if (!any) return;
    int64_t *ap = c->acc_pk + (size_t)s0 * HP, *as = c->acc_sp + (size_t)s0 * HP;
    for (size_t i = 0; i < HP; i++) {
        __atomic_fetch_add(&ap[i], lpk[i], __ATOMIC_RELAXED);
        __atomic_fetch_add(&as[i], lsp[i], __ATOMIC_RELAXED);
    }
}

/* Weekday pattern and day noise of station s (new stations and the network
 * take the network's). */
static const double *pattern(const sim_ctx *c, int32_t s, double *sigma)
{
    int32_t k = s < c->ns ? s : c->ns;
    *sigma = c->h->day_sigma[k];
    return c->h->dow + (size_t)k * 7;
}

/* Daily detail of one station's paths: mean working day and peak day. */
static void sim_days(void *vctx, int64_t si, int thread)
{
    (void)thread;
    sim_ctx *c = vctx;
    fc_vol_paths *o = c->out;
    int H = c->H, P = c->P;
    int32_t s = (int32_t)si;
    double sigma;
    const double *w = pattern(c, s, &sigma);
    fc_rng r;
    fc_rng_seed(&r, c->seed, c->skey[s], SALT_PEAK);
    float z[32];
    for (int h = 0; h < H; h++) {
        int mi = c->fm0 + h;
        int32_t d0 = fc_month_first_day(mi);
        int nd = fc_month_days(mi);
        double wk[31], E = 0;
        for (int j = 0; j < nd; j++) {
            wk[j] = w[fc_date_weekday(d0 + j)];
            E += wk[j];
        }
        int work = o->work_days[(size_t)s * (size_t)H + (size_t)h];   /* set before the zips */
        size_t base = ((size_t)s * (size_t)H + (size_t)h) * (size_t)P;
        float lw[31];
        for (int j = 0; j < nd; j++) lw[j] = wk[j] > 0 ? (float)log(wk[j]) : -1e30f;
        float sg = (float)sigma;
        for (int p = 0; p < P; p++) {
            double T = o->packages[base + (size_t)p];
            double mx = 0;
            if (sigma > 0) {
                /* busiest day: max of w_j exp(sigma z_j - sigma^2/2), one exp */
                fc_rng_normals(&r, z, nd);
                float best = -1e30f;
                for (int j = 0; j < nd; j++) {
                    float v = lw[j] + sg * z[j];
                    if (v > best) best = v;
                }
                mx = exp((double)best - 0.5 * sigma * sigma);
            } else {
                for (int j = 0; j < nd; j++)
                    if (wk[j] > mx) mx = wk[j];
            }
            o->mean_day[base + (size_t)p] = (float)(work > 0 ? T / work : 0);
            o->peak_day[base + (size_t)p] = (float)(E > 0 ? T * mx / E : 0);
        }
    }
}

static void summarise(const fc_vol_paths *o, int32_t s, int h, float *tmp, fc_vol_row *row)
{
    int P = o->paths;
    size_t base = ((size_t)s * (size_t)o->horizon + (size_t)h) * (size_t)P;
    memcpy(tmp, o->packages + base, (size_t)P * sizeof *tmp);
    fc_quantiles(tmp, P, &row->pk_mean, &row->pk_p10, &row->pk_p50, &row->pk_p90);
    memcpy(tmp, o->stops + base, (size_t)P * sizeof *tmp);
    fc_quantiles(tmp, P, &row->sp_mean, &row->sp_p10, &row->sp_p50, &row->sp_p90);
    memcpy(tmp, o->peak_day + base, (size_t)P * sizeof *tmp);
    double mean, p10;
    fc_quantiles(tmp, P, &mean, &p10, &row->peak_p50, &row->peak_p90);
    row->month = o->month0 + h;
}

/* Quantile rows of one station (its own rows, so stations go on threads). */
static void summarise_station(void *vctx, int64_t si, int thread)
{
    sim_ctx *c = vctx;
    int32_t s = (int32_t)si;
    if (!c->out->active[s]) return;
    fc_vol_row *row = c->station_rows + c->row_off[s];
    for (int hh = 0; hh < c->H; hh++, row++) {
        summarise(c->out, s, hh, c->buf[thread], row);  /* buf: free after sim_group */
        row->id = s;
        row->station = s;
    }
}

static void free_ctx(sim_ctx *c, int threads)
{
    free(c->map);
    free(c->smult);
    free(c->expo);
    free(c->eta_st);
    free(c->eta_net);
    free(c->soff);
    free(c->acc_pk);
    free(c->acc_sp);
    free(c->order);
    free(c->zkey);
    free(c->skey);
    free(c->group_off);
    free(c->row_off);
    for (int t = 0; t < threads; t++) {
        if (c->buf) free(c->buf[t]);
        if (c->nrm) free(c->nrm[t]);
        if (c->dev) free(c->dev[t]);
        if (c->lpk) free(c->lpk[t]);
        if (c->lsp) free(c->lsp[t]);
    }
    free(c->buf);
    free(c->nrm);
    free(c->dev);
    free(c->lpk);
    free(c->lsp);
}

int fc_vol_forecast_run(const fc_vol_history *h, const fc_vol_model *m, const fc_scenario *sc,
                        const fc_stations *st, const fc_vol_options *opt, fc_diag *d,
                        fc_vol_forecast **out)
{
    *out = NULL;
    int H = opt->horizon, P = opt->paths, T = opt->threads < 1 ? 1 : opt->threads;
    if (H < 1 || H > 240 || P < 1 || P > 100000) {
        fc_diag_error(d, FC_EUSAGE, "horizon must be 1..240 months and paths 1..100000");
        return FC_EUSAGE;
    }
    if (T > 64) T = 64;
    fc_normal_init();
    sim_ctx c;
    memset(&c, 0, sizeof c);
    c.h = h;
    c.m = m;
    c.sc = sc;
    c.st = st;
    c.H = H;
    c.P = P;
    c.seed = opt->seed;
    c.ns = h->nstations;
    c.NS = c.ns + (sc ? sc->nnew : 0);
    c.fm0 = m->month0 + m->n_used;
    int32_t nz = h->nzips, NS = c.NS, ns = c.ns;
    size_t HP = (size_t)H * (size_t)P;
    fc_vol_forecast *f = calloc(1, sizeof *f);
    fc_vol_paths *o = f ? calloc(1, sizeof *o) : NULL;
    if (!o) goto oom;
    f->paths = o;
    f->horizon = H;
    f->month0 = c.fm0;
    f->nstations = NS;
    o->nstations = NS;
    o->horizon = H;
    o->paths = P;
    o->month0 = c.fm0;
    size_t cells = ((size_t)NS + 1) * HP;
    o->packages = malloc(cells * sizeof *o->packages);
    o->stops = malloc(cells * sizeof *o->stops);
    o->peak_day = malloc(cells * sizeof *o->peak_day);
    o->mean_day = malloc(cells * sizeof *o->mean_day);
    o->dow = malloc(((size_t)NS + 1) * 7 * sizeof *o->dow);
    o->work_days = calloc(((size_t)NS + 1) * (size_t)H, sizeof *o->work_days);
    o->active = calloc((size_t)NS + 1, sizeof *o->active);
    c.map = malloc(((size_t)nz * (size_t)H + 1) * sizeof *c.map);
    c.smult = malloc(((size_t)NS + 1) * (size_t)H * sizeof *c.smult);
    c.expo = malloc(((size_t)ns + 1) * (size_t)H * sizeof *c.expo);
    c.work = o->work_days;
    c.eta_st = malloc(((size_t)ns + 1) * HP * sizeof *c.eta_st);
    c.eta_net = malloc(HP * sizeof *c.eta_net);
    c.acc_pk = calloc(((size_t)NS + 1) * HP, sizeof *c.acc_pk);
    c.acc_sp = calloc(((size_t)NS + 1) * HP, sizeof *c.acc_sp);
    c.order = malloc(((size_t)nz + 1) * sizeof *c.order);
    c.zkey = malloc(((size_t)nz + 1) * sizeof *c.zkey);
    c.skey = malloc(((size_t)NS + 1) * sizeof *c.skey);
    c.group_off = calloc((size_t)ns + 2, sizeof *c.group_off);
    c.buf = calloc((size_t)T, sizeof *c.buf);
    c.nrm = calloc((size_t)T, sizeof *c.nrm);
    c.dev = calloc((size_t)T, sizeof *c.dev);
    c.lpk = calloc((size_t)T, sizeof *c.lpk);
    c.lsp = calloc((size_t)T, sizeof *c.lsp);
    if (!o->packages || !o->stops || !o->peak_day || !o->mean_day || !o->dow || !o->work_days ||
        !o->active || !c.map || !c.smult || !c.expo || !c.eta_st || !c.eta_net || !c.acc_pk ||
        !c.acc_sp || !c.order || !c.zkey || !c.skey || !c.group_off || !c.buf || !c.nrm || !c.dev || !c.lpk || !c.lsp)
        goto oom;
    for (int t = 0; t < T; t++) {
        c.buf[t] = malloc(HP * sizeof(float));
        c.nrm[t] = malloc((HP + 1) * sizeof(float));
        c.dev[t] = malloc((size_t)P * 14 * sizeof(float));
        c.lpk[t] = malloc(HP * sizeof(int64_t));
        c.lsp[t] = malloc(HP * sizeof(int64_t));
        if (!c.buf[t] || !c.nrm[t] || !c.dev[t] || !c.lpk[t] || !c.lsp[t]) goto oom;
    }
    if (opt->zip_rows) {
        f->zip_rows = calloc((size_t)nz * (size_t)H + 1, sizeof *f->zip_rows);
        if (!f->zip_rows) goto oom;
        c.zip_rows = f->zip_rows;
    }
    c.out = o;
    stream_keys(&c, opt->zip_ids);

    /* Station of each zip in each month, after the scenario's moves. */
    for (int32_t z = 0; z < nz; z++)
        for (int hh = 0; hh < H; hh++) c.map[(size_t)z * (size_t)H + (size_t)hh] = h->station[z];
    for (int i = 0; sc && i < sc->nmoves; i++)
        for (int hh = 0; hh < H; hh++)
            if (sc->moves[i].from <= c.fm0 + hh)
                c.map[(size_t)sc->moves[i].zip * (size_t)H + (size_t)hh] = sc->moves[i].station;
    for (int32_t z = 0; z < nz; z++) {
        if (!m->fitted[z]) continue;
        for (int hh = 0; hh < H; hh++) o->active[c.map[(size_t)z * (size_t)H + (size_t)hh]] = 1;
    }
    /* Shock multipliers by station and month. */
    for (int32_t s = 0; s < NS; s++)
        for (int hh = 0; hh < H; hh++) {
            double mult = 1;
            int32_t city = s < ns ? (st && st->city ? st->city[s] : -1) : sc->new_city[s - ns];
            for (int i = 0; sc && i < sc->nshocks; i++) {
                const fc_vol_shock *k = &sc->shocks[i];
                int mi = c.fm0 + hh;
                if (mi < k->from || mi > k->to) continue;
                int hit = k->scope == FC_SCOPE_ALL;
                for (int j = 0; j < k->nids && !hit; j++)
                    hit = k->scope == FC_SCOPE_STATION ? k->ids[j] == s : (city >= 0 && k->ids[j] == city);
                if (hit) mult *= k->multiplier;
            }
            c.smult[(size_t)s * (size_t)H + (size_t)hh] = mult;
        }
    for (int32_t s = 0; s <= ns; s++)
        for (int hh = 0; hh < H; hh++)
            c.expo[(size_t)s * (size_t)H + (size_t)hh] =
                fc_vol_month_exposure(c.fm0 + hh, h->daily ? h->dow + (size_t)s * 7 : NULL);
    for (int32_t s = 0; s <= NS; s++) {
        double sg;
        memcpy(o->dow + (size_t)s * 7, pattern(&c, s, &sg), 7 * sizeof(double));
    }
    /* Shared shocks: innovation = sigma (a_net eta_net + a_st eta_station + a_id eps). */
    double rn = m->rho_network;
    c.a_net = (float)sqrt(rn);
    for (int hh = 0; hh < H; hh++) {
        double rs = m->rho_station_h[hh];
        c.a_st[hh] = (float)sqrt(rs - rn > 0 ? rs - rn : 0);
        c.a_id[hh] = (float)sqrt(1 - rs);
    }
    fc_rng r;
    fc_rng_seed(&r, c.seed, NET_KEY, SALT_NETWORK);
    fc_rng_normals(&r, c.eta_net, (int)HP);
    for (int32_t s = 0; s < ns; s++) {
        fc_rng_seed(&r, c.seed, c.skey[s], SALT_STATION);
        fc_rng_normals(&r, c.eta_st + (size_t)s * HP, (int)HP);
    }
    /* Short histories: one error of each calendar month's season per
     * station and path (shared by its zips), partly common to the network
     * (docs/forecast.md section 3). */
    {
        int any = m->growth_sd > 0;
        for (int mo = 0; mo < 12; mo++) any |= m->season_var[mo] > 0;
        if (any) {
            size_t SP = (size_t)12 * (size_t)P;
            c.soff = malloc(((size_t)ns + 1) * HP * sizeof *c.soff);
            float *un = malloc(SP * sizeof *un), *us = malloc(SP * sizeof *us);
            if (!c.soff || !un || !us) {
                free(un);
                free(us);
                goto oom;
            }
            double fn = m->net_share < 0 ? 0 : m->net_share > 1 ? 1 : m->net_share;
            float an = (float)sqrt(fn), as = (float)sqrt(1 - fn);
            fc_rng_seed(&r, c.seed, NET_KEY, SALT_SEASON);
            fc_rng_normals(&r, un, (int)SP);
            int lm = (int)(((c.fm0 - 1) % 12 + 12) % 12);
            for (int32_t s = 0; s < ns; s++) {
                fc_rng_seed(&r, c.seed, c.skey[s], SALT_SEASON);
                fc_rng_normals(&r, us, (int)SP);
                for (int hh = 0; hh < H; hh++) {
                    int mo = (lm + hh + 1) % 12;
                    float ss = (float)sqrt(m->season_var[mo]);
                    float *o2 = c.soff + ((size_t)s * (size_t)H + (size_t)hh) * (size_t)P;
                    const float *sn = un + (size_t)mo * (size_t)P, *sst = us + (size_t)mo * (size_t)P;
                    for (int p = 0; p < P; p++)
                        o2[p] = ss * (an * sn[p] + as * sst[p]);
                }
            }
            /* Under 13 months: the growth nobody could measure, one draw
             * per path for every station, growing with the distance from
             * the history's centre (model.c, flat_history_var). */
            if (m->growth_sd > 0) {
                fc_rng_seed(&r, c.seed, NET_KEY, SALT_GROWTH);
                fc_rng_normals(&r, un, P);
                for (int32_t s = 0; s < ns; s++)
                    for (int hh = 0; hh < H; hh++) {
                        float g = (float)(m->growth_sd * (hh + 1 + m->growth_mid) / 12.0);
                        float *o2 = c.soff + ((size_t)s * (size_t)H + (size_t)hh) * (size_t)P;
                        for (int p = 0; p < P; p++) o2[p] += g * un[p];
                    }
            }
            free(un);
            free(us);
        }
    }
    /* Zips grouped by their station at the origin (counting sort). */
    for (int32_t z = 0; z < nz; z++)
        if (h->station[z] >= 0) c.group_off[h->station[z] + 1]++;
    for (int32_t s = 0; s < ns; s++) c.group_off[s + 1] += c.group_off[s];
    {
        int32_t *fill = malloc(((size_t)ns + 1) * sizeof *fill);
        if (!fill) goto oom;
        memcpy(fill, c.group_off, ((size_t)ns + 1) * sizeof *fill);
        for (int32_t z = 0; z < nz; z++)
            if (h->station[z] >= 0) c.order[fill[h->station[z]]++] = z;
        free(fill);
    }
    /* Working days (weight >= 0.05) per station and month, before the
     * zips: their rows' peak day is the month's quantile / working days x
     * the zip's peak factor (they were written by sim_days, after
     * sim_group had read zeros, so a zip's peak day was its month's total
     * x the peak factor). */
    for (int32_t s = 0; s <= NS; s++) {
        double sg;
        const double *w = pattern(&c, s, &sg);
        for (int hh = 0; hh < H; hh++) {
            int mi = c.fm0 + hh, nd = fc_month_days(mi), work = 0;
            int32_t d0 = fc_month_first_day(mi);
            for (int j = 0; j < nd; j++) work += w[fc_date_weekday(d0 + j)] >= 0.05;
            o->work_days[(size_t)s * (size_t)H + (size_t)hh] = work;
        }
    }
    fc_parallel_for(ns, T, sim_group, &c);

    /* Station paths, then the network as their sum. */
    for (int32_t s = 0; s < NS; s++)
        for (size_t i = 0; i < HP; i++) {
            size_t k = (size_t)s * HP + i;
            o->packages[k] = (float)(c.acc_pk[k] / FIX);
            o->stops[k] = (float)(c.acc_sp[k] / FIX);
            c.acc_pk[(size_t)NS * HP + i] += c.acc_pk[k];
            c.acc_sp[(size_t)NS * HP + i] += c.acc_sp[k];
        }
    for (size_t i = 0; i < HP; i++) {
        o->packages[(size_t)NS * HP + i] = (float)(c.acc_pk[(size_t)NS * HP + i] / FIX);
        o->stops[(size_t)NS * HP + i] = (float)(c.acc_sp[(size_t)NS * HP + i] / FIX);
    }
    o->active[NS] = 1;
    fc_parallel_for((int64_t)NS + 1, T, sim_days, &c);

    /* Quantile rows. */
    int64_t nact = 0;
    c.row_off = malloc(((size_t)NS + 1) * sizeof *c.row_off);
    if (!c.row_off) goto oom;
    for (int32_t s = 0; s < NS; s++) {
        c.row_off[s] = nact * H;
        nact += o->active[s];
    }
    f->station_rows = calloc((size_t)nact * (size_t)H + 1, sizeof *f->station_rows);
    f->network_rows = calloc((size_t)H, sizeof *f->network_rows);
    if (!f->station_rows || !f->network_rows) goto oom;
    c.station_rows = f->station_rows;
    fc_parallel_for(NS, T, summarise_station, &c);
    f->nstation_rows = nact * H;
    for (int hh = 0; hh < H; hh++) {
        summarise(o, NS, hh, c.buf[0], &f->network_rows[hh]);
        f->network_rows[hh].id = -1;
        f->network_rows[hh].station = -1;
    }
    if (f->zip_rows) {
        /* Compact: keep the fitted zips, in zip order. */
        int64_t n = 0;
        for (int32_t z = 0; z < nz; z++) {
            if (!m->fitted[z]) continue;
            for (int hh = 0; hh < H; hh++)
                f->zip_rows[n++] = f->zip_rows[(size_t)z * (size_t)H + (size_t)hh];
        }
        f->nzip_rows = n;
    }
    free_ctx(&c, T);
    *out = f;
    return FC_OK;
oom:
    free_ctx(&c, T);
    fc_vol_forecast_free(f);
    fc_diag_error(d, FC_EINTERNAL, "out of memory drawing %d sample paths", P);
    return FC_EINTERNAL;
}
