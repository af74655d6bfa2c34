/* cmd_backtest_spr.c -- `fleetcast backtest --what spr`: the SPR model's
 * variants refitted on training rows and scored on held-out splits that
 * test interpolation (time) and extrapolation (volume, van type, rezoning). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include "cli.h"
#include "fleetcast/bootstrap.h"
#include "fleetcast/dataset.h"
#include "fleetcast/spr.h"

static const char *const vname[3] = {"physics", "ml", "hybrid"};

enum { PHYSICS, ML, HYBRID };

/* The paired comparison of the hybrid with each baseline: resampled by
 * weeks (rows of one week share its volume and routing shocks). */
#define BOOT_REPS 2000
#define BOOT_LEVEL 0.9
/* the station split refits once per held-out station: at most this many */
#define MAX_HELD_STATIONS 8

typedef struct errs {
    double *ape[3];
    int32_t *week;
    int64_t n, cap;
    double bias[3];
} errs;

/* Week of a day (days since 1970-01-01, floor division). */
static int32_t week_of(int32_t day) { return day >= 0 ? day / 7 : -((-day + 6) / 7); }

static int errs_add(errs *e, const double *pred, double obs, int32_t day)
{
    if (e->n == e->cap) {
        int64_t cap = e->cap ? e->cap * 2 : 1024;
        for (int v = 0; v < 3; v++) {
            double *p = realloc(e->ape[v], (size_t)cap * sizeof *p);
            if (!p) return -1;
            e->ape[v] = p;
        }
        int32_t *w = realloc(e->week, (size_t)cap * sizeof *w);
        if (!w) return -1;
        e->week = w;
        e->cap = cap;
    }
    e->week[e->n] = week_of(day);
    for (int v = 0; v < 3; v++) {
        e->ape[v][e->n] = 100 * fabs(pred[v] - obs) / obs;
        e->bias[v] += 100 * (pred[v] - obs) / obs;
    }
    e->n++;
    return 0;
}

static int errs_report(errs *e, const char *split, uint64_t seed, bt_report *rep)
{
    /* before the sort below: the comparison pairs the variants' errors row by row */
    fc_boot_diff d[2];
    for (int v = PHYSICS; v <= ML; v++)
        if (e->n && fc_boot_paired_diff(e->ape[HYBRID], e->ape[v], e->week, e->n, BOOT_REPS, BOOT_LEVEL, seed,
                                        &d[v]))
            return FC_EINTERNAL;
    for (int v = 0; v < 3; v++) {
        double s = 0;
        for (int64_t i = 0; i < e->n; i++) s += e->ape[v][i];
        double p90 = NAN;
        if (e->n) {
            gsl_sort(e->ape[v], 1, (size_t)e->n);
            p90 = e->ape[v][(int64_t)floor(0.9 * (double)(e->n - 1))];
        }
        if (bt_report_add(rep, split, vname[v], e->n, e->n ? s / (double)e->n : NAN,
                          e->n ? e->bias[v] / (double)e->n : NAN, p90, v != HYBRID && e->n ? &d[v] : NULL))
            return FC_EINTERNAL;
    }
    return FC_OK;
}

static void errs_free(errs *e)
{
    for (int v = 0; v < 3; v++) free(e->ape[v]);
    free(e->week);
    memset(e, 0, sizeof *e);
}

typedef struct bt {
    cli *c;
    fc_dataset ds;
    fc_spr_settings s;
    fc_spr_index *ix;
    errs pooled;
    uint64_t seed;      /* of the bootstrap */
} bt;

/* Fit on train[], score test[]; rows go to the report (and to the pooled
 * extrapolation errors when pool), or with into set only into *into (a
 * split made of several fits). A split whose fit fails is reported and
 * skipped. */
