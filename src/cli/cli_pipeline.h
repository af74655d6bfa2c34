/* cli_pipeline.h -- (private to src/cli) the stages plan and run share:
 * load the inputs, get an SPR model (read or fit), forecast volume, build
 * and solve the plan. Each stage reports through the cli's diag and returns
 * a status; pipeline_free releases whatever was made. */
#ifndef FLEETCAST_CLI_PIPELINE_H
#define FLEETCAST_CLI_PIPELINE_H

#include "cli.h"
#include "fleetcast/dataset.h"
#include "fleetcast/forecast.h"
#include "fleetcast/plan.h"
#include "fleetcast/spr.h"

typedef struct pipeline {
    fc_dataset ds;
    fc_spr_settings spr_settings;
    fc_spr_index *ix;
    fc_spr_model *model;
    fc_vol_options vo;
    fc_vol_history *hist;
    fc_vol_model *vm;
    fc_scenario *sc;
    fc_vol_forecast *fc;
    fc_plan_settings plan_settings;
    fc_plan_input *in;
    fc_plan *plan;
} pipeline;

/* Overrides from the command line; < 0 = take the config's value. */
typedef struct pipeline_opts {
    long horizon, paths, seed, threads;
} pipeline_opts;

/* Read every input the plan needs (shipments, routes, zips, stations,
 * vehicles; fleet when named). */
int pipeline_load(cli *c, pipeline *p, const pipeline_opts *o);
/* Read model.json from path, or fit one when path is NULL. */
int pipeline_model(cli *c, pipeline *p, const char *path);
int pipeline_forecast(cli *c, pipeline *p);
int pipeline_plan(cli *c, pipeline *p);
void pipeline_free(pipeline *p);

/* The scenario check of a budgeted fleet (input "budget") in one line:
 * for P50, the service level and the shock, the worst month's network
 * shortfall and the station-months short. Writes text (may be "") and,
 * when o is given, a "budget" object into it. Returns 1 when there is a
 * budget. */
int pipeline_budget_summary(const pipeline *p, char *text, size_t n, cJSON *o);

/* Settings and inputs shared by the JSON outputs (caller frees). */
cJSON *pipeline_meta(const cli *c, const pipeline *p);

#endif
