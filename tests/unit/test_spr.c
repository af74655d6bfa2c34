/* test_spr.c -- the SPR model: physics against hand-computed values, the
 * known-answer calibration (data made by the physics with known parameters
 * is fitted back within 1%), ridge regression against an exact solution,
 * and the whole fit/score path on files written here. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "../../src/model/calibrate.h"
#include "fleetcast/dataset.h"
#include "fleetcast/date.h"
#include "fleetcast/geo.h"
#include "fleetcast/physics.h"
#include "fleetcast/ridge.h"
#include "fleetcast/spr.h"

#define NP FC_PHYS_NPARAM

static void test_physics_hand(void)
{
    /* k 1, v_local 20, v_stem 40, circuity 1, 3 min/stop, 0.6 min/pkg, full shift of 8 h. */
    double p[NP] = {1.0, 20.0, 40.0, 1.0, 3.0, 0.6, 1.0};
    fc_phys_zip z = fc_phys_zip_of(100, 150, 4.0, 20.0, 0);
    fc_phys_out o;
    fc_phys_eval(p, &z, 1, 1.0, 300, 8.0, &o);
    /* By hand: q 1.5; km per stop 1 * sqrt(4/100) * (1 + 0.467/100) =
     * 0.2009340; hours per stop 0.2009340/20 + 3/60 + 0.6*1.5/60 =
     * 0.07504670; stem 2*20/40 = 1 h, so 7 h for stops: shift
     * route-equivalents 100 * 0.0750467 / 7 = 1.0720957; van 150/300 = 0.5;
     * pooled by the smooth maximum (r_t^10 + r_c^10)^(1/10). The term
     * holds the km per stop in single precision (fc_phys_zip.geo), so
     * the outputs match the hand figures to 1e-7, not to the last bit. */
    double tau = 0.2 * (1 + 0.467 / 100) / 20 + 0.05 + 0.015, rt = 100 * tau / 7, rc = 0.5;
    double rf = pow(pow(rt, 10) + pow(rc, 10), 0.1);
    CHECK_NEAR(rt, 1.0720957142857144, 1e-12);
    CHECK_NEAR(o.routes, rf + 0.5, 1e-7 * o.routes);
    CHECK_NEAR(o.routes, 1.5720957142857144, 1e-4);     /* the shift binds: ~ r_t + 0.5 */
    CHECK_NEAR(o.hours, (rf + 0.5) * 1.0 + 100 * tau, 1e-7 * o.hours);
    CHECK_NEAR(o.km, (rf + 0.5) * 40.0 + 100 * 0.2 * (1 + 0.467 / 100), 1e-7 * o.km);
    CHECK_NEAR(o.cap_share, pow(rc / rt, 10) / (1 + pow(rc / rt, 10)), 1e-6 * o.cap_share);
    CHECK(o.cap_share < 1e-3);
    /* A small van: 120 packages = 80 stops per route binds first (1.25
     * route-equivalents against 1.072 by the shift). */
    fc_phys_eval(p, &z, 1, 1.0, 120, 8.0, &o);
    double rf2 = pow(pow(rt, 10) + pow(1.25, 10), 0.1);
    CHECK_NEAR(o.routes, rf2 + 0.5, 1e-7 * o.routes);
    CHECK(o.routes > 1.75 && o.routes < 1.78);   /* near 1.25 + 0.5, a little more: the shift is close */
    CHECK(o.cap_share > 0.8);
    /* Half the packages on this van type: half the route-equivalents. */
    fc_phys_eval(p, &z, 1, 0.5, 120, 8.0, &o);
    CHECK_NEAR(o.routes, 0.5 * rf2 + 0.5, 1e-7 * o.routes);
    /* Two zips pool their limits: one shift-bound, one van-bound, each
     * alone; together fewer route-equivalents than the sum of the two. */
    fc_phys_zip two[2] = {fc_phys_zip_of(100, 110, 4.0, 20.0, 0), fc_phys_zip_of(100, 260, 4.0, 20.0, 1)};
    fc_phys_out a2, b2, both;
    fc_phys_eval(p, &two[0], 1, 1.0, 200, 8.0, &a2);
    fc_phys_eval(p, &two[1], 1, 1.0, 200, 8.0, &b2);
    fc_phys_eval(p, two, 2, 1.0, 200, 8.0, &both);
    CHECK(both.routes_fluid < a2.routes_fluid + b2.routes_fluid);
    /* SPR grows with density, but less than linearly. */
    fc_phys_zip lo = fc_phys_zip_of(100, 150, 20.0, 10.0, 0), hi = fc_phys_zip_of(200, 300, 20.0, 10.0, 0);
    fc_phys_out a, b;
    fc_phys_eval(p, &lo, 1, 1.0, 1000, 8.0, &a);
    fc_phys_eval(p, &hi, 1, 1.0, 1000, 8.0, &b);
    double spr_a = 150 / a.routes_fluid, spr_b = 300 / b.routes_fluid;
    CHECK(spr_b > spr_a && spr_b < 2 * spr_a);
    /* Nothing to deliver: zeros, never NaN. */
    fc_phys_zip none = fc_phys_zip_of(0, 0, 3.0, 5.0, 0);
    fc_phys_eval(p, &none, 1, 1.0, 100, 8.0, &o);
    CHECK(o.routes == 0 && o.hours == 0 && o.km == 0);
    /* A zip beyond the shift's reach still gets finite routes. */
    fc_phys_zip far = fc_phys_zip_of(50, 60, 5.0, 400.0, 0);
    fc_phys_eval(p, &far, 1, 1.0, 300, 8.0, &o);
    CHECK(isfinite(o.routes) && o.routes > 1);
}

