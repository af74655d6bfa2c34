/* cli_pipeline.c -- the load / model / forecast / plan stages shared by the
 * plan and run commands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli_pipeline.h"
#include "fleetcast/date.h"
#include "fleetcast/parallel.h"
#include "fleetcast/plan_source.h"

int pipeline_load(cli *c, pipeline *p, const pipeline_opts *o)
{
    int st = cli_spr_load(c, &p->ds, &p->spr_settings, 0, o ? (int)o->threads : 0);
    if (st) return st;
    /* the current fleet, and the budgeted one the scenario check tests */
    for (int which = FC_IN_FLEET; which <= FC_IN_BUDGET; which++)
        if (c->config->inputs[which] &&
            (st = fc_dataset_read_fleet(&p->ds, which, c->config->inputs[which], &c->diag)))
            return st;
    fc_config *cfg = c->config;
    int threads = fc_parallel_threads(o ? (int)o->threads : 0);
    if (threads > 64) threads = 64;
    p->vo = (fc_vol_options){
        .horizon = o && o->horizon > 0 ? (int)o->horizon : cfg->horizon_months,
        .paths = o && o->paths > 0 ? (int)o->paths : cfg->paths,
        .seed = o && o->seed >= 0 ? (uint64_t)o->seed : cfg->seed,
        .threads = (int)threads,
        .zip_rows = 0,
    };
    /* --threads reaches every stage: the fit and the plan as the forecast */
    p->spr_settings.threads = threads;
    fc_plan_settings_default(&p->plan_settings);
    st = fc_plan_settings_from_json(&p->plan_settings, cfg->json, cfg->path, &c->diag);
    p->plan_settings.threads = threads;
    /* The plan section's station-month inputs (ev_supply, temperature_c)
     * are checked now, on a blank input, so a bad value stops the run
     * before the fit and the forecast rather than after them; silently,
     * reported only when bad (the real pass later warns once). */
    const cJSON *plan_cfg = cfg->json ? cJSON_GetObjectItemCaseSensitive(cfg->json, "plan") : NULL;
    if (st == FC_OK && plan_cfg) {
        fc_plan_input *chk = fc_plan_input_new(p->ds.stations->n, p->vo.horizon, p->ds.vehicles->n, 0);
        if (!chk) return FC_EINTERNAL;
        if (fc_plan_input_apply_config(chk, plan_cfg, p->ds.stations, cfg->path, NULL) != FC_OK)
            st = fc_plan_input_apply_config(chk, plan_cfg, p->ds.stations, cfg->path, &c->diag);
        fc_plan_input_free(chk);
    }
    return st;
}

int pipeline_model(cli *c, pipeline *p, const char *path)
{
    int st = fc_spr_index_new(p->ds.shipments, p->ds.zips, p->ds.stations, &c->diag, &p->ix);
    if (st) return st;
    if (path) return cli_spr_model_read(c, path, &p->model);
    st = fc_spr_fit(p->ix, p->ds.routes, p->ds.vehicles, NULL, &p->spr_settings, &c->diag, &p->model);
    if (st) return st;
    p->model->inputs = fc_dataset_fingerprints(&p->ds);
    cli_spr_noconv(c, p->model, 0);
    return FC_OK;
}

int pipeline_forecast(cli *c, pipeline *p)
{
    fc_config *cfg = c->config;
    int st = fc_scenario_parse(cfg->json, cfg->path ? cfg->path : "config", p->ds.zips,
                               p->ds.stations, &c->diag, &p->sc);
    if (st == FC_OK)
        st = fc_vol_history_build(p->ds.shipments, p->ds.stations->n, &c->diag, &p->hist);
    if (st == FC_OK) st = fc_vol_model_fit(p->hist, 0, FC_VOL_ETS, p->vo.threads, &c->diag, &p->vm);
    p->vo.zip_ids = p->ds.zips ? p->ds.zips->ids : NULL;
    if (st == FC_OK)
        st = fc_vol_forecast_run(p->hist, p->vm, p->sc, p->ds.stations, &p->vo, &c->diag, &p->fc);
    if (st == FC_OK) fc_scenario_warn_outside(p->sc, p->fc->month0, p->fc->horizon, &c->diag);
    return st;
}

int pipeline_plan(cli *c, pipeline *p)
{
    int st = fc_plan_input_from_models(&p->ds, p->model, p->hist, p->vm, p->sc, p->fc,
                                       &p->plan_settings, c->config->json,
                                       c->config->path ? c->config->path : "config", &c->diag,
                                       &p->in);
    if (st == FC_OK) st = fc_plan_solve(p->in, &p->plan_settings, &c->diag, &p->plan);
    if (st == FC_OK && p->plan->n_uncovered) {
        /* which ones, and what stops them (the first few): the count alone
         * sent a cron job's reader to plan.csv every month */
        const fc_plan_input *in = p->in;
        char list[512] = "";
        size_t len = 0;
        int shown = 0;
        for (int32_t s = 0; s < in->nstations; s++)
            for (int32_t m = 0; m < in->nmonths; m++) {
                const fc_plan_cell *ce = &p->plan->cell[FC_PLAN_SM(in, s, m)];
                if (!(ce->uncovered_routes > 0) || shown == 4) continue;
                char mo[8];
                fc_month_format(in->month0 + m, mo);
                const char *name = in->station_names && in->station_names[s] ? in->station_names[s] : "?";
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%.60s %s (%.1f routes, %s)",
                                        shown ? ", " : "", name, mo, ce->uncovered_routes,
                                        fc_plan_limit_name(ce->binding));
                if (len >= sizeof list) len = sizeof list - 1;
                shown++;
            }
        long long n = (long long)p->plan->n_uncovered;
        fc_diag_warn(&c->diag, "%lld station-month%s cannot cover their demand: %s%s (see 'uncovered_routes')",
                     n, n == 1 ? "" : "s", list, n > shown ? ", ..." : "");
    }
    return st;
}

