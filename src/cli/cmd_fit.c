/* cmd_fit.c -- `fleetcast fit`: calibrate the hybrid SPR model on observed
 * routes and write model.json. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "fleetcast/date.h"
#include "fleetcast/dataset.h"
#include "fleetcast/outfile.h"
#include "fleetcast/parallel.h"
#include "fleetcast/spr.h"

/* Routes rows the fit cannot use because their station has no shipments
 * that day (a gap in the shipments, a station missing from them): the fit
 * leaves them out, and said nothing where predict warns. */
static int warn_unmatched(cli *c, const fc_dataset *ds)
{
    const fc_routes *r = ds->routes;
    int64_t first, n = fc_dataset_unmatched_routes(ds, &first);
    if (n <= 0) return n < 0 ? FC_EINTERNAL : FC_OK;
    char d0[11];
    fc_date_format(r->day[first], d0);
    fc_diag_warn(&c->diag, "%lld routes row%s left out of the fit: no shipments for the station that day "
                 "(first: %s, %s)", (long long)n, n > 1 ? "s" : "", fc_intern_name(ds->stations->ids,
                 r->station[first]), d0);
    return FC_OK;
}

static const char help[] =
    "Usage: fleetcast fit --shipments F --routes F --zips F --stations F --vehicles F\n"
    "                     [--config FILE] [--threads N] [-o model.json]\n\n"
    "Fit the hybrid shipments-per-route model (docs/model.md): the routing\n"
    "physics is calibrated per station by nonlinear least squares on the\n"
    "observed routes (and route_hours, route_km when given), pulled toward\n"
    "network-wide values. The hybrid adds two learned parts: a zip-mix term\n"
    "(a zip's time per stop by its zips.csv attributes, slopes shared by all\n"
    "stations, fitted jointly with every station's physics) and a bounded\n"
    "ridge-regression correction of what is left; an ML-only baseline is\n"
    "fitted for comparison. Station fits run on all cores (same result).\n"
    "Settings come from the \"model\" section of the config. The model goes to\n"
    "stdout or -o FILE (written atomically); a summary goes to stderr.\n"
    "A station with too few route-days (model.min_days) or whose fit does\n"
    "not converge takes the median parameters of the fitted stations of its\n"
    "city, or with none there of all fitted stations (the typical station,\n"
    "also used for a station the model does not know). One that does not\n"
    "converge is also flagged in the model and makes the exit code 79 (the\n"
    "model is still written); so does a zip-mix fit that fails (slopes 0,\n"
    "flagged) and a network-wide fit that fails (no model then).\n\n"
    "Options:\n"
    "  --config FILE      run configuration (JSON): input files, \"model\" settings\n"
    "  --shipments F      shipments: date, zip, station, packages, stops (daily)\n"
    "  --routes F         observed routes: date, station, van_type, routes, packages\n"
    "                     [, stops, route_hours, route_km]\n"
    "  --zips F           zips: zip, lat, lon, area_km2 [, hilliness, features...]\n"
    "  --stations F       stations: station, lat, lon [, shift_hours, opened, ...]\n"
    "  --vehicles F       vehicles: van_type, capacity_packages [, ...]\n"
    "  -o, --output FILE  write the model to FILE instead of stdout\n"
    "  --threads N        worker threads for the fits and a second one to read\n"
    "                     (default: all cores; the model does not depend on it)\n"
    "  -q, --quiet        errors only;  -v, --verbose: more detail\n"
    "  --log-format FMT   messages on stderr as text (default) or json lines\n"
    "  -h, --help         this help\n";

int cli_spr_noconv(cli *c, const fc_spr_model *m, int as_error)
{
    int n = m->n_noconv;
    if (n == 0) return 0;
    char msg[256];
    snprintf(msg, sizeof msg, "%d station fit%s did not converge; %s pooled values instead (the fitted stations "
             "of %s city, else every fitted station, else the network fit)", n, n > 1 ? "s" : "",
             n > 1 ? "they take" : "it takes", n > 1 ? "their" : "its");
    if (as_error) fc_diag_error(&c->diag, FC_ENOCONV, "%s", msg);
    else fc_diag_warn(&c->diag, "%s", msg);
    return n;
}

/* Load the inputs a model needs; routes_flags: FC_ROUTES_COUNT_OPTIONAL
 * when the route count may be absent (scoring). */
