/* spr_floor.c -- the noise floor of routes per station-day on `synth`
 * data: what an oracle that knows everything but where the stops fall
 * would score.
 *
 * For every station-day (every `stride`-th day) it redraws the stops
 * exactly as `fleetcast synth` does (so the first routing reproduces the
 * data's route count), then routes the same stops R more times with
 * their positions alone redrawn (same zips, counts, packages, service
 * times and speeds; only the points in the zip's disc move). The oracle's
 * prediction of the observed count is the median of those R counts. No
 * model that sees zip-level figures knows more (the oracle also knows
 * every stop's packages and service time and every zip's speed), so its
 * absolute percentage error estimates the floor such a model can reach.
 * The median of R draws is itself noisy, so the estimate is high by a
 * little: 0.01-0.03 points from R = 11 to R = 21 on seed 7.
 *
 *   cc -O2 -Iinclude bench/spr_floor.c build/libfleetcast_core.a \
 *      $(pkg-config --libs gsl libcjson lapacke openblas) -lcsv -lglpk -lz -lm -lpthread -o floor
 *   ./floor SEED SCENARIO.json STRIDE R > floor.csv     (docs/model.md §5.3: 1 21)
 *
 * Output CSV: date,station,van_type,packages,routes,oracle,reps... */
#define _DEFAULT_SOURCE  /* M_PI */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include <cjson/cJSON.h>
#include "fleetcast/date.h"
#include "fleetcast/synth.h"

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s SEED SCENARIO.json STRIDE R\n", argv[0]);
        return 2;
    }
    fc_synth_params p;
    fc_synth_params_default(&p);
    p.seed = strtoull(argv[1], NULL, 10);
    int stride = atoi(argv[3]), R = atoi(argv[4]);
    if (stride < 1 || R < 1 || R > 64) return 2;
    FILE *f = fopen(argv[2], "rb");
    if (!f) return perror(argv[2]), 2;
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    if (n == sizeof text - 1) return fprintf(stderr, "%s: larger than 1 MB\n", argv[2]), 2;
    text[n] = 0;
    cJSON *sc = cJSON_Parse(text);
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_synth_world *w;
    if (!sc || fc_synth_world_build(&p, sc, argv[2], &d, &w)) return fprintf(stderr, "world\n"), 1;
    cJSON_Delete(sc);
    fc_router *router = fc_router_new();
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937), *pos = gsl_rng_alloc(gsl_rng_mt19937);
    fc_route_stop *stops = NULL;
    int32_t cap = 0;
    int32_t *zof = NULL, zcap = 0;
    printf("date,station,van_type,packages,routes,oracle");
    for (int r = 0; r < R; r++) printf(",rep%d", r);
    printf("\n");
    for (int32_t di = 0; di < w->p.ndays; di += stride) {
        int32_t day = w->p.start + di;
        for (int32_t s = 0; s < w->nstations; s++) {
            if (day < w->stations[s].opened) continue;
            int32_t ns = 0;
            for (int32_t z = 0; z < w->nzips; z++) {
                if (fc_synth_zip_station(w, z, day) != s) continue;
                int32_t before = ns;
                if (fc_synth_draw_stops(w, z, s, day, rng, &stops, &ns, &cap)) return 1;
                if (ns > zcap) {
                    zcap = cap;
                    int32_t *p2 = realloc(zof, (size_t)zcap * sizeof *zof);
                    if (!p2) return fprintf(stderr, "out of memory\n"), 1;
                    zof = p2;
                }
                for (int32_t i = before; i < ns; i++) zof[i] = z;
            }
            if (ns == 0) continue;
            fc_router_params rp;
            const fc_synth_vehicle *v = &w->vehicles[fc_synth_day_router(w, s, day, &rp)];
            const fc_route_plan *plan;
            if (fc_router_solve(router, &rp, stops, ns, &plan)) return 1;
            int obs = plan->nroutes, rep[64];
            long pk = 0;
            for (int32_t i = 0; i < ns; i++) pk += stops[i].packages;
            /* positions from a stream of their own: (seed, station, day) */
            gsl_rng_set(pos, (unsigned long)(p.seed * 1000003u + (uint64_t)s * 7919u + (uint64_t)(uint32_t)day));
            for (int r = 0; r < R; r++) {
                for (int32_t i = 0; i < ns; i++) {
                    const fc_synth_zip *z = &w->zips[zof[i]];
                    double radius = sqrt(z->area_km2 / M_PI);
                    double rr = radius * sqrt(gsl_rng_uniform(pos)), a = 2 * M_PI * gsl_rng_uniform(pos);
                    stops[i].x = z->x - w->stations[s].x + rr * cos(a);
                    stops[i].y = z->y - w->stations[s].y + rr * sin(a);
                }
                if (fc_router_solve(router, &rp, stops, ns, &plan)) return 1;
                rep[r] = plan->nroutes;
            }
            int sorted[64];
            memcpy(sorted, rep, (size_t)R * sizeof *rep);
            qsort(sorted, (size_t)R, sizeof *sorted, cmp_int);
            char date[16];
            fc_date_format(day, date);
            printf("%s,%s,%s,%ld,%d,%d", date, w->stations[s].id, v->name, pk, obs, sorted[R / 2]);
            for (int r = 0; r < R; r++) printf(",%d", rep[r]);
            printf("\n");
        }
    }
    free(stops);
    free(zof);
    gsl_rng_free(rng);
    gsl_rng_free(pos);
    fc_router_free(router);
    fc_synth_world_free(w);
    return 0;
}
