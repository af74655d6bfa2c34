/* plan.h -- vans by type per station and month, and the deployment of
 * electric vans, as one linear program per plan (GLPK), with electric
 * feasibility (range under temperature and hills, chargers, site power),
 * the binding limit of every station-month and a scenario check
 * (docs/plan.md).
 *
 * The flow: fc_plan_input_new() makes an input whose every field is "not
 * given"; fc_plan_input_from_data() copies stations, vehicles and the
 * current fleet; fc_plan_input_fill_routes() fills the demand from the
 * forecast and SPR model through callbacks (or the caller sets the arrays);
 * fc_plan_input_set_route_sample() gives the route lengths;
 * fc_plan_settings_from_json() and fc_plan_input_apply_config() read the
 * "plan" section of the config; fc_plan_solve() builds and solves the
 * program and returns an fc_plan, written by fc_plan_write_json/_csv.
 *
 * Owners: fc_plan_input_new/fc_plan_input_free, fc_plan_solve/fc_plan_free
 * (both _free(NULL) are no-ops). The input is borrowed by the plan only
 * during fc_plan_solve. Library code reports through the fc_diag and never
 * prints.
 *
 * Index conventions: station s in 0..nstations-1, plan month m in
 * 0..nmonths-1 (month index month0 + m), van type v in 0..nvans-1.
 *   [s * nvans + v]                  per station and van type   (FC_PLAN_SV)
 *   [s * nmonths + m]                per station and month      (FC_PLAN_SM)
 *   [(s * nmonths + m) * nvans + v]  per station, month, type   (FC_PLAN_SMV) */
#ifndef FLEETCAST_PLAN_H
#define FLEETCAST_PLAN_H

#include <stdint.h>
#include <stdio.h>
#include <cjson/cJSON.h>
#include "fleetcast/data.h"
#include "fleetcast/diag.h"

#define FC_PLAN_SCHEMA_VERSION 1
#define FC_PLAN_MAX_CURVE 32

#define FC_PLAN_SV(in, s, v) ((int64_t)(s) * (in)->nvans + (v))
#define FC_PLAN_SM(in, s, m) ((int64_t)(s) * (in)->nmonths + (m))
#define FC_PLAN_SMV(in, s, m, v) (((int64_t)(s) * (in)->nmonths + (m)) * (in)->nvans + (v))

/* ---- settings: the "plan" section of the config ---- */

enum { FC_PLAN_ROUND, FC_PLAN_MIP_STATIONS, FC_PLAN_MIP_WHOLE };

typedef struct fc_plan_settings {
    double service_level;      /* quantile of peak-day routes over the paths (0.9) */
    double spare_ratio;        /* vans = routes x (1 + spare_ratio) (0.1) */
    double charging_window_h;  /* hours a night the vans can charge (10) */
    double charger_efficiency; /* battery kWh per grid kWh (0.9) */
    double vans_per_charger;   /* electric vans one charger serves a night (1) */
    double reserve;            /* share of the battery never planned for (0.15) */
    double carbon_price;       /* currency per tonne CO2 (0 = off) */
    double grid_kg_per_kwh;    /* kg CO2 per grid kWh for electric vans (0.37) */
    double fuel_kg_per_km;     /* kg CO2 per km of a combustion van without a value (0.25) */
    double van_mass_kg;        /* loaded mass for the hill energy (3500) */
    double drive_efficiency;   /* battery to wheel when climbing (0.9) */
    double regen_efficiency;   /* share of descent energy recovered (0.6) */
    double default_temp_c;     /* month without a temperature (20: no derating) */
    double default_route_km;   /* route length when no sample is given (80) */
    int scrap_from;            /* plan month from which vans may be scrapped; before
                                  it the fleet only grows (purchases only); default
                                  nmonths, i.e. never within the horizon (-1 = that) */
    int integer;               /* FC_PLAN_ROUND (0): round the relaxation;
                                  FC_PLAN_MIP_STATIONS (1, config "integer": true): a
                                  branch and bound (glp_intopt) per station, the supply
                                  restored after; FC_PLAN_MIP_WHOLE (2): one branch and
                                  bound over the whole program (small plans only) */
    double time_limit_s;       /* for integer (10 s): by station, the work (5,000
                                  branch-and-bound nodes per second, split over the
                                  stations, at least 10 each) and the wall-time safety
                                  nets (one station's search; x 6: all of them);
                                  FC_PLAN_MIP_WHOLE: the one search's wall time */
    double penalty;            /* cost of one uncovered van-month or limit overrun (1e6) */
    double shock_multiplier;   /* shocked need = P-quantile need x this when the input
                                  has no shocked routes (1.3; 0 = no shock scenario) */
    int threads;               /* station programs solved in parallel (0 = one per
                                  online CPU); the plan does not depend on it */
    int ncurve;                /* temperature curve: range retention r(T) at points */
    double curve_t[FC_PLAN_MAX_CURVE], curve_r[FC_PLAN_MAX_CURVE];
} fc_plan_settings;