int cli_spr_load(cli *c, fc_dataset *ds, fc_spr_settings *s, int routes_flags, int threads)
{
    static const int need[] = {FC_IN_SHIPMENTS, FC_IN_ZIPS, FC_IN_STATIONS, FC_IN_VEHICLES,
                               FC_IN_ROUTES};
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++)
        if (!c->config->inputs[need[k]])
            return cli_usage_error(c, "the %s file is needed (--%s)", fc_input_name(need[k]),
                                   fc_input_name(need[k]));
    int st = cli_stdin_claim_inputs(c);
    if (st) return st;
    fc_spr_settings_default(s);
    const cJSON *model = c->config->json ? cJSON_GetObjectItemCaseSensitive(c->config->json, "model") : NULL;
    st = fc_spr_settings_from_json(s, model, &c->diag);
    if (st) return st;
    if (threads <= 0) threads = (int)c->threads;
    if (threads > 0) s->threads = threads;
    char *paths[FC_INPUT_N];
    memcpy(paths, c->config->inputs, sizeof paths);
    paths[FC_IN_FLEET] = NULL;
    paths[FC_IN_BUDGET] = NULL;
    paths[FC_IN_ROUTES] = NULL;
    st = fc_dataset_load(ds, paths, threads, &c->diag);
    ds->paths[FC_IN_ROUTES] = c->config->inputs[FC_IN_ROUTES];
    if (ds->stations && ds->vehicles) {
        int rs = fc_routes_read_ex(ds->paths[FC_IN_ROUTES], ds->stations, ds->vehicles, routes_flags,
                                   &c->diag, &ds->routes, &ds->info[FC_IN_ROUTES],
                                   fc_parallel_threads(threads));
        if (rs == FC_OK) ds->loaded[FC_IN_ROUTES] = 1;
        else if (st == FC_OK) st = rs;
    }
    if (st == FC_OK && c->diag.n_errors) st = c->diag.status;
    return st;
}

int cmd_fit(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_INPUT_LONGOPTS, CLI_THREADS_LONGOPT,
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    cli c;
    cli_init(&c, "fit");
    int opt;
    while ((opt = getopt_long(argc, argv, ":hqvo:", longopts, NULL)) != -1) {
        if (cli_common_option(&c, opt, optarg) < 0) return cli_exit(&c, FC_EUSAGE);
    }
    if (cli_options_done(&c, help, argc, argv, 0)) return cli_exit(&c, c.status);
    if (fc_outfile_check(c.output, &c.diag)) return cli_exit(&c, FC_ECANTCREAT);
    int st = cli_load_config(&c);
    if (st) return cli_exit(&c, st);
    fc_dataset ds;
    memset(&ds, 0, sizeof ds);
    fc_spr_settings s;
    st = cli_spr_load(&c, &ds, &s, 0, 0);
    fc_spr_index *ix = NULL;
    fc_spr_model *m = NULL;
    if (st == FC_OK) st = fc_spr_index_new(ds.shipments, ds.zips, ds.stations, &c.diag, &ix);
    if (st == FC_OK) st = warn_unmatched(&c, &ds);
    if (st == FC_OK) st = fc_spr_fit(ix, ds.routes, ds.vehicles, NULL, &s, &c.diag, &m);
    if (st == FC_OK) {
        m->inputs = fc_dataset_fingerprints(&ds);
        cJSON *j = fc_spr_model_to_json(m);
        char *text = j ? cJSON_Print(j) : NULL;
        fc_outfile out;
        if (!text) {
            fc_diag_error(&c.diag, FC_EINTERNAL, "out of memory");
            st = FC_EINTERNAL;
        } else if ((st = fc_outfile_open(&out, c.output, &c.diag)) == FC_OK) {
            fprintf(out.fp, "%s\n", text);
            st = fc_outfile_commit(&out, &c.diag);
        }
        free(text);
        cJSON_Delete(j);
    }
    if (st == FC_OK) {
        int fitted = m->nstations - m->n_noconv - m->n_few;
        fc_diag_note(&c.diag, "%lld route-days, %d station%s fitted, %d with too few days, %d not converged",
                     (long long)m->train.rows, fitted, fitted == 1 ? "" : "s", m->n_few, m->n_noconv);
        fc_diag_note(&c.diag, "in-sample routes MAPE: physics %.2f%%, ML-only %.2f%%, hybrid %.2f%%",
                     m->train.mape[FC_VAR_PHYSICS], m->train.mape[FC_VAR_ML], m->train.mape[FC_VAR_HYBRID]);
        if (cli_spr_noconv(&c, m, 1)) st = FC_ENOCONV;
        if (m->mix_noconv) {
            fc_diag_error(&c.diag, FC_ENOCONV, "the zip-mix fit did not converge (the hybrid runs without the "
                          "term; see zip_mix in the model)");
            st = FC_ENOCONV;
        }
    }
    fc_spr_model_free(m);
    fc_spr_index_free(ix);
    fc_dataset_free(&ds);
    return cli_exit(&c, st);
}