static int run_split_into(bt *b, const char *split, const unsigned char *train, const unsigned char *test,
                          int pool, errs *into, bt_report *rep)
{
    const fc_routes *r = b->ds.routes;
    int64_t ntest = 0, ntrain = 0;
    for (int64_t i = 0; i < r->n; i++) {
        ntest += test[i] && r->routes[i] > 0;
        ntrain += train[i] && r->routes[i] > 0;
    }
    if (ntest == 0 || ntrain == 0) {
        fc_diag_note(&b->c->diag, "split %s: %lld training and %lld test rows; skipped", split,
                     (long long)ntrain, (long long)ntest);
        return FC_OK;
    }
    fc_spr_model *m = NULL;
    int verb = b->c->diag.verbosity;
    if (verb < 2) b->c->diag.verbosity = -1;  /* per-station notes of every refit: only with -v */
    long errs_before = b->c->diag.n_errors;
    int st = fc_spr_fit(b->ix, r, b->ds.vehicles, train, &b->s, &b->c->diag, &m);
    b->c->diag.verbosity = verb;
    if (st == FC_EINTERNAL) return st;
    if (st != FC_OK) {
        b->c->diag.n_errors = errs_before;  /* a failed split is not a failed backtest */
        fc_diag_warn(&b->c->diag, "split %s: the fit failed (%s); skipped", split, fc_status_name(st));
        return FC_OK;
    }
    fc_spr_predictor *pr = NULL;
    b->c->diag.verbosity = -1;
    st = fc_spr_predictor_new(m, b->ix, b->ds.stations, &b->c->diag, &pr);
    b->c->diag.verbosity = verb;
    errs e = {0};
    int64_t unscored = 0;
    for (int64_t i = 0; st == FC_OK && i < r->n; i++) {
        if (!test[i] || !(r->routes[i] > 0)) continue;
        fc_spr_row row;
        fc_spr_pred p;
        if (fc_spr_predict_row(pr, r, b->ds.vehicles, i, &row, &p)) {
            unscored++;     /* no shipments for its station that day */
            continue;
        }
        double rt[3];
        for (int v = 0; v < 3; v++) rt[v] = fc_spr_round_routes(p.routes[v], row.packages);
        if (errs_add(into ? into : &e, rt, r->routes[i], r->day[i]) ||
            (pool && errs_add(&b->pooled, rt, r->routes[i], r->day[i])))
            st = FC_EINTERNAL;
    }
    /* test rows without shipments for their station and day cannot be
     * scored: said, and a split left with none is skipped (not a row of
     * NaN) */
    if (st == FC_OK && unscored == ntest) {
        fc_diag_note(&b->c->diag, "split %s: none of its %lld test rows has shipments for its station and day; "
                     "skipped", split, (long long)ntest);
    } else {
        if (st == FC_OK && unscored)
            fc_diag_note(&b->c->diag, "split %s: %lld of %lld test rows left out (no shipments for the station "
                         "that day)", split, (long long)unscored, (long long)ntest);
        if (st == FC_OK && !into) st = errs_report(&e, split, b->seed, rep);
    }
    if (st == FC_EINTERNAL) fc_diag_error(&b->c->diag, st, "out of memory");
    errs_free(&e);
    fc_spr_predictor_free(pr);
    fc_spr_model_free(m);
    return st;
}

static int run_split(bt *b, const char *split, const unsigned char *train, const unsigned char *test,
                     int pool, bt_report *rep)
{
    return run_split_into(b, split, train, test, pool, NULL, rep);
}

