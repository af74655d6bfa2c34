/* data.h -- the six input files of the data contract, read into dense
 * arrays (docs/data.md). Ids (zip, station, van type, city) are interned to
 * dense integers in order of first appearance; every struct here is created
 * by its fc_*_read function and freed by the matching fc_*_free (NULL is a
 * no-op). Readers report every bad row through the fc_diag and return its
 * first status; on error the out-pointer is NULL. */
#ifndef FLEETCAST_DATA_H
#define FLEETCAST_DATA_H

#include <stdint.h>
#include "fleetcast/csv.h"
#include "fleetcast/diag.h"
#include "fleetcast/intern.h"

#define FC_MAX_VAN_TYPES 64

/* Extra numeric columns of zips.csv / stations.csv: feature j of row r is
 * values[r * n + j]; an empty cell is NAN. */
typedef struct fc_features {
    int n;
    char **names;
    double *values;
} fc_features;

typedef struct fc_zips {
    fc_intern *ids;
    int32_t n;
    double *lat, *lon;
    double *area_km2;       /* > 0 */
    double *hilliness;      /* metres climbed per km; 0 when the column is absent */
    int has_hilliness;
    fc_features feat;
} fc_zips;

typedef struct fc_stations {
    fc_intern *ids;
    int32_t n;
    double *lat, *lon;
    fc_intern *cities;
    int32_t *city;          /* index into cities, -1 when not given */
    /* Optional numbers: NAN when not given (meaning "default" for
     * shift_hours and "no limit" for the capacities). */
    double *shift_hours, *parking, *chargers, *charger_kw, *site_power_kw;
    int32_t *opened;        /* epoch day, FC_NO_DATE when not given */
    uint64_t *van_types;    /* bit v = may run vehicle v; all bits when not given */
    fc_features feat;
} fc_stations;

#define FC_NO_DATE INT32_MIN

typedef struct fc_vehicles {
    fc_intern *ids;
    int32_t n;
    double *capacity;       /* packages, > 0 */
    int *electric;
    double *battery_kwh, *kwh_per_km;   /* NAN when not given */
    double *cost_per_day, *cost_per_km; /* NAN when not given */
} fc_vehicles;

typedef struct fc_fleet {
    int32_t nstations, nvans;
    int32_t *count;         /* [station * nvans + van] */
    int64_t total;
} fc_fleet;

/* Zip-level shipment history as dense period x zip arrays. A period is a
 * day, or a month when every date in the file is the first of a month
 * (monthly data). Zip ids are those of the fc_zips the file was read with. */
typedef struct fc_shipments {
    int monthly;
    int32_t t0;             /* first period: epoch day, or month index (y*12+m-1) */
    int32_t nperiods;
    int32_t nzips;
    int32_t *packages;      /* [period * nzips + zip]; -1 = no row */
    int32_t *stops;
    /* The station serving each zip over time, as segments sorted by start:
     * segments of zip z are seg_off[z] .. seg_off[z+1]-1. */
    int32_t *seg_off;
    int32_t *seg_first, *seg_last, *seg_station;   /* periods, inclusive */
    int64_t rows;
    double total_packages, total_stops;
    int borrowed;           /* 1: packages and stops belong to another fc_shipments
                             * (fc_shipments_head) and are not freed with this one */
} fc_shipments;

typedef struct fc_routes {
    int64_t n;
    int32_t *day, *station, *van;
    double *routes, *packages;
    double *stops, *route_hours, *route_km;  /* NAN when absent */
    int has_stops, has_hours, has_km;
    int has_routes;         /* 0 only via FC_ROUTES_COUNT_OPTIONAL: routes[] all NAN */
} fc_routes;

int fc_vehicles_read(const char *path, fc_diag *d, fc_vehicles **out, fc_csv_info *info) FC_MUST_CHECK;
int fc_zips_read(const char *path, fc_diag *d, fc_zips **out, fc_csv_info *info) FC_MUST_CHECK;
/* vehicles may be NULL: van_types then cannot be checked and all bits are set. */
int fc_stations_read(const char *path, const fc_vehicles *veh, fc_diag *d,
                     fc_stations **out, fc_csv_info *info) FC_MUST_CHECK;
int fc_fleet_read(const char *path, const fc_stations *st, const fc_vehicles *veh,
                  fc_diag *d, fc_fleet **out, fc_csv_info *info) FC_MUST_CHECK;
/* The budgeted fleet the plan's scenario check tests: the fleet file's
 * format and checks, its messages as a budget's. */
int fc_budget_read(const char *path, const fc_stations *st, const fc_vehicles *veh,
                   fc_diag *d, fc_fleet **out, fc_csv_info *info) FC_MUST_CHECK;
/* Largest van count of one station and type (fleet, budget). */
#define FC_MAX_VANS 1000000
/* threads >= 2: the file is gunzipped on a read-ahead thread (fc_csv_read). */
int fc_shipments_read(const char *path, const fc_zips *zips, const fc_stations *st,
                      fc_diag *d, fc_shipments **out, fc_csv_info *info, int threads) FC_MUST_CHECK;
int fc_routes_read(const char *path, const fc_stations *st, const fc_vehicles *veh,
                   fc_diag *d, fc_routes **out, fc_csv_info *info) FC_MUST_CHECK;
/* The same with flags: FC_ROUTES_COUNT_OPTIONAL lets the `routes` column be
 * absent or empty (routes[i] is then NAN), for scoring days not yet run. */
#define FC_ROUTES_COUNT_OPTIONAL 1
int fc_routes_read_ex(const char *path, const fc_stations *st, const fc_vehicles *veh, int flags,
                      fc_diag *d, fc_routes **out, fc_csv_info *info, int threads) FC_MUST_CHECK;

void fc_vehicles_free(fc_vehicles *v);
void fc_zips_free(fc_zips *z);
void fc_stations_free(fc_stations *s);
void fc_fleet_free(fc_fleet *f);
void fc_shipments_free(fc_shipments *s);
void fc_routes_free(fc_routes *r);

/* Station serving zip in period p (index from 0), or -1 if the zip has no
 * rows at all; between segments, the earlier segment's station holds. */
int32_t fc_shipments_station(const fc_shipments *s, int32_t zip, int32_t p);
/* Epoch day of the first day of period p. */
int32_t fc_shipments_period_day(const fc_shipments *s, int32_t p);
/* The first nperiods periods of s (clipped to 1 .. s->nperiods), as the
 * file would read had it ended before period nperiods: the segments that
 * start later dropped, the others ending at their zip's last row before
 * it, rows and totals of those periods. What a run on that date would have
 * seen (the volume backtest fits each origin on it). The period-major
 * arrays are s's: s must outlive *out, which fc_shipments_free frees. */
int fc_shipments_head(const fc_shipments *s, int32_t nperiods, fc_shipments **out) FC_MUST_CHECK;

/* Feature column index by name, or -1. */
int fc_features_find(const fc_features *f, const char *name);
void fc_features_free(fc_features *f);

#endif
