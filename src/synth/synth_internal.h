/* synth_internal.h -- (private to src/synth) pieces shared by the
 * generator's files: seeding, the scenario step of world building. */
#ifndef FLEETCAST_SYNTH_INTERNAL_H
#define FLEETCAST_SYNTH_INTERNAL_H

#include <gsl/gsl_rng.h>
#include "fleetcast/synth.h"

/* A 64-bit seed mixed from the run seed and a few integers. */
uint64_t synth_seed(uint64_t seed, uint64_t a, uint64_t b, uint64_t c);

/* Apply the scenario (NULL: none) to a freshly built world and record the
 * resolved scenario in w->scenario. FC_EDATA (reported) on bad values. */
int synth_scenario_apply(fc_synth_world *w, const cJSON *sc, const char *name, fc_diag *d);

/* Append a change; -1 on out of memory. */
int synth_change_add(fc_synth_change **arr, int32_t *n, int32_t from, int32_t who, double value);

/* Index of a vehicle / station by name, or -1. */
int32_t synth_vehicle_find(const fc_synth_world *w, const char *name);
int32_t synth_station_find(const fc_synth_world *w, const char *id);
int32_t synth_zip_find(const fc_synth_world *w, const char *id);

#endif