/* Deterministic generator (xorshift) for the test data. */
static uint64_t rng = 88172645463325252ULL;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

#define NZ 24
#define NDAYS 240
static const double truth[NP] = {1.1, 22.0, 52.0, 1.35, 2.4, 0.45, 0.9};

static void test_known_answer(void)
{
    static fc_phys_zip terms[NDAYS * NZ];
    static int64_t off[NDAYS + 1];
    static double share[NDAYS], cap[NDAYS], shift[NDAYS], obs_r[NDAYS], obs_h[NDAYS], obs_k[NDAYS];
    double area[NZ], dist[NZ], base[NZ], q[NZ];
    for (int z = 0; z < NZ; z++) {
        area[z] = 1.0 + 39.0 * urand();
        dist[z] = 2.0 + 30.0 * urand();
        base[z] = 40 + 160 * urand();
        q[z] = 1.2 + urand();
    }
    for (int d = 0; d < NDAYS; d++) {
        double vol = 0.5 + 1.3 * urand();
        off[d] = (int64_t)d * NZ;
        for (int z = 0; z < NZ; z++) {
            double n = floor(base[z] * vol * (0.8 + 0.4 * urand())) + 1;
            terms[d * NZ + z] = fc_phys_zip_of(n, floor(n * q[z]), area[z], dist[z], z);
        }
        share[d] = 1.0;
        cap[d] = d % 3 == 0 ? 200 : 320;   /* the small van is capacity-bound */
        shift[d] = d % 2 ? 9.0 : 10.0;
        fc_phys_out o;
        fc_phys_eval(truth, terms + off[d], NZ, 1.0, cap[d], shift[d], &o);
        obs_r[d] = o.routes;
        obs_h[d] = o.hours;
        obs_k[d] = o.km;
    }
    off[NDAYS] = (int64_t)NDAYS * NZ;
    calib_rows rows = {.n = NDAYS, .off = off, .terms = terms, .share = share, .cap = cap, .shift = shift,
                       .obs_r = obs_r, .obs_h = obs_h, .obs_k = obs_k};
    fc_spr_settings s;
    fc_spr_settings_default(&s);
    double prior[NP];
    for (int j = 0; j < NP; j++) prior[j] = log(fc_phys_default[j]);
    /* Data made by the physics itself identify the stem too: no extra
     * pull on it here (stem_prior_sd is for data that do not). */
    s.stem_prior_sd = 100.0;
    for (int robust = 0; robust <= 2; robust += 2) {
        s.robust = robust;
        calib_result res;
        CHECK(calib_fit(&rows, prior, 100.0, &s, &res) == FC_OK);
        CHECK(res.converged);
        if (!res.converged) fprintf(stderr, "not converged: %s\n", res.why);
        for (int j = 0; j < NP; j++) {
            double got = exp(res.x[j]);
            if (fabs(got / truth[j] - 1) > 0.01)
                fprintf(stderr, "param %s: %g, truth %g\n", fc_phys_param_names[j], got, truth[j]);
            CHECK(fabs(got / truth[j] - 1) <= 0.01);
            CHECK(isfinite(res.se[j]) && res.se[j] >= 0);
        }
    }
    /* Route counts only (no hours, no km): the prior fills in what the
     * counts cannot tell apart, and the counts themselves are fitted. */
    calib_rows counts = {.n = NDAYS, .off = off, .terms = terms, .share = share, .cap = cap, .shift = shift,
                         .obs_r = obs_r};
    calib_result res;
    s.robust = 0;
    CHECK(calib_fit(&counts, prior, 0.5, &s, &res) == FC_OK);
    CHECK(res.converged);
    CHECK(res.rmse_log_routes < 0.01);
    /* stem_prior_sd pulls the stem (only) toward the prior: the truth's
     * 52 km/h lands between the prior's 45 and 52, everything still fits. */
    s.stem_prior_sd = 0.02;
    CHECK(calib_fit(&rows, prior, 100.0, &s, &res) == FC_OK);
    CHECK(res.converged);
    double vs = exp(res.x[FC_PHYS_V_STEM]);
    CHECK(vs > fc_phys_default[FC_PHYS_V_STEM] && vs < 0.99 * truth[FC_PHYS_V_STEM]);
    CHECK(fabs(exp(res.x[FC_PHYS_CIRCUITY]) - truth[FC_PHYS_CIRCUITY]) > 1e-3);
    CHECK(res.rmse_log_routes < 0.01);
    s.stem_prior_sd = 100.0;
    /* An iteration limit of 1 is reported as non-convergence, not a crash. */
    s.max_iter = 1;
    CHECK(calib_fit(&rows, prior, 100.0, &s, &res) == FC_OK);
    CHECK(!res.converged && res.why != NULL);
}

/* The zip-mix term: work_mult = f scales a zip's time per stop by f, i.e.
 * the same as dividing v_local and multiplying t_stop, t_pkg by f; 0 is
 * no term. */
