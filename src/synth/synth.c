/* synth.c -- the generator's main loop: for every station-day, draw the
 * stops of the zips the station serves that day and route them with the
 * van type it runs. Station-days are independent tasks spread over
 * threads; each task seeds its own random numbers from (seed, zip, day),
 * so the output does not depend on the number of threads. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "synth_internal.h"

typedef struct task_out {
    fc_synth_route *routes;
    int32_t n;
} task_out;

typedef struct run_ctx {
    const fc_synth_world *w;
    fc_synth_result *res;
    int32_t **cand;         /* per station: zips that may be served by it */
    int32_t *ncand;
    task_out *outs;         /* per task when keep_routes */
    int64_t ntasks, next;
    pthread_mutex_t lock;
    int status;
} run_ctx;

static int64_t take(run_ctx *c)
{
    pthread_mutex_lock(&c->lock);
    int64_t t = c->status == FC_OK && c->next < c->ntasks ? c->next++ : -1;
    pthread_mutex_unlock(&c->lock);
    return t;
}

static void fail(run_ctx *c, int st)
{
    pthread_mutex_lock(&c->lock);
    if (c->status == FC_OK) c->status = st;
    pthread_mutex_unlock(&c->lock);
}

int32_t fc_synth_day_router(const fc_synth_world *w, int32_t station, int32_t day, fc_router_params *p)
{
    int32_t van = fc_synth_station_van(w, station, day);
    const fc_synth_vehicle *v = &w->vehicles[van];
    *p = w->route;
    p->capacity = v->capacity;
    p->shift_h = w->stations[station].shift_hours;
    /* an electric van keeps 20% of its battery in reserve */
    p->range_km = v->electric ? 0.8 * v->battery_kwh / v->kwh_per_km : 0;
    return van;
}

/* Route one station on one day. */
static int station_day(run_ctx *c, int64_t task, fc_router *router, gsl_rng *rng,
                       fc_route_stop **stops, int32_t *cap)
{
    const fc_synth_world *w = c->w;
    fc_synth_result *res = c->res;
    int32_t s = (int32_t)(task % w->nstations), di = (int32_t)(task / w->nstations);
    int32_t day = w->p.start + di;
    size_t cell = (size_t)di * (size_t)w->nstations + (size_t)s;
    res->van[cell] = -1;
    if (day < w->stations[s].opened) return FC_OK;
    int32_t n = 0;
    for (int32_t k = 0; k < c->ncand[s]; k++) {
        int32_t z = c->cand[s][k];
        if (fc_synth_zip_station(w, z, day) != s) continue;
        int32_t before = n;
        int st = fc_synth_draw_stops(w, z, s, day, rng, stops, &n, cap);
        if (st) return st;
        int64_t pk = 0;
        for (int32_t i = before; i < n; i++) pk += (*stops)[i].packages;
        size_t zc = (size_t)di * (size_t)w->nzips + (size_t)z;
        res->zip_packages[zc] = (int32_t)pk;
        res->zip_stops[zc] = n - before;
    }
    if (n == 0) return FC_OK;
    fc_router_params p;
    int32_t van = fc_synth_day_router(w, s, day, &p);
    const fc_route_plan *plan;
    int st = fc_router_solve(router, &p, *stops, n, &plan);
    if (st) return st;
    int64_t pk = 0;
    double hours = 0, km = 0;
    for (int32_t i = 0; i < plan->nroutes; i++) {
        pk += plan->routes[i].packages;
        hours += plan->routes[i].hours;
        km += plan->routes[i].km;
    }
    res->van[cell] = van;
    res->routes[cell] = plan->nroutes;
    res->packages[cell] = (int32_t)pk;
    res->stops[cell] = n;
    res->hours[cell] = hours;
    res->km[cell] = km;
    if (w->p.keep_routes) {
        task_out *o = &c->outs[task];
        o->routes = malloc((size_t)plan->nroutes * sizeof *o->routes);
        if (!o->routes) return FC_EINTERNAL;
        o->n = plan->nroutes;
        for (int32_t i = 0; i < plan->nroutes; i++) {
            const fc_route_info *f = &plan->routes[i];
            o->routes[i] = (fc_synth_route){day, s, f->n, (int32_t)f->packages, (float)f->hours,
                                            (float)f->service_h, (float)f->drive_h, (float)f->km};
        }
    }
    return FC_OK;
}

static void *worker(void *arg)
{
    run_ctx *c = arg;
    fc_router *router = fc_router_new();
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    fc_route_stop *stops = NULL;
    int32_t cap = 0;
    if (!router || !rng) {
        fail(c, FC_EINTERNAL);
    } else {
        int64_t t;
        while ((t = take(c)) >= 0) {
            int st = station_day(c, t, router, rng, &stops, &cap);
            if (st) fail(c, st);
        }
    }
    free(stops);
    gsl_rng_free(rng);
    fc_router_free(router);
    return NULL;
}

