/* spr.h -- the hybrid shipments-per-route (SPR) model: routing physics
 * calibrated per station (GSL nonlinear least squares) times a bounded,
 * learned correction (ridge regression), plus the physics-only and ML-only
 * variants it is compared with (docs/model.md).
 *
 * Objects and owners:
 *   fc_spr_index      which zips a station serves on a day; fc_spr_index_new/_free
 *   fc_spr_model      a fitted model; fc_spr_fit or fc_spr_model_read / fc_spr_model_free
 *   fc_spr_predictor  a model bound to one data set; fc_spr_predictor_new/_free */
#ifndef FLEETCAST_SPR_H
#define FLEETCAST_SPR_H

#include <stdint.h>
#include <cjson/cJSON.h>
#include "fleetcast/data.h"
#include "fleetcast/diag.h"
#include "fleetcast/physics.h"
#include "fleetcast/ridge.h"

#define FC_SPR_SCHEMA_VERSION 1
/* At most this many zip attributes enter the zip-mix term. */
#define FC_SPR_MAX_MIX 8

/* Settings: the "model" section of the config (docs/model.md). */
typedef struct fc_spr_settings {
    double default_shift_hours; /* shift when a station gives none (8) */
    int min_days;               /* fewer route-days: station takes network values (20) */
    int max_iter;               /* trust-region iterations per fit (500) */
    int network_rows;           /* rows sampled for the network-wide fit (4000) */
    int max_days;               /* route-days calibrated per station, an even sample
                                 * of its history when it has more (730; 0: all;
                                 * never fewer than min_days) */
    double prior_sd;            /* log-sd of the pull toward network values (0.15) */
    double network_prior_sd;    /* log-sd of the pull toward textbook defaults (0.3) */
    double stem_prior_sd;       /* log-sd (at most) of the pull of v_stem and circuity
                                 * toward the textbook values, in every fit (0.1) */
    double sigma_routes, sigma_hours, sigma_km;  /* log-scale noise of each observation */
    int robust;                 /* Huber reweighting passes (1; 0 = plain least squares) */
    double max_correction;      /* bound on the learned factor: 1/(1+b) .. 1+b (0.25) */
    int cv_folds;               /* folds for the ridge penalty (5) */
    int correction_centre;      /* 1: correction features as deviations from the
                                 * station's training mean (within-station); 0: raw (1) */
    int zip_mix;                /* 1: the hybrid's zip-mix term (time per stop by zip
                                 * attributes, slopes fitted network-wide); 0: none (1) */
    double mix_prior_sd;        /* sd of the pull of each zip-mix slope toward 0,
                                 * log time per stop per sd of the attribute (0.3) */
    int threads;                /* threads for the station fits (0: one per core); not a
                                 * model setting: results do not depend on it */
} fc_spr_settings;

void fc_spr_settings_default(fc_spr_settings *s);
/* Read overrides from a "model" JSON object (NULL: nothing); FC_EDATA on a
 * bad value (reported, naming the key). */
int fc_spr_settings_from_json(fc_spr_settings *s, const cJSON *model, fc_diag *d) FC_MUST_CHECK;
/* The same, messages naming where the object is ("config: model" above;
 * "model.json: settings" for a model file). */
int fc_spr_settings_from_json_at(fc_spr_settings *s, const cJSON *model, const char *where,
                                 fc_diag *d) FC_MUST_CHECK;
cJSON *fc_spr_settings_to_json(const fc_spr_settings *s);

/* ---- station-day data ---- */

typedef struct fc_spr_index fc_spr_index;

/* Index the shipments by station (daily data only: FC_EDATA otherwise).
 * The inputs are borrowed and must outlive the index. */
int fc_spr_index_new(const fc_shipments *sh, const fc_zips *zips, const fc_stations *st,
                     fc_diag *d, fc_spr_index **out) FC_MUST_CHECK;
void fc_spr_index_free(fc_spr_index *ix);
/* Stations of the data set (ids of the stations file) and their names. */
int fc_spr_index_nstations(const fc_spr_index *ix);
const char *fc_spr_index_station_name(const fc_spr_index *ix, int s);
/* Station s's city (index into the stations' cities), -1 when not given. */
int fc_spr_index_station_city(const fc_spr_index *ix, int s);
/* The most zips any station-day can have (size of a term buffer). */
int fc_spr_index_max_zips(const fc_spr_index *ix);
/* Names of the correction features this data set offers (owned by ix). */
int fc_spr_index_nfeat(const fc_spr_index *ix);
const char *fc_spr_index_feat_name(const fc_spr_index *ix, int j);
/* Value of feature j for one zip when j is a zip attribute ("zip_..."),
 * NAN otherwise (or when the zips file leaves it empty). */
