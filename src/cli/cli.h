/* cli.h -- (private to src/cli) the command table and the options, messages
 * and exit handling every command shares. */
#ifndef FLEETCAST_CLI_H
#define FLEETCAST_CLI_H

#include <getopt.h>
#include <stdio.h>
#include "fleetcast/config.h"
#include "fleetcast/diag.h"

typedef int (*fc_cmd_fn)(int argc, char **argv);

typedef struct fc_command {
    const char *name;
    fc_cmd_fn fn;
    const char *summary;
} fc_command;

/* One function per command, each in its own cmd_<name>.c. */
int cmd_validate(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);

int cmd_synth(int argc, char **argv);
int cmd_forecast(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_run(int argc, char **argv);

/* Long-option codes shared by the commands (beyond single letters). */
enum {
    OPT_CONFIG = 1000, OPT_SHIPMENTS, OPT_ROUTES, OPT_ZIPS, OPT_STATIONS, OPT_VEHICLES,
    OPT_FLEET, OPT_FORMAT, OPT_MAX_ERRORS, OPT_LOG_FORMAT, OPT_SEED, OPT_THREADS
};

/* The options every command takes, for its getopt_long table. */
#define CLI_COMMON_LONGOPTS                                         \
    {"help", no_argument, NULL, 'h'},                               \
    {"quiet", no_argument, NULL, 'q'},                              \
    {"verbose", no_argument, NULL, 'v'},                            \
    {"log-format", required_argument, NULL, OPT_LOG_FORMAT}
#define CLI_INPUT_LONGOPTS                                          \
    {"config", required_argument, NULL, OPT_CONFIG},                \
    {"shipments", required_argument, NULL, OPT_SHIPMENTS},         \
    {"routes", required_argument, NULL, OPT_ROUTES},                \
    {"zips", required_argument, NULL, OPT_ZIPS},                    \
    {"stations", required_argument, NULL, OPT_STATIONS},            \
    {"vehicles", required_argument, NULL, OPT_VEHICLES},            \
    {"fleet", required_argument, NULL, OPT_FLEET}
/* --threads N into cli.threads, for commands without their own handling */
#define CLI_THREADS_LONGOPT {"threads", required_argument, NULL, OPT_THREADS}

typedef struct cli {
    const char *cmd;            /* "validate", ... */
    fc_diag diag;               /* messages to stderr, prefixed "fleetcast CMD: " */
    int log_json;               /* --log-format json */
    const char *config_path;    /* --config */
    const char *input_arg[FC_INPUT_N]; /* --shipments etc. (override the config) */
    fc_config *config;          /* after cli_load_config() */
    const char *output;         /* -o, NULL = stdout */
    const char *format;         /* --format, NULL = the command's default */
    long threads;               /* --threads (CLI_THREADS_LONGOPT), 0 = every core */
    const char *stdin_user;     /* the option that reads stdin ('-'), if any */
    int progress_shown;         /* a progress line is on the terminal (run) */
    int help;
    int status;                 /* exit status when cli_options_done says stop */
} cli;

void cli_init(cli *c, const char *cmd);
void cli_free(cli *c);

/* The command's arguments (argv of its function), for naming a bad
 * option in a message; set by main. */
extern char **cli_args;

/* mkdir -p: create dir and any missing parents (0, or -1 with errno). */
int cli_make_dirs(const char *dir);

/* Handle an option every command shares. Returns 1 when handled, -1 on a
 * bad value or an option the command does not take (reported). */
int cli_common_option(cli *c, int opt, const char *arg);

/* After the option loop: with --help, print the help and say stop (status
 * 0); more than max_args arguments left is a usage error (stop, status 64).
 * Returns 1 to stop with c->status, 0 to go on. */
int cli_options_done(cli *c, const char *help, int argc, char **argv, int max_args);

/* Load --config (if any) and apply the --shipments etc. overrides.
 * Returns a status (reported). */
int cli_load_config(cli *c);

/* `what` (an option, "--zips") reads path: stdin when it is "-", which
 * only one reader can have (the config, a model, an input file). FC_OK, or
 * FC_EUSAGE (reported) for a second one. */
int cli_stdin_claim(cli *c, const char *path, const char *what);
/* The same for every input file the config names (after the overrides). */
int cli_stdin_claim_inputs(cli *c);

/* Report a usage error and return FC_EUSAGE. */
int cli_usage_error(cli *c, const char *fmt, ...) FC_PRINTF(2, 3);

/* Parse the value of option --name as a whole number in [lo, hi]: FC_OK,
 * or FC_EUSAGE (reported). */
int cli_int_option(cli *c, const char *name, const char *arg, long lo, long hi, long *out);

/* Check a --format value against a list like "text|json". */
int cli_check_format(cli *c, const char *allowed);

/* Print the command's usage (its help text) to f. */
void cli_print_help(FILE *f, const char *text);

/* Final exit code: flushes stdout (a failing flush is an I/O error). */
int cli_exit(cli *c, int status);

/* Seconds on the monotonic clock (for the timing lines of -v). */
double cli_seconds(void);

/* The help text on exit codes shared by every --help. */
extern const char cli_exit_codes_help[];

/* Shared by fit, predict and backtest (cmd_fit.c): check the inputs a
 * model needs are named, read the "model" settings, load the files (the
 * routes with fc_routes_read_ex flags; threads as fc_dataset_load's).
 * Returns a status (reported). */
struct fc_dataset;
struct fc_spr_settings;
int cli_spr_load(cli *c, struct fc_dataset *ds, struct fc_spr_settings *s, int routes_flags, int threads);
/* The head of forecast.json (cmd_forecast.c): schema_version, kind,
 * settings, inputs, the volume model's summary, the scenario; `forecast`
 * and `run` write the same document. */
struct fc_config;
struct fc_vol_history;
struct fc_vol_model;
struct fc_vol_forecast;
cJSON *cli_forecast_meta(const struct fc_dataset *ds, const struct fc_config *cfg, const struct fc_vol_history *h,
                         const struct fc_vol_model *m, const struct fc_vol_forecast *fc, const char *level,
                         int paths, unsigned long long seed);
struct fc_spr_model;
/* Report m's station fits that did not converge, if any: an error with
 * FC_ENOCONV (fit) or a warning (run, diagnose). Returns how many. */
int cli_spr_noconv(cli *c, const struct fc_spr_model *m, int as_error);
/* Read model.json (cmd_predict.c). */
int cli_spr_model_read(cli *c, const char *path, struct fc_spr_model **m);

/* Backtests (cmd_backtest.c): each `--what` fills a report of accuracy
 * rows; one function per what, in its own cmd_backtest_<what>.c. */
typedef struct bt_row {
    char *split;                /* owned: "van:TYPE" is as long as the van type */
    char variant[16];
    int64_t n;
    double mape, bias, p90;     /* routes, % */
    /* a baseline's row: the hybrid's MAPE minus this one's on the same
     * rows, with its 90% paired block-bootstrap interval (NaN: none) */
    double dmape, dlo, dhi;
} bt_row;
typedef struct bt_report {
    bt_row *rows;
    int n, cap;
} bt_report;
struct fc_boot_diff;
int bt_report_add(bt_report *rep, const char *split, const char *variant, int64_t n, double mape,
                  double bias, double p90, const struct fc_boot_diff *hybrid_minus);
void bt_report_free(bt_report *rep);
int backtest_spr(cli *c, bt_report *rep);

#endif
