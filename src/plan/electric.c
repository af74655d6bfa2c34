/* electric.c -- range of electric vans under temperature and hills: the
 * documented energy curves and the feasibility of a station's routes,
 * within the battery and what a charger puts back in a night
 * (docs/plan.md, "Electric feasibility"). */
#include <math.h>
#include "fleetcast/plan.h"

/* Range retention with cabin climate control against air temperature.
 * AAA, "Electric Vehicle Range Testing" (2019): at 20 F (-6.7 C) with the
 * heater on, range fell 41% against 75 F (24 C); at 95 F (35 C) with the air
 * conditioning on it fell 17%. Below -6.7 C the loss keeps growing at the
 * same rate per degree (heating load is linear in the temperature gap) down
 * to -20 C, then flattens; above 35 C it falls 1 point per degree to 45 C. */
static const double def_t[] = {-20.0, -6.7, 24.0, 35.0, 45.0};
static const double def_r[] = {0.412, 0.59, 1.0, 0.83, 0.73};

static double interp(const double *t, const double *r, int n, double x)
{
    if (n <= 0) return 1.0;
    if (!(x > t[0])) return r[0];      /* also NAN -> first point; callers avoid NAN */
    if (x >= t[n - 1]) return r[n - 1];
    for (int i = 1; i < n; i++)
        if (x <= t[i]) {
            double u = (x - t[i - 1]) / (t[i] - t[i - 1]);
            return r[i - 1] + u * (r[i] - r[i - 1]);
        }
    return r[n - 1];
}

double fc_plan_temp_retention(const fc_plan_settings *s, double t_c)
{
    if (isnan(t_c)) t_c = s ? s->default_temp_c : 20.0;
    if (s && s->ncurve > 0) return interp(s->curve_t, s->curve_r, s->ncurve, t_c);
    return interp(def_t, def_r, (int)(sizeof def_t / sizeof def_t[0]), t_c);
}

double fc_plan_hill_factor(const fc_plan_settings *s, double hill_m_per_km, double kwh_per_km)
{
    if (!(hill_m_per_km > 0) || !(kwh_per_km > 0)) return 1.0;
    double mass = s ? s->van_mass_kg : 3500.0;
    double drive = s ? s->drive_efficiency : 0.9;
    double regen = s ? s->regen_efficiency : 0.6;
    /* Potential energy of h metres per km, in kWh per km. */
    double pot = mass * 9.81 * hill_m_per_km / 3.6e6;
    double extra = pot * (1.0 / drive - regen);
    if (extra < 0) extra = 0;
    return 1.0 + extra / kwh_per_km;
}

/* Battery kWh of a route of km at hill m/km for kWh/km on the flat under
 * the temperature factor, and whether a usable battery runs it: one
 * formula for the share and for the route sets of the range rows. */
static double route_energy(const fc_plan_settings *set, double km, double hill, double kwh, double factor)
{
    return km * kwh * factor * fc_plan_hill_factor(set, hill, kwh);
}

static int route_fits(double energy, double usable)
{
    return energy <= usable * (1.0 + 1e-12);
}

double fc_plan_charge_cap_kwh(const fc_plan_input *in, const fc_plan_settings *set, int32_t s)
{
    double ckw = in->charger_kw[s];
    if (isnan(ckw)) return INFINITY;
    /* A van draws one charger at a time; below one van a charger, each
     * van has 1 / vans_per_charger of them. */
    double per_van = set->vans_per_charger < 1.0 ? 1.0 / set->vans_per_charger : 1.0;
    return ckw * per_van * set->charging_window_h * set->charger_efficiency;
}

/* The battery kWh a van at station s can spend on a day's route: its
 * usable battery, and no more than a night on the station's charger puts
 * back (a route needing more runs one day, not every day). */
static double route_budget(const fc_plan_input *in, const fc_plan_settings *set, int32_t s, double usable)
{
    double cap = fc_plan_charge_cap_kwh(in, set, s);
    return cap < usable ? cap : usable;
}

