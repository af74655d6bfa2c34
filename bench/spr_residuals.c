/* spr_residuals.c -- what the learned correction of the SPR model sees: fit
 * on the first FRAC of the days (default 0.8; 1 = all), then write one CSV
 * line per routes row with the observed routes, the continuous physics and
 * hybrid predictions and the correction features (docs/model.md section 5,
 * "what the residual is made of"; analysed by bench/spr_residuals.py).
 * Build: cc -O2 -Iinclude bench/spr_residuals.c build/libfleetcast_core.a \
 *        $(pkg-config --libs gsl libcjson lapacke openblas) -lcsv -lglpk -lz -lm
 * Run:   ./a.out DIR [FRAC] > rows.csv */
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include "fleetcast/dataset.h"
#include "fleetcast/spr.h"

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2) return 64;
    double frac = argc > 2 ? atof(argv[2]) : 0.8;
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
    const fc_routes *r = ds.routes;
    int32_t d0 = r->day[0], d1 = r->day[0];
    for (int64_t i = 0; i < r->n; i++) {
        if (r->day[i] < d0) d0 = r->day[i];
        if (r->day[i] > d1) d1 = r->day[i];
    }
    int32_t cut = d0 + (int32_t)(frac * (d1 - d0 + 1));
    unsigned char *train = malloc((size_t)r->n + 1);
    for (int64_t i = 0; i < r->n; i++) train[i] = r->day[i] < cut;
    fc_spr_index *ix;
    fc_spr_settings s;
    fc_spr_settings_default(&s);
    fc_spr_model *m;
    if (fc_spr_index_new(ds.shipments, ds.zips, ds.stations, &d, &ix) ||
        fc_spr_fit(ix, r, ds.vehicles, train, &s, &d, &m))
        return 79;
    fc_spr_predictor *p;
    if (fc_spr_predictor_new(m, ix, ds.stations, &d, &p)) return 70;
    int nf = fc_spr_index_nfeat(ix);
    double *feat = malloc(((size_t)nf + 1) * sizeof *feat);
    fc_phys_zip *terms = malloc((size_t)fc_spr_index_max_zips(ix) * sizeof *terms);
    printf("day,station,van,train,obs,packages,physics,hybrid,ml,obs_hours,physics_hours,cap_share");
    for (int j = 0; j < nf; j++) printf(",%s", fc_spr_index_feat_name(ix, j));
    printf("\n");
    for (int64_t i = 0; i < r->n; i++) {
        fc_spr_row row;
        fc_spr_pred pr;
        if (fc_spr_predict_row(p, r, ds.vehicles, i, &row, &pr)) continue;
        fc_spr_row_prepare(ix, r, ds.vehicles, i, terms, feat, &row);
        printf("%d,%d,%d,%d,%g,%g,%.6f,%.6f,%.6f", r->day[i] - d0, row.station, row.van, train[i],
               row.obs_routes, row.packages, pr.routes[0], pr.routes[2], pr.routes[1]);
        printf(",%g,%.6f,%.4f", row.obs_hours, pr.hours / pr.correction, pr.cap_share);
        for (int j = 0; j < nf; j++) printf(",%.6g", feat[j]);
        printf("\n");
    }
    fc_spr_predictor_free(p);
    fc_spr_model_free(m);
    fc_spr_index_free(ix);
    fc_dataset_free(&ds);
    free(train);
    free(feat);
    free(terms);
    return 0;
}
