/* synth.h -- the example-data generator: a synthetic delivery network
 * (cities, stations, zips, vans), daily demand per zip, and route counts
 * that come from actually routing the placed stops (a space-filling-curve
 * sweep plus 2-opt / Or-opt and route elimination), never from an SPR
 * formula. docs/synth.md describes the model and its calibration.
 *
 * Ownership: fc_synth_world_build() creates a world, fc_synth_world_free()
 * frees it; fc_synth_run() fills an fc_synth_result freed with
 * fc_synth_result_free(); fc_router_new()/fc_router_free() pair, and a
 * router's fc_route_plan stays valid until the router's next solve. All
 * _free(NULL) calls are no-ops. Nothing here prints or exits. */
#ifndef FLEETCAST_SYNTH_H
#define FLEETCAST_SYNTH_H

#include <stdint.h>
#include <cjson/cJSON.h>
#include <gsl/gsl_rng.h>
#include "fleetcast/diag.h"

/* ---- the stop router --------------------------------------------------- */

/* One stop, in km east (x) and north (y) of the depot. */
typedef struct fc_route_stop {
    double x, y;
    int32_t packages;
    double service_h;       /* time at the stop, hours */
    double speed_kmh;       /* local driving speed around the stop */
} fc_route_stop;

typedef struct fc_router_params {
    double capacity;        /* packages per van */
    double shift_h;         /* longest route, hours, depot to depot */
    double range_km;        /* longest route in km (electric vans); <= 0: none */
    double circuity;        /* road km per straight-line km */
    double local_km;        /* the first local_km of a leg run at local speed */
    double fast_kmh;        /* the rest of a leg (stem, highway) */
    double depot_speed_kmh; /* local speed around the depot */
    int improve;            /* 0: construction only (tests compare), 1: full */
} fc_router_params;

typedef struct fc_route_info {
    int32_t first, n;       /* the route's stops are order[first .. first+n-1] */
    int64_t packages;
    double hours, service_h, drive_h, km;
} fc_route_info;

typedef struct fc_route_plan {
    int32_t nroutes;
    fc_route_info *routes;
    int32_t *order;         /* stop indices, route after route, in driving order */
} fc_route_plan;

typedef struct fc_router fc_router;

fc_router *fc_router_new(void);
void fc_router_free(fc_router *r);
/* Route n stops from the depot at (0,0). Every route keeps capacity, shift
 * and range, except a route of a single stop that cannot be served within
 * them at all (it is still made, alone). The plan is owned by the router.
 * FC_EINTERNAL on out of memory. */
int fc_router_solve(fc_router *r, const fc_router_params *p, const fc_route_stop *stops,
                    int32_t n, const fc_route_plan **plan) FC_MUST_CHECK;
/* Driving hours of a leg between two points `straight_km` apart whose
 * local speeds are speed_a and speed_b (the depot's is depot_speed_kmh):
 * road km = straight km x circuity; the first local_km at the mean pace
 * of the two ends, the rest at fast_kmh. The router uses this model. */
double fc_router_leg_hours(const fc_router_params *p, double straight_km, double speed_a, double speed_b);

/* ---- the synthetic network --------------------------------------------- */

typedef struct fc_synth_params {
    uint64_t seed;
    int cities, stations, zips;
    int32_t start;          /* epoch day of the first day */
    int32_t ndays;
    int threads;            /* worker threads for routing; output does not depend on it */
    int keep_routes;        /* keep every route's figures in the result (tests, stats) */
} fc_synth_params;

/* Defaults: seed 1, 3 cities, 6 stations, 120 zips, 2023-01-01 for 731 days. */
void fc_synth_params_default(fc_synth_params *p);

typedef struct fc_synth_vehicle {
    char name[16];
    double capacity, battery_kwh, kwh_per_km, cost_per_day, cost_per_km;
    int electric;
} fc_synth_vehicle;

typedef struct fc_synth_city {
    char name[32];
    double lat, lon;
    double temperature_c[12];
    double hilliness;       /* typical metres climbed per km */
} fc_synth_city;

/* A change that takes effect on a day: the zip's station, a station's van,
 * a volume multiplier, a service-time factor. */
typedef struct fc_synth_change {
    int32_t from;           /* epoch day */
    int32_t who;            /* zip or station index, -1 = all */
    double value;           /* new station / van index, or the factor */
} fc_synth_change;

typedef struct fc_synth_station {
    char id[32];
    int32_t city;
    double x, y;            /* km from the city centre */
    double lat, lon;
    double shift_hours;
    int32_t opened;         /* epoch day (may be before the data starts) */
    uint64_t may_run;       /* bit v: vehicle v allowed */
    int32_t van0;           /* the van type run until the first switch */
    int32_t chargers;
    double charger_kw, site_power_kw;
    int32_t ev_fleet;       /* electric vans already on site (fleet.csv) */
} fc_synth_station;

