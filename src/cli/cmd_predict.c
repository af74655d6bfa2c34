/* cmd_predict.c -- `fleetcast predict`: score station-days (routes rows)
 * with a fitted SPR model; CSV out, error summary on stderr. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "fleetcast/csv.h"
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
    "warning. Warned too, each with its count and first row: a station scored\n"
    "from pooled values (unknown to the model, or without a fit of its own),\n"
    "rows more than 1.25x outside what the model was fitted on (van capacity,\n"
    "packages per route, the station's packages in a day, a zip's distance from\n"
    "its station, the station's shift), and rows whose packages are not the\n"
    "packages shipped to the station's zips that day (a what-if must change\n"
    "shipments and routes packages together).\n\n"
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

/* Rows of one kind to warn about: how many, and the first. */
typedef struct tally {
    long long n;
    int64_t first;
    double a, b;    /* the first's figures for the message */
} tally;

static void tally_add(tally *t, int64_t i, double a, double b)
{
    if (t->n++ == 0) {
        t->first = i;
        t->a = a;
        t->b = b;
    }
}

/* "STATION, DATE, VAN" of routes row i, for a message. */
static const char *row_where(const fc_dataset *ds, int64_t i, char *buf, size_t n)
{
    const fc_routes *r = ds->routes;
    char d[11];
    fc_date_format(r->day[i], d);
    snprintf(buf, n, "%s, %s, %s", fc_intern_name(ds->stations->ids, r->station[i]), d,
             fc_intern_name(ds->vehicles->ids, r->van[i]));
    return buf;
}

/* The packages of each station-day's routes rows (NULL on out of memory):
 * entry station * nperiods + (day - t0) of the shipments' days. */
