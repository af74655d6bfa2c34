/* forecast.h -- zip-level volume forecasts, bottom-up, with Monte Carlo
 * sample paths and scenarios (docs/forecast.md).
 *
 * The flow: fc_vol_history_build() turns the shipment history into monthly
 * zip series plus daily detail (day-of-week pattern, day-to-day noise);
 * fc_vol_model_fit() fits one damped-trend seasonal model per zip, pooled
 * toward its station; fc_vol_forecast_run() draws sample paths, applies the
 * scenario, sums zips into stations by the mapping in force each month and
 * keeps per-station paths (fc_vol_paths) and quantile rows (fc_vol_rows).
 * Every struct is created by its _build/_fit/_parse/_run function and freed
 * by the matching _free (NULL is a no-op). Library code reports through the
 * fc_diag and never prints. */
#ifndef FLEETCAST_FORECAST_H
#define FLEETCAST_FORECAST_H

#include <stdint.h>
#include <stdio.h>
#include <cjson/cJSON.h>
#include "fleetcast/data.h"
#include "fleetcast/diag.h"

/* ---- single monthly series (also used by the backtest and tests) ---- */

typedef enum fc_vol_method {
    FC_VOL_ETS,      /* damped-trend additive ETS on log volume (the default: it wins
                        the backtests in docs/forecast.md) */
    FC_VOL_FOURIER,  /* log-linear regression: level, damped trend, Fourier season */
    FC_VOL_COMBO,    /* mean of the two on the log scale */
    FC_VOL_SNAIVE    /* seasonal naive (same month last year), a benchmark */
} fc_vol_method;

const char *fc_vol_method_name(int method);
/* "ets", "fourier", "combo", "snaive" -> method, or -1. */
int fc_vol_method_parse(const char *name);

/* A fitted series on the model scale x = log(y + 1), y in "standard
 * months" (volume scaled to 30.4375 exposure days). */
typedef struct fc_series_fit {
    int n_obs;               /* observed months used */
    double level, trend;     /* ETS state after the last month (log scale) */
    double season[12];       /* ETS seasonal state by calendar month 0..11 */
    double alpha, beta, gamma, phi;
    double sigma;            /* one-step innovation s.d. (log scale) */
    double reg_level, reg_trend, reg_season[12];  /* the Fourier regression */
    int last_moy;            /* calendar month (0..11) of the last month */
    int per_month;           /* 1: y is the month's figure as is (monthly input whose
                                values fit better unscaled, e.g. monthly averages) */
} fc_series_fit;

/* Longest history (months) for which monthly input also tries the unscaled
 * figures. */
#define FC_MAX_FIT_MONTHS 1200

/* Pooling prior: the seasonal profile (12 values, mean 0) and trend a
 * short series is pulled toward, with the weight of the prior in months.
 * NULL prior = no pooling. */
typedef struct fc_series_prior {
    double season[12];
    double trend;
    double phi;
    double weight_months;
} fc_series_prior;

/* Fit x[0..n-1] (NAN = missing) whose month 0 is calendar month moy0
 * (0 = January). Returns 0, or -1 when fewer than 1 value is observed. */
int fc_series_fit_log(const double *x, int n, int moy0, const fc_series_prior *prior,
                      fc_series_fit *fit);
/* The same with flags: FC_SERIES_NO_TREND fits level and season only (no
 * trend, phi 0), for histories too short to tell growth from the season. */
#define FC_SERIES_NO_TREND 1
int fc_series_fit_log_ex(const double *x, int n, int moy0, const fc_series_prior *prior, int flags,
                         fc_series_fit *fit);
/* Point forecast on the log scale for h = 1..H into out[0..H-1]. */
void fc_series_point(const fc_series_fit *fit, int method, int horizon, double *out);
/* Convenience for volumes: forecast y (>= 0) for h = 1..H from raw
 * monthly volumes y[0..n-1] (NAN = missing); no pooling, no exposure. */
int fc_series_forecast(const double *y, int n, int moy0, int method, int horizon, double *out);

/* ---- history ---- */

typedef struct fc_vol_history {
    int32_t nzips, nstations;
    int32_t nmonths, month0;   /* month index (y*12+m-1) of column 0 */
    int daily;                 /* 1 when the input was daily */
    double *pk, *sp;           /* [z * nmonths + t] month totals; NAN = no data */
    double *exposure;          /* [z * nmonths + t] weighted working days of the month */
    int32_t *station;          /* station of each zip as of the last period, -1 = no rows */
    double *zip_peak;          /* per zip: median (max day / mean working day), 1 if monthly */
    double *dow;               /* [(s) * 7 + d] weekday weights (mean 1); s = nstations is the network */
    double *day_sigma;         /* [s] day-to-day log noise; s = nstations is the network */
} fc_vol_history;

