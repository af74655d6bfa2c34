/* cmd_predict.c -- `fleetcast predict`: score station-days (routes rows)
 * with a fitted SPR model; CSV out, error summary on stderr. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "fleetcast/dataset.h"
#include "fleetcast/date.h"
#include "fleetcast/outfile.h"
#include "fleetcast/spr.h"

static const char help[] =
    "Usage: fleetcast predict --model model.json --shipments F --routes F --zips F\n"
    "                         --stations F --vehicles F [--config FILE] [--threads N]\n"
    "                         [-o out.csv]\n\n"
    "Score every row (date, station, van_type) of the routes file with a model\n"
    "made by 'fleetcast fit', from that day's zip shipments: the station of\n"
    "each zip is taken from the shipments rows, so a rezoned zip simply counts\n"
    "under its new station, and van capacity comes from the vehicles file, so\n"
    "a van type a station never ran is scored through the physics. The routes\n"
    "file needs date, station, van_type and packages; when it also has the\n"
    "observed routes, MAPE and bias of each variant go to stderr.\n"
    "Output CSV (stdout or -o FILE):\n"
    "  date,station,van_type,packages,stops,routes_pred,spr_pred,route_hours_pred,\n"
    "  route_km_pred,routes_physics,routes_ml\n"
    "routes_* are whole routes (the hybrid's is routes_pred; 0 for a row with no\n"
    "packages); rows whose station has no shipments that day are left out with a\n"
    "warning.\n\n"
    "Options:\n"
    "  --model FILE       the fitted model (model.json)\n"
    "  --config FILE      run configuration (JSON) naming the input files\n"
    "  --shipments F --routes F --zips F --stations F --vehicles F   the inputs\n"
    "  -o, --output FILE  write the CSV to FILE (atomically) instead of stdout\n"
    "  --threads N        worker threads, and a second one to read (default: all\n"
    "                     cores; the output does not depend on it)\n"
    "  -q, --quiet        errors only;  -v, --verbose: more detail\n"
    "  --log-format FMT   messages on stderr as text (default) or json lines\n"
    "  -h, --help         this help\n";

enum { OPT_MODEL = 2000 };

/* Read model.json into a model (reported). */
int cli_spr_model_read(cli *c, const char *path, fc_spr_model **m)
{
    char *text = NULL;
    size_t n = 0;
    *m = NULL;
    int st = cli_stdin_claim(c, path, "the model");
    if (st) return st;
    st = fc_read_file(path, &c->diag, &text, &n);
    if (st) return st;
    if (strcmp(path, "-") == 0) path = "<stdin>";
    cJSON *j = fc_json_parse(text, n, path, &c->diag);
    if (!j) {
        free(text);
        return FC_EDATA;
    }
    st = fc_spr_model_from_json(j, path, &c->diag, m);
    cJSON_Delete(j);
    free(text);
    return st;
}

