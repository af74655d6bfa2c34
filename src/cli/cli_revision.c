/* cli_revision.c -- the monthly revision report (course correction).
 *
 * The van need of a station-month is its peak-day routes at the service
 * level times (1 + spare ratio). Its change since the previous run is split
 * by re-solving the plan with one cause switched back at a time (the
 * previous run's scenario is read from its plan.json settings):
 *   parameters = need(new model, forecast)   - need(old model, forecast)
 *   scenario   = need(old model, forecast)   - need(old model, this rezoning, previous shocks)
 *   rezoning   = need(old model, this rezoning, previous shocks)
 *                                            - need(old model, previous scenario)
 *   settings   = need(old model, previous scenario)
 *                                            - need(old model, previous scenario, previous settings)
 *   new data   = need(old model, previous scenario, previous settings) - previous need
 * (settings: spare ratio, service level, and the seed and number of the
 * forecast's sample paths: "previous settings" forecasts with the previous
 * run's) so the five parts add up to the total change exactly -- a chain,
 * in which an interaction of two causes lands in the later -- and a scenario
 * that did not change since the previous run contributes nothing (the
 * baseline used to be no scenario at all: a standing rezoning showed as
 * "rezoning +X, new data -X" on unchanged inputs). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_revision.h"
#include "fleetcast/date.h"
#include "fleetcast/plan_source.h"

static cJSON *read_json(cli *c, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text;
    size_t n;
    if (fc_read_file(path, &c->diag, &text, &n)) return NULL;
    cJSON *j = fc_json_parse(text, n, path, &c->diag);
    free(text);
    return j;
}

/* Is j the JSON object of the given kind? (Reports it when not.) */
static int is_kind(cli *c, const cJSON *j, const char *dir, const char *name, const char *kind,
                   const char *older)
{
    const cJSON *k = cJSON_IsObject(j) ? cJSON_GetObjectItemCaseSensitive(j, "kind") : NULL;
    if (cJSON_IsString(k) &&
        (strcmp(k->valuestring, kind) == 0 || (older && strcmp(k->valuestring, older) == 0)))
        return 1;
    fc_diag_error(&c->diag, FC_EDATA, "%s/%s: not a fleetcast %s (its 'kind' is not \"%s\")", dir,
                  name, name, kind);
    return 0;
}

/* Need per station-month of a plan solved from (model, forecast). */
static int need_of(cli *c, pipeline *p, const fc_spr_model *m, const fc_vol_forecast *f,
                   const fc_scenario *sc, const fc_plan_settings *set, double *need)
{
    fc_plan_input *in = NULL;
    fc_plan *plan = NULL;
    /* errors only: the run's own plan gave its notes and warnings once
     * (each re-solve repeated them) */
    int verb = c->diag.verbosity;
    c->diag.verbosity = -1;
    int st = fc_plan_input_from_models(&p->ds, m, p->hist, p->vm, sc, f, set,
                                       c->config->json, c->config->path ? c->config->path : "config",
                                       &c->diag, &in);
    if (st == FC_OK) st = fc_plan_solve(in, set, &c->diag, &plan);
    c->diag.verbosity = verb;
    if (st == FC_OK)
        for (int64_t i = 0; i < (int64_t)in->nstations * in->nmonths; i++)
            need[i] = fc_plan_round3(plan->cell[i].routes_q) * (1 + set->spare_ratio);
    fc_plan_free(plan);
    fc_plan_input_free(in);
    return st;
}

/* This run's forecast with scenario sc and the sample paths of vo (NULL:
 * this run's). */
static int forecast_with(pipeline *p, const fc_scenario *sc, const fc_vol_options *vo, cli *c,
                         fc_vol_forecast **out)
{
    int verb = c->diag.verbosity;
    c->diag.verbosity = -1;     /* errors only, as in need_of */
    int st = fc_vol_forecast_run(p->hist, p->vm, sc, p->ds.stations, vo ? vo : &p->vo, &c->diag, out);
    c->diag.verbosity = verb;
    return st;
}