int pipeline_budget_summary(const pipeline *p, char *text, size_t n, cJSON *o)
{
    static const char *names[FC_SCEN_N] = {"p50", "service", "shock"};
    if (n) text[0] = 0;
    const fc_plan_input *in = p->in;
    const fc_plan *pl = p->plan;
    if (!in || !pl || !in->budget) return 0;
    int32_t S = in->nstations, M = in->nmonths;
    cJSON *b = o ? cJSON_AddObjectToObject(o, "budget") : NULL;
    if (b) cJSON_AddStringToObject(b, "path", p->ds.paths[FC_IN_BUDGET]);
    size_t len = (size_t)snprintf(text, n, "  budgeted fleet (%s):", p->ds.paths[FC_IN_BUDGET]);
    for (int sc = 0; sc < FC_SCEN_N; sc++) {
        if (sc == FC_SCEN_SHOCK && !pl->has_shock) continue;
        int64_t worst = 0, short_sm = 0;
        int32_t worst_m = 0;
        for (int32_t m = 0; m < M; m++) {
            int64_t tot = 0;
            for (int32_t s = 0; s < S; s++) {
                int32_t sf = pl->check[FC_PLAN_SM(in, s, m) * FC_SCEN_N + sc].shortfall;
                tot += sf;
                short_sm += sf > 0;
            }
            if (tot > worst) {
                worst = tot;
                worst_m = m;
            }
        }
        char mon[8];
        fc_month_format(in->month0 + worst_m, mon);
        char label[96];
        if (sc == FC_SCEN_SHOCK)  /* on top of the forecast, scenario shocks included */
            snprintf(label, sizeof label, "under a %+.0f%% shock (plan shock_multiplier)",
                     100 * (p->plan_settings.shock_multiplier - 1));
        else
            snprintf(label, sizeof label, "%s", sc == FC_SCEN_P50 ? "at P50" : "at the service level");
        if (len < n)
            len += (size_t)snprintf(text + len, n - len, "%s %s ", sc ? ";" : "", label);
        if (len < n) {
            if (worst > 0)
                len += (size_t)snprintf(text + len, n - len, "short %lld vans in %s (%lld station-months short)",
                                        (long long)worst, mon, (long long)short_sm);
            else
                len += (size_t)snprintf(text + len, n - len, "enough");
        }
        if (b) {
            cJSON *x = cJSON_AddObjectToObject(b, names[sc]);
            cJSON_AddNumberToObject(x, "worst_shortfall", (double)worst);
            if (worst > 0) cJSON_AddStringToObject(x, "worst_month", mon);
            else cJSON_AddNullToObject(x, "worst_month");
            cJSON_AddNumberToObject(x, "station_months_short", (double)short_sm);
            if (sc == FC_SCEN_SHOCK)
                cJSON_AddNumberToObject(x, "shock_multiplier", p->plan_settings.shock_multiplier);
        }
    }
    return 1;
}

cJSON *pipeline_meta(const cli *c, const pipeline *p)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddItemToObject(o, "inputs", fc_dataset_fingerprints(&p->ds));
    cJSON *s = cJSON_AddObjectToObject(o, "settings");
    cJSON_AddNumberToObject(s, "horizon_months", p->vo.horizon);
    cJSON_AddNumberToObject(s, "paths", p->vo.paths);
    cJSON_AddNumberToObject(s, "seed", (double)p->vo.seed);
    const cJSON *sc = c->config->json ? cJSON_GetObjectItemCaseSensitive(c->config->json, "scenario") : NULL;
    /* "scenario": null is no scenario, as the parser reads it: {} (it was
     * echoed as null, which the schemas do not allow) */
    cJSON_AddItemToObject(s, "scenario", cJSON_IsObject(sc) ? cJSON_Duplicate(sc, 1) : cJSON_CreateObject());
    return o;
}

void pipeline_free(pipeline *p)
{
    fc_plan_free(p->plan);
    fc_plan_input_free(p->in);
    fc_vol_forecast_free(p->fc);
    fc_vol_model_free(p->vm);
    fc_vol_history_free(p->hist);
    fc_scenario_free(p->sc);
    fc_spr_model_free(p->model);
    fc_spr_index_free(p->ix);
    fc_dataset_free(&p->ds);
    memset(p, 0, sizeof *p);
}
