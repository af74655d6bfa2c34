/* cmd_synth.c -- `fleetcast synth`: generate a realistic example network
 * whose route counts come from routing the placed stops. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "fleetcast/date.h"
#include "fleetcast/synth.h"

static const char help[] =
    "Usage: fleetcast synth --out DIR [--seed N] [--cities N] [--stations N] [--zips N]\n"
    "                       [--days N | --start DATE --end DATE] [--scenario FILE]\n"
    "                       [--gzip] [--threads N] [--stats]\n\n"
    "Generate a synthetic delivery network in the files of the data contract:\n"
    "shipments, routes, zips, stations, vehicles, fleet (CSV) and a ready\n"
    "config.json, all in DIR (created if missing). Daily stops per zip follow a\n"
    "growth trend, a yearly season with a peak before year end and a weekly\n"
    "pattern; every station-day's stops are placed in their zips and routed\n"
    "(space-filling-curve sweep, 2-opt and Or-opt, route elimination) under the\n"
    "van's capacity and the shift, so the route counts are real routing results.\n"
    "The same seed and options give byte-identical files, whatever --threads.\n"
    "See docs/synth.md for the model, the scenario file and the calibration.\n\n"
    "Options:\n"
    "  --out DIR          folder for the files (required)\n"
    "  --seed N           random seed (default 1)\n"
    "  --cities N         cities (default 3: a cold, a mild and a hot one)\n"
    "  --stations N       delivery stations, spread over the cities (default 6)\n"
    "  --zips N           zip codes, spread over the stations (default 120)\n"
    "  --days N           days from --start (default 731)\n"
    "  --start DATE       first day, YYYY-MM-DD (default 2023-01-01)\n"
    "  --end DATE         last day (instead of --days)\n"
    "  --scenario FILE    JSON scenario: van types and switches, openings, volume\n"
    "                     multipliers, rezoning, service changes (docs/synth.md)\n"
    "  --gzip             write shipments and routes as .csv.gz\n"
    "  --threads N        routing threads (default 2)\n"
    "  --stats            print the generated routes' statistics next to the\n"
    "                     published Amazon figures (stdout)\n"
    "  -q, --quiet        errors only;  -v, --verbose: more detail\n"
    "  --log-format FMT   messages on stderr as text (default) or json lines\n"
    "  -h, --help         this help\n";

enum { OPT_OUT = 2000, OPT_CITIES, OPT_NSTATIONS, OPT_NZIPS, OPT_DAYS, OPT_START, OPT_END, OPT_SCENARIO, OPT_GZIP, OPT_STATS };

static int date_arg(cli *c, const char *opt, const char *arg, int32_t *out)
{
    if (fc_date_parse(arg, strlen(arg), out)) {
        cli_usage_error(c, "%s: expected a date YYYY-MM-DD, got \"%s\"", opt, arg);
        return -1;
    }
    return 0;
}

static int make_dir(cli *c, const char *dir)
{
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) return FC_OK;
        fc_diag_error(&c->diag, FC_ECANTCREAT, "%s: not a folder", dir);
        return FC_ECANTCREAT;
    }
    if (cli_make_dirs(dir) != 0) {
        fc_diag_error(&c->diag, FC_ECANTCREAT, "%s: cannot create folder: %s", dir, strerror(errno));
        return FC_ECANTCREAT;
    }
    return FC_OK;
}

/* The measured table beside the published one (Merchan et al. 2024). */
static int print_stats(cli *c, const fc_synth_world *w, const fc_synth_result *r)
{
    fc_synth_stats s;
    int st = fc_synth_route_stats(w, r, &s);
    if (st) {
        fc_diag_error(&c->diag, st, "no routes to summarise");
        return st;
    }
    printf("%-26s %12s %14s\n", "per route", "generated", "Amazon LMRRC");
    printf("%-26s %12lld %14s\n", "routes", (long long)s.routes, "9184");
    printf("%-26s %12.1f %14s\n", "stops, mean", s.stops_mean, "148");
    printf("%-26s %5.0f - %4.0f %14s\n", "stops, P10 - P90", s.stops_p10, s.stops_p90, "105 - 186");
    printf("%-26s %12.1f %14s\n", "packages, mean", s.packages_mean, "238");
    printf("%-26s %5.0f - %4.0f %14s\n", "packages, P10 - P90", s.packages_p10, s.packages_p90, "-");
    printf("%-26s %12.2f %14s\n", "packages per stop", s.packages_per_stop, "1.6");
    printf("%-26s %12.2f %14s\n", "hours, mean", s.hours_mean, "~8");
    printf("%-26s %5.1f - %4.1f %14s\n", "hours, P10 - P90", s.hours_p10, s.hours_p90, "-");
    printf("%-26s %12.2f %14s\n", "service hours, mean", s.service_h_mean, "~4.5");
    printf("%-26s %12.2f %14s\n", "driving hours, mean", s.drive_h_mean, "~3.6");
    printf("%-26s %12.1f %14s\n", "km, mean", s.km_mean, "-");
    printf("%-26s %11.0f%% %14s\n", "van filled > 95%", 100 * s.capacity_bound, "-");
    return FC_OK;
}