double fc_spr_index_zip_value(const fc_spr_index *ix, int j, int32_t zip);
int fc_spr_index_is_zip_feat(const fc_spr_index *ix, int j);
/* Zips of the zips file (the ids fc_phys_zip.zip refers to). */
int32_t fc_spr_index_nzips(const fc_spr_index *ix);

/* One row of the routes file, prepared for the model. */
typedef struct fc_spr_row {
    int32_t day, station, van;
    double packages;        /* the row's packages */
    double stops;           /* the row's stops (observed, or the zips' share) */
    double share;           /* row packages / the station-day's zip packages (at most 2) */
    double zip_packages;    /* packages shipped to the station's zips that day */
    double capacity, shift_h;
    double obs_routes, obs_hours, obs_km;   /* NAN when not observed */
    int nz;                 /* zips with shipments that day (0: cannot score) */
} fc_spr_row;

/* Prepare row i of r: its zip terms into terms[] (fc_spr_index_max_zips
 * entries) and its correction features into feat[] (fc_spr_index_nfeat). */
void fc_spr_row_prepare(const fc_spr_index *ix, const fc_routes *r, const fc_vehicles *veh,
                        int64_t i, fc_phys_zip *terms, double *feat, fc_spr_row *row);

/* The rows a station's physics is fitted on (fc_spr_fit): station s's
 * candidate rows of r are order[soff[s] .. soff[s+1]-1]; for a station
 * with more than max_days (> 0) of them, reorder its run so that an even
 * sample of max_days comes first: its rows grouped by van type (in their
 * order within a type), then row j of n taken when floor((j+1) max / n)
 * steps -- each van type in proportion, spread over its whole history,
 * every season and weekday. Within each part the rows stay in van-type
 * order, and in their own order within a type. -1 on out of memory. */
int fc_spr_sample_order(const fc_routes *r, int64_t *order, const int64_t *soff, int nst, int max_days);

/* The number of zip terms fc_spr_row_prepare gives row i (row.nz), without
 * preparing it (to size buffers before filling them on threads). */
int fc_spr_row_nzips(const fc_spr_index *ix, const fc_routes *r, int64_t i);

/* ---- the model ---- */

enum { FC_SPR_FITTED, FC_SPR_FEW_DAYS, FC_SPR_NOCONV };

typedef struct fc_spr_station {
    char *name;
    int status;             /* FC_SPR_*: the latter two take pooled values (see pooled) */
    int days, iterations;
    int calibrated_days;    /* of days, those the physics was fitted on: all of them,
                             * or an even sample of settings.max_days */
    int pooled;             /* without its own fit: the fitted stations of its city its values
                             * pool (0: the typical station, model.typical) */
    double p[FC_PHYS_NPARAM], se[FC_PHYS_NPARAM];
    double pmix[FC_PHYS_NPARAM];    /* the hybrid's physics: p refitted with the zip-mix term */
    double rmse_log_routes; /* in-sample, physics only */
    double ml_level;        /* mean log SPR in training (an ML-only feature) */
    double *corr_centre;    /* per correction feature: the station's training mean,
                             * subtracted before the correction (NULL: raw features;
                             * NAN entries: no deviation) -- owned */
    double *mix_centre;     /* per zip-mix attribute: the station's package-weighted
                             * training mean (NULL when the model has no mix term) -- owned */
    double shift_hours;     /* the shift its training rows were priced with (NAN: unknown,
                             * a model written before it was recorded, or no rows) */
    double max_day_packages;    /* the most packages shipped to its zips on a training
                                 * day (NAN: unknown, as above) */
} fc_spr_station;

/* The hybrid's zip-mix term: zip z served by station s spends
 * exp(sum_j beta_j (a_zj - centre_sj) / sd_j) times the station's time per
 * stop (capped by max_correction), beta fitted in the network-wide physics
 * fit where zip-to-zip differences of the attributes are large. */
typedef struct fc_spr_mix {
    int n;                  /* attributes (0: no mix term) */
    char **names;           /* feature names, "zip_share_apartments" -- owned */
    double *mean, *sd;      /* network package-weighted mean and sd of each */
    double *beta, *se;      /* slope (log time per stop per sd) and its standard error */
} fc_spr_mix;

typedef struct fc_spr_stats {
    int64_t rows;
    double mape[3], bias[3];    /* physics, ML, hybrid: routes, in % */
} fc_spr_stats;

enum { FC_VAR_PHYSICS, FC_VAR_ML, FC_VAR_HYBRID };