void fc_plan_settings_default(fc_plan_settings *s);
/* Overrides from a "plan" JSON object (NULL: none) and the config's
 * service_level / spare_ratio (cfg_top: the whole config document or NULL;
 * its top-level values apply first, the "plan" section wins). FC_EDATA on a
 * bad value, reported naming the key. */
int fc_plan_settings_from_json(fc_plan_settings *s, const cJSON *cfg_top, const char *cfgname,
                               fc_diag *d) FC_MUST_CHECK;
cJSON *fc_plan_settings_to_json(const fc_plan_settings *s);

/* ---- electric curves (electric.c) ---- */

/* Range retention at air temperature t (deg C) with cabin heating/cooling:
 * 1 at 24 C, 0.59 at -6.7 C and 0.83 at 35 C (AAA 2019), linear between
 * the curve's points and flat beyond the ends; the settings' curve when it
 * has points. Energy per km scales by 1 / retention. */
double fc_plan_temp_retention(const fc_plan_settings *s, double t_c);
/* Energy factor for a route climbing h metres per km (and descending as
 * much) for a van using kwh_per_km on the flat: 1 + m g h (1/eta_drive -
 * eta_regen) / (3.6e6 kwh_per_km). */
double fc_plan_hill_factor(const fc_plan_settings *s, double hill_m_per_km, double kwh_per_km);

/* ---- input ---- */

/* Lengths of the routes a van type runs from a station: n routes of km[i]
 * road km through zips climbing hill[i] metres per km, each weighted
 * weight[i] (e.g. routes per day; NULL = 1 each). */
typedef struct fc_plan_sample {
    int n;
    double *km, *hill, *weight;
} fc_plan_sample;

typedef struct fc_plan_input {
    int32_t nstations, nmonths, nvans;
    int32_t month0;            /* month index (y*12 + m-1) of plan month 0 */
    char **station_names;      /* owned copies; NULL entries print as "S<i>" */
    char **van_names;          /* owned copies; NULL entries print as "V<v>" */

    /* Van types [v]. */
    int *electric;             /* 1 = battery electric */
    double *battery_kwh;       /* usable pack (kWh); electric only */
    double *kwh_per_km;        /* flat-road energy at 24 C (kWh/km); electric only */
    double *cost_per_day;      /* ownership, currency per van per calendar day */
    double *cost_per_km;       /* operation, currency per route km */
    double *co2_kg_per_km;     /* NAN: from the settings (fuel, or kWh/km x grid) */

    /* Stations [s]. NAN = no limit. */
    double *parking;           /* van spaces */
    double *chargers;          /* charging points */
    double *charger_kw;        /* power of one charger (kW) */
    double *site_power_kw;     /* power the site can give to charging (kW) */
    uint64_t *van_types;       /* bit v: may run van type v */
    int32_t *current;          /* [s*nvans+v] vans owned now (0 = none) */
    int32_t *budget;           /* [s*nvans+v] budgeted fleet for the scenario
                                  check, or NULL to check the plan's own fleet */

    /* Months [m] and station-months [s*nmonths+m]. */
    double *days;              /* [m] calendar days (ownership cost) */
    double *temperature_c;     /* [s*nmonths+m] mean air temperature; NAN = default */
    double *ev_supply;         /* [m] new electric vans the network can receive in
                                  month m; NAN = unlimited from that month on */

    /* Demand [(s*nmonths+m)*nvans+v]: routes on the month's peak day if
     * the station ran only van type v (packages / SPR of type v). NAN or
     * <= 0 in routes_q = type v cannot serve that month (or no demand). */
    double *routes_q;          /* the service-level quantile over the paths */
    double *routes_p50;        /* the median over the paths */
    double *routes_shock;      /* the shocked scenario's quantile; NAN = none */
    double *routes_month;      /* expected routes over the whole month (sum of days,
                                  mean over paths) for the operating cost;
                                  NAN = routes_p50 x 21 */

    fc_plan_sample *samples;   /* [s*nvans+v] route lengths (n = 0: default_route_km) */
} fc_plan_input;

