/* source.c -- wiring the forecast paths and the SPR model into a plan input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_statistics_float.h>
#include "fleetcast/date.h"
#include "fleetcast/geo.h"
#include "fleetcast/parallel.h"
#include "fleetcast/plan_source.h"

#define NLEVEL 4
static const double level_scale[NLEVEL] = {0.5, 1.0, 1.6, 2.5};

/* The scored levels of one station, month and van type that spr()
 * interpolates: log packages increasing, log routes, segment slopes. */
typedef struct curve {
    int n;
    double x[NLEVEL], y[NLEVEL], slope[NLEVEL - 1];
} curve;

typedef struct grid {
    int32_t ns, nm, nv;
    double *lpk, *lroutes;      /* [((s*nm+m)*nv+v)*NLEVEL+k]; NAN = not scored */
    curve *cv;                  /* [(s*nm+m)*nv+v], from lpk and lroutes */
    const fc_vol_paths *paths;
} grid;

static double peak(void *ud, int32_t s, int32_t m, int p)
{
    const grid *g = ud;
    const fc_vol_paths *P = g->paths;
    return P->peak_day[((int64_t)s * P->horizon + m) * P->paths + p];
}

static double month_pk(void *ud, int32_t s, int32_t m, int p)
{
    const grid *g = ud;
    const fc_vol_paths *P = g->paths;
    return P->packages[((int64_t)s * P->horizon + m) * P->paths + p];
}

static double mean_day(void *ud, int32_t s, int32_t m, int p)
{
    const grid *g = ud;
    const fc_vol_paths *P = g->paths;
    return P->mean_day[((int64_t)s * P->horizon + m) * P->paths + p];
}

/* The curves from the scored levels, once: spr() runs for every path of
 * every station, month and van type. */
static void grid_curves(grid *g)
{
    for (int64_t c = 0; c < (int64_t)g->ns * g->nm * g->nv; c++) {
        const double *x = g->lpk + c * NLEVEL, *y = g->lroutes + c * NLEVEL;
        curve *cv = &g->cv[c];
        int n = 0;
        for (int k = 0; k < NLEVEL; k++)
            if (isfinite(x[k]) && isfinite(y[k]) && (n == 0 || x[k] > cv->x[n - 1])) {
                cv->x[n] = x[k];
                cv->y[n] = y[k];
                n++;
            }
        for (int k = 0; k + 1 < n; k++)
            cv->slope[k] = (cv->y[k + 1] - cv->y[k]) / (cv->x[k + 1] - cv->x[k]);
        cv->n = n;
    }
}

/* SPR at `packages` (> 0, of log lx) on curve cv: log routes is piecewise
 * linear in log packages, extended with the end segments' slopes. */
static double curve_spr(const curve *cv, double packages, double lx)
{
    int n = cv->n;
    if (n == 0) return 0;
    double ly;
    if (n == 1) {
        ly = cv->y[0] + (lx - cv->x[0]);  /* routes proportional to volume */
    } else {
        int k = 0;
        while (k < n - 2 && lx > cv->x[k + 1]) k++;
        ly = cv->y[k] + cv->slope[k] * (lx - cv->x[k]);
    }
    double routes = exp(ly);
    return routes > 0 ? packages / routes : 0;
}

static double spr(void *ud, int32_t s, int32_t m, int32_t v, double packages)
{
    const grid *g = ud;
    if (!(packages > 0)) return 0;
    return curve_spr(&g->cv[((int64_t)s * g->nm + m) * g->nv + v], packages, log(packages));
}

static void spr_many(void *ud, int32_t s, int32_t m, int32_t v, int n, const double *packages,
                     const double *lpk, double *out)
{
    const grid *g = ud;
    const curve *cv = &g->cv[((int64_t)s * g->nm + m) * g->nv + v];
    for (int i = 0; i < n; i++) out[i] = packages[i] > 0 ? curve_spr(cv, packages[i], lpk[i]) : 0;
}

static int circuity_index(void)
{
    for (int j = 0; j < FC_PHYS_NPARAM; j++)
        if (strstr(fc_phys_param_names[j], "circuity")) return j;
    return -1;
}