typedef struct fc_synth_zip {
    char id[8];
    int32_t city, home;     /* home: the station that generated it */
    double x, y, lat, lon;  /* centroid, km from the city centre and degrees */
    double area_km2, hilliness, share_apartments, share_business;
    int urban;
    double base_stops;      /* stops per day at the start, before seasonality */
    double growth;          /* per year */
    double pkg_lambda;      /* packages per stop = 1 + Poisson(pkg_lambda) */
    double stop_s, pkg_s;   /* service seconds per stop and per package */
    double speed_kmh;       /* local driving speed */
} fc_synth_zip;

typedef struct fc_synth_world {
    fc_synth_params p;
    int32_t ncities, nstations, nzips, nvehicles;
    fc_synth_city *cities;
    fc_synth_station *stations;
    fc_synth_zip *zips;
    fc_synth_vehicle vehicles[8];
    fc_router_params route;         /* travel model (capacity/shift set per station) */
    /* Scenario: changes sorted by day. zip_station: value = station index
     * (-1 = not served); van: value = vehicle (switches after van0); volume
     * and service: factors. */
    fc_synth_change *zip_station, *van, *volume, *service;
    int32_t nzip_station, nvan, nvolume, nservice;
    cJSON *scenario;                /* the resolved scenario, for config.json */
} fc_synth_world;

/* Build the network from the parameters, then apply the scenario (a JSON
 * object or NULL; format in docs/synth.md). Bad scenario values are
 * reported through d with the key that is wrong: FC_EDATA. */
int fc_synth_world_build(const fc_synth_params *p, const cJSON *scenario, const char *scenario_name,
                         fc_diag *d, fc_synth_world **out) FC_MUST_CHECK;
void fc_synth_world_free(fc_synth_world *w);

/* The scenario state on a day. */
int32_t fc_synth_zip_station(const fc_synth_world *w, int32_t zip, int32_t day);
int32_t fc_synth_station_van(const fc_synth_world *w, int32_t station, int32_t day);
double fc_synth_volume_factor(const fc_synth_world *w, int32_t station, int32_t day);
double fc_synth_service_factor(const fc_synth_world *w, int32_t zip, int32_t day);

/* The router's parameters for a station on a day (its van's capacity and
 * range, its shift); returns the van's index. */
int32_t fc_synth_day_router(const fc_synth_world *w, int32_t station, int32_t day, fc_router_params *p);

/* Expected stops of a zip on a day (trend x season x weekday x scenario). */
double fc_synth_expected_stops(const fc_synth_world *w, int32_t zip, int32_t station, int32_t day);

/* Draw the stops of a zip on a day, appended to *stops (grown with
 * realloc; *n and *cap updated), in km from the station. Deterministic
 * in (seed, zip, day) and the station's scenario volume factor: not in the
 * thread or the order of calls. */
int fc_synth_draw_stops(const fc_synth_world *w, int32_t zip, int32_t station, int32_t day,
                        gsl_rng *rng, fc_route_stop **stops, int32_t *n, int32_t *cap) FC_MUST_CHECK;

/* One route as generated (kept when params.keep_routes). */
typedef struct fc_synth_route {
    int32_t day, station;
    int32_t stops, packages;
    float hours, service_h, drive_h, km;
} fc_synth_route;

typedef struct fc_synth_result {
    int32_t ndays, nzips, nstations;
    /* [day * nzips + zip]: -1 packages = zip not served that day */
    int32_t *zip_packages, *zip_stops;
    /* [day * nstations + station]: van -1 = no routes that day */
    int32_t *van, *routes, *packages, *stops;
    double *hours, *km;
    fc_synth_route *route;      /* when keep_routes */
    int64_t nroute;
} fc_synth_result;

/* Generate demand and route every station-day (threads from params). */
int fc_synth_run(const fc_synth_world *w, fc_synth_result **out, fc_diag *d) FC_MUST_CHECK;
void fc_synth_result_free(fc_synth_result *r);

/* Route statistics over every kept route (result of a run with
 * keep_routes), to compare with the published Amazon figures. */
typedef struct fc_synth_stats {
    int64_t routes;
    double stops_mean, stops_p10, stops_p50, stops_p90;
    double packages_mean, packages_p10, packages_p90;
    double packages_per_stop;
    double hours_mean, hours_p10, hours_p90;
    double service_h_mean, drive_h_mean, km_mean;
    double capacity_bound;  /* share of routes with more than 95% of the van filled */
} fc_synth_stats;

/* FC_EINTERNAL on out of memory; FC_EDATA when no routes were kept. */
int fc_synth_route_stats(const fc_synth_world *w, const fc_synth_result *r, fc_synth_stats *s) FC_MUST_CHECK;

/* Write shipments, routes, zips, stations, vehicles, fleet (".csv", or
 * ".csv.gz" when gzip) and config.json into dir, atomically as a set: all
 * are written and synced before any replaces its old version, so on
 * failure (reported) dir keeps its previous files. */
int fc_synth_write(const fc_synth_world *w, const fc_synth_result *r, const char *dir, int gzip,
                   fc_diag *d) FC_MUST_CHECK;

#endif