int backtest_spr(cli *c, bt_report *rep)
{
    bt b;
    memset(&b, 0, sizeof b);
    b.c = c;
    b.seed = c->config ? c->config->seed : 1;
    int st = cli_spr_load(c, &b.ds, &b.s, 0, 0);
    if (st == FC_OK) st = fc_spr_index_new(b.ds.shipments, b.ds.zips, b.ds.stations, &c->diag, &b.ix);
    const fc_routes *r = b.ds.routes;
    unsigned char *train = NULL, *test = NULL;
    double *pk = NULL;
    if (st == FC_OK) {
        train = malloc((size_t)r->n + 1);
        test = malloc((size_t)r->n + 1);
        pk = malloc(((size_t)r->n + 1) * sizeof *pk);
        if (!train || !test || !pk) st = FC_EINTERNAL;
    }
    int32_t dmin = INT32_MAX, dmax = INT32_MIN;
    for (int64_t i = 0; st == FC_OK && i < r->n; i++) {
        if (r->day[i] < dmin) dmin = r->day[i];
        if (r->day[i] > dmax) dmax = r->day[i];
    }
    /* (a) time: the last 20% of days. */
    if (st == FC_OK && r->n) {
        int32_t cut = dmax - (int32_t)floor(0.2 * (dmax - dmin + 1)) + 1;
        for (int64_t i = 0; i < r->n; i++) {
            test[i] = r->day[i] >= cut;
            train[i] = !test[i];
        }
        st = run_split(&b, "time", train, test, 0, rep);
    }
    /* (b) volume: each station's top 20% of routes rows by packages (rows,
     *     not days, where a station runs two van types on a day). */
    if (st == FC_OK) {
        int32_t ns = b.ds.stations->n;
        for (int32_t s = 0; s < ns && st == FC_OK; s++) {
            int64_t n = 0;
            for (int64_t i = 0; i < r->n; i++)
                if (r->station[i] == s) pk[n++] = r->packages[i];
            if (n == 0) continue;
            gsl_sort(pk, 1, (size_t)n);
            double thr = pk[(int64_t)floor(0.8 * (double)n)];
            for (int64_t i = 0; i < r->n; i++)
                if (r->station[i] == s) {
                    test[i] = r->packages[i] >= thr;
                    train[i] = !test[i];
                }
        }
        st = run_split(&b, "volume_top20", train, test, 1, rep);
    }
    /* (c) each van type held out in turn at the stations that ran it and
     *     another type: its rows there are the test, everything else
     *     trains (those stations' other van rows, and the type's rows at
     *     stations that ran only it). So the tested stations never ran
     *     the type in training, and the physics has to carry it. */
    unsigned char *other = NULL, *ran = NULL;
    int van_splits = 0;
    if (st == FC_OK) {
        other = calloc((size_t)b.ds.stations->n + 1, 1);
        ran = calloc((size_t)b.ds.stations->n + 1, 1);
        if (!other || !ran) st = FC_EINTERNAL;
    }
    for (int32_t v = 0; st == FC_OK && v < b.ds.vehicles->n; v++) {
        memset(other, 0, (size_t)b.ds.stations->n + 1);
        memset(ran, 0, (size_t)b.ds.stations->n + 1);
        for (int64_t i = 0; i < r->n; i++) {
            if (r->van[i] == v) ran[r->station[i]] = 1;
            else other[r->station[i]] = 1;
        }
        int64_t n = 0;
        int nst = 0;
        for (int32_t s = 0; s < b.ds.stations->n; s++) nst += ran[s] && other[s];
        for (int64_t i = 0; i < r->n; i++) {
            test[i] = r->van[i] == v && other[r->station[i]];
            train[i] = !test[i];
            n += test[i];
        }
        if (n == 0) continue;
        van_splits++;
        /* the whole van type, however long (a 64-byte buffer cut it) */
        const char *vn = fc_intern_name(b.ds.vehicles->ids, v);
        char *name = malloc(strlen(vn) + 5);
        if (!name) {
            fc_diag_error(&c->diag, FC_EINTERNAL, "out of memory");
            st = FC_EINTERNAL;
            break;
        }
        sprintf(name, "van:%s", vn);
        fc_diag_note(&c->diag, "split %s: held out at %d station(s) that also ran another van type", name,
                     nst);
        st = run_split(&b, name, train, test, 1, rep);
        free(name);
    }
    if (st == FC_OK && van_splits == 0)
        fc_diag_note(&c->diag, "split van: no station ran two van types in these data; skipped");
    free(other);
    free(ran);
    /* (d) rezoning: from the first day a zip moves to another station, at
     * the stations it moved between; trained on the days before. */
    if (st == FC_OK) {
        const fc_shipments *sh = b.ds.shipments;
        int32_t first_move = INT32_MAX;
        for (int32_t z = 0; z < sh->nzips; z++)
            for (int32_t k = sh->seg_off[z] + 1; k < sh->seg_off[z + 1]; k++)
                if (sh->seg_station[k] != sh->seg_station[k - 1] && sh->seg_first[k] < first_move)
                    first_move = sh->seg_first[k];
        if (first_move == INT32_MAX) {
            fc_diag_note(&c->diag, "split rezoning: no zip moves between stations in these data; skipped");
        } else {
            unsigned char *inv = calloc((size_t)b.ds.stations->n + 1, 1);
            if (!inv) st = FC_EINTERNAL;
            for (int32_t z = 0; inv && z < sh->nzips; z++)
                for (int32_t k = sh->seg_off[z] + 1; k < sh->seg_off[z + 1]; k++)
                    if (sh->seg_station[k] != sh->seg_station[k - 1]) {
                        inv[sh->seg_station[k]] = 1;
                        inv[sh->seg_station[k - 1]] = 1;
                    }
            int32_t day = fc_shipments_period_day(sh, first_move);
            for (int64_t i = 0; inv && i < r->n; i++) {
                train[i] = r->day[i] < day;
                test[i] = r->day[i] >= day && inv[r->station[i]];
            }
            if (inv) st = run_split(&b, "rezoning", train, test, 1, rep);
            free(inv);
        }
    }
    /* (e) station: a station nobody has fitted (a new one): each station
     * with routes held out in turn -- at most MAX_HELD_STATIONS, spread
     * evenly -- trained on every other station's rows and scored on its
     * own, which fit gives its city's fitted stations pooled (or the
     * typical station). One row for all of them; not in the pooled
     * extrapolation, whose make-up the earlier tables keep. */
    if (st == FC_OK) {
        int32_t ns = b.ds.stations->n, nwith = 0;
        unsigned char *has = calloc((size_t)ns + 1, 1);
        errs held = {0};
        if (!has) st = FC_EINTERNAL;
        for (int64_t i = 0; has && i < r->n; i++)
            if (r->routes[i] > 0) has[r->station[i]] = 1;
        for (int32_t s = 0; has && s < ns; s++) nwith += has[s];
        int take = nwith < MAX_HELD_STATIONS ? nwith : MAX_HELD_STATIONS, done = 0;
        for (int32_t s = 0, k = 0; st == FC_OK && nwith > 1 && s < ns; s++) {
            if (!has[s]) continue;
            /* the k-th station with routes is taken when it starts a new
             * stride of nwith/take (k * take / nwith steps up) */
            int pick = (int64_t)k * take / nwith != (int64_t)(k + 1) * take / nwith;
            k++;
            if (!pick) continue;
            for (int64_t i = 0; i < r->n; i++) {
                test[i] = r->station[i] == s;
                train[i] = !test[i];
            }
            st = run_split_into(&b, "station", train, test, 0, &held, rep);
            done++;
        }
        if (st == FC_OK && nwith < 2)
            fc_diag_note(&c->diag, "split station: needs two stations with routes; skipped");
        if (st == FC_OK && held.n) {
            fc_diag_note(&c->diag, "split station: %d of %d stations held out in turn", done, nwith);
            st = errs_report(&held, "station", b.seed, rep);
        }
        errs_free(&held);
        free(has);
    }
    if (st == FC_OK && b.pooled.n) st = errs_report(&b.pooled, "extrapolation", b.seed, rep);
    if (st == FC_EINTERNAL && !c->diag.n_errors) fc_diag_error(&c->diag, st, "out of memory");
    errs_free(&b.pooled);
    free(train);
    free(test);
    free(pk);
    fc_spr_index_free(b.ix);
    fc_dataset_free(&b.ds);
    return st;
}
