/* spr_predict_bench.c -- scoring throughput of the SPR model: fit on a data
 * set, then score its routes rows over and over up to N station-days
 * (default 1,000,000), formatting each as predict's CSV line would.
 * Build: cc -O2 -Iinclude bench/spr_predict_bench.c build/libfleetcast_core.a \
 *        $(pkg-config --libs gsl libcjson lapacke openblas) -lcsv -lglpk -lz -lm
 * Run:   ./a.out DIR [N]   (DIR holds shipments/routes/zips/stations/vehicles .csv) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <gsl/gsl_errno.h>
#include "fleetcast/dataset.h"
#include "fleetcast/spr.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2) return 64;
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    static const char *f[FC_INPUT_N] = {"shipments.csv", "routes.csv", "zips.csv", "stations.csv", "vehicles.csv", NULL};
    char *paths[FC_INPUT_N] = {0};
    for (int i = 0; i < FC_INPUT_N; i++)
        if (f[i]) {
            paths[i] = malloc(1024);
            snprintf(paths[i], 1024, "%s/%s", argv[1], f[i]);
        }
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_dataset ds;
    if (fc_dataset_load(&ds, paths, 0, &d)) return 65;
    fc_spr_index *ix;
    fc_spr_settings s;
    fc_spr_settings_default(&s);
    fc_spr_model *m;
    double t0 = now();
    if (fc_spr_index_new(ds.shipments, ds.zips, ds.stations, &d, &ix) ||
        fc_spr_fit(ix, ds.routes, ds.vehicles, NULL, &s, &d, &m))
        return 79;
    double t1 = now();
    fc_spr_predictor *p;
    if (fc_spr_predictor_new(m, ix, ds.stations, &d, &p)) return 70;
    double sum = 0;
    char line[256];
    for (long k = 0; k < n; k++) {
        fc_spr_row row;
        fc_spr_pred pr;
        if (fc_spr_predict_row(p, ds.routes, ds.vehicles, k % ds.routes->n, &row, &pr)) continue;
        int len = snprintf(line, sizeof line, "%.0f,%.0f,%.2f,%.2f,%.1f,%.0f,%.0f", row.packages, row.stops,
                           pr.routes[2], pr.hours, pr.km, pr.routes[0], pr.routes[1]);
        sum += len + pr.routes[2];
    }
    double t2 = now();
    printf("fit %.3f s; scored %ld station-days in %.3f s (%.0f per s) [%g]\n", t1 - t0, n, t2 - t1,
           (double)n / (t2 - t1), sum > 0 ? 1.0 : 0.0);
    fc_spr_predictor_free(p);
    fc_spr_model_free(m);
    fc_spr_index_free(ix);
    fc_dataset_free(&ds);
    return 0;
}