static void test_physics_work_mult(void)
{
    double p[NP] = {1.0, 25.0, 45.0, 1.3, 2.0, 0.5, 0.95}, q[NP];
    memcpy(q, p, sizeof q);
    q[FC_PHYS_V_LOCAL] /= 1.2;
    q[FC_PHYS_T_STOP] *= 1.2;
    q[FC_PHYS_T_PKG] *= 1.2;
    fc_phys_zip b[2] = {fc_phys_zip_of(120, 200, 6.0, 12.0, 0), fc_phys_zip_of(80, 90, 3.0, 8.0, 1)};
    fc_phys_zip a[2] = {b[0], b[1]}, c[2] = {b[0], b[1]};
    a[0].work_mult = a[1].work_mult = 1.2f;
    c[0].work_mult = c[1].work_mult = 1.0f;
    fc_phys_out oa, ob;
    fc_phys_eval(p, a, 2, 1.0, 400, 9.0, &oa);
    fc_phys_eval(q, b, 2, 1.0, 400, 9.0, &ob);
    CHECK_NEAR(oa.routes, ob.routes, 1e-6 * ob.routes);
    CHECK_NEAR(oa.hours, ob.hours, 1e-6 * ob.hours);
    CHECK_NEAR(oa.km, ob.km, 1e-6 * ob.km);
    fc_phys_eval(p, b, 2, 1.0, 400, 9.0, &oa);
    fc_phys_eval(p, c, 2, 1.0, 400, 9.0, &ob);
    CHECK(oa.routes == ob.routes && oa.hours == ob.hours && oa.km == ob.km);
}

/* The closed-form derivatives against central differences of the physics
 * itself, on random days: shift- and van-bound days, zips beyond reach of
 * the shift (the 5% floor), zip-mix multipliers; and the bound map's
 * derivative against its own differences. */
static void test_physics_grad(void)
{
    const double h = 1e-6;
    int checked = 0;
    for (int trial = 0; trial < 200; trial++) {
        enum { NZG = 12 };
        fc_phys_zip z[NZG];
        int nz = 1 + (int)(urand() * NZG);
        for (int i = 0; i < nz; i++) {
            double n = floor(1 + 150 * urand());
            double np = floor(n * (1 + 1.5 * urand())), area = 0.5 + 40 * urand();
            double dist = trial % 5 == 0 && i == 0 ? 150 + 100 * urand() : 1 + 35 * urand();
            z[i] = fc_phys_zip_of(n, np, area, dist, i);
            if (trial % 3 == 0) z[i].work_mult = (float)(0.7 + 0.6 * urand());
        }
        double p[NP];
        for (int j = 0; j < NP; j++) p[j] = fc_phys_default[j] * (0.7 + 0.6 * urand());
        double cap = trial % 2 ? 80 + 400 * urand() : 2000, shift = 7 + 3 * urand(), share = 0.3 + 0.7 * urand();
        fc_phys_out o, op, om;
        double g[3][NP];
        fc_phys_eval_grad(p, z, nz, share, cap, shift, NULL, 0, &o, &g[0][0]);
        fc_phys_out plain;
        fc_phys_eval(p, z, nz, share, cap, shift, &plain);
        CHECK(plain.routes == o.routes && plain.hours == o.hours && plain.km == o.km);
        for (int j = 0; j < NP; j++) {
            double pp[NP], pm[NP];
            memcpy(pp, p, sizeof pp);
            memcpy(pm, p, sizeof pm);
            pp[j] *= exp(h);
            pm[j] *= exp(-h);
            fc_phys_eval(pp, z, nz, share, cap, shift, &op);
            fc_phys_eval(pm, z, nz, share, cap, shift, &om);
            double fd[3] = {(log(op.routes) - log(om.routes)) / (2 * h), (log(op.hours) - log(om.hours)) / (2 * h),
                            (log(op.km) - log(om.km)) / (2 * h)};
            for (int c = 0; c < 3; c++) {
                CHECK_NEAR(g[c][j], fd[c], 1e-5 + 1e-4 * fabs(fd[c]));
                checked++;
            }
        }
    }
    CHECK(checked == 200 * 3 * NP);
    /* extra directions (the zip-mix slopes): zip i's log time per stop
     * moves by dir[i][e] per unit */
    checked = 0;
    const double hd = 1e-3;
    for (int trial = 0; trial < 50; trial++) {
        enum { NZG = 10, ND = 2 };
        fc_phys_zip z[NZG], zp[NZG], zm[NZG];
        float dir[NZG * ND];
        for (int i = 0; i < NZG; i++) {
            double n = floor(1 + 150 * urand());
            double np = floor(n * (1 + 1.5 * urand())), area = 0.5 + 40 * urand(), dist = 1 + 35 * urand();
            z[i] = fc_phys_zip_of(n, np, area, dist, i);
            if (trial % 2) z[i].work_mult = (float)(0.7 + 0.6 * urand());
            for (int e = 0; e < ND; e++) dir[i * ND + e] = (float)(urand() * 2 - 1);
        }
        double p[NP], g[3 * (NP + ND)];
        for (int j = 0; j < NP; j++) p[j] = fc_phys_default[j] * (0.7 + 0.6 * urand());
        double cap = 100 + 300 * urand(), shift = 7 + 3 * urand();
        fc_phys_out o, op, om;
        fc_phys_eval_grad(p, z, NZG, 1.0, cap, shift, dir, ND, &o, g);
        for (int e = 0; e < ND; e++) {
            for (int i = 0; i < NZG; i++) {
                double base = z[i].work_mult > 0 ? z[i].work_mult : 1.0;
                zp[i] = zm[i] = z[i];
                zp[i].work_mult = (float)(base * exp(hd * dir[i * ND + e]));
                zm[i].work_mult = (float)(base * exp(-hd * dir[i * ND + e]));
            }
            fc_phys_eval(p, zp, NZG, 1.0, cap, shift, &op);
            fc_phys_eval(p, zm, NZG, 1.0, cap, shift, &om);
            /* float multipliers (1e-7 relative): a step of 1e-3 keeps their
             * rounding at 1e-4 of the difference, the curvature at 1e-6 */
            double fd[3] = {(log(op.routes) - log(om.routes)) / (2 * hd), (log(op.hours) - log(om.hours)) / (2 * hd),
                            (log(op.km) - log(om.km)) / (2 * hd)};
            for (int c = 0; c < 3; c++) {
                CHECK_NEAR(g[c * (NP + ND) + NP + e], fd[c], 1e-3 + 1e-3 * fabs(fd[c]));
                checked++;
            }
        }
    }
    CHECK(checked == 50 * 3 * 2);
    for (int j = 0; j < NP; j++)
        for (double x = log(fc_phys_lo[j]) - 0.05; x < log(fc_phys_hi[j]) + 0.05; x += 0.013) {
            double fd = (log(fc_phys_unlog(j, x + h)) - log(fc_phys_unlog(j, x - h))) / (2 * h);
            CHECK_NEAR(fc_phys_dunlog(j, x), fd, 1e-4);
        }
}