/* All fields "not given": NAN limits, no types allowed, zero fleet, no
 * demand; days[] from the calendar starting at month0. NULL on bad sizes
 * or out of memory. */
fc_plan_input *fc_plan_input_new(int32_t nstations, int32_t nmonths, int32_t nvans, int32_t month0);
void fc_plan_input_free(fc_plan_input *in);

/* Copy stations (names, limits, allowed types), vehicles (names, electric,
 * battery, energy, costs; missing costs become 0 with a warning) and the
 * current fleet (fleet may be NULL). The sizes must match the input. */
int fc_plan_input_from_data(fc_plan_input *in, const fc_stations *st, const fc_vehicles *veh,
                            const fc_fleet *fleet, fc_diag *d) FC_MUST_CHECK;

/* Temperatures per city ("temperature_c": {"CITY": [12 monthly means,
 * January first]}) and the network electric supply ("ev_supply": [per plan
 * month] or {"YYYY-MM": n, ...}) from the "plan" section (NULL: nothing).
 * st gives the station cities (may be NULL when no temperatures). */
int fc_plan_input_apply_config(fc_plan_input *in, const cJSON *plan, const fc_stations *st,
                               const char *cfgname, fc_diag *d) FC_MUST_CHECK;

/* Route-length sample of station s and van type v (copied). */
int fc_plan_input_set_route_sample(fc_plan_input *in, int32_t s, int32_t v, int n,
                                   const double *km, const double *hill,
                                   const double *weight) FC_MUST_CHECK;

/* Where the demand comes from: the forecast's sample paths and the SPR
 * model, as callbacks, so the command layer can wire any forecast or
 * model to the plan. */
typedef struct fc_plan_source {
    void *ud;
    int npaths;
    /* Packages on the peak day of station s, plan month m, path p. */
    double (*peak_packages)(void *ud, int32_t s, int32_t m, int p);
    /* Packages in the whole month on path p (NULL: peak x 21 / 1.3). */
    double (*month_packages)(void *ud, int32_t s, int32_t m, int p);
    /* Shocked scenario's peak-day packages (NULL: peak x shock_multiplier). */
    double (*shock_peak_packages)(void *ud, int32_t s, int32_t m, int p);
    /* Shipments per route of van type v at station s in month m on a day
     * of `packages` packages (the hybrid SPR model; <= 0: type cannot serve). */
    double (*spr)(void *ud, int32_t s, int32_t m, int32_t v, double packages);
    /* As spr for n days at once: out[i] = SPR at packages[i] > 0, given
     * also lpk[i] = log(packages[i]), which the plan then takes once for
     * all van types (out[i] is not read where packages[i] <= 0). NULL: spr
     * day by day. */
    void (*spr_many)(void *ud, int32_t s, int32_t m, int32_t v, int n, const double *packages,
                     const double *lpk, double *out);
    /* Packages on the month's mean working day on path p, where the month's
     * routes are priced (NULL: month packages / 21). */
    double (*mean_day_packages)(void *ud, int32_t s, int32_t m, int p);
} fc_plan_source;

/* Fill routes_q / _p50 / _shock / _month for every station, month and
 * allowed van type: routes of path p = peak packages / SPR (at that
 * volume), then the settings' quantile and the median over the paths. */
