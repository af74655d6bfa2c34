/* cli_backtest_volume.c -- `fleetcast backtest --what volume`: rolling-origin
 * accuracy of the zip volume forecast (the library does the work in
 * src/forecast/backtest_volume.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cli_backtest_volume.h"
#include "fleetcast/parallel.h"
#include "fleetcast/dataset.h"
#include "fleetcast/forecast.h"
#include "fleetcast/outfile.h"

const char cli_backtest_volume_help[] =
    "Usage: fleetcast backtest --what volume --shipments F --zips F --stations F\n"
    "                          [--config FILE] [--horizon 16] [--origins 6] [--step 3]\n"
    "                          [--min-train 24] [--paths 200] [--seed N] [--threads N]\n"
    "                          [-o FILE]\n\n"
    "Rolling-origin backtest of the volume forecast: for each origin, fit on the\n"
    "shipments before it alone (as a run on that date would: its weekday\n"
    "pattern and zip-to-station map too), forecast up to --horizon months, and\n"
    "score at zip and station level (stations as at the origin) the combined\n"
    "model (combo) and its two parts (ets, fourier) against the seasonal\n"
    "naive (snaive): MASE (scaled by the in-sample seasonal naive error), MAPE,\n"
    "and the share of outcomes inside the P10..P90 interval (coverage80; aim:\n"
    "0.75..0.85). Prints CSV:\n"
    "level,method,horizon_from,horizon_to,origins,points,mase,mape,coverage80\n"
    "(a figure with nothing to average is empty: coverage80 of snaive, which\n"
    "has no interval).\n\n"
    "Options:\n"
    "  --what volume      what to backtest (volume here)\n"
    "  --shipments F, --zips F, --stations F, --config FILE   the inputs\n"
    "  --horizon N        months ahead to score (default 16)\n"
    "  --origins N        number of origins, latest first (default 6)\n"
    "  --step N           months between origins (default 3)\n"
    "  --min-train N      months of history before the first origin (default 24)\n"
    "  --paths N          sample paths for the intervals (default 200)\n"
    "  --seed N, --threads N, -o FILE, -q, -v, -h   as everywhere\n";

enum { OPT_WHAT = 2100, OPT_HORIZON, OPT_ORIGINS, OPT_STEP, OPT_MIN_TRAIN, OPT_PATHS };

int cli_backtest_volume(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_INPUT_LONGOPTS,
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"seed", required_argument, NULL, OPT_SEED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"what", required_argument, NULL, OPT_WHAT},
        {"horizon", required_argument, NULL, OPT_HORIZON},
        {"origins", required_argument, NULL, OPT_ORIGINS},
        {"step", required_argument, NULL, OPT_STEP},
        {"min-train", required_argument, NULL, OPT_MIN_TRAIN},
        {"paths", required_argument, NULL, OPT_PATHS},
        {NULL, 0, NULL, 0}};
    cli c;
    cli_init(&c, "backtest");
    long horizon = 16, origins = 6, step = 3, min_train = 24, paths = 200, seed = -1, threads = -1;
    int opt;
    while ((opt = getopt_long(argc, argv, ":hqvo:", longopts, NULL)) != -1) {
        int bad = 0;
        switch (opt) {
        case OPT_WHAT:
            if (strcmp(optarg, "volume") != 0)
                bad = cli_usage_error(&c, "--what: this is the volume backtest, got \"%s\"", optarg);
            break;
        case OPT_HORIZON: bad = cli_int_option(&c, "horizon", optarg, 1, 120, &horizon); break;
        case OPT_ORIGINS: bad = cli_int_option(&c, "origins", optarg, 1, 120, &origins); break;
        case OPT_STEP: bad = cli_int_option(&c, "step", optarg, 1, 24, &step); break;
        case OPT_MIN_TRAIN: bad = cli_int_option(&c, "min-train", optarg, 3, 600, &min_train); break;
        case OPT_PATHS: bad = cli_int_option(&c, "paths", optarg, 10, 100000, &paths); break;
        case OPT_SEED: bad = cli_int_option(&c, "seed", optarg, 0, 2147483647L, &seed); break;
        case OPT_THREADS: bad = cli_int_option(&c, "threads", optarg, 1, 64, &threads); break;
        default:
            if (cli_common_option(&c, opt, optarg) < 0) return cli_exit(&c, FC_EUSAGE);
        }
        if (bad) return cli_exit(&c, FC_EUSAGE);
    }
    if (cli_options_done(&c, cli_backtest_volume_help, argc, argv, 0)) return cli_exit(&c, c.status);
    if (cli_check_format(&c, "csv")) return cli_exit(&c, FC_EUSAGE);
    if (fc_outfile_check(c.output, &c.diag)) return cli_exit(&c, FC_ECANTCREAT);
    int st = cli_load_config(&c);
    if (st) return cli_exit(&c, st);
    static const int need[] = {FC_IN_SHIPMENTS, FC_IN_ZIPS, FC_IN_STATIONS};
    char *paths_in[FC_INPUT_N] = {0};
    for (int i = 0; i < 3; i++) {
        if (!c.config->inputs[need[i]])
            return cli_exit(&c, cli_usage_error(&c, "no %s file given (--%s)", fc_input_name(need[i]),
                                                fc_input_name(need[i])));
        paths_in[need[i]] = c.config->inputs[need[i]];
        if (cli_stdin_claim(&c, paths_in[need[i]], fc_input_name(need[i]))) return cli_exit(&c, FC_EUSAGE);
    }
    fc_vol_backtest_options bo = {
        .horizon = (int)horizon, .origins = (int)origins, .step = (int)step,
        .min_train = (int)min_train, .paths = (int)paths,
        .seed = seed >= 0 ? (uint64_t)seed : c.config->seed,
        .threads = fc_parallel_threads((int)threads),
    };
    if (bo.threads < 1) bo.threads = 1;
    fc_dataset ds;
    st = fc_dataset_load(&ds, paths_in, bo.threads, &c.diag);
    if (st == FC_OK && c.diag.n_errors) st = c.diag.status;
    if (st == FC_OK) {
        fc_outfile out;
        if ((st = fc_outfile_open(&out, c.output, &c.diag)) == FC_OK) {
            st = fc_vol_backtest(ds.shipments, ds.stations->n, &bo, out.fp, &c.diag);
            if (st == FC_OK) st = fc_outfile_commit(&out, &c.diag);
            else fc_outfile_abort(&out);
        }
    }
    fc_dataset_free(&ds);
    return cli_exit(&c, st);
}