/* Known answer for the shared zip-mix slopes: three stations with their
 * own physics, zips whose time per stop rises with an attribute (slope
 * 0.15 per unit of the standardised attribute) and whose packages per
 * stop rise with it too (so the slope and t_pkg compete within a
 * station). calib_mix_fit, started from the truth of the physics with
 * the slope at 0, must find the slope and keep the physics within 1%. */
static void test_mix_known_answer(void)
{
    enum { NS = 3, ND = 200, NZS = 16 };
    static fc_phys_zip terms[NS][ND * NZS];
    static double zval[NS][NZS];   /* each station's zips 0..NZS-1 have their own values */
    static int64_t off[NS][ND + 1];
    static double share[ND], cap[ND], shift[ND], obs_r[NS][ND], obs_h[NS][ND], obs_k[NS][ND];
    const double beta = 0.15;
    double tr[NS][NP];
    calib_rows rows[NS];
    for (int si = 0; si < NS; si++) {
        for (int j = 0; j < NP; j++) tr[si][j] = truth[j] * (1 + 0.1 * (si - 1) * (j % 2 ? 1 : -1));
        double area[NZS], dist[NZS], base[NZS], a[NZS];
        for (int z = 0; z < NZS; z++) {
            area[z] = 2.0 + 30.0 * urand();
            dist[z] = 3.0 + 25.0 * urand();
            base[z] = 60 + 120 * urand();
            a[z] = -1.5 + 3.0 * urand();    /* standardised attribute */
            zval[si][z] = a[z];
        }
        for (int d = 0; d < ND; d++) {
            off[si][d] = (int64_t)d * NZS;
            for (int z = 0; z < NZS; z++) {
                double n = floor(base[z] * (0.4 + 1.2 * urand())) + 1;   /* the day's mix varies */
                double qz = 1.5 + 0.2 * a[z];
                int k = d * NZS + z;
                terms[si][k] = fc_phys_zip_of(n, floor(n * qz), area[z], dist[z], z);
                terms[si][k].work_mult = (float)exp(beta * a[z]);
            }
            share[d] = 1.0;
            cap[d] = 400;
            shift[d] = d % 2 ? 9.0 : 10.0;
            fc_phys_out o;
            fc_phys_eval(tr[si], terms[si] + off[si][d], NZS, 1.0, cap[d], shift[d], &o);
            obs_r[si][d] = o.routes;
            obs_h[si][d] = o.hours;
            obs_k[si][d] = o.km;
        }
        off[si][ND] = (int64_t)ND * NZS;
        for (int k = 0; k < ND * NZS; k++) terms[si][k].work_mult = 0;   /* the fit sets it from zval */
        rows[si] = (calib_rows){.n = ND, .off = off[si], .terms = terms[si], .share = share, .cap = cap,
                                .shift = shift, .obs_r = obs_r[si], .obs_h = obs_h[si], .obs_k = obs_k[si],
                                .nattr = 1, .zval = zval[si], .nzip = NZS, .centre = {0}, .scale = {1},
                                .attr_prior_sd = 10.0, .attr_bound = 10.0};
    }
    fc_spr_settings s;
    fc_spr_settings_default(&s);
    s.mix_prior_sd = 10.0;
    double xs[NS][NP], prior[NP], b[1] = {0}, se[1] = {NAN};
    for (int j = 0; j < NP; j++) prior[j] = log(truth[j]);
    for (int si = 0; si < NS; si++)
        for (int j = 0; j < NP; j++) xs[si][j] = log(tr[si][j]);
    int it = 0;
    CHECK(calib_mix_fit(rows, NS, xs, prior, 100.0, b, se, &it, &s) == FC_OK);
    if (fabs(b[0] / beta - 1) > 0.01) fprintf(stderr, "mix slope %g (se %g), truth %g, %d iterations\n", b[0], se[0], beta, it);
    CHECK(fabs(b[0] / beta - 1) <= 0.01);
    CHECK(isfinite(se[0]) && se[0] >= 0);
    for (int si = 0; si < NS; si++)
        for (int j = 0; j < NP; j++) {
            double got = fc_phys_unlog(j, xs[si][j]);
            if (fabs(got / tr[si][j] - 1) > 0.01)
                fprintf(stderr, "station %d %s: %g, truth %g\n", si, fc_phys_param_names[j], got, tr[si][j]);
            CHECK(fabs(got / tr[si][j] - 1) <= 0.01);
        }
    /* Weights (a station fit's Huber weights) are kept: every 10th day
     * made an outlier (routes and hours x1.4) and weighted down, the slope
     * comes back within 1%; unweighted, the outliers pull it a quarter
     * off (0.114). */
    {
        static double w[NS][3 * ND], bad_r[NS][ND], bad_h[NS][ND];
        double bw[1] = {0}, bse[1], bu[1] = {0}, xw[NS][NP];
        calib_rows rw[NS];
        for (int si = 0; si < NS; si++) {
            rw[si] = rows[si];
            for (int d = 0; d < ND; d++) {
                int out = d % 10 == 3;
                bad_r[si][d] = obs_r[si][d] * (out ? 1.4 : 1.0);
                bad_h[si][d] = obs_h[si][d] * (out ? 1.4 : 1.0);
                for (int c = 0; c < 3; c++) w[si][3 * d + c] = out ? 1e-3 : 1.0;
            }
            rw[si].obs_r = bad_r[si];
            rw[si].obs_h = bad_h[si];
            for (int j = 0; j < NP; j++) xw[si][j] = log(tr[si][j]);
        }
        for (int si = 0; si < NS; si++) rw[si].w = w[si];
        CHECK(calib_mix_fit(rw, NS, xw, prior, 100.0, bw, bse, &it, &s) == FC_OK);
        CHECK(fabs(bw[0] / beta - 1) <= 0.01);
        for (int si = 0; si < NS; si++) {
            rw[si].w = NULL;
            for (int j = 0; j < NP; j++) xw[si][j] = log(tr[si][j]);
        }
        CHECK(calib_mix_fit(rw, NS, xw, prior, 100.0, bu, bse, &it, &s) == FC_OK);
        if (getenv("FC_TEST_VERBOSE")) fprintf(stderr, "slope weighted %g, unweighted %g\n", bw[0], bu[0]);
        CHECK(fabs(bu[0] / beta - 1) > 0.01);
    }
    /* An iteration limit of 1 is non-convergence (FC_ENOCONV), not a crash. */
    s.max_iter = 1;
    b[0] = 0;
    for (int si = 0; si < NS; si++)
        for (int j = 0; j < NP; j++) xs[si][j] = log(tr[si][j]) + 0.05;
    CHECK(calib_mix_fit(rows, NS, xs, prior, 100.0, b, se, &it, &s) == FC_ENOCONV);
}