int fc_plan_input_fill_routes(fc_plan_input *in, const fc_plan_source *src,
                              const fc_plan_settings *set, fc_diag *d) FC_MUST_CHECK;

/* Quantile q of x[0..n-1] (NAN skipped; x is sorted in place), type 7
 * (linear between order statistics); NAN when empty. */
double fc_plan_quantile(double *x, int n, double q);

/* ---- electric feasibility per station, month, van type ---- */

typedef struct fc_plan_ev {
    double share;     /* weighted share of routes with energy <= usable battery and
                         <= fc_plan_charge_cap_kwh (the station's charger, a night) */
    double energy;    /* battery kWh of the mean feasible route (one van, one night) */
    double km;        /* mean km of the feasible routes (all routes for combustion) */
    double factor;    /* temperature energy factor 1 / retention */
    double threshold; /* usable battery (or a night's charge, the smaller) /
                         (kWh/km x temperature factor): flat km
                         (not an order of the types' route sets: hills cost every
                         type the same kWh per km; see fc_plan_ev_routes) */
} fc_plan_ev;

/* Battery kWh one of station s's chargers puts into a van over the
 * charging window (charger_kw x window x charger efficiency, times
 * 1 / vans_per_charger where that is below 1): a route needing more
 * cannot be run every day; INFINITY without charger_kw. */
double fc_plan_charge_cap_kwh(const fc_plan_input *in, const fc_plan_settings *set, int32_t s);

/* Evaluate station s, month m, type v. */
void fc_plan_ev_eval(const fc_plan_input *in, const fc_plan_settings *set, int32_t s,
                     int32_t m, int32_t v, fc_plan_ev *out);

/* The routes of station s in month m by the electric types that can run
 * them, for the range rows (Hall's condition, docs/plan.md "Electric
 * vans on the routes they can run"): bit j of mask[i] is set when types[j]
 * (j < nt <= 32) can run route i, and weight[i] is the route's share of
 * the sample (0 for a route left out: no weight or no km); both arrays
 * hold n entries, n the sample's length (1 without one: the default
 * route). A route is one for every type only when the types' samples are
 * the same routes, as the plan command makes them (the station's zips in
 * one order; a type's km may differ, its own local km per route): same
 * length, and each route's climb and share of the sample equal. Returns
 * n, or -1 when they are not (mask and weight then undefined). */
int fc_plan_ev_routes(const fc_plan_input *in, const fc_plan_settings *set, int32_t s, int32_t m,
                      const int32_t *types, int nt, uint32_t *mask, double *weight);

/* ---- the plan ---- */

enum fc_plan_limit {
    FC_LIMIT_NONE, FC_LIMIT_DEMAND, FC_LIMIT_RANGE, FC_LIMIT_SITE_POWER, FC_LIMIT_CHARGERS,
    FC_LIMIT_PARKING, FC_LIMIT_SUPPLY, FC_LIMIT_COST, FC_LIMIT_VAN_TYPES, FC_LIMIT_N
};
/* "demand", "range", "site power", "chargers", "parking", "supply", "cost",
 * "van types" ("none" for FC_LIMIT_NONE). */
const char *fc_plan_limit_name(int limit);

/* One station-month. */
typedef struct fc_plan_cell {
    double coverage;           /* share of peak-day need the planned fleet covers */
    double routes_p50, routes_q;  /* peak-day routes of the planned mix */
    double uncovered_routes;   /* peak-day routes left uncovered (infeasible input) */
    double parking_over;       /* vans beyond the parking spaces */
    double ev_share;           /* electric-feasible share of routes (best electric type) */
    double ev_energy_kwh;      /* grid kWh a night for the planned electric vans */
    double ev_idle;            /* electric vans (owned now) the station cannot charge in a
                                  night: they run no route and count for no coverage */
    int32_t ev_vans;           /* electric vans planned */
    int binding;               /* FC_LIMIT_*: what stops one more electric van */
    uint32_t binding_all;      /* bit per FC_LIMIT_* that would stop it */
    char lift[160];            /* what would lift the binding limit */
    double cost;               /* ownership + operation + carbon of the month */
    /* LP shadow prices (objective change per unit of the limit, <= 0 when
     * more of it saves money); 0 when the limit does not bind. */
    double dual_parking, dual_chargers, dual_site_power_kw, dual_range, dual_cover;
} fc_plan_cell;

