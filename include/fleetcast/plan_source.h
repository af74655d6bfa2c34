/* plan_source.h -- the plan's demand from the two upstream models: the
 * volume forecast's sample paths (peak-day and month packages per station)
 * and the hybrid SPR model (routes for a day of a given volume, and route
 * lengths), wired into an fc_plan_input (docs/plan.md, "Where the demand
 * comes from"). */
#ifndef FLEETCAST_PLAN_SOURCE_H
#define FLEETCAST_PLAN_SOURCE_H

#include "fleetcast/dataset.h"
#include "fleetcast/forecast.h"
#include "fleetcast/plan.h"
#include "fleetcast/spr.h"

/* Make the input of a plan over the forecast's months for the stations of
 * ds (stations a scenario adds are left out, with a warning: they have no
 * routing history to calibrate on). For every station, plan month and van
 * type it may run, the SPR model scores four synthetic peak days (the
 * station's zips as of that month under the scenario, each zip's share of
 * the station from the same calendar month of the last year of history,
 * scaled to 0.5, 1, 1.6 and 2.5 times the median peak day) and the plan
 * interpolates routes between them in log-log, so SPR follows volume
 * non-linearly as the physics says. Route lengths per zip come from the
 * model's stem distance and local km. cfg_json: the config document (its
 * "plan" section: temperatures, electric supply) or NULL. */
int fc_plan_input_from_models(const fc_dataset *ds, const fc_spr_model *model,
                              const fc_vol_history *h, const fc_vol_model *vm,
                              const fc_scenario *sc, const fc_vol_forecast *f,
                              const fc_plan_settings *set, const cJSON *cfg_json,
                              const char *cfgname, fc_diag *d, fc_plan_input **out) FC_MUST_CHECK;

#endif