/* Each zip's weight in its station for plan month m: its packages in the
 * same calendar month of the last history year, else its mean month. */
static double zip_weight(const fc_vol_history *h, int32_t z, int month_index)
{
    int best = -1;
    for (int t = h->nmonths - 1; t >= 0 && t >= h->nmonths - 12; t--)
        if ((h->month0 + t) % 12 == month_index % 12) {
            best = t;
            break;
        }
    double v = best >= 0 ? h->pk[(int64_t)z * h->nmonths + best] : NAN;
    if (isfinite(v) && v > 0) return v;
    double sum = 0;
    int n = 0;
    for (int t = h->nmonths - 1; t >= 0 && t >= h->nmonths - 12; t--) {
        double x = h->pk[(int64_t)z * h->nmonths + t];
        if (isfinite(x)) {
            sum += x;
            n++;
        }
    }
    return n ? sum / n : 0;
}

typedef struct synth_day {
    fc_shipments sh;
    int32_t *level_day;     /* [m*NLEVEL+k] epoch day */
    double *target;         /* [(s*nm+m)*NLEVEL+k] station packages that day */
} synth_day;

static void synth_free(synth_day *y)
{
    free(y->sh.packages);
    free(y->sh.stops);
    free(y->sh.seg_off);
    free(y->sh.seg_first);
    free(y->sh.seg_last);
    free(y->sh.seg_station);
    free(y->level_day);
    free(y->target);
}

/* Lay out four synthetic peak days per plan month (the network's busiest
 * weekday, one week apart, all inside the month) as daily shipments. */
