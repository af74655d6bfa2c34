/* physics.h -- the routing physics of the SPR model: a continuous
 * approximation (Beardwood-Halton-Hammersley tour length, Daganzo-style
 * route cutting by shift or capacity) evaluated bottom-up over the zips a
 * station serves on one day, for one van type. Pure functions, no state. */
#ifndef FLEETCAST_PHYSICS_H
#define FLEETCAST_PHYSICS_H

#include <stdint.h>

/* The calibrated parameters, in these units (see docs/model.md). */
enum {
    FC_PHYS_K,          /* local tour factor: km per stop = k * sqrt(area / stops) */
    FC_PHYS_V_LOCAL,    /* km/h between stops */
    FC_PHYS_V_STEM,     /* km/h from the station to the zip and back */
    FC_PHYS_CIRCUITY,   /* road km per straight-line km on the stem */
    FC_PHYS_T_STOP,     /* minutes per stop */
    FC_PHYS_T_PKG,      /* minutes per package */
    FC_PHYS_SHIFT_USE,  /* usable share of the nominal shift (route planning slack) */
    FC_PHYS_NPARAM
};

/* "k", "v_local_kmh", ... as written in model.json. */
extern const char *const fc_phys_param_names[FC_PHYS_NPARAM];
/* Network defaults (the prior when nothing is known) and the physical bounds. */
extern const double fc_phys_default[FC_PHYS_NPARAM];
extern const double fc_phys_lo[FC_PHYS_NPARAM], fc_phys_hi[FC_PHYS_NPARAM];

/* One zip on one day, as seen from its station (made by fc_phys_zip_of). */
typedef struct fc_phys_zip {
    float stops;        /* delivery stops (> 0) */
    float packages;     /* packages (>= stops) */
    float geo;          /* local km per stop per unit k, from the area and the
                         * stops: sqrt(area / stops) (1 + 0.467 / stops) (BHH
                         * with the finite-n term), taken once, not at every
                         * evaluation; 0 when there are no stops or no area */
    float dist_km;      /* straight-line station -> zip centroid */
    float work_mult;    /* multiplier of the zip's time per stop: exp(w_z) of the
                         * hybrid's zip-mix term (docs/model.md §3.1), taken
                         * once when the term is set, not at every evaluation;
                         * 0: no term (as 1) */
    int32_t zip;        /* the caller's zip id; the physics ignores it */
} fc_phys_zip;

/* A zip-day's term from its stops, packages, area (km²) and stem distance
 * (km); no zip-mix term (work_mult 0). */
fc_phys_zip fc_phys_zip_of(double stops, double packages, double area_km2, double dist_km, int32_t zip);

typedef struct fc_phys_out {
    double routes_fluid;    /* sum over zips of stops / stops-per-route */
    double routes;          /* expected routes: fluid + 0.5 (the pooled last route) */
    double hours;           /* route hours summed over the day's routes */
    double km;              /* route km summed over the day's routes */
    double cap_share;       /* weight of the van limit in the pooled maximum (0..1; 1: capacity binds) */
} fc_phys_out;

/* Evaluate the physics for the zips z[0..nz-1] a station serves on a day,
 * of which a van type carries `share` (0..1] of the packages (the van type
 * is taken to serve whole zips, so densities are the zips' own). capacity:
 * the van's packages; shift_h: the nominal shift. All outputs finite and
 * >= 0; zero zips (or zero stops) give zeros. */
void fc_phys_eval(const double p[FC_PHYS_NPARAM], const fc_phys_zip *z, int nz, double share,
                  double capacity, double shift_h, fc_phys_out *out);

/* At most this many extra directions for fc_phys_eval_grad. */
#define FC_PHYS_MAXDIR 8

/* fc_phys_eval and, in closed form, the derivatives of the log of routes,
 * hours and km (dlog[0..ng-1], dlog[ng..2ng-1], dlog[2ng..3ng-1], ng =
 * FC_PHYS_NPARAM + ndir) with respect to the log of each parameter and
 * to ndir (<= FC_PHYS_MAXDIR) extra directions: along direction e zip i's
 * log time per stop moves by dir[i * ndir + e] per unit (the zip-mix
 * slopes). About three evaluations' work for all seven parameters (the
 * calibration's Jacobian). Zero where the outputs are zero. dir may be
 * NULL (ndir 0). */
void fc_phys_eval_grad(const double p[FC_PHYS_NPARAM], const fc_phys_zip *z, int nz, double share,
                       double capacity, double shift_h, const float *dir, int ndir, fc_phys_out *out,
                       double *dlog);

/* Parameter j from its log-space value x, bounded smoothly (the map the
 * calibration works through; identity well inside the bounds). */
double fc_phys_unlog(int j, double x);

/* d log fc_phys_unlog(j, x) / dx: 1 well inside the bounds, falling
 * smoothly to 0 at them. */
double fc_phys_dunlog(int j, double x);

#endif