/* Monthly series and daily detail from the shipment history. Months only
 * partly covered by the file (or by a zip's first/last row, or cut by a gap:
 * days on which the zip's station has no row at all, 3 working days or
 * more) are scaled up when at least half covered, dropped otherwise; a zip
 * with no other month keeps its latest such month (docs/forecast.md). */
int fc_vol_history_build(const fc_shipments *s, int32_t nstations, fc_diag *d,
                         fc_vol_history **out) FC_MUST_CHECK;
void fc_vol_history_free(fc_vol_history *h);

/* Working-day exposure of a month for weekday weights dow[7] (NULL = every
 * day counts 1): sum over the month's days of dow[weekday]. */
double fc_vol_month_exposure(int month_index, const double *dow);

/* ---- model ---- */

typedef struct fc_vol_model {
    int32_t nzips, nstations;
    int32_t n_used;            /* history months used (a prefix, for backtests) */
    int32_t month0;            /* month index of history column 0 */
    int method;
    fc_series_fit *fit;        /* per zip */
    int *fitted;               /* per zip: 1 = has a forecast */
    int *pooled;               /* per zip: 1 = short/sparse, took the station's trend and season */
    double *stops_ratio;       /* per zip: stops per package (last 12 months) */
    fc_series_fit *station_fit;/* per station (aggregate of its zips); s = nstations is the network */
    double rho_station;        /* correlation of innovations of two zips in one station */
    double rho_network;        /* ... in two different stations */
    double sigma_scale;        /* overall interval factor (1 = none) */
    int nscale;                /* horizons with an empirical calibration */
    double hscale[240];        /* h-step spread factor from in-sample h-step errors */
    double vol_trend;          /* relative monthly change of the error size at the origin */
    double rho_station_h[240]; /* rho_station by horizon (the station-shared part may grow) */
    /* Short histories (some calendar month seen in only one year): the
     * season and growth estimated from so little are errors every zip of
     * a station shares. Added to the paths as a station-level log offset of
     * variance season_var[m] for target calendar month m (one draw per
     * station, calendar month and path); the share net_share is common to
     * all stations. All 0 when every month was seen twice. */
    double season_var[12];
    double net_share;
    /* Under 13 months of history (no trend fitted): a log offset common to
     * every zip and station of a path, of s.d. growth_sd x (h + growth_mid)
     * / 12 at horizon h (growth_mid: months from the history's centre to
     * its last month). 0 otherwise. */
    double growth_sd, growth_mid;
} fc_vol_model;

/* Fit every zip on the first n_used months of the history (n_used <= 0:
 * all). threads > 1 fits in parallel (results do not depend on it). */
int fc_vol_model_fit(const fc_vol_history *h, int n_used, int method, int threads,
                     fc_diag *d, fc_vol_model **out) FC_MUST_CHECK;
void fc_vol_model_free(fc_vol_model *m);

/* ---- scenario ---- */

enum { FC_SCOPE_ALL, FC_SCOPE_STATION, FC_SCOPE_CITY };

typedef struct fc_vol_shock {
    int scope;
    int32_t *ids;              /* station or city indexes */
    int nids;
    int32_t from, to;          /* month indexes, inclusive; to = INT32_MAX when open */
    double multiplier;
} fc_vol_shock;

typedef struct fc_vol_move {
    int32_t zip, station, from;  /* station may be a new station (>= stations->n) */
} fc_vol_move;

typedef struct fc_scenario {
    int nshocks, nmoves, nnew;
    fc_vol_shock *shocks;
    fc_vol_move *moves;        /* sorted by from; later entries win */
    char **new_names;          /* new station ids, numbered stations->n + i */
    int32_t *new_city;         /* city index of each new station, -1 none */
} fc_scenario;

/* Read the "scenario" object of the config (json = the config document, or
 * NULL for no scenario). Names in it are checked against the zips and
 * stations; errors name the config file and the key. */
int fc_scenario_parse(const cJSON *json, const char *cfgname, const fc_zips *zips,
                      const fc_stations *st, fc_diag *d, fc_scenario **out) FC_MUST_CHECK;
void fc_scenario_free(fc_scenario *sc);
/* Warn (to d) of each shock whose months all fall outside the forecast's
 * months month0 .. month0 + horizon - 1: it changes nothing, which an
 * analyst who typed the wrong year would not otherwise see. */
void fc_scenario_warn_outside(const fc_scenario *sc, int32_t month0, int horizon, fc_diag *d);

/* ---- forecast ---- */

typedef struct fc_vol_options {
    int horizon;               /* months, default 16 */
    int paths;                 /* sample paths, default 500 */
    uint64_t seed;
    int threads;
    int zip_rows;              /* 1: also compute zip-level quantile rows */
    const fc_intern *zip_ids;  /* zip names, or NULL: the random streams of a
                                  zip (and of a station, from the stations'
                                  and the scenario's names) are keyed by its
                                  name, else by its index */
} fc_vol_options;

