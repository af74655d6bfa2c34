/* dataset.h -- the input files of one run, read in dependency order
 * (vehicles, zips, stations, fleet, shipments, routes) with the cross-file
 * references checked, and their fingerprints for the outputs. */
#ifndef FLEETCAST_DATASET_H
#define FLEETCAST_DATASET_H

#include <cjson/cJSON.h>
#include "fleetcast/config.h"
#include "fleetcast/data.h"

typedef struct fc_dataset {
    fc_vehicles *vehicles;
    fc_zips *zips;
    fc_stations *stations;
    fc_fleet *fleet;
    fc_fleet *budget;       /* the budgeted fleet to check, in the fleet file's format */
    fc_shipments *shipments;
    fc_routes *routes;
    const char *paths[FC_INPUT_N];  /* borrowed from the caller */
    fc_csv_info info[FC_INPUT_N];
    int loaded[FC_INPUT_N];
} fc_dataset;

/* Read every input that has a path. Inputs that others refer to must come
 * along: shipments need zips and stations; routes need stations and
 * vehicles; fleet and budget need stations and vehicles; stations' van_types are
 * checked against vehicles when given. Every file is read even after an
 * error in another, so one run lists all problems. Returns the first
 * status; ds holds what loaded (free with fc_dataset_free either way).
 * threads (0: one per core): with 2 or more, shipments and routes are
 * gunzipped on a read-ahead thread while they are parsed. */
int fc_dataset_load(fc_dataset *ds, char *const paths[FC_INPUT_N], int threads, fc_diag *d) FC_MUST_CHECK;
void fc_dataset_free(fc_dataset *ds);
/* Routes rows (with routes and packages) whose station has no shipments
 * that day, i.e. no zip with packages and stops there: the SPR fit and
 * predict leave them out. Returns their count (0 without daily shipments
 * and routes) and the first in *first, or -1 out of memory. */
int64_t fc_dataset_unmatched_routes(const fc_dataset *ds, int64_t *first);

/* Read the fleet (which = FC_IN_FLEET) or the budget (FC_IN_BUDGET) from
 * path into ds, whose stations and vehicles are loaded; marks it loaded. */
int fc_dataset_read_fleet(fc_dataset *ds, int which, const char *path, fc_diag *d) FC_MUST_CHECK;

/* {"shipments": {"path":..., "bytes":..., "crc32":"..."}, ...} for the
 * inputs that were read; NULL on out of memory. */
cJSON *fc_dataset_fingerprints(const fc_dataset *ds);

#endif