/* Zips each station may serve: its own and those a change gives it. */
static int candidates(run_ctx *c)
{
    const fc_synth_world *w = c->w;
    c->cand = calloc((size_t)w->nstations, sizeof *c->cand);
    c->ncand = calloc((size_t)w->nstations, sizeof *c->ncand);
    unsigned char *seen = calloc((size_t)w->nzips, 1);
    if (!c->cand || !c->ncand || !seen) {
        free(seen);
        return -1;
    }
    for (int32_t s = 0; s < w->nstations; s++) {
        memset(seen, 0, (size_t)w->nzips);
        int32_t m = 0;
        for (int32_t z = 0; z < w->nzips; z++)
            if (w->zips[z].home == s) seen[z] = 1, m++;
        for (int32_t i = 0; i < w->nzip_station; i++)
            if ((int32_t)w->zip_station[i].value == s && !seen[w->zip_station[i].who])
                seen[w->zip_station[i].who] = 1, m++;
        c->cand[s] = malloc((size_t)(m ? m : 1) * sizeof **c->cand);
        if (!c->cand[s]) {
            free(seen);
            return -1;
        }
        for (int32_t z = 0; z < w->nzips; z++)
            if (seen[z]) c->cand[s][c->ncand[s]++] = z;
    }
    free(seen);
    return 0;
}

static fc_synth_result *result_new(const fc_synth_world *w)
{
    fc_synth_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->ndays = w->p.ndays;
    r->nzips = w->nzips;
    r->nstations = w->nstations;
    size_t nz = (size_t)r->ndays * (size_t)r->nzips, ns = (size_t)r->ndays * (size_t)r->nstations;
    r->zip_packages = malloc(nz * sizeof *r->zip_packages);
    r->zip_stops = calloc(nz, sizeof *r->zip_stops);
    r->van = malloc(ns * sizeof *r->van);
    r->routes = calloc(ns, sizeof *r->routes);
    r->packages = calloc(ns, sizeof *r->packages);
    r->stops = calloc(ns, sizeof *r->stops);
    r->hours = calloc(ns, sizeof *r->hours);
    r->km = calloc(ns, sizeof *r->km);
    if (!r->zip_packages || !r->zip_stops || !r->van || !r->routes || !r->packages || !r->stops ||
        !r->hours || !r->km) {
        fc_synth_result_free(r);
        return NULL;
    }
    for (size_t i = 0; i < nz; i++) r->zip_packages[i] = -1;
    for (size_t i = 0; i < ns; i++) r->van[i] = -1;
    return r;
}

int fc_synth_run(const fc_synth_world *w, fc_synth_result **out, fc_diag *d)
{
    *out = NULL;
    run_ctx c;
    memset(&c, 0, sizeof c);
    c.w = w;
    c.ntasks = (int64_t)w->p.ndays * w->nstations;
    c.res = result_new(w);
    int st = FC_OK;
    if (!c.res || candidates(&c)) st = FC_EINTERNAL;
    if (st == FC_OK && w->p.keep_routes && !(c.outs = calloc((size_t)c.ntasks, sizeof *c.outs)))
        st = FC_EINTERNAL;
    if (st == FC_OK) {
        pthread_mutex_init(&c.lock, NULL);
        int nt = w->p.threads < 1 ? 1 : w->p.threads > 64 ? 64 : w->p.threads;
        pthread_t th[64];
        int started = 0;
        for (int i = 1; i < nt; i++) {
            if (pthread_create(&th[started], NULL, worker, &c) != 0) break;
            started++;
        }
        worker(&c);
        for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
        pthread_mutex_destroy(&c.lock);
        st = c.status;
    }
    if (st == FC_OK && w->p.keep_routes) {
        int64_t total = 0;
        for (int64_t t = 0; t < c.ntasks; t++) total += c.outs[t].n;
        c.res->route = malloc((size_t)(total ? total : 1) * sizeof *c.res->route);
        if (!c.res->route) {
            st = FC_EINTERNAL;
        } else {
            /* day-major order, whatever thread did the work */
            for (int64_t t = 0; t < c.ntasks; t++) {
                memcpy(c.res->route + c.res->nroute, c.outs[t].routes, (size_t)c.outs[t].n * sizeof *c.res->route);
                c.res->nroute += c.outs[t].n;
            }
        }
    }
    if (c.outs)
        for (int64_t t = 0; t < c.ntasks; t++) free(c.outs[t].routes);
    free(c.outs);
    if (c.cand)
        for (int32_t s = 0; s < w->nstations; s++) free(c.cand[s]);
    free(c.cand);
    free(c.ncand);
    if (st != FC_OK) {
        if (st == FC_EINTERNAL) fc_diag_error(d, FC_EINTERNAL, "out of memory while generating");
        fc_synth_result_free(c.res);
        return st;
    }
    *out = c.res;
    return FC_OK;
}

void fc_synth_result_free(fc_synth_result *r)
{
    if (!r) return;
    free(r->zip_packages);
    free(r->zip_stops);
    free(r->van);
    free(r->routes);
    free(r->packages);
    free(r->stops);
    free(r->hours);
    free(r->km);
    free(r->route);
    free(r);
}