static int synth_build(const fc_dataset *ds, const fc_vol_history *h, const fc_vol_model *vm,
                       const fc_scenario *sc, const fc_vol_forecast *f, synth_day *y)
{
    int32_t ns = ds->stations->n, nz = ds->zips->n, nm = f->horizon;
    const fc_vol_paths *P = f->paths;
    memset(y, 0, sizeof *y);
    const double *dow = h->dow + (int64_t)h->nstations * 7;
    int wd = 0;
    for (int d = 1; d < 7; d++)
        if (dow[d] > dow[wd]) wd = d;
    y->level_day = malloc((size_t)nm * NLEVEL * sizeof *y->level_day);
    y->target = calloc((size_t)ns * nm * NLEVEL, sizeof *y->target);
    int32_t *zst = malloc((size_t)nz * nm * sizeof *zst);   /* station of zip z in month m */
    double *w = malloc((size_t)nz * nm * sizeof *w);
    double *wsum = calloc((size_t)ns * nm, sizeof *wsum);
    if (!y->level_day || !y->target || !zst || !w || !wsum) goto oom;
    for (int32_t m = 0; m < nm; m++) {
        int32_t first = fc_month_first_day(f->month0 + m);
        int32_t d0 = first + (wd - fc_date_weekday(first) + 7) % 7;
        for (int k = 0; k < NLEVEL; k++) y->level_day[m * NLEVEL + k] = d0 + 7 * k;
    }
    y->sh.t0 = y->level_day[0];
    y->sh.nperiods = y->level_day[nm * NLEVEL - 1] - y->sh.t0 + 1;
    y->sh.nzips = nz;
    for (int32_t z = 0; z < nz; z++)
        for (int32_t m = 0; m < nm; m++) {
            int32_t s = fc_vol_zip_station(h, sc, z, f->month0 + m);
            double wz = s >= 0 && s < ns ? zip_weight(h, z, f->month0 + m) : 0;
            zst[(int64_t)z * nm + m] = wz > 0 ? s : -1;
            w[(int64_t)z * nm + m] = wz;
            if (wz > 0) wsum[(int64_t)s * nm + m] += wz;
        }
    /* Station packages on each level day: the scale x the median peak. */
    float *tmp = malloc((size_t)P->paths * sizeof *tmp);
    if (!tmp) goto oom;
    for (int32_t s = 0; s < ns; s++)
        for (int32_t m = 0; m < nm; m++) {
            const float *pk = P->peak_day + ((int64_t)s * P->horizon + m) * P->paths;
            /* median of a copy (GSL's selection, linear time; an
             * insertion sort here took seconds at 1,000 stations) */
            memcpy(tmp, pk, (size_t)P->paths * sizeof *tmp);
            double med = gsl_stats_float_median(tmp, 1, (size_t)P->paths);
            for (int k = 0; k < NLEVEL; k++)
                y->target[((int64_t)s * nm + m) * NLEVEL + k] =
                    wsum[(int64_t)s * nm + m] > 0 && med > 0 ? med * level_scale[k] : 0;
        }
    free(tmp);
    size_t cells = (size_t)y->sh.nperiods * (size_t)nz;
    y->sh.packages = malloc(cells * sizeof *y->sh.packages);
    y->sh.stops = calloc(cells, sizeof *y->sh.stops);
    y->sh.seg_off = calloc((size_t)nz + 1, sizeof *y->sh.seg_off);
    y->sh.seg_first = malloc((size_t)nz * nm * sizeof *y->sh.seg_first);
    y->sh.seg_last = malloc((size_t)nz * nm * sizeof *y->sh.seg_last);
    y->sh.seg_station = malloc((size_t)nz * nm * sizeof *y->sh.seg_station);
    if (!y->sh.packages || !y->sh.stops || !y->sh.seg_off || !y->sh.seg_first ||
        !y->sh.seg_last || !y->sh.seg_station)
        goto oom;
    for (size_t i = 0; i < cells; i++) y->sh.packages[i] = -1;
    int32_t nseg = 0;
    for (int32_t z = 0; z < nz; z++) {
        double ratio = vm->stops_ratio && isfinite(vm->stops_ratio[z]) && vm->stops_ratio[z] > 0
                           ? vm->stops_ratio[z] : 0.62;
        if (ratio > 1) ratio = 1;
        for (int32_t m = 0; m < nm; m++) {
            int32_t s = zst[(int64_t)z * nm + m];
            if (s < 0) continue;
            double share = w[(int64_t)z * nm + m] / wsum[(int64_t)s * nm + m];
            int any = 0;
            for (int k = 0; k < NLEVEL; k++) {
                double pk = y->target[((int64_t)s * nm + m) * NLEVEL + k] * share;
                int32_t ipk = (int32_t)lround(pk);
                if (ipk <= 0) continue;
                int32_t isp = (int32_t)lround(pk * ratio);
                if (isp < 1) isp = 1;
                if (isp > ipk) isp = ipk;
                size_t cell = (size_t)(y->level_day[m * NLEVEL + k] - y->sh.t0) * (size_t)nz + (size_t)z;
                y->sh.packages[cell] = ipk;
                y->sh.stops[cell] = isp;
                y->sh.rows++;
                y->sh.total_packages += ipk;
                y->sh.total_stops += isp;
                any = 1;
            }
            if (!any) continue;
            int32_t p0 = y->level_day[m * NLEVEL] - y->sh.t0;
            int32_t p1 = y->level_day[m * NLEVEL + NLEVEL - 1] - y->sh.t0;
            if (nseg > y->sh.seg_off[z] && y->sh.seg_station[nseg - 1] == s) {
                y->sh.seg_last[nseg - 1] = p1;
            } else {
                y->sh.seg_first[nseg] = p0;
                y->sh.seg_last[nseg] = p1;
                y->sh.seg_station[nseg] = s;
                nseg++;
            }
        }
        y->sh.seg_off[z + 1] = nseg;
    }
    /* What the rows will carry: the station-day totals after rounding. */
    memset(y->target, 0, (size_t)ns * nm * NLEVEL * sizeof *y->target);
    for (int32_t z = 0; z < nz; z++)
        for (int32_t m = 0; m < nm; m++) {
            int32_t s = zst[(int64_t)z * nm + m];
            if (s < 0) continue;
            for (int k = 0; k < NLEVEL; k++) {
                int32_t v = y->sh.packages[(size_t)(y->level_day[m * NLEVEL + k] - y->sh.t0) * (size_t)nz + (size_t)z];
                if (v > 0) y->target[((int64_t)s * nm + m) * NLEVEL + k] += v;
            }
        }
    free(zst);
    free(w);
    free(wsum);
    return FC_OK;
oom:
    free(zst);
    free(w);
    free(wsum);
    synth_free(y);
    return FC_EINTERNAL;
}

