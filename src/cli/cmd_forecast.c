/* cmd_forecast.c -- `fleetcast forecast`: zip volume forecasts summed to
 * stations and the network, with Monte Carlo quantiles and scenarios. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "fleetcast/parallel.h"
#include "fleetcast/dataset.h"
#include "fleetcast/date.h"
#include "fleetcast/forecast.h"
#include "fleetcast/outfile.h"

static const char help[] =
    "Usage: fleetcast forecast --shipments F --zips F --stations F [--config FILE]\n"
    "                          [--horizon 16] [--paths 500] [--seed N] [--threads N]\n"
    "                          [--level zip|station|network] [--method ets|fourier|combo]\n"
    "                          [--format json|csv] [-o FILE]\n\n"
    "Forecast packages and stops for every zip, month by month, from daily or\n"
    "monthly shipment history (a damped-trend seasonal model per zip, pooled\n"
    "toward its station), draw Monte Carlo sample paths correlated within each\n"
    "station, apply the config's scenario (volume shocks, rezoning, new\n"
    "stations), and sum zips into stations by the mapping in force each month.\n"
    "Prints mean, P10, P50 and P90 of monthly packages and stops, and P50/P90\n"
    "of the peak day's packages, one row per entity and month.\n\n"
    "Options:\n"
    "  --config FILE      run configuration (JSON): input files, horizon_months,\n"
    "                     paths, seed, and the \"scenario\" (docs/forecast.md)\n"
    "  --shipments F      shipments: date, zip, station, packages, stops\n"
    "  --zips F           zips: zip, lat, lon, area_km2\n"
    "  --stations F       stations: station, lat, lon [, city, ...]\n"
    "  --horizon N        months to forecast, 1..120 (default 16, or the config's)\n"
    "  --paths N          Monte Carlo sample paths, 10..100000 (default 500, or\n"
    "                     the config's)\n"
    "  --seed N           random seed (default 1, or the config's); same seed,\n"
    "                     same output\n"
    "  --threads N        worker threads (default: all cores; output does not change)\n"
    "  --level L          zip, station (default) or network rows\n"
    "  --method M         ets (default), fourier or combo (docs/forecast.md)\n"
    "  --format FMT       json (default) or csv\n"
    "  -o, --output FILE  write to FILE (atomically) instead of stdout\n"
    "  -q, --quiet        errors only;  -v, --verbose: more detail\n"
    "  --log-format FMT   messages on stderr as text (default) or json lines\n"
    "  -h, --help         this help\n";

enum { OPT_HORIZON = 2000, OPT_PATHS, OPT_LEVEL, OPT_METHOD };

cJSON *cli_forecast_meta(const fc_dataset *ds, const fc_config *cfg, const fc_vol_history *h,
                         const fc_vol_model *m, const fc_vol_forecast *fc, const char *level,
                         int paths, unsigned long long seed)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    /* 2: schema_version a number and kind "fleetcast.forecast", as the
     * other outputs (version 1 had "1" and "forecast") */
    cJSON_AddNumberToObject(o, "schema_version", 2);
    cJSON_AddStringToObject(o, "kind", "fleetcast.forecast");
    cJSON_AddStringToObject(o, "generated_by", "fleetcast " FC_VERSION);
    cJSON *s = cJSON_AddObjectToObject(o, "settings");
    char first[8], last[8], h0[8], h1[8];
    fc_month_format(fc->month0, first);
    fc_month_format(fc->month0 + fc->horizon - 1, last);
    fc_month_format(h->month0, h0);
    fc_month_format(h->month0 + m->n_used - 1, h1);
    cJSON_AddNumberToObject(s, "horizon_months", fc->horizon);
    cJSON_AddNumberToObject(s, "paths", paths);
    cJSON_AddNumberToObject(s, "seed", (double)seed);
    cJSON_AddStringToObject(s, "level", level);
    cJSON_AddStringToObject(s, "method", fc_vol_method_name(m->method));
    cJSON_AddStringToObject(s, "first_month", first);
    cJSON_AddStringToObject(s, "last_month", last);
    cJSON_AddItemToObject(o, "inputs", fc_dataset_fingerprints(ds));
    cJSON *j = cJSON_AddObjectToObject(o, "model");
    int nf = 0, np = 0;
    for (int32_t z = 0; z < m->nzips; z++) {
        nf += m->fitted[z];
        np += m->fitted[z] && m->pooled[z];
    }
    cJSON_AddStringToObject(j, "periodicity", h->daily ? "daily" : "monthly");
    cJSON_AddStringToObject(j, "history_first_month", h0);
    cJSON_AddStringToObject(j, "history_last_month", h1);
    cJSON_AddNumberToObject(j, "zips", nf);
    cJSON_AddNumberToObject(j, "zips_pooled", np);
    cJSON_AddNumberToObject(j, "rho_station", (double)(long long)(m->rho_station * 1e4 + 0.5) / 1e4);
    cJSON_AddNumberToObject(j, "rho_network", (double)(long long)(m->rho_network * 1e4 + 0.5) / 1e4);
    const cJSON *sc = cfg->json ? cJSON_GetObjectItemCaseSensitive(cfg->json, "scenario") : NULL;
    /* "scenario": null is no scenario, as the parser reads it: {} (it was
     * echoed as null, which the schemas do not allow) */
    cJSON_AddItemToObject(o, "scenario", cJSON_IsObject(sc) ? cJSON_Duplicate(sc, 1) : cJSON_CreateObject());
    return o;
}

