/* cmd_backtest.c -- `fleetcast backtest`: out-of-sample accuracy tables.
 * Each --what is one function (cmd_backtest_<what>.c) filling a report;
 * this file parses options and prints the report as text, CSV or JSON. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "cli_backtest_volume.h"
#include "fleetcast/bootstrap.h"
#include "fleetcast/csv.h"
#include "fleetcast/outfile.h"

static const char help[] =
    "Usage: fleetcast backtest --what spr --shipments F --routes F --zips F\n"
    "                          --stations F --vehicles F [--config FILE]\n"
    "                          [--format text|csv|json] [--threads N] [-o FILE]\n\n"
    "Refit on part of the data and score the rest. --what spr compares the\n"
    "physics-only, ML-only and hybrid SPR models on these held-out splits:\n"
    "  time             the last 20% of days\n"
    "  volume_top20     each station's highest-volume 20% of routes rows (by\n"
    "                   packages; a day with two van types is two rows)\n"
    "  van:TYPE         a van type's rows at the stations that also ran another\n"
    "                   type, trained without them (a station that never ran two\n"
    "                   types gives no van split)\n"
    "  rezoning         days from the first zip move on, at the stations involved\n"
    "  station          each station held out in turn (at most 8): a new station,\n"
    "                   scored from its city's fitted stations\n"
    "  extrapolation    volume, van and rezoning splits pooled\n"
    "Accuracy is per station-day and van type: MAPE, bias and the 90th\n"
    "percentile of the absolute percentage error of the whole route count.\n"
    "On the physics and ML rows, 'hybrid-this' is the hybrid's MAPE minus\n"
    "that variant's on the same rows, with a 90% interval from a paired\n"
    "bootstrap over weeks (2000 resamples, from the config's seed): an\n"
    "interval wholly below 0 means the hybrid is lower beyond the noise.\n\n"
    "Options:\n"
    "  --what WHAT        what to backtest: spr, or volume (see\n"
    "                     'fleetcast backtest --what volume --help')\n"
    "  --config FILE      run configuration (JSON): inputs and \"model\" settings\n"
    "  --shipments F --routes F --zips F --stations F --vehicles F   the inputs\n"
    "  --format FMT       text (default), csv or json\n"
    "  -o, --output FILE  write the table to FILE (atomically) instead of stdout\n"
    "  --threads N        worker threads for the fits (default: all cores; the\n"
    "                     table does not depend on it)\n"
    "  -q, --quiet        errors only;  -v, --verbose: more detail\n"
    "  --log-format FMT   messages on stderr as text (default) or json lines\n"
    "  -h, --help         this help\n";

enum { OPT_WHAT = 2100 };

static const struct {
    const char *name;
    int (*fn)(cli *c, bt_report *rep);
} whats[] = {{"spr", backtest_spr}};

int bt_report_add(bt_report *rep, const char *split, const char *variant, int64_t n, double mape,
                  double bias, double p90, const fc_boot_diff *hybrid_minus)
{
    if (rep->n == rep->cap) {
        int cap = rep->cap ? rep->cap * 2 : 16;
        bt_row *r = realloc(rep->rows, (size_t)cap * sizeof *r);
        if (!r) return FC_EINTERNAL;
        rep->rows = r;
        rep->cap = cap;
    }
    bt_row *r = &rep->rows[rep->n];
    if (!(r->split = strdup(split))) return FC_EINTERNAL;
    rep->n++;
    snprintf(r->variant, sizeof r->variant, "%s", variant);
    r->n = n;
    r->mape = mape;
    r->bias = bias;
    r->p90 = p90;
    r->dmape = hybrid_minus ? hybrid_minus->mean : NAN;
    r->dlo = hybrid_minus ? hybrid_minus->lo : NAN;
    r->dhi = hybrid_minus ? hybrid_minus->hi : NAN;
    return FC_OK;
}

void bt_report_free(bt_report *rep)
{
    for (int i = 0; i < rep->n; i++) free(rep->rows[i].split);
    free(rep->rows);
    memset(rep, 0, sizeof *rep);
}

static cJSON *num(double v) { return isfinite(v) ? cJSON_CreateNumber(round(v * 1e4) / 1e4) : cJSON_CreateNull(); }

static int print_report(FILE *f, const char *what, const char *format, const bt_report *rep)
{
    if (strcmp(format, "json") == 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "schema_version", 1);
        cJSON_AddStringToObject(o, "kind", "fleetcast.backtest");
        cJSON_AddStringToObject(o, "what", what);
        cJSON *a = cJSON_AddArrayToObject(o, "rows");
        for (int i = 0; i < rep->n; i++) {
            const bt_row *r = &rep->rows[i];
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "split", r->split);
            cJSON_AddStringToObject(e, "variant", r->variant);
            cJSON_AddNumberToObject(e, "rows", (double)r->n);
            cJSON_AddItemToObject(e, "mape_pct", num(r->mape));
            cJSON_AddItemToObject(e, "bias_pct", num(r->bias));
            cJSON_AddItemToObject(e, "ape_p90_pct", num(r->p90));
            if (isfinite(r->dmape)) {
                cJSON *h = cJSON_AddObjectToObject(e, "hybrid_minus_pct");
                cJSON_AddItemToObject(h, "mape", num(r->dmape));
                cJSON_AddItemToObject(h, "lo90", num(r->dlo));
                cJSON_AddItemToObject(h, "hi90", num(r->dhi));
            } else {
                cJSON_AddNullToObject(e, "hybrid_minus_pct");
            }
            cJSON_AddItemToArray(a, e);
        }
        char *t = cJSON_Print(o);
        if (t) fprintf(f, "%s\n", t);
        free(t);
        cJSON_Delete(o);
        return t ? FC_OK : FC_EINTERNAL;
    }
    if (strcmp(format, "csv") == 0) {
        fputs("split,variant,rows,mape_pct,bias_pct,ape_p90_pct,hybrid_minus_pct,hybrid_minus_lo90_pct,"
              "hybrid_minus_hi90_pct\n",
              f);
        for (int i = 0; i < rep->n; i++) {
            const bt_row *r = &rep->rows[i];
            fc_csv_put_field(f, r->split);  /* van:TYPE: a van type may hold a comma */
            fprintf(f, ",%s,%lld,%.3f,%.3f,%.3f", r->variant, (long long)r->n, r->mape, r->bias, r->p90);
            if (isfinite(r->dmape)) fprintf(f, ",%.3f,%.3f,%.3f\n", r->dmape, r->dlo, r->dhi);
            else fputs(",,,\n", f);
        }
        return FC_OK;
    }
    fprintf(f, "%-24s %-8s %8s %9s %9s %9s   %s\n", "split", "variant", "rows", "MAPE%", "bias%", "APE p90%",
            "hybrid-this [90% CI]");
    for (int i = 0; i < rep->n; i++) {
        const bt_row *r = &rep->rows[i];
        fprintf(f, "%-24s %-8s %8lld %9.2f %+9.2f %9.2f", r->split, r->variant, (long long)r->n, r->mape,
                r->bias, r->p90);
        if (isfinite(r->dmape)) fprintf(f, "   %+6.2f [%+.2f, %+.2f]\n", r->dmape, r->dlo, r->dhi);
        else fputc('\n', f);
    }
    return FC_OK;
}