typedef struct fc_spr_model {
    fc_spr_settings settings;
    double network[FC_PHYS_NPARAM], network_se[FC_PHYS_NPARAM];
    int network_iterations;
    /* What a station without its own fit uses (too few days, not
     * converged, or unknown to the model): the median of the fitted
     * stations' parameters (log space), plain and with the zip-mix term;
     * the network values when none is fitted (typical_n 0). */
    double typical[FC_PHYS_NPARAM], typical_mix[FC_PHYS_NPARAM];
    int typical_n;
    int nstations;
    fc_spr_station *st;
    fc_spr_mix mix;         /* zip-mix term of the hybrid */
    int mix_iterations;     /* of the joint fit of the slopes */
    int mix_noconv;         /* the joint fit failed: the slopes are 0 (flagged; exit 79) */
    fc_ridge corr;          /* log(observed / physics-with-mix routes) */
    fc_ridge ml;            /* log SPR, ML-only */
    int n_noconv, n_few;
    fc_spr_stats train;
    /* The range the training rows span, to flag what lies far outside it
     * (NAN: unknown -- a model written before it was recorded). */
    double cap_min, cap_max;    /* van capacity, packages */
    double ppr_max;             /* observed packages per route */
    double stem_km_max;         /* station -> zip centroid, straight line */
    cJSON *inputs;          /* input fingerprints (owned; may be NULL) */
} fc_spr_model;

/* Fit on the rows of r with an observed route count (and train[i] != 0
 * when train is given). Returns FC_OK with *out set, even when some
 * stations did not converge (they take network values; see n_noconv);
 * FC_ENOCONV when the network-wide fit itself fails; FC_EDATA when there
 * is nothing to fit. */
int fc_spr_fit(const fc_spr_index *ix, const fc_routes *r, const fc_vehicles *veh,
               const unsigned char *train, const fc_spr_settings *s, fc_diag *d,
               fc_spr_model **out) FC_MUST_CHECK;
void fc_spr_model_free(fc_spr_model *m);

/* model.json: write (pretty, deterministic) and read back (FC_EDATA with
 * the key at fault when the document is not a model). */
cJSON *fc_spr_model_to_json(const fc_spr_model *m);
int fc_spr_model_from_json(const cJSON *j, const char *name, fc_diag *d,
                           fc_spr_model **out) FC_MUST_CHECK;

/* ---- scoring ---- */

typedef struct fc_spr_pred {
    double routes[3];       /* physics, ML, hybrid (expected routes, continuous) */
    double hours, km;       /* physics, scaled like the hybrid routes */
    double correction;      /* hybrid / physics */
    double cap_share;       /* share of routes cut by capacity */
    unsigned far;           /* FC_SPR_FAR_*: where the row lies far outside the training range */
    double stem_km;         /* the farthest of the row's zips from its station */
} fc_spr_pred;

/* How far outside the training range a row may lie before it is flagged:
 * a factor of 1.25 beyond the range (docs/model.md §1, "Outside the
 * training range"). */
#define FC_SPR_FAR 1.25
enum {
    FC_SPR_FAR_CAPACITY = 1,    /* van capacity outside [cap_min, cap_max] by the factor */
    FC_SPR_FAR_PPR = 2,         /* predicted packages per route above ppr_max by the factor */
    FC_SPR_FAR_VOLUME = 4,      /* the station-day's zip packages above the station's
                                 * max_day_packages by the factor */
    FC_SPR_FAR_STEM = 8,        /* a zip farther from its station than stem_km_max by it */
    FC_SPR_FAR_SHIFT = 16       /* shift other than the station's training shift by it */
};

typedef struct fc_spr_predictor fc_spr_predictor;

/* Bind a model to a data set: stations and features are matched by name;
 * a station the model does not know, or one the model has without a fit
 * of its own, takes pooled values (warned, naming it). */
int fc_spr_predictor_new(const fc_spr_model *m, const fc_spr_index *ix, const fc_stations *st,
                         fc_diag *d, fc_spr_predictor **out) FC_MUST_CHECK;
void fc_spr_predictor_free(fc_spr_predictor *p);
/* The model's station data station s is scored with (its own, or the
 * pooled values of its city); NULL: the typical station. Owned by p. */
const fc_spr_station *fc_spr_predictor_station(const fc_spr_predictor *p, int32_t s);
/* Score row i; returns 0, or -1 when the station had no shipments that
 * day (row->nz == 0; *out is zeroed). A row with no packages scores 0
 * routes (*out zeroed, returns 0). out->far flags what lies far outside
 * the training range (it does not change the numbers). */
int fc_spr_predict_row(fc_spr_predictor *p, const fc_routes *r, const fc_vehicles *veh,
                       int64_t i, fc_spr_row *row, fc_spr_pred *out);

/* Routes as a whole count: the nearest integer, at least 1 when there are
 * packages. */
double fc_spr_round_routes(double routes, double packages);

#endif
