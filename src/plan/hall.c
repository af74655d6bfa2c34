/* hall.c -- the range rows of the plan: electric vans run only routes
 * they can reach, as Hall's condition over the subsets of a
 * station-month's electric types (docs/plan.md, "Electric vans on the
 * routes they can run"). */
#include <math.h>
#include <stdlib.h>
#include "internal.h"

int plan_hall_types(const plan_work *w, int32_t s, int32_t m, int32_t *types)
{
    int nt = 0;
    for (int32_t v = 0; v < w->V; v++)
        if (w->in->electric[v] && w->need[FC_PLAN_SMV(w->in, s, m, v)] > 0) types[nt++] = v;
    return nt;
}

/* A subset whose types can run every route gets no row: its vans beyond
 * the need only stand idle, which costs what they cost and counts as no
 * coverage (the flow to the routes is min(their sum, 1) once every row of
 * share < 1 holds), so the row only refused a whole electric van in place
 * of a dearer combustion one for the rounding's last fraction of a van. */
static int hall_push(plan_work *w, int64_t *cap, uint64_t types, double share, int32_t scale)
{
    if (share >= 1.0 - 1e-9) return 0;
    if (w->nhall == *cap) {
        int64_t c = *cap ? *cap * 2 : 1024;
        plan_hall *h = realloc(w->hall, (size_t)c * sizeof *h);
        if (!h) return -1;
        w->hall = h;
        *cap = c;
    }
    plan_hall *h = &w->hall[w->nhall++];
    h->types = types;
    h->share = share > 1.0 ? 1.0 : share;
    h->scale = scale;
    h->row = 0;
    return 0;
}

/* Rows nested by share: for each type e, the types whose share is at most
 * e's, bounded by e's share (one row per distinct share). Exact when the
 * route sets are nested (one type, or flat routes); otherwise a sufficient
 * condition: any subset S lies in the row of its member of largest share,
 * whose share is at most the share of S's union, so no route is counted
 * that no van can run (a feasible mix may be refused). */
static int hall_chain(plan_work *w, int64_t *cap, int64_t k0, const int32_t *t, int nt)
{
    for (int i = 0; i < nt; i++) {
        double sh = w->ev[k0 + t[i]].share;
        int dup = 0;
        uint64_t types = 0;
        for (int j = 0; j < nt; j++) {
            if (w->ev[k0 + t[j]].share <= sh) types |= 1ull << t[j];
            if (j < i && w->ev[k0 + t[j]].share == sh) dup = 1;
        }
        if (!dup && hall_push(w, cap, types, sh, t[i])) return -1;
    }
    return 0;
}

/* Hall's condition: for every subset S of the types, their vans cover at
 * most the share of routes some type of S can run, U(S). cls[mask] is the
 * share of routes exactly the types of mask (bits into t) can run.
 *
 * Only closed subsets get a row: S is closed when every type outside S
 * runs some route no type of S runs. If a type t outside S adds no route,
 * U(S + t) = U(S) and the row of S + t implies that of S (vans are >= 0,
 * the overrun z is the same); so the rows of the closed sets imply all
 * the others. When the route sets are nested (one electric type, flat
 * routes), the closed sets are the chain {types whose routes lie within
 * e's}, one per distinct set: at most one row per type, as before.
 *
 * A row's share is the member's own share when one member runs every
 * route of the union (always so for nested sets: the row then reads as
 * it did), else the sum of its route classes. */
static int hall_subsets(plan_work *w, int64_t *cap, int64_t k0, const int32_t *t, int nt,
                        const double *cls)
{
    uint32_t full = (1u << nt) - 1, mu[1u << PLAN_HALL_MAX];
    double wt[1u << PLAN_HALL_MAX];
    int nc = 0;
    for (uint32_t c = 1; c <= full; c++)
        if (cls[c] > 0) {
            mu[nc] = c;
            wt[nc++] = cls[c];
        }
    for (uint32_t S = 1; S <= full; S++) {
        uint32_t outside = 0, tops = S;
        double u = 0;
        for (int c = 0; c < nc; c++)
            if (mu[c] & S) {
                u += wt[c];
                tops &= mu[c];
            } else
                outside |= mu[c];
        if (full & ~S & ~outside) continue;  /* not closed */
        uint64_t types = 0;
        int32_t scale = -1;
        for (int j = 0; j < nt; j++) {
            if (!(S >> j & 1)) continue;
            types |= 1ull << t[j];
            /* The scale: a member running the whole union (the largest
             * flat range among them, as the nested rows had), else the
             * member of largest share. */
            const fc_plan_ev *ej = &w->ev[k0 + t[j]];
            uint32_t pool = tops ? tops : S;
            if (!(pool >> j & 1)) continue;
            if (scale < 0) {
                scale = t[j];
                continue;
            }
            const fc_plan_ev *es = &w->ev[k0 + scale];
            if (tops ? ej->threshold > es->threshold
                     : ej->share > es->share || (ej->share == es->share && ej->threshold > es->threshold))
                scale = t[j];
        }
        if (hall_push(w, cap, types, tops ? w->ev[k0 + scale].share : u, scale)) return -1;
    }
    return 0;
}