static void test_ridge(void)
{
    /* y = 1 + 2 x0 - 3 x1 exactly: tiny penalty recovers it. */
    enum { N = 200 };
    static double X[N * 2], y[N];
    int32_t fold[N];
    for (int i = 0; i < N; i++) {
        X[2 * i] = urand();
        X[2 * i + 1] = urand() * 4;
        y[i] = 1 + 2 * X[2 * i] - 3 * X[2 * i + 1];
        fold[i] = i % 5;
    }
    char *names[] = {"a", "b"};
    double lam[] = {1e-9, 1.0, 100.0};
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_ridge m;
    CHECK(fc_ridge_fit(X, y, N, 2, names, fold, 5, lam, 3, &m, &d) == FC_OK);
    CHECK_NEAR(m.lambda, 1e-9, 0);
    double x[2] = {0.5, 1.0};
    CHECK_NEAR(fc_ridge_predict(&m, x), 1 + 1 - 3, 1e-6);
    CHECK(m.cv_rmse < 1e-6);
    /* Missing values take the mean. */
    double xm[2] = {NAN, m.mean[1]};
    CHECK_NEAR(fc_ridge_predict(&m, xm), m.intercept, 1e-9);
    m.lo = -0.5;
    CHECK_NEAR(fc_ridge_predict(&m, x), -0.5, 0);
    fc_ridge_free(&m);
    fc_ridge_free(&m);
    /* Too few rows is a data error. */
    CHECK(fc_ridge_fit(X, y, 1, 2, names, NULL, 0, lam, 1, &m, &d) == FC_EDATA);
}

/* ---- the whole path on files ---- */

static char dir[256];

static FILE *open_in(const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return fopen(p, "w");
}

/* Two stations of known parameters; station B only ever runs the small van. */
static const double truth_b[NP] = {0.95, 28.0, 45.0, 1.25, 2.0, 0.55, 0.93};

static void write_data(void)
{
    FILE *f = open_in("zips.csv");
    fprintf(f, "zip,lat,lon,area_km2,hilliness,share_apartments\n");
    for (int z = 0; z < 20; z++)
        fprintf(f, "%05d,%.4f,%.4f,%.2f,%.1f,%.2f\n", 1000 + z, 42.0 + 0.02 * (z % 5) + (z >= 10 ? 0.5 : 0),
                -72.0 + 0.03 * (z / 5 % 2 ? z % 4 : -(z % 3)), 1.0 + (z * 7 % 23), 3.0 + z % 6, (z % 4) * 0.2);
    fclose(f);
    f = open_in("stations.csv");
    fprintf(f, "station,lat,lon,shift_hours,opened\nA,42.02,-72.0,10,2020-01-01\nB,42.52,-72.0,,\n");
    fclose(f);
    f = open_in("vehicles.csv");
    fprintf(f, "van_type,capacity_packages\nsmall,180\nlarge,320\n");
    fclose(f);
}