static double r2(double x)
{
    double y = round(x * 100) / 100;
    return y == 0 ? 0.0 : y;  /* no "-0" */
}

/* x for "%+.1f": 0 when it prints as zero (a horizon 16 -> 12 read
 * "van need -0.0 van-months = new data -0.0", a fall that is not there) */
static double d1(double x)
{
    return fabs(x) < 0.05 ? 0.0 : x;
}

/* One station-month of the report's "vans": the need before and now and
 * the five parts of its change (new data, rezoning, scenario, parameter
 * drift, settings). */
static cJSON *van_entry(const char *station, const char *month, double prev, double cur,
                        const double part[5])
{
    static const char *names[5] = {"new_data", "rezoning", "scenario", "parameter_drift", "settings"};
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "station", station);
    cJSON_AddStringToObject(e, "month", month);
    cJSON_AddNumberToObject(e, "previous_need", r2(prev));
    cJSON_AddNumberToObject(e, "current_need", r2(cur));
    cJSON_AddNumberToObject(e, "change", cur - prev);
    cJSON *a = cJSON_AddObjectToObject(e, "attribution");
    for (int k = 0; k < 5; k++) cJSON_AddNumberToObject(a, names[k], part[k]);
    return e;
}

/* The first "settings" member of plan.json pp that holds `key`: files
 * written before the run's and the plan's settings were merged hold two
 * "settings" members (the run's with the scenario, then the plan's with
 * spare_ratio). NULL when none does. */
static const cJSON *settings_with(const cJSON *pp, const char *key)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, pp)
        if (it->string && strcmp(it->string, "settings") == 0 && cJSON_GetObjectItemCaseSensitive(it, key))
            return it;
    return NULL;
}

/* The previous run's scenario, from the "scenario" of its plan.json
 * settings. NULL: none, or one that no longer reads against today's zips
 * and stations (its effect then counts as new data, as before). */
static fc_scenario *previous_scenario(cli *c, const pipeline *p, const cJSON *pp, const char *prevdir)
{
    const cJSON *set = settings_with(pp, "scenario");
    if (!set) return NULL;
    fc_scenario *sc = NULL;
    if (fc_scenario_parse(set, "previous plan.json", p->ds.zips, p->ds.stations, NULL, &sc) != FC_OK) {
        fc_diag_warn(&c->diag, "%s/plan.json: the previous run's scenario does not read against "
                               "today's zips and stations; its removal counts as new data", prevdir);
        return NULL;
    }
    return sc;
}