int plan_hall_build(plan_work *w, fc_diag *d)
{
    const fc_plan_input *in = w->in;
    int64_t cap = 0;
    long many = 0, differ = 0;
    uint32_t *mask = NULL;
    double *weight = NULL;
    int nbuf = 0;
    w->nhall = 0;
    for (int32_t s = 0; s < w->S; s++)
        for (int32_t m = 0; m < w->M; m++) {
            int64_t sm = FC_PLAN_SM(in, s, m), k0 = FC_PLAN_SMV(in, s, m, 0);
            int32_t t[FC_MAX_VAN_TYPES];
            int nt = plan_hall_types(w, s, m, t);
            w->hall_off[sm] = w->nhall;
            if (nt == 0) continue;
            if (nt == 1 || nt > PLAN_HALL_MAX) {
                many += nt > 1;
                if (hall_chain(w, &cap, k0, t, nt)) goto oom;
                continue;
            }
            const fc_plan_sample *smp = &in->samples[FC_PLAN_SV(in, s, t[0])];
            int n = smp->n > 0 ? smp->n : 1;
            if (n > nbuf) {
                uint32_t *mk = realloc(mask, (size_t)n * sizeof *mask);
                if (!mk) goto oom;
                mask = mk;
                double *wk = realloc(weight, (size_t)n * sizeof *weight);
                if (!wk) goto oom;
                weight = wk;
                nbuf = n;
            }
            if (fc_plan_ev_routes(in, w->set, s, m, t, nt, mask, weight) < 0) {
                differ++;
                if (hall_chain(w, &cap, k0, t, nt)) goto oom;
                continue;
            }
            double cls[1u << PLAN_HALL_MAX] = {0};
            for (int i = 0; i < n; i++) cls[mask[i]] += weight[i];
            if (hall_subsets(w, &cap, k0, t, nt, cls)) goto oom;
        }
    w->hall_off[(int64_t)w->S * w->M] = w->nhall;
    free(mask);
    free(weight);
    /* Such rows never count a route no van can run, but may refuse a mix
     * that could run them all: say where. */
    if (many)
        fc_diag_warn(d, "plan: %ld station-month(s) with more than %d electric van types: their range rows "
                        "are nested by feasible share (docs/plan.md), which may refuse a mix of electric "
                        "types that could run the routes", many, PLAN_HALL_MAX);
    if (differ)
        fc_diag_warn(d, "plan: %ld station-month(s) whose electric van types have different route samples: "
                        "their range rows are nested by feasible share (docs/plan.md), which may refuse a "
                        "mix of electric types that could run the routes", differ);
    return 0;
oom:
    free(mask);
    free(weight);
    return -1;
}

double plan_hall_lost(const plan_work *w, int32_t s, int32_t m, const double *a)
{
    int64_t sm = FC_PLAN_SM(w->in, s, m);
    double lost = 0;
    for (int64_t r = w->hall_off[sm]; r < w->hall_off[sm + 1]; r++) {
        const plan_hall *h = &w->hall[r];
        double sum = 0;
        for (int32_t v = 0; v < w->V; v++)
            if (h->types >> v & 1) sum += a[v];
        if (sum - h->share > lost) lost = sum - h->share;
    }
    return lost;
}

double plan_hall_cover(const plan_work *w, int32_t s, int32_t m, const double *a)
{
    int64_t sm = FC_PLAN_SM(w->in, s, m), k0 = FC_PLAN_SMV(w->in, s, m, 0);
    double best = INFINITY;  /* no row: every route in every type's range */
    for (int64_t r = w->hall_off[sm]; r < w->hall_off[sm + 1]; r++) {
        const plan_hall *h = &w->hall[r];
        double rest = 0;
        for (int32_t v = 0; v < w->V; v++)
            if (w->in->electric[v] && w->need[k0 + v] > 0 && !(h->types >> v & 1)) rest += a[v];
        if (rest + h->share < best) best = rest + h->share;
    }
    return best;
}