/* One output row: an entity (zip, station or the network) in a month. */
typedef struct fc_vol_row {
    int32_t id;                /* zip or station index (-1 for the network) */
    int32_t station;           /* for zip rows: its station that month */
    int32_t month;             /* month index */
    double pk_mean, pk_p10, pk_p50, pk_p90;
    double sp_mean, sp_p10, sp_p50, sp_p90;
    double peak_p50, peak_p90;
} fc_vol_row;

/* Per-station, per-month sample paths for the planning stage. Station s in
 * 0..nstations-1 (existing stations, then the scenario's new ones; s =
 * nstations is the whole network). For station s, month h (0-based from
 * month0), path p, the index is (s * horizon + h) * paths + p:
 *   packages  month total of packages
 *   stops     month total of stops
 *   peak_day  packages on the busiest day of the month
 *   mean_day  packages on a mean working day (packages / working days)
 * dow[s * 7 + d] is the day-of-week pattern (weights, mean 1, Monday = 0) and
 * work_days[s * horizon + h] the working days of the month (days whose weight
 * is at least 0.05), so a day's expected packages are
 * mean_day * dow[d] * work_days / exposure. */
typedef struct fc_vol_paths {
    int32_t nstations, horizon, paths, month0;
    float *packages, *stops, *peak_day, *mean_day;
    double *dow;
    double *work_days;
    int *active;               /* per station: serves a zip in some month */
} fc_vol_paths;

typedef struct fc_vol_forecast {
    int32_t horizon, month0;   /* first forecast month */
    int32_t nstations;         /* existing + new */
    fc_vol_paths *paths;       /* owned */
    fc_vol_row *zip_rows;      /* nzip_rows rows, or NULL when zip_rows = 0 */
    int64_t nzip_rows;
    fc_vol_row *station_rows;  /* active stations x months */
    int64_t nstation_rows;
    fc_vol_row *network_rows;  /* horizon rows */
} fc_vol_forecast;

/* Draw the paths and summarise them. sc may be NULL. Deterministic for a
 * given seed whatever the number of threads. */
int fc_vol_forecast_run(const fc_vol_history *h, const fc_vol_model *m, const fc_scenario *sc,
                        const fc_stations *st, const fc_vol_options *opt, fc_diag *d,
                        fc_vol_forecast **out) FC_MUST_CHECK;
void fc_vol_forecast_free(fc_vol_forecast *f);

/* Station of zip z in `month` (a month index as fc_month_parse gives, not
 * the forecast's 0-based month) after the scenario's moves. */
int32_t fc_vol_zip_station(const fc_vol_history *h, const fc_scenario *sc, int32_t zip,
                           int32_t month);

/* Write rows of one level ("zip", "station", "network") as CSV with the
 * documented header, or as the JSON document (meta: settings, inputs, model
 * summary; borrowed). Names: zip ids, station ids (+ new ones). */
/* x as forecast.json and forecast.csv write it: the nearest tenth (an
 * exact half to even, as "%.1f"), so that a previous run's figures
 * compare exactly with this run's (the revision report). */
double fc_vol_round1(double x);
int fc_vol_write_csv(FILE *f, const fc_vol_forecast *fc, const char *level, const fc_zips *zips,
                     const fc_stations *st, const fc_scenario *sc) FC_MUST_CHECK;
int fc_vol_write_json(FILE *f, const fc_vol_forecast *fc, const char *level, const fc_zips *zips,
                      const fc_stations *st, const fc_scenario *sc, const cJSON *meta) FC_MUST_CHECK;

/* ---- backtest ---- */

typedef struct fc_vol_backtest_options {
    int horizon;               /* default 16 */
    int origins;               /* rolling origins, default 6 */
    int step;                  /* months between origins, default 3 */
    int min_train;             /* months of history before the first origin, default 24 */
    int paths;                 /* for interval coverage, default 200 */
    uint64_t seed;
    int threads;
} fc_vol_backtest_options;

/* Rolling-origin backtest of the volume forecast: for each origin, fit on
 * a history built from the shipments before it alone (as a run on that
 * date would: its weekday pattern, gaps and zip-to-station map too) and
 * score the next `horizon` months of the whole history at zip and station
 * level (stations as they were at the origin): MASE (scaled by the
 * in-sample seasonal naive error), MAPE, and the 80% interval coverage
 * (P10..P90) of the sample paths, for the ETS, Fourier and combined models
 * and the seasonal naive. Writes a CSV table
 * (level,method,horizon_from,horizon_to,series,mase,mape,coverage80) to f.
 * Daily shipments must be a whole file (not a head). */
int fc_vol_backtest(const fc_shipments *s, int32_t nstations, const fc_vol_backtest_options *opt, FILE *f,
                    fc_diag *d) FC_MUST_CHECK;

#endif