static double *day_packages(const fc_dataset *ds)
{
    const fc_routes *r = ds->routes;
    const fc_shipments *sh = ds->shipments;
    double *sum = calloc((size_t)ds->stations->n * (size_t)sh->nperiods + 1, sizeof *sum);
    if (!sum) return NULL;
    for (int64_t i = 0; i < r->n; i++) {
        int32_t p = r->day[i] - sh->t0;
        if (p >= 0 && p < sh->nperiods && r->packages[i] > 0)
            sum[(size_t)r->station[i] * (size_t)sh->nperiods + (size_t)p] += r->packages[i];
    }
    return sum;
}

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
    double *daysum = NULL;
    if (st == FC_OK && !(daysum = day_packages(&ds))) {
        fc_diag_error(&c.diag, FC_EINTERNAL, "out of memory");
        st = FC_EINTERNAL;
    }
    fc_outfile out;
    if (st == FC_OK) st = fc_outfile_open(&out, c.output, &c.diag);
    if (st == FC_OK) {
        const fc_routes *r = ds.routes;
        FILE *f = out.fp;
        fputs("date,station,van_type,packages,stops,routes_pred,spr_pred,route_hours_pred,"
              "route_km_pred,routes_physics,routes_ml\n", f);
        double ape[3] = {0}, bias[3] = {0}, nobs = 0;
        tally skipped = {0}, capped = {0}, mismatch = {0}, far[5];
        memset(far, 0, sizeof far);
        for (int64_t i = 0; i < r->n; i++) {
            fc_spr_row row;
            fc_spr_pred p;
            if (fc_spr_predict_row(pr, r, ds.vehicles, i, &row, &p)) {
                tally_add(&skipped, i, 0, 0);
                continue;
            }
            if (row.share >= 2) tally_add(&capped, i, 0, 0);
            /* A row is its share of the station's zips at their own
             * density: its packages should be the day's shipments, or the
             * day's rows add up to them. Otherwise (shipments scaled for a
             * what-if, the routes not) the routes come out wrong, silently. */
            double dsum = daysum[(size_t)row.station * (size_t)ds.shipments->nperiods +
                                 (size_t)(row.day - ds.shipments->t0)];
            if (row.share < 2 && fabs(row.packages - row.zip_packages) > 0.05 * row.zip_packages &&
                fabs(dsum - row.zip_packages) > 0.05 * row.zip_packages)
                tally_add(&mismatch, i, dsum, row.zip_packages);
            double rt[3];
            for (int v = 0; v < 3; v++) rt[v] = fc_spr_round_routes(p.routes[v], row.packages);
            const fc_spr_station *S = fc_spr_predictor_station(pr, row.station);
            if (p.far & FC_SPR_FAR_CAPACITY) tally_add(&far[0], i, row.capacity, 0);
            if (p.far & FC_SPR_FAR_PPR) tally_add(&far[1], i, row.packages / rt[FC_VAR_HYBRID], 0);
            if (p.far & FC_SPR_FAR_VOLUME) tally_add(&far[2], i, row.zip_packages, S ? S->max_day_packages : NAN);
            if (p.far & FC_SPR_FAR_STEM) tally_add(&far[3], i, p.stem_km, 0);
            if (p.far & FC_SPR_FAR_SHIFT)
                tally_add(&far[4], i, isfinite(row.shift_h) ? row.shift_h : m->settings.default_shift_hours,
                          S ? S->shift_hours : NAN);
            char ds_[11];
            fc_date_format(row.day, ds_);
            double h = rt[FC_VAR_HYBRID] > 0 ? rt[FC_VAR_HYBRID] : 1;
            fprintf(f, "%s,", ds_);
            fc_csv_put_field(f, fc_intern_name(ds.stations->ids, row.station));
            fputc(',', f);
            fc_csv_put_field(f, fc_intern_name(ds.vehicles->ids, row.van));
            fprintf(f, ",%.0f,%.0f,%.0f,%.2f,%.2f,%.1f,%.0f,%.0f\n", row.packages, row.stops,
                    rt[FC_VAR_HYBRID], row.packages / h, p.hours, p.km, rt[FC_VAR_PHYSICS], rt[FC_VAR_ML]);
            if (row.obs_routes > 0) {
                for (int v = 0; v < 3; v++) {
                    ape[v] += fabs(rt[v] - row.obs_routes) / row.obs_routes;
                    bias[v] += (rt[v] - row.obs_routes) / row.obs_routes;
                }
                nobs++;
            }
        }
        if (skipped.n) {
            char d0[11];
            fc_date_format(r->day[skipped.first], d0);
            fc_diag_warn(&c.diag, "%lld row%s left out: no shipments for the station that day (first: %s, %s)",
                         skipped.n, skipped.n > 1 ? "s" : "",
                         fc_intern_name(ds.stations->ids, r->station[skipped.first]), d0);
        }
        if (capped.n) {
            char d0[11];
            fc_date_format(r->day[capped.first], d0);
            fc_diag_warn(&c.diag, "%lld routes row%s with more than twice the packages shipped to the station's "
                         "zips that day: the physics works those zips at twice their volume at most, so "
                         "the routes are too few (first: %s, %s)", capped.n, capped.n > 1 ? "s" : "",
                         fc_intern_name(ds.stations->ids, r->station[capped.first]), d0);
        }
        char w[128];
        if (mismatch.n)
            fc_diag_warn(&c.diag, "%lld routes row%s whose packages are not the packages shipped to the "
                         "station's zips that day (first: %s: %.0f in the day's routes rows, %.0f shipped): "
                         "a row is scored as that share of the zips' work at the zips' own density, so a "
                         "what-if must change shipments and routes packages together", mismatch.n,
                         mismatch.n > 1 ? "s" : "", row_where(&ds, mismatch.first, w, sizeof w), mismatch.a,
                         mismatch.b);
        if (far[0].n)
            fc_diag_warn(&c.diag, "%lld row%s with a van capacity more than 1.25x outside the %g-%g packages of the "
                         "vans the model was fitted on (first: %s: %g): the physics extrapolates to it; "
                         "routes_ml does not",
                         far[0].n, far[0].n > 1 ? "s" : "", m->cap_min, m->cap_max,
                         row_where(&ds, far[0].first, w, sizeof w), far[0].a);
        if (far[1].n)
            fc_diag_warn(&c.diag, "%lld row%s predicted at more than 1.25x the most packages per route of a "
                         "training row (%.0f) (first: %s: %.0f)", far[1].n, far[1].n > 1 ? "s" : "", m->ppr_max,
                         row_where(&ds, far[1].first, w, sizeof w), far[1].a);
        if (far[2].n)
            fc_diag_warn(&c.diag, "%lld row%s on a day with more than 1.25x the most packages the station had on a "
                         "training day (first: %s: %.0f shipped, at most %.0f in training): the physics extrapolates "
                         "the volume", far[2].n, far[2].n > 1 ? "s" : "",
                         row_where(&ds, far[2].first, w, sizeof w), far[2].a, far[2].b);
        if (far[3].n)
            fc_diag_warn(&c.diag, "%lld row%s with a zip more than 1.25x farther from its station than any zip in "
                         "training (%.0f km) (first: %s: %.0f km): its stem is priced by the physics alone",
                         far[3].n, far[3].n > 1 ? "s" : "", m->stem_km_max,
                         row_where(&ds, far[3].first, w, sizeof w), far[3].a);
        if (far[4].n)
            fc_diag_warn(&c.diag, "%lld row%s with a shift more than 1.25x from the one the station was fitted with "
                         "(first: "
                         "%s: %g h, fitted with %g h): the physics extrapolates it", far[4].n,
                         far[4].n > 1 ? "s" : "", row_where(&ds, far[4].first, w, sizeof w), far[4].a,
                         far[4].b);
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
    free(daysum);
    fc_spr_predictor_free(pr);
    fc_spr_index_free(ix);
    fc_dataset_free(&ds);
    fc_spr_model_free(m);
    return cli_exit(&c, st);
}
