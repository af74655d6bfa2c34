/* physics.c -- continuous-approximation routing physics (docs/model.md). */
#include <math.h>
#include <string.h>
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

fc_phys_zip fc_phys_zip_of(double stops, double packages, double area_km2, double dist_km, int32_t zip)
{
    float n = (float)stops, a = (float)area_km2;
    double geo = n > 0 && a > 0 ? sqrt((double)a / n) * (1.0 + SMALL_N / n) : 0;
    return (fc_phys_zip){n, (float)packages, (float)geo, (float)dist_km, 0, zip};
}

/* The physics and, when grad (a constant at each call site, so each
 * wrapper compiles to its own loop), the derivatives of log routes, log
 * hours and log km with respect to the log of each parameter. Per zip,
 * d(work) and d(avail) have closed forms; the sums then carry them
 * (docs/model.md §2, "Jacobian"). */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif
static ALWAYS_INLINE void eval_core(const double p[FC_PHYS_NPARAM], const fc_phys_zip *z, int nz, double share,
                             double capacity, double shift_h, fc_phys_out *out, const float *dir, int ndir,
                             double *dlog, const int grad)
{
    enum { NP = FC_PHYS_NPARAM, NG = FC_PHYS_NPARAM + FC_PHYS_MAXDIR };
    const double k = p[FC_PHYS_K], v_loc = p[FC_PHYS_V_LOCAL], v_stem = p[FC_PHYS_V_STEM];
    const double circ = p[FC_PHYS_CIRCUITY];
    const double t_stop = p[FC_PHYS_T_STOP] / 60.0, t_pkg = p[FC_PHYS_T_PKG] / 60.0;
    const double H = p[FC_PHYS_SHIFT_USE] * shift_h;
    /* r_time, r_cap: route-equivalents if only the shift / only the van
     * limited the routes; w: per-zip weights for the stem per route. */
    double r_time = 0, r_cap = 0, w = 0, stem_h = 0, stem_km = 0, local_h = 0, local_km = 0;
    /* their derivatives (grad only), gathered after the loop into
     * d_*[NG] by parameter. In the loop each sum is a named scalar or a
     * small array indexed by a constant (the compiler keeps them in
     * registers): the work parameters k, t_stop, t_pkg (v_local is minus
     * k), the usable shift, the circuity (v_stem is minus most of it,
     * b_sk the part it is not), and the extra directions. */
    double d_rt[NG] = {0}, d_w[NG] = {0}, d_sh[NG] = {0}, d_sk[NG] = {0}, d_lh[NG] = {0};
    double a_rt[3] = {0}, a_w[3] = {0}, a_sh[3] = {0}, a_sk[3] = {0}, a_lh[3] = {0};
    double su_rt = 0, su_w = 0, su_sh = 0, su_sk = 0, c_rt = 0, c_w = 0, c_sh = 0, c_sk = 0, vs_sk = 0;
    const int ne = grad && dir ? ndir : 0, ng = NP + ne;
    /* the loop is most of a fit's time: divisions hoisted out of it */
    const double kv = k / v_loc, inv_cap = 1.0 / capacity, inv_vstem = 1.0 / v_stem;
    const double floor_h = 0.05 * H;
    for (int i = 0; i < nz; i++) {
        double n = z[i].stops, geo = z[i].geo;     /* km per stop per unit k */
        if (!(n > 0) || !(geo > 0)) continue;
        double P = z[i].packages;
        /* the zip's hours at its stops: n tau, tau = l / v_local + t_stop + t_pkg q */
        double work = n * (kv * geo + t_stop) + t_pkg * P;
        if (z[i].work_mult > 0) work *= z[i].work_mult;
        double road2 = 2.0 * circ * z[i].dist_km;           /* stem road km, both ways */
        double stem = road2 * inv_vstem;
        /* Time left for stops; a zip beyond reach of the shift still gets
         * routes (5% of the shift), so the model degrades rather than fails. */
        double avail = H - stem;
        int floored = avail < floor_h;
        if (floored) avail = floor_h;
        double rt = work / avail, rc = P * inv_cap;
        int by_time = rt > rc;
        double wz = by_time ? rt : rc;      /* the zip's own route-equivalents */
        r_time += rt;
        r_cap += rc;
        w += wz;
        stem_h += wz * stem;
        stem_km += wz * road2;
        local_h += work;
        local_km += n * k * geo;
        if (grad) {
            /* A parameter that scales part of the work (k, t_stop, t_pkg,
             * the extra directions) moves T_z by dW / avail, the stem
             * weight by that where the zip is time-bound, the stem sums
             * by that times its stem, the local hours by dW. */
            double mult = z[i].work_mult > 0 ? z[i].work_mult : 1.0, inv_a = 1.0 / avail;
            double s_w = by_time ? inv_a : 0, s_h = s_w * stem, s_k = s_w * road2;
            const double dW[3] = {mult * n * kv * geo, mult * n * t_stop, mult * t_pkg * P};
            for (int q = 0; q < 3; q++) {
                a_rt[q] += dW[q] * inv_a;
                a_w[q] += dW[q] * s_w;
                a_sh[q] += dW[q] * s_h;
                a_sk[q] += dW[q] * s_k;
                a_lh[q] += dW[q];
            }
            for (int e = 0; e < ne; e++) {
                double de = work * dir[(size_t)i * (size_t)ndir + (size_t)e];
                d_rt[NP + e] += de * inv_a;
                d_w[NP + e] += de * s_w;
                d_sh[NP + e] += de * s_h;
                d_sk[NP + e] += de * s_k;
                d_lh[NP + e] += de;
            }
            /* The usable shift and the stem move the time left (not on
             * the floor, where only the shift does: the floor is 5% of
             * it); the stem also moves the stem sums directly. */
            double dA_su = floored ? floor_h : H, dA_stem = floored ? 0 : stem;
            double drt = -rt * dA_su * inv_a, dwz = by_time ? drt : 0;
            su_rt += drt;
            su_w += dwz;
            su_sh += dwz * stem;
            su_sk += dwz * road2;
            /* circuity: stem and road km up, time left down; v_stem: the stem
             * hours down, time left up, road km unchanged */
            drt = rt * dA_stem * inv_a;
            dwz = by_time ? drt : 0;
            c_rt += drt;
            c_w += dwz;
            c_sh += dwz * stem + wz * stem;
            c_sk += dwz * road2 + wz * road2;
            vs_sk -= dwz * road2;
        }
    }
    if (grad) {
        static const int widx[3] = {FC_PHYS_K, FC_PHYS_T_STOP, FC_PHYS_T_PKG};
        for (int q = 0; q < 3; q++) {
            d_rt[widx[q]] = a_rt[q];
            d_w[widx[q]] = a_w[q];
            d_sh[widx[q]] = a_sh[q];
            d_sk[widx[q]] = a_sk[q];
            d_lh[widx[q]] = a_lh[q];
        }
        d_rt[FC_PHYS_SHIFT_USE] = su_rt;
        d_w[FC_PHYS_SHIFT_USE] = su_w;
        d_sh[FC_PHYS_SHIFT_USE] = su_sh;
        d_sk[FC_PHYS_SHIFT_USE] = su_sk;
        d_rt[FC_PHYS_CIRCUITY] = c_rt;
        d_w[FC_PHYS_CIRCUITY] = c_w;
        d_sh[FC_PHYS_CIRCUITY] = c_sh;
        d_sk[FC_PHYS_CIRCUITY] = c_sk;
        d_rt[FC_PHYS_V_STEM] = -c_rt;
        d_w[FC_PHYS_V_STEM] = -c_w;
        d_sh[FC_PHYS_V_STEM] = -c_sh;
        d_sk[FC_PHYS_V_STEM] = vs_sk;
    }
    if (grad) {
        d_rt[FC_PHYS_V_LOCAL] = -d_rt[FC_PHYS_K];
        d_w[FC_PHYS_V_LOCAL] = -d_w[FC_PHYS_K];
        d_sh[FC_PHYS_V_LOCAL] = -d_sh[FC_PHYS_K];
        d_sk[FC_PHYS_V_LOCAL] = -d_sk[FC_PHYS_K];
        d_lh[FC_PHYS_V_LOCAL] = -d_lh[FC_PHYS_K];
    }
    if (!(w > 0) || !(share > 0)) {
        *out = (fc_phys_out){0, 0, 0, 0, 0};
        if (grad) memset(dlog, 0, 3 * (size_t)ng * sizeof *dlog);
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
    if (grad) {
        /* rf = (r_time^P + r_cap^P)^(1/P): d rf / d r_time = (r_time / rf)^(P-1) */
        double u = r_time / rf, drf = u > 0 ? pow10i(u) / u : 0;
        for (int j = 0; j < ng; j++) {
            double dRt = share * drf * d_rt[j];
            double dsh = (d_sh[j] - per_route_stem_h * d_w[j]) / w, dsk = (d_sk[j] - per_route_stem_km * d_w[j]) / w;
            double dh = dRt * per_route_stem_h + out->routes * dsh + share * d_lh[j];
            double dk = dRt * per_route_stem_km + out->routes * dsk + (j == FC_PHYS_K ? share * local_km : 0);
            dlog[j] = dRt / out->routes;
            dlog[ng + j] = out->hours > 0 ? dh / out->hours : 0;
            dlog[2 * ng + j] = out->km > 0 ? dk / out->km : 0;
        }
    }
}

void fc_phys_eval(const double p[FC_PHYS_NPARAM], const fc_phys_zip *z, int nz, double share,
                  double capacity, double shift_h, fc_phys_out *out)
{
    eval_core(p, z, nz, share, capacity, shift_h, out, NULL, 0, NULL, 0);
}

void fc_phys_eval_grad(const double p[FC_PHYS_NPARAM], const fc_phys_zip *z, int nz, double share,
                       double capacity, double shift_h, const float *dir, int ndir, fc_phys_out *out,
                       double *dlog)
{
    if (!dir || ndir < 0) ndir = 0;
    if (ndir > FC_PHYS_MAXDIR) ndir = FC_PHYS_MAXDIR;
    eval_core(p, z, nz, share, capacity, shift_h, out, dir, ndir, dlog, 1);
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

/* logistic(t) = d softplus(t) / dt */
static double logistic(double t) { return t > 30 ? 1 : t < -30 ? 0 : 1.0 / (1.0 + exp(-t)); }

double fc_phys_dunlog(int j, double x)
{
    double l = log(fc_phys_lo[j]), h = log(fc_phys_hi[j]);
    double y = x - BOUND_W * softplus((x - h) / BOUND_W) + BOUND_W * softplus((l - x) / BOUND_W);
    if (y <= l || y >= h) return 0;     /* the hard clamp */
    return 1.0 - logistic((x - h) / BOUND_W) - logistic((l - x) / BOUND_W);
}