/* Messages of the fit to stderr when FC_TEST_VERBOSE is set. */
static void to_stderr(void *ud, fc_level level, const char *msg)
{
    (void)ud;
    (void)level;
    if (getenv("FC_TEST_VERBOSE")) fprintf(stderr, "%s\n", msg);
}

/* fc_spr_sample_order: a station with more rows than max_days gets an
 * even sample first, each van type in proportion and spread over time,
 * even when the types take turns in the file (two a day, max_days half
 * the rows: a plain stride would take one type only); a station with no
 * more rows than max_days keeps its order. */
static void test_sample_order(void)
{
    enum { N = 200, M = 100, N2 = 30 };
    static int32_t day[N + N2], station[N + N2], van[N + N2];
    fc_routes r = {.n = N + N2, .day = day, .station = station, .van = van};
    int64_t order[N + N2], soff[3] = {0, N, N + N2};
    for (int i = 0; i < N + N2; i++) {
        station[i] = i < N ? 0 : 1;
        day[i] = i < N ? i / 2 : i - N;
        van[i] = i < N ? i % 2 : 0;
        order[i] = i;
    }
    CHECK(fc_spr_sample_order(&r, order, soff, 2, M) == 0);
    int nv[2] = {0, 0}, early[2] = {0, 0}, late[2] = {0, 0}, seen[N] = {0};
    for (int k = 0; k < M; k++) {
        int64_t i = order[k];
        CHECK(i >= 0 && i < N && !seen[i]);
        if (i < 0 || i >= N) continue;
        seen[i] = 1;
        nv[van[i]]++;
        if (day[i] < N / 6) early[van[i]]++;
        if (day[i] >= N / 2 - N / 6) late[van[i]]++;
    }
    CHECK(nv[0] == M / 2 && nv[1] == M / 2);
    CHECK(early[0] >= 14 && early[1] >= 14 && late[0] >= 14 && late[1] >= 14);
    for (int k = M; k < N; k++) CHECK(order[k] >= 0 && order[k] < N && !seen[order[k]]);
    for (int k = N; k < N + N2; k++) CHECK(order[k] == k);
    /* max_days 0: all rows, nothing moves */
    for (int i = 0; i < N + N2; i++) order[i] = i;
    CHECK(fc_spr_sample_order(&r, order, soff, 2, 0) == 0);
    for (int i = 0; i < N + N2; i++) CHECK(order[i] == i);
}