int cmd_predict(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_INPUT_LONGOPTS, CLI_THREADS_LONGOPT,
        {"model", required_argument, NULL, OPT_MODEL},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    cli c;
    cli_init(&c, "predict");
    const char *model_path = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, ":hqvo:", longopts, NULL)) != -1) {
        if (opt == OPT_MODEL) {
            model_path = optarg;
            continue;
        }
        if (cli_common_option(&c, opt, optarg) < 0) return cli_exit(&c, FC_EUSAGE);
    }
    if (cli_options_done(&c, help, argc, argv, 0)) return cli_exit(&c, c.status);
    if (fc_outfile_check(c.output, &c.diag)) return cli_exit(&c, FC_ECANTCREAT);
    if (!model_path) return cli_exit(&c, cli_usage_error(&c, "--model is needed"));
    int st = cli_load_config(&c);
    if (st) return cli_exit(&c, st);
    fc_spr_model *m = NULL;
    st = cli_spr_model_read(&c, model_path, &m);
    if (st) return cli_exit(&c, st);
    fc_dataset ds;
    memset(&ds, 0, sizeof ds);
    fc_spr_settings s;
    fc_spr_index *ix = NULL;
    fc_spr_predictor *pr = NULL;
    st = cli_spr_load(&c, &ds, &s, FC_ROUTES_COUNT_OPTIONAL, 0);
    if (st == FC_OK) st = fc_spr_index_new(ds.shipments, ds.zips, ds.stations, &c.diag, &ix);
    if (st == FC_OK) st = fc_spr_predictor_new(m, ix, ds.stations, &c.diag, &pr);
    fc_outfile out;
    if (st == FC_OK) st = fc_outfile_open(&out, c.output, &c.diag);
    if (st == FC_OK) {
        const fc_routes *r = ds.routes;
        FILE *f = out.fp;
        fputs("date,station,van_type,packages,stops,routes_pred,spr_pred,route_hours_pred,"
              "route_km_pred,routes_physics,routes_ml\n", f);
        double ape[3] = {0}, bias[3] = {0}, nobs = 0;
        int64_t skipped = 0, first_skip = -1, capped = 0, first_cap = -1;
        for (int64_t i = 0; i < r->n; i++) {
            fc_spr_row row;
            fc_spr_pred p;
            if (fc_spr_predict_row(pr, r, ds.vehicles, i, &row, &p)) {
                if (first_skip < 0) first_skip = i;
                skipped++;
                continue;
            }
            if (row.share >= 2 && capped++ == 0) first_cap = i;
            double rt[3];
            for (int v = 0; v < 3; v++) rt[v] = fc_spr_round_routes(p.routes[v], row.packages);
            char ds_[11];
            fc_date_format(row.day, ds_);
            double h = rt[FC_VAR_HYBRID] > 0 ? rt[FC_VAR_HYBRID] : 1;
            fprintf(f, "%s,%s,%s,%.0f,%.0f,%.0f,%.2f,%.2f,%.1f,%.0f,%.0f\n", ds_,
                    fc_intern_name(ds.stations->ids, row.station), fc_intern_name(ds.vehicles->ids, row.van),
                    row.packages, row.stops, rt[FC_VAR_HYBRID], row.packages / h, p.hours, p.km,
                    rt[FC_VAR_PHYSICS], rt[FC_VAR_ML]);
            if (row.obs_routes > 0) {
                for (int v = 0; v < 3; v++) {
                    ape[v] += fabs(rt[v] - row.obs_routes) / row.obs_routes;
                    bias[v] += (rt[v] - row.obs_routes) / row.obs_routes;
                }
                nobs++;
            }
        }
        if (skipped) {
            char d0[11];
            fc_date_format(r->day[first_skip], d0);
            fc_diag_warn(&c.diag, "%lld row%s left out: no shipments for the station that day (first: %s, %s)",
                         (long long)skipped, skipped > 1 ? "s" : "",
                         fc_intern_name(ds.stations->ids, r->station[first_skip]), d0);
        }
        if (capped) {
            char d0[11];
            fc_date_format(r->day[first_cap], d0);
            fc_diag_warn(&c.diag, "%lld routes row%s with more than twice the packages shipped to the station's "
                         "zips that day: the physics works those zips at twice their volume at most, so "
                         "the routes are too few (first: %s, %s)", (long long)capped, capped > 1 ? "s" : "",
                         fc_intern_name(ds.stations->ids, r->station[first_cap]), d0);
        }
        if (nobs > 0)
            fc_diag_note(&c.diag, "routes MAPE over %.0f observed rows: hybrid %.2f%% (bias %+.2f%%), "
                         "physics %.2f%% (%+.2f%%), ML-only %.2f%% (%+.2f%%)", nobs,
                         100 * ape[FC_VAR_HYBRID] / nobs, 100 * bias[FC_VAR_HYBRID] / nobs,
                         100 * ape[FC_VAR_PHYSICS] / nobs, 100 * bias[FC_VAR_PHYSICS] / nobs,
                         100 * ape[FC_VAR_ML] / nobs, 100 * bias[FC_VAR_ML] / nobs);
        if (ferror(f)) {
            st = fc_outfile_write_failed(&out, &c.diag);
        } else {
            st = fc_outfile_commit(&out, &c.diag);
        }
    }
    fc_spr_predictor_free(pr);
    fc_spr_index_free(ix);
    fc_dataset_free(&ds);
    fc_spr_model_free(m);
    return cli_exit(&c, st);
}