int revision_build(cli *c, pipeline *p, const char *prevdir, cJSON **out, char **text)
{
    *out = NULL;
    *text = NULL;
    int st = FC_OK;
    cJSON *pm = read_json(c, prevdir, "model.json");
    cJSON *pf = read_json(c, prevdir, "forecast.json");
    cJSON *pp = read_json(c, prevdir, "plan.json");
    fc_spr_model *old = NULL;
    fc_vol_forecast *f_moves = NULL, *f_none = NULL, *f_set = NULL;
    fc_scenario moves_only, *prev_sc = NULL;
    cJSON *removed = NULL;
    char *in_prev = NULL, *removed_names = NULL;
    double removed_need = 0;
    int32_t ns = p->in->nstations, nm = p->in->nmonths;
    size_t cells = (size_t)ns * nm;
    double *n_new = calloc(cells, sizeof *n_new), *n_b = calloc(cells, sizeof *n_b);
    double *n_moves = calloc(cells, sizeof *n_moves), *n_none = calloc(cells, sizeof *n_none);
    double *n_set = calloc(cells, sizeof *n_set);
    double *n_old = malloc(cells * sizeof *n_old);
    cJSON *o = cJSON_CreateObject();
    /* The summary's lines after its first, as long as they need to be: a
     * fixed 8 KB once held them, and ~150 drifted parameters (or long
     * station names) filled it, cut the last line off mid-word and left
     * out the first line -- the totals -- altogether. */
    char *body = NULL, *t = NULL;
    size_t blen = 0;
    FILE *bf = open_memstream(&body, &blen);
    if (!pm || !pf || !pp) {
        st = c->diag.status ? c->diag.status : FC_EDATA;
        goto done;
    }
    /* A file that is not the document it should be would read as no rows:
     * a revision of +0.0 everywhere, silently. */
    /* (forecast.json before schema version 2 said "forecast": last
     * month's folder may hold one) */
    if (!is_kind(c, pf, prevdir, "forecast.json", "fleetcast.forecast", "forecast") ||
        !is_kind(c, pp, prevdir, "plan.json", "fleetcast.plan", NULL)) {
        st = FC_EDATA;
        goto done;
    }
    if (!n_new || !n_b || !n_moves || !n_none || !n_set || !n_old || !o || !bf) {
        st = FC_EINTERNAL;
        goto done;
    }
#define SAY(...) fprintf(bf, __VA_ARGS__)
    cJSON_AddNumberToObject(o, "schema_version", 1);
    cJSON_AddStringToObject(o, "kind", "fleetcast.revision");
    cJSON_AddStringToObject(o, "previous", prevdir);

    /* 1. Parameter drift. */
    if ((st = fc_spr_model_from_json(pm, "previous model.json", &c->diag, &old))) goto done;
    cJSON *drift = cJSON_AddArrayToObject(o, "parameters");
    int nflag = 0;
    for (int i = 0; i < p->model->nstations; i++) {
        const fc_spr_station *a = &p->model->st[i];
        for (int k = 0; k < old->nstations; k++) {
            const fc_spr_station *b = &old->st[k];
            if (strcmp(a->name, b->name) != 0) continue;
            for (int j = 0; j < FC_PHYS_NPARAM; j++) {
                double se = sqrt(a->se[j] * a->se[j] + b->se[j] * b->se[j]);
                double z = se > 0 ? (a->p[j] - b->p[j]) / se : 0;
                int sig = fabs(z) > 2.58;
                nflag += sig;
                cJSON *e = cJSON_CreateObject();
                cJSON_AddStringToObject(e, "station", a->name);
                cJSON_AddStringToObject(e, "parameter", fc_phys_param_names[j]);
                cJSON_AddNumberToObject(e, "previous", b->p[j]);
                cJSON_AddNumberToObject(e, "current", a->p[j]);
                cJSON_AddNumberToObject(e, "se_previous", b->se[j]);
                cJSON_AddNumberToObject(e, "se_current", a->se[j]);
                cJSON_AddNumberToObject(e, "z", r2(z));
                cJSON_AddBoolToObject(e, "significant", sig);
                cJSON_AddItemToArray(drift, e);
                if (sig)
                    SAY("  drift: %s %s %.4g -> %.4g (z = %.1f)\n", a->name, fc_phys_param_names[j],
                        b->p[j], a->p[j], z);
            }
        }
    }

    /* 2. Forecast revisions (station level, P50 packages). */
    cJSON *frev = cJSON_AddArrayToObject(o, "forecast");
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(pf, "rows");
    const cJSON *row;
    cJSON_ArrayForEach(row, rows) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(row, "id");
        const cJSON *mo = cJSON_GetObjectItemCaseSensitive(row, "month");
        const cJSON *p50 = cJSON_GetObjectItemCaseSensitive(row, "packages_p50");
        if (!cJSON_IsString(id) || !cJSON_IsString(mo) || !cJSON_IsNumber(p50)) continue;
        int mi;
        if (fc_month_parse(mo->valuestring, &mi)) continue;
        for (int64_t i = 0; i < p->fc->nstation_rows; i++) {
            const fc_vol_row *r = &p->fc->station_rows[i];
            if (r->month != mi || r->id < 0 || r->id >= p->ds.stations->n ||
                strcmp(fc_intern_name(p->ds.stations->ids, r->id), id->valuestring) != 0)
                continue;
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "station", id->valuestring);
            cJSON_AddStringToObject(e, "month", mo->valuestring);
            cJSON_AddNumberToObject(e, "previous_p50", p50->valuedouble);
            /* as forecast.json has it, so the same inputs revise by 0 */
            double cur = fc_vol_round1(r->pk_p50);
            cJSON_AddNumberToObject(e, "current_p50", cur);
            cJSON_AddNumberToObject(e, "change", r2(cur - p50->valuedouble));
            cJSON_AddItemToArray(frev, e);
        }
    }

    /* 3. Van need, and its attribution. */
    for (size_t i = 0; i < cells; i++) {
        n_new[i] = fc_plan_round3(p->plan->cell[i].routes_q) * (1 + p->plan_settings.spare_ratio);
        n_old[i] = NAN;
    }
    /* The previous plan's spare ratio. */
    const cJSON *ps = settings_with(pp, "spare_ratio");
    const cJSON *spare = ps ? cJSON_GetObjectItemCaseSensitive(ps, "spare_ratio") : NULL;
    double old_spare = cJSON_IsNumber(spare) ? spare->valuedouble : 0.1;
    /* and its service level: a changed spare ratio or service level is
     * "settings", not "new data" (it was: same data, spare 0.1 -> 0.2
     * read "new data +168 van-months") */
    const cJSON *psl = settings_with(pp, "service_level");
    const cJSON *sl = psl ? cJSON_GetObjectItemCaseSensitive(psl, "service_level") : NULL;
    fc_plan_settings old_set = p->plan_settings;
    old_set.spare_ratio = old_spare;
    if (cJSON_IsNumber(sl) && sl->valuedouble > 0 && sl->valuedouble < 1) old_set.service_level = sl->valuedouble;
    /* and its sample paths (seed, number of paths): another seed or count
     * of the same data's Monte Carlo is a setting too, not new data (it
     * read "new data -0.5 van-months" for seed 42 -> 7 on the example) */
    fc_vol_options old_vo = p->vo;
    const cJSON *pseed = settings_with(pp, "seed"), *ppaths = settings_with(pp, "paths");
    const cJSON *seed = pseed ? cJSON_GetObjectItemCaseSensitive(pseed, "seed") : NULL;
    const cJSON *npaths = ppaths ? cJSON_GetObjectItemCaseSensitive(ppaths, "paths") : NULL;
    if (cJSON_IsNumber(seed) && seed->valuedouble >= 0 && seed->valuedouble <= 9007199254740991.0 &&
        seed->valuedouble == floor(seed->valuedouble))
        old_vo.seed = (uint64_t)seed->valuedouble;
    if (cJSON_IsNumber(npaths) && npaths->valuedouble >= 1 && npaths->valuedouble <= 100000 &&
        npaths->valuedouble == floor(npaths->valuedouble))
        old_vo.paths = (int)npaths->valuedouble;
    int same_paths = old_vo.seed == p->vo.seed && old_vo.paths == p->vo.paths;
    /* A station in only one of the two runs counts with a need of 0 in the
     * other over the months both plans cover: it used to be left out, so
     * zips moved to a station new in the stations file read as a network
     * "rezoning -20 van-months" (their old station's loss) with the new
     * station's vans nowhere. A removed station's need goes to new data
     * (the stations file is data). */
    const cJSON *stations = cJSON_GetObjectItemCaseSensitive(pp, "stations"), *sj;
    int pmin = INT32_MAX, pmax = INT32_MIN;
    cJSON_ArrayForEach(sj, stations) {
        const cJSON *mj;
        cJSON_ArrayForEach(mj, cJSON_GetObjectItemCaseSensitive(sj, "months")) {
            const cJSON *mo = cJSON_GetObjectItemCaseSensitive(mj, "month");
            int mi;
            if (!cJSON_IsString(mo) || fc_month_parse(mo->valuestring, &mi)) continue;
            if (mi < pmin) pmin = mi;
            if (mi > pmax) pmax = mi;
        }
    }
    removed = cJSON_CreateArray();
    in_prev = calloc((size_t)ns + 1, sizeof *in_prev);
    if (!removed || !in_prev) {
        st = FC_EINTERNAL;
        goto done;
    }
    cJSON_ArrayForEach(sj, stations) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(sj, "station");
        if (!cJSON_IsString(name)) continue;
        int32_t s = fc_intern_find(p->ds.stations->ids, name->valuestring, strlen(name->valuestring));
        if (s >= ns) continue;
        if (s >= 0) in_prev[s] = 1;
        int listed = 0;
        const cJSON *mj;
        cJSON_ArrayForEach(mj, cJSON_GetObjectItemCaseSensitive(sj, "months")) {
            const cJSON *mo = cJSON_GetObjectItemCaseSensitive(mj, "month");
            const cJSON *rs = cJSON_GetObjectItemCaseSensitive(mj, "routes_service");
            int mi;
            if (!cJSON_IsString(mo) || !cJSON_IsNumber(rs) || fc_month_parse(mo->valuestring, &mi)) continue;
            int m = mi - p->in->month0;
            if (m < 0 || m >= nm) continue;
            double need = rs->valuedouble * (1 + old_spare);
            if (s >= 0) {
                n_old[(size_t)s * nm + (size_t)m] = need;
                continue;
            }
            const double gone[5] = {-need, 0, 0, 0, 0};   /* all new data */
            cJSON_AddItemToArray(removed, van_entry(name->valuestring, mo->valuestring, need, 0, gone));
            removed_need += need;
            if (!listed) {
                listed = 1;
                size_t l = removed_names ? strlen(removed_names) : 0;
                char *r = realloc(removed_names, l + strlen(name->valuestring) + 3);
                if (!r) {
                    st = FC_EINTERNAL;
                    goto done;
                }
                snprintf(r + l, strlen(name->valuestring) + 3, "%s%s", l ? ", " : "", name->valuestring);
                removed_names = r;
            }
        }
    }
    if (pmin <= pmax)
        for (int32_t s = 0; s < ns; s++) {
            if (in_prev[s]) continue;
            for (int32_t m = 0; m < nm; m++)
                if (p->in->month0 + m >= pmin && p->in->month0 + m <= pmax) n_old[(size_t)s * nm + (size_t)m] = 0;
        }
    size_t matched = 0;
    for (size_t i = 0; i < cells; i++) matched += isfinite(n_old[i]) != 0;
    if (!matched)
        fc_diag_warn(&c->diag, "%s/plan.json: none of its station-months is one of this run's; "
                               "the van need has nothing to compare with", prevdir);
    /* This run's rezoning and new stations with the previous run's shocks. */
    prev_sc = previous_scenario(c, p, pp, prevdir);
    moves_only = p->sc ? *p->sc : (fc_scenario){0};
    moves_only.nshocks = prev_sc ? prev_sc->nshocks : 0;
    moves_only.shocks = prev_sc ? prev_sc->shocks : NULL;
    const fc_plan_settings *set = &p->plan_settings;
    if ((st = need_of(c, p, old, p->fc, p->sc, set, n_b))) goto done;
    if ((st = forecast_with(p, &moves_only, NULL, c, &f_moves))) goto done;
    if ((st = need_of(c, p, old, f_moves, &moves_only, set, n_moves))) goto done;
    if ((st = forecast_with(p, prev_sc, NULL, c, &f_none))) goto done;
    if ((st = need_of(c, p, old, f_none, prev_sc, set, n_none))) goto done;
    if (!same_paths && (st = forecast_with(p, prev_sc, &old_vo, c, &f_set))) goto done;
    if (same_paths && old_set.spare_ratio == set->spare_ratio && old_set.service_level == set->service_level)
        memcpy(n_set, n_none, cells * sizeof *n_set);
    else if ((st = need_of(c, p, old, same_paths ? f_none : f_set, prev_sc, &old_set, n_set)))
        goto done;
    cJSON *vans = cJSON_AddArrayToObject(o, "vans");
    double tot[6] = {0};
    for (int32_t s = 0; s < ns; s++)
        for (int32_t m = 0; m < nm; m++) {
            size_t i = (size_t)s * nm + (size_t)m;
            if (!isfinite(n_old[i])) continue;
            double part[5] = {n_set[i] - n_old[i], n_moves[i] - n_none[i], n_b[i] - n_moves[i],
                              n_new[i] - n_b[i], n_none[i] - n_set[i]};
            char mon[8];
            fc_month_format(p->in->month0 + m, mon);
            cJSON_AddItemToArray(vans, van_entry(fc_intern_name(p->ds.stations->ids, s), mon, n_old[i], n_new[i],
                                                 part));
            for (int k = 0; k < 5; k++) tot[k] += part[k];
            tot[5] += n_new[i] - n_old[i];
        }
    /* stations of the previous run no longer in the stations file */
    while (cJSON_GetArraySize(removed) > 0) cJSON_AddItemToArray(vans, cJSON_DetachItemFromArray(removed, 0));
    tot[0] -= removed_need;
    tot[5] -= removed_need;
    {
        /* stations new since the previous plan: their need, then every
         * name (a 512-byte buffer cut the list short) */
        double added_need = 0;
        int nadded = 0;
        for (int32_t s = 0; s < ns; s++) {
            if (in_prev[s] || !(pmin <= pmax)) continue;
            int any = 0;
            for (int32_t m = 0; m < nm; m++)
                if (isfinite(n_old[(size_t)s * nm + (size_t)m])) {
                    added_need += n_new[(size_t)s * nm + (size_t)m];
                    any = 1;
                }
            if (!any) continue;
            SAY("%s%s", nadded++ ? ", " : "  stations not in the previous plan: ",
                fc_intern_name(p->ds.stations->ids, s));
        }
        if (nadded) SAY(" (van need %+.1f van-months, counted from 0)\n", added_need);
        if (removed_names)
            SAY("  stations of the previous plan no longer in the stations file: %s (van need %+.1f "
                "van-months, counted as new data)\n",
                removed_names, -removed_need);
    }
    cJSON *tj = cJSON_AddObjectToObject(o, "totals");
    cJSON_AddNumberToObject(tj, "change", tot[5]);
    cJSON_AddNumberToObject(tj, "new_data", tot[0]);
    cJSON_AddNumberToObject(tj, "rezoning", tot[1]);
    cJSON_AddNumberToObject(tj, "scenario", tot[2]);
    cJSON_AddNumberToObject(tj, "parameter_drift", tot[3]);
    cJSON_AddNumberToObject(tj, "settings", tot[4]);
    cJSON_AddNumberToObject(tj, "parameters_flagged", nflag);
