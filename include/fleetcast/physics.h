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

/* One zip on one day, as seen from its station. */
typedef struct fc_phys_zip {
    float stops;        /* delivery stops (> 0) */
    float packages;     /* packages (>= stops) */
    float area_km2;     /* zip area */
    float dist_km;      /* straight-line station -> zip centroid */
    float lwork;        /* log multiplier of the zip's time per stop (0: none; the
                         * hybrid's zip-mix term, docs/model.md §3.1) */
    int32_t zip;        /* the caller's zip id; the physics ignores it */
} fc_phys_zip;

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

/* Parameter j from its log-space value x, bounded smoothly (the map the
 * calibration works through; identity well inside the bounds). */
double fc_phys_unlog(int j, double x);

#endif