int cmd_synth(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"out", required_argument, NULL, OPT_OUT},
        {"seed", required_argument, NULL, OPT_SEED},
        {"cities", required_argument, NULL, OPT_CITIES},
        {"stations", required_argument, NULL, OPT_NSTATIONS},
        {"zips", required_argument, NULL, OPT_NZIPS},
        {"days", required_argument, NULL, OPT_DAYS},
        {"start", required_argument, NULL, OPT_START},
        {"end", required_argument, NULL, OPT_END},
        {"scenario", required_argument, NULL, OPT_SCENARIO},
        {"gzip", no_argument, NULL, OPT_GZIP},
        {"stats", no_argument, NULL, OPT_STATS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {NULL, 0, NULL, 0}};
    cli c;
    cli_init(&c, "synth");
    fc_synth_params p;
    fc_synth_params_default(&p);
    const char *out = NULL, *scenario_path = NULL;
    int gzip = 0, stats = 0, have_days = 0, have_end = 0;
    int32_t end = 0;
    long v;
    int opt;
    while ((opt = getopt_long(argc, argv, ":hqv", longopts, NULL)) != -1) {
        int bad = 0;
        switch (opt) {
        case OPT_OUT: out = optarg; break;
        case OPT_SEED:
            if (!(bad = cli_int_option(&c, "seed", optarg, 0, 2147483647L, &v))) p.seed = (uint64_t)v;
            break;
        case OPT_CITIES:
            if (!(bad = cli_int_option(&c, "cities", optarg, 1, 1000, &v))) p.cities = (int)v;
            break;
        case OPT_NSTATIONS:
            if (!(bad = cli_int_option(&c, "stations", optarg, 1, 100000, &v))) p.stations = (int)v;
            break;
        case OPT_NZIPS:
            if (!(bad = cli_int_option(&c, "zips", optarg, 1, 90000, &v))) p.zips = (int)v;
            break;
        case OPT_DAYS:
            if (!(bad = cli_int_option(&c, "days", optarg, 1, 36600, &v))) p.ndays = (int32_t)v;
            have_days = 1;
            break;
        case OPT_START: bad = date_arg(&c, "--start", optarg, &p.start); break;
        case OPT_END:
            bad = date_arg(&c, "--end", optarg, &end);
            have_end = 1;
            break;
        case OPT_SCENARIO: scenario_path = optarg; break;
        case OPT_GZIP: gzip = 1; break;
        case OPT_STATS: stats = p.keep_routes = 1; break;
        case OPT_THREADS:
            if (!(bad = cli_int_option(&c, "threads", optarg, 1, 64, &v))) p.threads = (int)v;
            break;
        default:
            if (cli_common_option(&c, opt, optarg) < 0) return cli_exit(&c, FC_EUSAGE);
        }
        if (bad) return cli_exit(&c, FC_EUSAGE);
    }
    if (cli_options_done(&c, help, argc, argv, 0)) return cli_exit(&c, c.status);
    if (!out) return cli_exit(&c, cli_usage_error(&c, "--out DIR is required"));
    if (strcmp(out, "-") == 0)
        return cli_exit(&c, cli_usage_error(&c, "--out: synth writes a folder of files, '-' (stdout) cannot be one"));
    if (have_days && have_end) return cli_exit(&c, cli_usage_error(&c, "give --days or --end, not both"));
    if (have_end) {
        if (end < p.start) return cli_exit(&c, cli_usage_error(&c, "--end is before --start"));
        /* --end spans at most what --days may (it had no bound: an end year
         * off by a digit routed for hours) */
        if ((long)end - p.start + 1 > 36600)
            return cli_exit(&c, cli_usage_error(&c, "--end: at most 36600 days after --start"));
        p.ndays = end - p.start + 1;
    }
    /* dates are written with four-digit years: past 9999 they wrapped to
     * year 0000, rows validate rejects */
    if ((long)p.start + p.ndays - 1 > fc_days_from_civil(9999, 12, 31))
        return cli_exit(&c, cli_usage_error(&c, "the days run past 9999-12-31"));
    if (p.cities > p.stations || p.stations > p.zips)
        return cli_exit(&c, cli_usage_error(&c, "need cities <= stations <= zips (got %d, %d, %d)",
                                            p.cities, p.stations, p.zips));

    cJSON *scenario = NULL;
    int st = FC_OK;
    if (scenario_path) {
        char *text;
        size_t n;
        if ((st = fc_read_file(scenario_path, &c.diag, &text, &n))) return cli_exit(&c, st);
        scenario = fc_json_parse(text, n, scenario_path, &c.diag);
        if (!scenario) {
            free(text);
            return cli_exit(&c, FC_EDATA);
        }
        free(text);
    }
    fc_synth_world *w = NULL;
    fc_synth_result *r = NULL;
    st = fc_synth_world_build(&p, scenario, scenario_path, &c.diag, &w);
    cJSON_Delete(scenario);
    if (st == FC_OK) st = make_dir(&c, out);
    double t0 = cli_seconds();
    if (st == FC_OK) st = fc_synth_run(w, &r, &c.diag);
    if (st == FC_OK) st = fc_synth_write(w, r, out, gzip, &c.diag);
    double t1 = cli_seconds();
    if (st == FC_OK) {
        double routes = 0, pk = 0, stops = 0, sd = 0;
        for (size_t i = 0; i < (size_t)r->ndays * (size_t)r->nstations; i++)
            if (r->van[i] >= 0) {
                routes += r->routes[i];
                pk += r->packages[i];
                stops += r->stops[i];
                sd++;
            }
        fc_diag_note(&c.diag, "%s: %d stations, %d zips, %d days: %.0f station-days, %.0f routes, "
                     "%.1f stops and %.1f packages per route (%.1f s)", out, (int)w->nstations,
                     (int)w->nzips, (int)p.ndays, sd, routes, routes ? stops / routes : 0,
                     routes ? pk / routes : 0,
                     t1 - t0);
    }
    if (st == FC_OK && stats) st = print_stats(&c, w, r);
    fc_synth_result_free(r);
    fc_synth_world_free(w);
    return cli_exit(&c, st);
}