void fc_plan_ev_eval(const fc_plan_input *in, const fc_plan_settings *set, int32_t s,
                     int32_t m, int32_t v, fc_plan_ev *out)
{
    const fc_plan_sample *smp = &in->samples[FC_PLAN_SV(in, s, v)];
    double def_km = set->default_route_km, def_hill = 0.0;
    int n = smp->n > 0 ? smp->n : 1;
    double t = in->temperature_c[FC_PLAN_SM(in, s, m)];
    out->factor = 1.0 / fc_plan_temp_retention(set, t);
    double wsum = 0, wfeas = 0, kmsum = 0, esum = 0;
    if (!in->electric[v]) {
        for (int i = 0; i < n; i++) {
            double w = smp->n > 0 && smp->weight ? smp->weight[i] : 1.0;
            double km = smp->n > 0 ? smp->km[i] : def_km;
            if (!(w > 0) || !(km >= 0)) continue;
            wsum += w;
            kmsum += w * km;
        }
        out->share = 1.0;
        out->energy = 0.0;
        out->km = wsum > 0 ? kmsum / wsum : def_km;
        out->threshold = INFINITY;
        return;
    }
    double kwh = in->kwh_per_km[v], bat = in->battery_kwh[v];
    double usable = bat * (1.0 - set->reserve);
    if (!(kwh > 0) || !(usable > 0)) {
        /* Without battery and energy figures range cannot be shown: not feasible. */
        out->share = 0.0;
        out->energy = 0.0;
        out->km = 0.0;
        out->threshold = 0.0;
        return;
    }
    usable = route_budget(in, set, s, usable);
    out->threshold = usable / (kwh * out->factor);
    for (int i = 0; i < n; i++) {
        double w = smp->n > 0 && smp->weight ? smp->weight[i] : 1.0;
        double km = smp->n > 0 ? smp->km[i] : def_km;
        double hill = smp->n > 0 && smp->hill ? smp->hill[i] : def_hill;
        if (!(w > 0) || !(km >= 0)) continue;
        wsum += w;
        double e = route_energy(set, km, hill, kwh, out->factor);
        if (route_fits(e, usable)) {
            wfeas += w;
            kmsum += w * km;
            esum += w * e;
        }
    }
    out->share = wsum > 0 ? wfeas / wsum : 0.0;
    out->energy = wfeas > 0 ? esum / wfeas : 0.0;
    out->km = wfeas > 0 ? kmsum / wfeas : 0.0;
}

/* Route i of a sample as fc_plan_ev_eval reads it: weight (0 when left
 * out), km and climb; the default route when there is no sample. */
static double sample_route(const fc_plan_sample *smp, const fc_plan_settings *set, int i, double *km,
                           double *hill)
{
    if (smp->n <= 0) {
        *km = set->default_route_km;
        *hill = 0.0;
        return 1.0;
    }
    double w = smp->weight ? smp->weight[i] : 1.0;
    *km = smp->km[i];
    *hill = smp->hill ? smp->hill[i] : 0.0;
    return w > 0 && *km >= 0 ? w : 0.0;
}

int fc_plan_ev_routes(const fc_plan_input *in, const fc_plan_settings *set, int32_t s, int32_t m,
                      const int32_t *types, int nt, uint32_t *mask, double *weight)
{
    if (nt < 1 || nt > 32) return -1;
    const fc_plan_sample *ref = &in->samples[FC_PLAN_SV(in, s, types[0])];
    int n = ref->n > 0 ? ref->n : 1;
    double factor = 1.0 / fc_plan_temp_retention(set, in->temperature_c[FC_PLAN_SM(in, s, m)]);
    double wsum[32] = {0}, budget[32], km, hill, km0, hill0;
    for (int j = 0; j < nt; j++) {
        const fc_plan_sample *smp = &in->samples[FC_PLAN_SV(in, s, types[j])];
        if (smp->n != ref->n) return -1;
        budget[j] = route_budget(in, set, s, in->battery_kwh[types[j]] * (1.0 - set->reserve));
        for (int i = 0; i < n; i++) wsum[j] += sample_route(smp, set, i, &km, &hill);
        if (!(wsum[j] > 0)) wsum[j] = 1.0;  /* no route counts: all weights are 0 */
    }
    /* The same routes: each route's climb and share of the sample agree
     * across the types (only the km may differ: a type's own local km). */
    for (int i = 0; i < n; i++) {
        double w0 = sample_route(ref, set, i, &km0, &hill0) / wsum[0];
        weight[i] = w0;
        mask[i] = 0;
        for (int j = 0; j < nt; j++) {
            const fc_plan_sample *smp = &in->samples[FC_PLAN_SV(in, s, types[j])];
            double w = sample_route(smp, set, i, &km, &hill) / wsum[j];
            if (fabs(w - w0) > 1e-9 || hill != hill0) return -1;
            int32_t v = types[j];
            double kwh = in->kwh_per_km[v];
            if (in->electric[v] && w > 0 && kwh > 0 && budget[j] > 0 &&
                route_fits(route_energy(set, km, hill, kwh, factor), budget[j]))
                mask[i] |= 1u << j;
        }
    }
    return n;
}
