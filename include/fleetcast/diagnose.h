/* diagnose.h -- zips and stations whose behaviour departs from the hybrid
 * SPR model: the daily residual log(observed / hybrid) of each station is
 * regressed on each zip's share of the day's packages, on that share after
 * a date (a change in the zip's service) and on the zip's arrival at the
 * station, with HAC (Newey-West) standard errors, a multiple-testing
 * correction across dates and zips, and a drift test per station
 * (docs/diagnose.md).
 *
 * Objects and owners: fc_diagnosis is made by fc_diagnosis_run and freed by
 * fc_diagnosis_free (NULL is a no-op). */
#ifndef FLEETCAST_DIAGNOSE_H
#define FLEETCAST_DIAGNOSE_H

#include <stdint.h>
#include "fleetcast/data.h"
#include "fleetcast/diag.h"
#include "fleetcast/spr.h"

enum { FC_DX_BH, FC_DX_BONFERRONI };            /* correction across zips */
enum { FC_DX_HOURS, FC_DX_ROUTES, FC_DX_NMEASURE }; /* which residual */
/* Why a station's drift test was not made: too few 28-day blocks for the
 * batch-means standard error (then no step is tested either), the window
 * (too few days before or in the last drift_weeks weeks), or a regression
 * that could not be solved (the window collinear with the controls). */
enum { FC_DX_TESTED, FC_DX_UNTESTED_BLOCKS, FC_DX_UNTESTED_WINDOW, FC_DX_UNTESTED_SINGULAR };
/* What a zip's flagged effect is measured against:
 *  SHARE  (only in fc_dx_zip.share) the whole time at the station, from
 *         day-to-day share variation;
 *  CHANGE its share after a date (a change in service from that date);
 *  ARRIVAL its share since it came to the station mid-history (rezoning,
 *         a new station), the before/after indicator at that date. */
enum { FC_DX_SHARE, FC_DX_CHANGE, FC_DX_ARRIVAL };

typedef struct fc_dx_settings {
    double alpha;       /* error rate of the correction (0.01) */
    int correction;     /* FC_DX_BH (default) or FC_DX_BONFERRONI */
    int hac_lag;        /* Newey-West lag of the zip tests, days (28) */
    int block_days;     /* block length of the station tests' batch-means
                           variance, days (28) */
    int min_side;       /* days needed before and after a change date (56) */
    int drift_weeks;    /* station drift: mean residual of the last N weeks (8) */
    double min_share;   /* zips below this mean share are not tested (0.005) */
    double low_day;     /* days below this share of the station's median
                           packages (holidays) are left out (0.3) */
    int threads;        /* stations tested in parallel (0: one per core); not a
                           setting of the tests: results do not depend on it */
} fc_dx_settings;

void fc_dx_settings_default(fc_dx_settings *s);

/* A regression coefficient with its HAC standard error. */
typedef struct fc_dx_coef {
    double est, se, t, p;   /* p two-sided, t distribution with df */
    int df;
} fc_dx_coef;

/* The best test of one zip at one station. */
typedef struct fc_dx_zip {
    int32_t zip, station;   /* ids of the zips / stations files */
    int kind;               /* FC_DX_SHARE / CHANGE / ARRIVAL */
    int measure;            /* FC_DX_HOURS / FC_DX_ROUTES */
    int32_t first_day;      /* epoch day the effect starts (first day at the station for SHARE) */
    int days;               /* station-days the zip was served in the panel */
    double mean_share;      /* mean share of the station's packages */
    fc_dx_coef effect;      /* relative change of the zip's routes / route hours (0.15 = +15%) */
    double lo, hi;          /* 1 - alpha confidence interval of effect.est (unadjusted) */
    double station_pct;     /* the same as a change of the station's residual, % */
    int ntests;             /* tests behind p_zip (dates x measures) */
    double p_zip;           /* Bonferroni over the zip's own tests */
    double p_adj;           /* after the correction across zips */
    fc_dx_coef specific;    /* CHANGE/ARRIVAL: the zip's effect over a station-wide step at
                               the same date (how well the data single out this zip) */
    fc_dx_coef share;       /* the zip's share over its whole time at the station (p NAN: not
                               estimable); reported, never flagged: a constant misfit is
                               confounded with zip attributes the model does not see */
    int rivals;             /* other significant zips of the station at the same date */
    int flagged;
} fc_dx_zip;

typedef struct fc_dx_station {
    int32_t station;
    int days;               /* station-days in the panel */
    int32_t first_day, last_day;
    int measure;            /* residual used for drift (hours when given) */
    double resid_sd;        /* weighted sd of the daily residual */
    int blocks;             /* blocks of the batch-means variance */
    double block_lost;      /* block-level degrees of freedom taken by the controls */
    fc_dx_coef recent;      /* mean residual of the last drift_weeks weeks (log) */
    int recent_tested;      /* 0: not tested (recent.p = 1), for the reason in untested */
    int untested;           /* FC_DX_UNTESTED_*: why recent (and maybe change) was not tested */
    double recent_lo, recent_hi;    /* 1 - alpha CI of recent.est (unadjusted); NAN: not tested */
    double recent_p_adj;    /* Bonferroni across stations */
    int drift_flag;
    fc_dx_coef change;      /* the largest step of the residual at a week or month start */
    int32_t change_day;
    double change_lo, change_hi;    /* 1 - alpha CI of change.est (unadjusted); NAN: not tested */
    double change_p_adj;    /* Bonferroni over dates and stations */
    int change_flag;
} fc_dx_station;

typedef struct fc_diagnosis {
    fc_dx_settings settings;
    int has_hours;          /* route_hours observed: the hours residual is used */
    int nzips;              /* zip rows (one per zip and station it was tested at) */
    fc_dx_zip *zips;        /* sorted: flagged first, then by p_adj, station, zip */
    int nstations;
    fc_dx_station *st;      /* stations with a panel, in station order */
    int nflag_zips, nflag_drift, nflag_change;
    int64_t ntests;         /* regressions behind the zip p-values */
} fc_diagnosis;

/* Score every routes row with the predictor, build the station-day
 * residual panels and run the tests. The inputs are borrowed. Returns
 * FC_OK with *out set; FC_EDATA (reported) when no station-day has an
 * observed route count; FC_EINTERNAL on out of memory. */
int fc_diagnosis_run(fc_spr_predictor *pr, const fc_routes *r, const fc_vehicles *veh,
                     const fc_shipments *sh, const fc_stations *stations, const fc_dx_settings *s,
                     fc_diag *d, fc_diagnosis **out) FC_MUST_CHECK;
void fc_diagnosis_free(fc_diagnosis *dx);

/* "share", "change", "arrival"; "route_hours", "routes". */
const char *fc_dx_kind_name(int kind);
const char *fc_dx_measure_name(int measure);

#endif