/* Scoring the synthetic routes rows (an item of fc_parallel_for): each row
 * writes only its own cells. */
typedef struct predict_job {
    fc_spr_predictor **pr;      /* one per thread */
    fc_routes *r;
    const fc_vehicles *veh;
    const int64_t *cell_of;
    grid *g;
} predict_job;

static void predict_one(void *arg, int64_t i, int thread)
{
    const predict_job *j = arg;
    fc_spr_row row;
    fc_spr_pred pred;
    if (fc_spr_predict_row(j->pr[thread], j->r, j->veh, i, &row, &pred) != 0) return;
    double routes = pred.routes[FC_VAR_HYBRID];
    if (!(routes > 0) || !isfinite(routes)) return;
    j->g->lpk[j->cell_of[i]] = log(j->r->packages[i]);
    j->g->lroutes[j->cell_of[i]] = log(routes);
    j->r->route_km[i] = pred.km;
    j->r->routes[i] = routes;
}

int fc_plan_input_from_models(const fc_dataset *ds, const fc_spr_model *model,
                              const fc_vol_history *h, const fc_vol_model *vm,
                              const fc_scenario *sc, const fc_vol_forecast *f,
                              const fc_plan_settings *set, const cJSON *cfg_json,
                              const char *cfgname, fc_diag *d, fc_plan_input **out)
{
    *out = NULL;
    const fc_stations *st = ds->stations;
    const fc_vehicles *veh = ds->vehicles;
    int32_t ns = st->n, nv = veh->n, nm = f->horizon;
    if (f->nstations > ns)
        fc_diag_warn(d, "%d station(s) of the scenario's new_stations are not planned, nor the routes of "
                        "the zips they take: to plan a new station, list it in the stations file "
                        "(location, parking, chargers, site power, van types) and move zips to it "
                        "with the scenario's rezoning", (int)(f->nstations - ns));
    synth_day y;
    int rc = synth_build(ds, h, vm, sc, f, &y);
    if (rc) return rc;

    grid g = {ns, nm, nv, NULL, NULL, NULL, f->paths};
    size_t ng = (size_t)ns * nm * nv * NLEVEL;
    g.lpk = malloc(ng * sizeof *g.lpk);
    g.lroutes = malloc(ng * sizeof *g.lroutes);
    g.cv = malloc((ng / NLEVEL + 1) * sizeof *g.cv);
    fc_routes r;
    memset(&r, 0, sizeof r);
    size_t nrows = ng;
    r.day = malloc(nrows * sizeof *r.day);
    r.station = malloc(nrows * sizeof *r.station);
    r.van = malloc(nrows * sizeof *r.van);
    r.routes = malloc(nrows * sizeof *r.routes);
    r.packages = malloc(nrows * sizeof *r.packages);
    r.stops = malloc(nrows * sizeof *r.stops);
    r.route_hours = malloc(nrows * sizeof *r.route_hours);
    r.route_km = malloc(nrows * sizeof *r.route_km);
    int64_t *cell_of = malloc(nrows * sizeof *cell_of);
    fc_spr_index *ix = NULL;
    fc_spr_predictor *pr = NULL, *prs[64] = {NULL};
    int T = 0;
    fc_plan_input *in = NULL;
    double *skm = NULL, *shill = NULL, *sw = NULL, *circ = NULL;
    int32_t *zst = NULL, *zoff = NULL, *zlist = NULL, *ref_m = NULL;
    if (!g.lpk || !g.lroutes || !g.cv || !r.day || !r.station || !r.van || !r.routes || !r.packages ||
        !r.stops || !r.route_hours || !r.route_km || !cell_of) {
        rc = FC_EINTERNAL;
        goto done;
    }
    for (size_t i = 0; i < ng; i++) g.lpk[i] = g.lroutes[i] = NAN;
    /* One routes row per station, month, level and van type it may run;
     * the row carries the whole station-day (share 1). */
    for (int32_t s = 0; s < ns; s++)
        for (int32_t m = 0; m < nm; m++)
            for (int k = 0; k < NLEVEL; k++) {
                int32_t day = y.level_day[m * NLEVEL + k];
                double pk = y.target[((int64_t)s * nm + m) * NLEVEL + k];
                if (pk <= 0) continue;
                for (int32_t v = 0; v < nv; v++) {
                    if (!(st->van_types[s] >> v & 1)) continue;
                    int64_t i = r.n++;
                    r.day[i] = day;
                    r.station[i] = s;
                    r.van[i] = v;
                    r.routes[i] = NAN;
                    r.packages[i] = pk;
                    r.stops[i] = r.route_hours[i] = r.route_km[i] = NAN;
                    cell_of[i] = (((int64_t)s * nm + m) * nv + v) * NLEVEL + k;
                }
            }
    if ((rc = fc_spr_index_new(&y.sh, ds->zips, st, d, &ix)) != FC_OK) goto done;
    if ((rc = fc_spr_predictor_new(model, ix, st, d, &pr)) != FC_OK) goto done;
    /* The rows on threads, each with its own predictor (it holds scratch;
     * the extra ones silent, their notes being the first one's). */
    T = fc_parallel_threads(set->threads);
    if (T > 64) T = 64;
    for (int t = 1; t < T; t++)
        if ((rc = fc_spr_predictor_new(model, ix, st, NULL, &prs[t])) != FC_OK) goto done;
    prs[0] = pr;
    predict_job pj = {prs, &r, veh, cell_of, &g};
    fc_parallel_for(r.n, T, predict_one, &pj);

    in = fc_plan_input_new(ns, nm, nv, f->month0);
    if (!in) {
        rc = FC_EINTERNAL;
        goto done;
    }
    if ((rc = fc_plan_input_from_data(in, st, veh, ds->fleet, d)) != FC_OK) goto done;
    if (ds->budget) {
        /* the budgeted fleet the scenario check tests, the same every month */
        size_t nb = (size_t)ns * (size_t)nv;
        in->budget = malloc((nb ? nb : 1) * sizeof *in->budget);
        if (!in->budget) {
            rc = FC_EINTERNAL;
            goto done;
        }
        for (int32_t s = 0; s < ns; s++)
            for (int32_t v = 0; v < nv; v++)
                in->budget[FC_PLAN_SV(in, s, v)] = ds->budget->count[(int64_t)s * nv + v];
    }
    const cJSON *plan_cfg = cfg_json ? cJSON_GetObjectItemCaseSensitive(cfg_json, "plan") : NULL;
    if ((rc = fc_plan_input_apply_config(in, plan_cfg, st, cfgname, d)) != FC_OK) goto done;

    /* Route lengths: for the median day of the first plan month in which
     * the station has routes (its zips as of that month, after the
     * scenario's moves), each zip's routes run the stem out and back plus
     * the station's local km per route; weighted by the zip's share of
     * stops. (It was always the first plan month, which left a station
     * that gets its zips later by rezoning with no route sample: the
     * default route km instead of its zips' stems.) */
    int ci = circuity_index();
    int32_t nz = ds->zips->n;
    skm = malloc((size_t)nz * sizeof *skm);
    shill = malloc((size_t)nz * sizeof *shill);
    sw = malloc((size_t)nz * sizeof *sw);
    circ = malloc(((size_t)ns + 1) * sizeof *circ);
    zst = malloc(((size_t)nz + 1) * sizeof *zst);
    zoff = calloc((size_t)ns + 2, sizeof *zoff);
    zlist = malloc(((size_t)nz + 1) * sizeof *zlist);
    ref_m = malloc(((size_t)ns + 1) * sizeof *ref_m);
    if (!skm || !shill || !sw || !circ || !zst || !zoff || !zlist || !ref_m) {
        rc = FC_EINTERNAL;
        goto done;
    }
    /* Circuity per station, the model's last entry of that name. */
    for (int32_t s = 0; s < ns; s++) circ[s] = 1.3;
    for (int j = 0; ci >= 0 && j < model->nstations; j++) {
        const char *name = model->st[j].name;
        int32_t s = fc_intern_find(st->ids, name, strlen(name));
        if (s >= 0 && s < ns) circ[s] = model->st[j].p[ci];
    }
    /* The reference month of each station: the first with routes. */
    for (int32_t s = 0; s < ns; s++) {
        ref_m[s] = -1;
        for (int32_t m = 0; m < nm && ref_m[s] < 0; m++)
            if (y.target[((int64_t)s * nm + m) * NLEVEL + 1] > 0) ref_m[s] = m;
    }
    for (int32_t m0 = 0; m0 < nm; m0++) {
        int any_ref = 0;
        for (int32_t s = 0; s < ns && !any_ref; s++) any_ref = ref_m[s] == m0;
        if (!any_ref) continue;
        /* The zips each station serves on that month's day, in zip order,
         * bucketed once (station s's are zlist[zoff[s] .. zoff[s+1]-1]):
         * scanning every zip for every station and van type took seconds
         * at 41,000 zips and 1,000 stations. */
        int32_t p1 = y.level_day[m0 * NLEVEL + 1] - y.sh.t0;  /* the day of every such row */
        memset(zoff, 0, ((size_t)ns + 2) * sizeof *zoff);
        for (int32_t z = 0; z < nz; z++) {
            int32_t s = y.sh.packages[(size_t)p1 * (size_t)nz + (size_t)z] > 0
                            ? fc_shipments_station(&y.sh, z, p1) : -1;
            zst[z] = s >= 0 && s < ns ? s : -1;
            if (zst[z] >= 0) zoff[s + 2]++;
        }
        for (int32_t s = 0; s < ns; s++) zoff[s + 2] += zoff[s + 1];
        for (int32_t z = 0; z < nz; z++)
            if (zst[z] >= 0) zlist[zoff[zst[z] + 1]++] = z;
        for (int64_t i = 0; i < r.n; i++) {
            int32_t s = r.station[i], v = r.van[i];
            if (ref_m[s] != m0 || cell_of[i] != (((int64_t)s * nm + m0) * nv + v) * NLEVEL + 1)
                continue;
            if (!(r.routes[i] > 0) || !isfinite(r.route_km[i])) continue;
            double stops_tot = 0, stem = 0;
            int n = 0;
            for (int32_t j = zoff[s]; j < zoff[s + 1]; j++) {
                int32_t z = zlist[j];
                int32_t sp = y.sh.stops[(size_t)p1 * (size_t)nz + (size_t)z];
                double dist = fc_geo_km(st->lat[s], st->lon[s], ds->zips->lat[z], ds->zips->lon[z]);
                skm[n] = 2 * dist * circ[s];
                shill[n] = ds->zips->hilliness[z];
                sw[n] = sp;
                stops_tot += sp;
                n++;
            }
            if (n == 0 || stops_tot <= 0) continue;
            for (int k = 0; k < n; k++) stem += sw[k] / stops_tot * skm[k];
            double local = r.route_km[i] / r.routes[i] - stem;
            if (local < 0) local = 0;
            for (int k = 0; k < n; k++) {
                skm[k] += local;
                sw[k] = sw[k] / stops_tot * r.routes[i];
            }
            if ((rc = fc_plan_input_set_route_sample(in, s, v, n, skm, shill, sw)) != FC_OK) goto done;
        }
    }

    grid_curves(&g);
    fc_plan_source src = {&g, f->paths->paths, peak, month_pk, NULL, spr, spr_many, mean_day};
    rc = fc_plan_input_fill_routes(in, &src, set, d);
done:
    if (rc == FC_OK) {
        *out = in;
    } else {
        fc_plan_input_free(in);
        if (rc != FC_EINTERNAL && rc != FC_EDATA) rc = FC_EINTERNAL;
    }
    free(skm);
    free(shill);
    free(sw);
    free(circ);
    free(zst);
    free(zoff);
    free(zlist);
    free(ref_m);
    fc_spr_predictor_free(pr);
    for (int t = 1; t < T; t++) fc_spr_predictor_free(prs[t]);
    fc_spr_index_free(ix);
    free(cell_of);
    free(r.day);
    free(r.station);
    free(r.van);
    free(r.routes);
    free(r.packages);
    free(r.stops);
    free(r.route_hours);
    free(r.route_km);
    free(g.lpk);
    free(g.lroutes);
    free(g.cv);
    synth_free(&y);
    return rc;
}
