/* cli_revision.h -- (private to src/cli) the revision report of `run`: what
 * moved since the previous run and why. */
#ifndef FLEETCAST_CLI_REVISION_H
#define FLEETCAST_CLI_REVISION_H

#include "cli_pipeline.h"

/* Compare the run in p with the outputs in prevdir (model.json,
 * forecast.json, plan.json) and build revision.json: parameter drift per
 * station (flagged when |z| > 2.58), forecast revisions per station and
 * month, and the change of each station-month's van need split into new
 * data, rezoning, scenario, parameter drift and settings (the parts add up
 * to the total). text gets a readable summary, the totals first and then
 * as many lines as it takes (caller frees both). */
int revision_build(cli *c, pipeline *p, const char *prevdir, cJSON **out, char **text);

#endif
