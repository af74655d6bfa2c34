/* physics.c -- continuous-approximation routing physics (docs/model.md). */
#include <math.h>
#include "fleetcast/physics.h"

const char *const fc_phys_param_names[FC_PHYS_NPARAM] = {
    "k", "v_local_kmh", "v_stem_kmh", "circuity", "t_stop_min", "t_pkg_min", "shift_use"};
const double fc_phys_default[FC_PHYS_NPARAM] = {0.9, 25.0, 45.0, 1.3, 2.0, 0.5, 0.95};
const double fc_phys_lo[FC_PHYS_NPARAM] = {0.2, 4.0, 8.0, 1.0, 0.05, 0.005, 0.4};
const double fc_phys_hi[FC_PHYS_NPARAM] = {4.0, 90.0, 130.0, 3.0, 20.0, 10.0, 1.05};

/* Finite-size correction of the random-point tour length (Percus & Martin
 * 1996: L_n / sqrt(n A) = k (1 + 0.467 / n) on the torus): a zip with few
 * stops costs a little more per stop than its density alone says. */
#define SMALL_N 0.467

/* Exponent of the smooth maximum that pools the two route limits over the
 * station-day (docs/model.md, "Which limit binds"). */
#define POOL_P 10.0

/* x^POOL_P for x in [0, 1], by squaring (pow() was a tenth of a fit). */
static inline double pow10i(double x)
{
    double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;
    return x8 * x2;
}

void fc_phys_eval(const double p[FC_PHYS_NPARAM], const fc_phys_zip *z, int nz, double share,
                  double capacity, double shift_h, fc_phys_out *out)
{
    const double k = p[FC_PHYS_K], v_loc = p[FC_PHYS_V_LOCAL], v_stem = p[FC_PHYS_V_STEM];
    const double circ = p[FC_PHYS_CIRCUITY];
    const double t_stop = p[FC_PHYS_T_STOP] / 60.0, t_pkg = p[FC_PHYS_T_PKG] / 60.0;
    const double H = p[FC_PHYS_SHIFT_USE] * shift_h;
    /* r_time, r_cap: route-equivalents if only the shift / only the van
     * limited the routes; w: per-zip weights for the stem per route. */
    double r_time = 0, r_cap = 0, w = 0, stem_h = 0, stem_km = 0, local_h = 0, local_km = 0;
    /* the loop is most of a fit's time: divisions hoisted out of it */
    const double kv = k / v_loc, inv_cap = 1.0 / capacity, inv_vstem = 1.0 / v_stem;
    const double floor_h = 0.05 * H;
    for (int i = 0; i < nz; i++) {
        double n = z[i].stops, a = z[i].area_km2;
        if (!(n > 0) || !(a > 0)) continue;
        double inv_n = 1.0 / n, P = z[i].packages;
        double geo = sqrt(a * inv_n) * (1.0 + SMALL_N * inv_n);    /* km per stop per unit k */
        /* the zip's hours at its stops: n tau, tau = l / v_local + t_stop + t_pkg q */
        double work = n * (kv * geo + t_stop) + t_pkg * P;
        if (z[i].lwork != 0) work *= exp(z[i].lwork);
        double road2 = 2.0 * circ * z[i].dist_km;           /* stem road km, both ways */
        double stem = road2 * inv_vstem;
        /* Time left for stops; a zip beyond reach of the shift still gets
         * routes (5% of the shift), so the model degrades rather than fails. */
        double avail = H - stem;
        if (avail < floor_h) avail = floor_h;
        double rt = work / avail, rc = P * inv_cap;
        double wz = rt > rc ? rt : rc;      /* the zip's own route-equivalents */
        r_time += rt;
        r_cap += rc;
        w += wz;
        stem_h += wz * stem;
        stem_km += wz * road2;
        local_h += work;
        local_km += n * k * geo;
    }
    if (!(w > 0) || !(share > 0)) {
        *out = (fc_phys_out){0, 0, 0, 0, 0};
        return;
    }
    /* Routes run across zip boundaries, so which limit binds is decided on
     * the day's pooled work, not zip by zip; a smooth maximum because
     * single routes differ (some are cut by the van while others are cut
     * by the shift) when the two are close. */
    double big = r_time > r_cap ? r_time : r_cap;
    double tp = pow10i(r_time / big), cp = pow10i(r_cap / big);
    double rf = big * pow(tp + cp, 1.0 / POOL_P);
    out->routes_fluid = share * rf;
    out->routes = out->routes_fluid + 0.5;
    /* Every real route drives a stem; the pooled last route too. */
    double per_route_stem_h = stem_h / w, per_route_stem_km = stem_km / w;
    out->hours = out->routes * per_route_stem_h + share * local_h;
    out->km = out->routes * per_route_stem_km + share * local_km;
    out->cap_share = cp / (tp + cp);
}

/* Smooth bounds in log space: y = x - w softplus((x - h) / w) + w softplus((l - x) / w),
 * then a hard clamp for the last bit. Inside the bounds (more than ~10 w
 * from them) y = x; beyond them y flattens smoothly, so the trust region
 * sees no kink where a parameter meets its bound. */
#define BOUND_W 0.01
static double softplus(double t) { return t > 30 ? t : t < -30 ? 0 : log1p(exp(t)); }

double fc_phys_unlog(int j, double x)
{
    double l = log(fc_phys_lo[j]), h = log(fc_phys_hi[j]);
    double y = x - BOUND_W * softplus((x - h) / BOUND_W) + BOUND_W * softplus((l - x) / BOUND_W);
    double v = exp(y);
    return v < fc_phys_lo[j] ? fc_phys_lo[j] : v > fc_phys_hi[j] ? fc_phys_hi[j] : v;
}
