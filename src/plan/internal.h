/* internal.h -- state shared by the plan's solver (lp.c) and the code
 * that assembles and explains the result (plan.c); not a public API. */
#ifndef FLEETCAST_PLAN_INTERNAL_H
#define FLEETCAST_PLAN_INTERNAL_H

#include "fleetcast/plan.h"

/* Electric types beyond which the range rows are no longer Hall's
 * condition over all subsets (2^8 - 1 = 255 of them at most) but the
 * rows nested by share (hall.c). */
#define PLAN_HALL_MAX 8

/* One range row at a station-month (hall.c; docs/plan.md, "Electric vans
 * on the routes they can run"): the electric types of a subset S (bit v),
 * the share of the routes some type of S can run, and the type whose
 * need scales the row in the program:
 * sum_{e in S} x_e need_scale / need_e - need_scale z <= share need_scale. */
typedef struct plan_hall {
    uint64_t types;
    double share;
    int32_t scale;
    int row;                   /* GLPK row of the program that holds it, 0 = none */
} plan_hall;

typedef struct plan_work {
    const fc_plan_input *in;
    const fc_plan_settings *set;
    int32_t S, M, V;
    int scrap;                 /* months < scrap: fleet only grows */
    double *need;              /* [smv] vans if only type v; 0 = cannot serve */
    fc_plan_ev *ev;            /* [smv] */
    double *cost1;             /* [smv] objective cost of one van */
    int *has;                  /* [sv] the station has a column for type v */
    int *col;                  /* [smv] GLPK column, 0 = none */
    int *col_u, *col_o;        /* [sm] uncovered need, parking overrun */
    int *row_cover, *row_park, *row_chg, *row_pow, *row_cpow;  /* [sm] */
    plan_hall *hall;           /* range rows: station-month sm's are hall[hall_off[sm]] ..
                                  hall[hall_off[sm + 1] - 1] */
    int64_t *hall_off;         /* [sm + 1] */
    int64_t nhall;
    int *row_supply;           /* [m] */
    double *supply_cap;        /* [m] electric vans the network may hold; INFINITY */
    double *supply_dual;       /* [m] LP dual of the supply row (<= 0; 0 = not binding) */
    double *dj;                /* [smv] LP reduced cost of the column (0 when the
                                  supply does not bind: not needed then) */
    double *ref;               /* [sm] smallest positive need (cover row scale) */
    double *target;            /* [sm] coverage the relaxation reached (<= 1) */
} plan_work;

/* The range rows of every station-month (w->hall, w->hall_off), from
 * w->need and w->ev; warns in d where they fall back to rows nested by
 * share. Returns 0, or -1 out of memory. */
int plan_hall_build(plan_work *w, fc_diag *d);
/* The electric types with a need at (s, m), in type order, into types;
 * returns how many: the types the range rows hold. */
int plan_hall_types(const plan_work *w, int32_t s, int32_t m, int32_t *types);
/* For a[v] = the share of the peak day type v's vans cover (x / need):
 * the largest overrun of a range row at (s, m), sum_{e in S} a_e - share
 * (0 when every row holds), and the most the electric vans can run, min
 * over rows of (a of the row types' other electric types + share)
 * (INFINITY without rows: no electric type has a need there, or their
 * routes are all in range). A subset that runs every route has no row
 * (hall.c, hall_push). With the rows of every other closed subset the
 * latter is the max flow of the vans to the routes they can run
 * (max-flow min-cut) whenever that is below 1, sum a - the former when
 * that is below sum a. */
double plan_hall_lost(const plan_work *w, int32_t s, int32_t m, const double *a);
double plan_hall_cover(const plan_work *w, int32_t s, int32_t m, const double *a);

/* Build, solve and round (or, with set->integer, branch and bound: by
 * station or over the whole program): fills p->x_lp, p->vans, the duals
 * in p->cell, p->lp_status, p->mip_status (by station also mip_optimal,
 * mip_rounded), sizes and objectives. */
int plan_lp_solve(plan_work *w, fc_plan *p, fc_diag *d);

/* Coverage of vans n[v] (v = 0..V-1) at station-month (s, m): sum of
 * n[v] / need, less the share electric vans beyond their range cannot run. */
double plan_coverage(const plan_work *w, int32_t s, int32_t m, const int32_t *n);
/* That share (0 unless a current electric fleet exceeds the range). */
double plan_range_lost(const plan_work *w, int32_t s, int32_t m, const int32_t *n);
/* The share electric vans n cannot run because the station cannot charge
 * them in a night (chargers, charger power, site power); *which (or NULL)
 * gets the limit, FC_LIMIT_CHARGERS or FC_LIMIT_SITE_POWER, *idle (or
 * NULL) the share in vans of the electric type the station may run that
 * needs most. _x: vans as doubles. */
double plan_charge_lost(const plan_work *w, int32_t s, int32_t m, const int32_t *n, int *which,
                        double *idle);
double plan_charge_lost_x(const plan_work *w, int32_t s, int32_t m, const double *x, int *which,
                          double *idle);
/* The larger of the two: what plan_coverage leaves out. */
double plan_ev_lost(const plan_work *w, int32_t s, int32_t m, const int32_t *n);

/* Which limits would stop one more electric van of type e at (s, m) of
 * the integer plan p: a bit per FC_LIMIT_*; ev_net[m] is the network's
 * electric vans in month m. */
uint32_t plan_ev_room(const plan_work *w, const fc_plan *p, const double *ev_net, int32_t s,
                      int32_t m, int32_t e);

#endif