#undef SAY
    /* the totals first, then the lines above */
    int bad = fclose(bf) != 0;
    bf = NULL;
    size_t tl = 0;
    FILE *tf = bad ? NULL : open_memstream(&t, &tl);
    if (tf) {
        fprintf(tf,
                "revision since %s: van need %+.1f van-months = new data %+.1f, rezoning %+.1f, "
                "scenario %+.1f, parameter drift %+.1f, settings %+.1f; %d parameter%s drifted "
                "significantly\n",
                prevdir, d1(tot[5]), d1(tot[0]), d1(tot[1]), d1(tot[2]), d1(tot[3]), d1(tot[4]), nflag,
                nflag == 1 ? "" : "s");
        fputs(body ? body : "", tf);
        bad = fclose(tf) != 0;
    }
    if (!tf || bad) st = FC_EINTERNAL;
done:
    if (bf) fclose(bf);
    free(body);
    if (st == FC_OK) {
        *out = o;
        *text = t;
    } else {
        cJSON_Delete(o);
        free(t);
    }
    cJSON_Delete(removed);
    free(in_prev);
    free(removed_names);
    fc_scenario_free(prev_sc);
    fc_vol_forecast_free(f_moves);
    fc_vol_forecast_free(f_none);
    fc_vol_forecast_free(f_set);
    fc_spr_model_free(old);
    free(n_new);
    free(n_b);
    free(n_moves);
    free(n_none);
    free(n_set);
    free(n_old);
    cJSON_Delete(pm);
    cJSON_Delete(pf);
    cJSON_Delete(pp);
    return st;
}