int cmd_forecast(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_INPUT_LONGOPTS,
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"seed", required_argument, NULL, OPT_SEED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"horizon", required_argument, NULL, OPT_HORIZON},
        {"paths", required_argument, NULL, OPT_PATHS},
        {"level", required_argument, NULL, OPT_LEVEL},
        {"method", required_argument, NULL, OPT_METHOD},
        {NULL, 0, NULL, 0}};
    cli c;
    cli_init(&c, "forecast");
    long horizon = -1, paths = -1, threads = -1, seed = -1;
    const char *level = "station";
    int method = FC_VOL_ETS;
    int opt;
    while ((opt = getopt_long(argc, argv, ":hqvo:", longopts, NULL)) != -1) {
        int bad = 0;
        switch (opt) {
        case OPT_HORIZON: bad = cli_int_option(&c, "horizon", optarg, 1, 120, &horizon); break;
        case OPT_PATHS: bad = cli_int_option(&c, "paths", optarg, 10, 100000, &paths); break;
        case OPT_THREADS: bad = cli_int_option(&c, "threads", optarg, 1, 64, &threads); break;
        case OPT_SEED: bad = cli_int_option(&c, "seed", optarg, 0, 2147483647L, &seed); break;
        case OPT_LEVEL:
            level = optarg;
            if (strcmp(level, "zip") && strcmp(level, "station") && strcmp(level, "network"))
                bad = cli_usage_error(&c, "--level: expected zip, station or network, got \"%s\"", optarg);
            break;
        case OPT_METHOD:
            method = fc_vol_method_parse(optarg);
            if (method < 0 || method == FC_VOL_SNAIVE)
                bad = cli_usage_error(&c, "--method: expected combo, ets or fourier, got \"%s\"", optarg);
            break;
        default:
            if (cli_common_option(&c, opt, optarg) < 0) return cli_exit(&c, FC_EUSAGE);
        }
        if (bad) return cli_exit(&c, FC_EUSAGE);
    }
    if (cli_options_done(&c, help, argc, argv, 0)) return cli_exit(&c, c.status);
    if (cli_check_format(&c, "json|csv")) return cli_exit(&c, FC_EUSAGE);
    if (fc_outfile_check(c.output, &c.diag)) return cli_exit(&c, FC_ECANTCREAT);
    int st = cli_load_config(&c);
    if (st) return cli_exit(&c, st);
    fc_config *cfg = c.config;
    static const int need[] = {FC_IN_SHIPMENTS, FC_IN_ZIPS, FC_IN_STATIONS};
    for (int i = 0; i < 3; i++)
        if (!cfg->inputs[need[i]])
            return cli_exit(&c, cli_usage_error(&c, "no %s file given (--%s)", fc_input_name(need[i]),
                                                fc_input_name(need[i])));
    char *paths_in[FC_INPUT_N] = {0};
    for (int i = 0; i < 3; i++) {
        paths_in[need[i]] = cfg->inputs[need[i]];
        if (cli_stdin_claim(&c, paths_in[need[i]], fc_input_name(need[i]))) return cli_exit(&c, FC_EUSAGE);
    }
    fc_vol_options vo = {
        .horizon = horizon > 0 ? (int)horizon : cfg->horizon_months,
        .paths = paths > 0 ? (int)paths : cfg->paths,
        .seed = seed >= 0 ? (uint64_t)seed : cfg->seed,
        .threads = fc_parallel_threads((int)threads),
        .zip_rows = strcmp(level, "zip") == 0,
    };
    if (vo.threads < 1) vo.threads = 1;
    if (vo.threads > 64) vo.threads = 64;

    fc_dataset ds;
    fc_vol_history *h = NULL;
    fc_vol_model *m = NULL;
    fc_scenario *sc = NULL;
    fc_vol_forecast *fc = NULL;
    double t0 = cli_seconds(), t1 = t0, t2 = t0, t3 = t0;
    st = fc_dataset_load(&ds, paths_in, vo.threads, &c.diag);
    if (st == FC_OK && c.diag.n_errors) st = c.diag.status;
    if (st == FC_OK)
        st = fc_scenario_parse(cfg->json, cfg->path ? cfg->path : "config", ds.zips, ds.stations,
                               &c.diag, &sc);
    t1 = cli_seconds();
    if (st == FC_OK) st = fc_vol_history_build(ds.shipments, ds.stations->n, &c.diag, &h);
    t2 = cli_seconds();
    if (st == FC_OK) st = fc_vol_model_fit(h, 0, method, vo.threads, &c.diag, &m);
    t3 = cli_seconds();
    if (st == FC_OK) {
        vo.zip_ids = ds.zips ? ds.zips->ids : NULL;
        st = fc_vol_forecast_run(h, m, sc, ds.stations, &vo, &c.diag, &fc);
    }
    if (st == FC_OK) fc_scenario_warn_outside(sc, fc->month0, fc->horizon, &c.diag);
    if (st == FC_OK)
        fc_diag_debug(&c.diag, "timing: read %.2f s, history %.2f s, fit %.2f s, paths %.2f s",
                      t1 - t0, t2 - t1, t3 - t2, cli_seconds() - t3);
    if (st == FC_OK) {
        fc_outfile out;
        if ((st = fc_outfile_open(&out, c.output, &c.diag)) == FC_OK) {
            if (c.format && strcmp(c.format, "csv") == 0) {
                st = fc_vol_write_csv(out.fp, fc, level, ds.zips, ds.stations, sc);
            } else {
                cJSON *meta = cli_forecast_meta(&ds, cfg, h, m, fc, level, vo.paths,
                                                (unsigned long long)vo.seed);
                st = meta ? fc_vol_write_json(out.fp, fc, level, ds.zips, ds.stations, sc, meta)
                          : FC_EINTERNAL;
                cJSON_Delete(meta);
            }
            if (st == FC_OK)
                st = fc_outfile_commit(&out, &c.diag);
            else if (st == FC_EIO)
                fc_outfile_write_failed(&out, &c.diag);
            else {
                fc_diag_error(&c.diag, st, "could not write the forecast");
                fc_outfile_abort(&out);
            }
        }
    }
    fc_vol_forecast_free(fc);
    fc_vol_model_free(m);
    fc_scenario_free(sc);
    fc_vol_history_free(h);
    fc_dataset_free(&ds);
    return cli_exit(&c, st);
}