int cmd_backtest(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_INPUT_LONGOPTS, CLI_THREADS_LONGOPT,
        {"what", required_argument, NULL, OPT_WHAT},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    /* --what volume is its own command (cli_backtest_volume.c). */
    for (int i = 1; i < argc; i++)
        if ((strcmp(argv[i], "--what") == 0 && i + 1 < argc && strcmp(argv[i + 1], "volume") == 0) ||
            strcmp(argv[i], "--what=volume") == 0)
            return cli_backtest_volume(argc, argv);
    cli c;
    cli_init(&c, "backtest");
    const char *what = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, ":hqvo:", longopts, NULL)) != -1) {
        if (opt == OPT_WHAT) {
            what = optarg;
            continue;
        }
        if (cli_common_option(&c, opt, optarg) < 0) return cli_exit(&c, FC_EUSAGE);
    }
    if (cli_options_done(&c, help, argc, argv, 0)) return cli_exit(&c, c.status);
    if (cli_check_format(&c, "text|csv|json")) return cli_exit(&c, FC_EUSAGE);
    if (fc_outfile_check(c.output, &c.diag)) return cli_exit(&c, FC_ECANTCREAT);
    if (!what) return cli_exit(&c, cli_usage_error(&c, "--what is needed (spr or volume)"));
    int k = -1;
    for (int i = 0; i < (int)(sizeof whats / sizeof whats[0]); i++)
        if (strcmp(whats[i].name, what) == 0) k = i;
    if (k < 0) return cli_exit(&c, cli_usage_error(&c, "--what: expected spr or volume, got \"%s\"", what));
    int st = cli_load_config(&c);
    if (st) return cli_exit(&c, st);
    bt_report rep = {0};
    st = whats[k].fn(&c, &rep);
    fc_outfile out;
    if (st == FC_OK && (st = fc_outfile_open(&out, c.output, &c.diag)) == FC_OK) {
        st = print_report(out.fp, what, c.format ? c.format : "text", &rep);
        if (st == FC_OK) st = fc_outfile_commit(&out, &c.diag);
        else fc_outfile_abort(&out);
    }
    bt_report_free(&rep);
    return cli_exit(&c, st);
}