/* Scenario check: a budgeted fleet against one need. */
enum { FC_SCEN_P50, FC_SCEN_Q, FC_SCEN_SHOCK, FC_SCEN_N };

typedef struct fc_plan_check {
    double coverage;           /* share of the scenario's need the budget covers */
    int32_t shortfall, surplus;/* vans of the station's main type */
} fc_plan_check;

typedef struct fc_plan {
    int32_t nstations, nmonths, nvans, month0;
    fc_plan_settings settings;
    int lp_status;             /* GLPK status of the relaxation (GLP_OPT expected) */
    int mip_status;            /* GLPK MIP status when settings.integer, else 0; by
                                  station GLP_OPT only when proven (every station at its
                                  optimum at the supply prices, the priced supply used up) */
    int32_t mip_optimal;       /* by station: stations whose plan their branch and bound proved */
    int32_t mip_rounded;       /* by station: stations that kept their rounded plan */
    int nrows, ncols;          /* size of the program */
    double lp_objective;       /* relaxation optimum, without penalty terms */
    double objective;          /* cost of the integer plan (ownership+operation+carbon) */
    double solve_seconds;      /* wall time of the solver (not deterministic; not in JSON) */
    double *x_lp;              /* [smv] relaxation */
    int32_t *vans;             /* [smv] planned vans (integer) */
    double *need;              /* [smv] vans needed if only type v (routes_q x (1+spare)) */
    double *ev_share;          /* [smv] electric-feasible share (1 for combustion) */
    fc_plan_cell *cell;        /* [s*nmonths+m] */
    int has_shock;
    fc_plan_check *check;      /* [(s*nmonths+m)*FC_SCEN_N + k] */
    int32_t *main_type;        /* [s*nmonths+m] the type shortfalls are counted in */
    int64_t n_uncovered;       /* station-months with uncovered demand */
    int64_t n_parking_over;    /* station-months over parking */
} fc_plan;

/* Build and solve the program. Infeasible inputs (parking or range below
 * the need, a current fleet above a limit) give a plan that says where
 * and by how much (penalised slack), never a solver error; FC_EINTERNAL
 * only when GLPK itself fails or memory runs out; FC_EDATA for an input
 * whose sizes or values are wrong. */
int fc_plan_solve(const fc_plan_input *in, const fc_plan_settings *set, fc_diag *d,
                  fc_plan **out) FC_MUST_CHECK;
void fc_plan_free(fc_plan *p);
/* Type-v vans station s had before month m: the current fleet in month 0,
 * else the plan's vans of month m - 1. */
int32_t fc_plan_prev_vans(const fc_plan *p, const fc_plan_input *in, int32_t s, int32_t m, int32_t v);

/* Ownership + operation + carbon of n vans of type v at station s in month
 * m (the objective coefficient x n). */
double fc_plan_van_cost(const fc_plan_input *in, const fc_plan_settings *set, int32_t s,
                        int32_t m, int32_t v, double n);

/* ---- output (plan_json.c) ---- */

/* plan.json (schema docs/schema/plan.schema.json). meta: borrowed extra
 * members (inputs' fingerprints, ...) copied into the document; may be NULL. */
cJSON *fc_plan_to_json(const fc_plan *p, const fc_plan_input *in, const cJSON *meta);
/* x as plan.json writes it: 3 decimals, non-finite as 0, never -0 (the
 * revision report compares a run's figures with a previous plan.json's in
 * this form, so that the same inputs revise by exactly 0). */
double fc_plan_round3(double x);
int fc_plan_write_json(FILE *f, const fc_plan *p, const fc_plan_input *in,
                       const cJSON *meta) FC_MUST_CHECK;
/* One row per station, month and van type (docs/plan.md lists the columns). */
int fc_plan_write_csv(FILE *f, const fc_plan *p, const fc_plan_input *in) FC_MUST_CHECK;

#endif