static void test_end_to_end(void)
{
    snprintf(dir, sizeof dir, "%s/fc_spr_test_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    write_data();
    char *paths[FC_INPUT_N] = {0};
    char pz[512], ps[512], pv[512], psh[512], pr[512];
    snprintf(pz, sizeof pz, "%s/zips.csv", dir);
    snprintf(ps, sizeof ps, "%s/stations.csv", dir);
    snprintf(pv, sizeof pv, "%s/vehicles.csv", dir);
    snprintf(psh, sizeof psh, "%s/shipments.csv", dir);
    snprintf(pr, sizeof pr, "%s/routes.csv", dir);
    paths[FC_IN_ZIPS] = pz;
    paths[FC_IN_STATIONS] = ps;
    paths[FC_IN_VEHICLES] = pv;
    fc_diag d;
    fc_diag_init(&d, to_stderr, NULL);
    fc_dataset ref;
    CHECK(fc_dataset_load(&ref, paths, 0, &d) == FC_OK);
    /* Shipments, then routes from the physics (rounded to whole routes). */
    FILE *fs = open_in("shipments.csv"), *fr = open_in("routes.csv");
    fprintf(fs, "date,zip,station,packages,stops\n");
    fprintf(fr, "date,station,van_type,routes,packages,stops,route_hours,route_km\n");
    for (int day = 0; day < 150; day++) {
        int32_t date = 19000 + day;
        char ds[11];
        fc_date_format(date, ds);
        double vol = 0.5 + 1.3 * urand();
        for (int s = 0; s < 2; s++) {
            fc_phys_zip t[10];
            double pk = 0, st = 0;
            for (int k = 0; k < 10; k++) {
                int z = s * 10 + k;
                double n = floor((40 + 12 * k) * vol * (0.8 + 0.4 * urand())) + 1;
                double np = floor(n * (1.1 + 1.2 * urand()));
                fprintf(fs, "%s,%05d,%s,%.0f,%.0f\n", ds, 1000 + z, s ? "B" : "A", np, n);
                t[k] = fc_phys_zip_of(n, np, ref.zips->area_km2[z],
                                      fc_geo_km(ref.stations->lat[s], ref.stations->lon[s], ref.zips->lat[z],
                                                ref.zips->lon[z]), z);
                pk += np;
                st += n;
            }
            int van = s == 0 && day % 2 ? 1 : 0;
            fc_phys_out o;
            fc_phys_eval(s ? truth_b : truth, t, 10, 1.0, van ? 320 : 180, s ? 8.0 : 10.0, &o);
            fprintf(fr, "%s,%s,%s,%.0f,%.0f,%.0f,%.4f,%.4f\n", ds, s ? "B" : "A", van ? "large" : "small",
                    fmax(1, floor(o.routes + 0.5)), pk, st, o.hours, o.km);
        }
    }
    fclose(fs);
    fclose(fr);
    fc_dataset_free(&ref);
    paths[FC_IN_SHIPMENTS] = psh;
    paths[FC_IN_ROUTES] = pr;
    fc_dataset ds;
    CHECK(fc_dataset_load(&ds, paths, 0, &d) == FC_OK);
    fc_spr_index *ix = NULL;
    CHECK(fc_spr_index_new(ds.shipments, ds.zips, ds.stations, &d, &ix) == FC_OK);
    fc_spr_settings s;
    fc_spr_settings_default(&s);
    s.prior_sd = 10;    /* let each station's data speak */
    s.stem_prior_sd = 10;
    fc_spr_model *m = NULL;
    int fst = fc_spr_fit(ix, ds.routes, ds.vehicles, NULL, &s, &d, &m);
    CHECK(fst == FC_OK);
    if (!m) return;
    CHECK(m->nstations == 2 && m->st[0].status == FC_SPR_FITTED && m->st[1].status == FC_SPR_FITTED);
    for (int j = 0; j < NP; j++) {
        if (getenv("FC_TEST_VERBOSE"))
            fprintf(stderr, "%-12s A %8.4f (%8.4f, se %.4f)  B %8.4f (%8.4f, se %.4f)\n", fc_phys_param_names[j],
                    m->st[0].p[j], truth[j], m->st[0].se[j], m->st[1].p[j], truth_b[j], m->st[1].se[j]);
        /* Whole routes (rounded) are the only noise: each parameter is within
         * 2% of the truth, or within 3 of its reported standard errors when
         * the data say little about it (stem speed: stems are a small part
         * of the hours). */
        CHECK(fabs(m->st[0].p[j] - truth[j]) < fmax(0.02 * truth[j], 3 * m->st[0].se[j]));
        CHECK(fabs(m->st[1].p[j] - truth_b[j]) < fmax(0.02 * truth_b[j], 3 * m->st[1].se[j]));
        CHECK(isfinite(m->st[0].se[j]) && (j == FC_PHYS_V_STEM || m->st[0].se[j] < 0.15 * truth[j]));
    }
    CHECK(m->train.mape[FC_VAR_PHYSICS] < 1.5);
    CHECK(m->train.mape[FC_VAR_HYBRID] < 1.5);
    /* The typical station (for stations without a fit): the median in log
     * space of the fitted stations, here the geometric mean of the two. */
    CHECK(m->typical_n == 2);
    for (int j = 0; j < NP; j++) {
        CHECK_NEAR(m->typical[j], sqrt(m->st[0].p[j] * m->st[1].p[j]), 1e-12 * m->typical[j]);
        CHECK_NEAR(m->typical_mix[j], sqrt(m->st[0].pmix[j] * m->st[1].pmix[j]), 1e-12 * m->typical_mix[j]);
    }
    /* The model survives a JSON round trip unchanged. */
    cJSON *j = fc_spr_model_to_json(m);
    char *text = cJSON_Print(j);
    cJSON *j2 = cJSON_Parse(text);
    fc_spr_model *m2 = NULL;
    CHECK(fc_spr_model_from_json(j2, "model.json", &d, &m2) == FC_OK);
    cJSON *j3 = m2 ? fc_spr_model_to_json(m2) : NULL;
    char *text2 = j3 ? cJSON_Print(j3) : NULL;
    cJSON_Delete(j3);
    CHECK(text2 && strcmp(text, text2) == 0);
    /* The zip-mix term is there (zips.csv has hilliness and an attribute)
     * and the model does not depend on the thread count. */
    CHECK(m->mix.n == 2 && isfinite(m->mix.beta[0]) && isfinite(m->mix.se[1]));
    {
        fc_spr_settings s1 = s;
        s1.threads = 1;
        fc_spr_model *m1 = NULL;
        CHECK(fc_spr_fit(ix, ds.routes, ds.vehicles, NULL, &s1, &d, &m1) == FC_OK);
        cJSON *j1 = m1 ? fc_spr_model_to_json(m1) : NULL;
        char *t1 = j1 ? cJSON_Print(j1) : NULL;
        CHECK(t1 && strcmp(t1, text) == 0);
        cJSON_free(t1);
        cJSON_Delete(j1);
        fc_spr_model_free(m1);
    }
    /* With max_days below a station's 150 days the physics is fitted on an
     * even sample of them (model.json says how many) and still comes back
     * near the truth; all days still feed the learned parts. */
    CHECK(m->st[0].days == 150 && m->st[0].calibrated_days == 150);
    {
        fc_spr_settings s2 = s;
        s2.max_days = 60;
        fc_spr_model *m4 = NULL;
        CHECK(fc_spr_fit(ix, ds.routes, ds.vehicles, NULL, &s2, &d, &m4) == FC_OK);
        for (int k = 0; m4 && k < 2; k++) {
            const double *tr = k ? truth_b : truth;
            CHECK(m4->st[k].days == 150 && m4->st[k].calibrated_days == 60);
            CHECK(m4->st[k].status == FC_SPR_FITTED);
            for (int j = 0; j < NP; j++)
                CHECK(fabs(m4->st[k].p[j] - tr[j]) < fmax(0.03 * tr[j], 3 * m4->st[k].se[j]));
        }
        CHECK(m4 && m4->train.rows == m->train.rows);
        fc_spr_model_free(m4);
        /* never fewer than min_days */
        s2.max_days = 10;
        s2.min_days = 40;
        m4 = NULL;
        CHECK(fc_spr_fit(ix, ds.routes, ds.vehicles, NULL, &s2, &d, &m4) == FC_OK);
        CHECK(m4 && m4->st[0].calibrated_days == 40 && m4->st[1].calibrated_days == 40);
        fc_spr_model_free(m4);
    }
    /* The correction works on within-station deviations: each station
     * carries its training mean of every correction feature, and the
     * centred features average zero over its rows. */
    CHECK(m->settings.correction_centre == 1 && m2 && m2->settings.correction_centre == 1);
    CHECK(m->st[0].corr_centre && m->st[1].corr_centre && m2 && m2->st[1].corr_centre);
    for (int k = 0; k < m->corr.p && m2; k++) {
        CHECK(fabs(m->corr.mean[k]) < 1e-9);
        /* cJSON prints 15 significant digits when they read back within
         * DBL_EPSILON (relative), so the round trip is that close, not exact */
        double a = m->st[1].corr_centre[k], b = m2->st[1].corr_centre[k];
        CHECK(fabs(a - b) <= 4e-16 * fabs(a) || (isnan(a) && isnan(b)));
    }
    {
        /* A model written before the centres existed reads as uncentred. */
        cJSON *old = cJSON_Parse(text);
        cJSON *sts = cJSON_GetObjectItem(cJSON_GetObjectItem(old, "physics"), "stations");
        for (cJSON *e = sts ? sts->child : NULL; e; e = e->next) cJSON_DeleteItemFromObject(e, "correction_centre");
        cJSON_DeleteItemFromObject(cJSON_GetObjectItem(old, "settings"), "correction_centre");
        fc_spr_model *m3 = NULL;
        CHECK(fc_spr_model_from_json(old, "old.json", &d, &m3) == FC_OK);
        CHECK(m3 && m3->settings.correction_centre == 0 && !m3->st[0].corr_centre);
        fc_spr_model_free(m3);
        /* A model written before the typical station uses the network values. */
        cJSON_DeleteItemFromObject(cJSON_GetObjectItem(old, "physics"), "typical");
        m3 = NULL;
        CHECK(fc_spr_model_from_json(old, "old.json", &d, &m3) == FC_OK);
        CHECK(m3 && m3->typical_n == 0 && memcmp(m3->typical, m3->network, sizeof m3->typical) == 0 &&
              memcmp(m3->typical_mix, m3->network, sizeof m3->typical_mix) == 0);
        fc_spr_model_free(m3);
        /* Centres of the wrong length are refused. */
        sts = cJSON_GetObjectItem(cJSON_GetObjectItem(j2, "physics"), "stations");
        cJSON *bad = cJSON_Duplicate(j2, 1);
        cJSON *c0 = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(bad, "physics"), "stations")->child,
                                        "correction_centre");
        if (c0) cJSON_AddItemToArray(c0, cJSON_CreateNumber(1));
        m3 = NULL;
        CHECK(c0 && fc_spr_model_from_json(bad, "bad.json", &d, &m3) == FC_EDATA && !m3);
        cJSON_Delete(bad);
        cJSON_Delete(old);
    }
    /* Station B scored with the large van it never ran: the physics knows
     * capacity, so routes fall; the hybrid follows. */
    fc_spr_predictor *pr_ = NULL;
    CHECK(fc_spr_predictor_new(m2 ? m2 : m, ix, ds.stations, &d, &pr_) == FC_OK);
    int64_t ib = -1;
    for (int64_t i = 0; i < ds.routes->n && ib < 0; i++)
        if (ds.routes->station[i] == 1) ib = i;
    fc_spr_row row;
    fc_spr_pred small, large;
    CHECK(fc_spr_predict_row(pr_, ds.routes, ds.vehicles, ib, &row, &small) == 0);
    CHECK(fabs(small.routes[FC_VAR_HYBRID] / ds.routes->routes[ib] - 1) < 0.15);
    ds.routes->van[ib] = 1;
    CHECK(fc_spr_predict_row(pr_, ds.routes, ds.vehicles, ib, &row, &large) == 0);
    fc_phys_zip t[20];
    double feat[64];
    fc_spr_row r2;
    fc_spr_row_prepare(ix, ds.routes, ds.vehicles, ib, t, feat, &r2);
    CHECK(fc_spr_row_nzips(ix, ds.routes, ib) == r2.nz && r2.nz > 0);
    fc_phys_out o;
    fc_phys_eval(truth_b, t, r2.nz, 1.0, 320, 8.0, &o);
    CHECK(fabs(large.routes[FC_VAR_PHYSICS] / o.routes - 1) < 0.03);
    CHECK(large.routes[FC_VAR_PHYSICS] < small.routes[FC_VAR_PHYSICS]);
    /* A day with no shipments cannot be scored, and says so. */
    ds.routes->day[ib] = 30000;
    CHECK(fc_spr_predict_row(pr_, ds.routes, ds.vehicles, ib, &row, &large) == -1);
    fc_spr_predictor_free(pr_);
    free(text);
    free(text2);
    cJSON_Delete(j);
    cJSON_Delete(j2);
    fc_spr_model_free(m);
    fc_spr_model_free(m2);
    fc_spr_index_free(ix);
    fc_dataset_free(&ds);
    const char *files[] = {"zips.csv", "stations.csv", "vehicles.csv", "shipments.csv", "routes.csv"};
    for (int k = 0; k < 5; k++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, files[k]);
        remove(p);
    }
    rmdir(dir);
}

int main(void)
{
    test_physics_hand();
    test_known_answer();
    test_ridge();
    test_sample_order();
    test_end_to_end();
    test_physics_work_mult();
    test_physics_grad();
    test_mix_known_answer();
    return check_report();
}
