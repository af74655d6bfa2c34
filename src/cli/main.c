/* main.c -- the fleetcast binary: dispatches to one function per command. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include "cli.h"
#include "fleetcast/outfile.h"

/* OpenBLAS (cblas.h): its worker threads spin on the small ridge systems
 * fleetcast solves and cost more than they save; our own threads are
 * where the parallelism is. */
void openblas_set_num_threads(int n);

static const fc_command commands[] = {
    {"run", cmd_run, "the monthly batch: validate, fit, forecast, plan, revision report"},
    {"validate", cmd_validate, "check input files, summarise them"},
    {"fit", cmd_fit, "fit the hybrid SPR model -> model.json"},
    {"predict", cmd_predict, "score station-days with a model (routes, SPR) -> CSV"},
    {"forecast", cmd_forecast, "zip volumes -> station and network packages by month, with quantiles"},
    {"plan", cmd_plan, "vans by type and electric deployment per station and month -> plan.json"},
    {"backtest", cmd_backtest, "accuracy of physics / ML / hybrid on held-out splits"},
    {"diagnose", cmd_diagnose, "zips and stations whose routes depart from the model"},
    {"synth", cmd_synth, "realistic example data, built by actually routing stops"},
};
static const int ncommands = (int)(sizeof commands / sizeof commands[0]);

static void usage(FILE *f)
{
    fputs("Usage: fleetcast <command> [options]\n"
          "       fleetcast help <command>     (same as fleetcast <command> --help)\n"
          "       fleetcast --version\n\n"
          "Last-mile delivery fleet planning: zip-level volume forecasts, a hybrid\n"
          "shipments-per-route model, van counts and electric-van deployment.\n\n"
          "Commands:\n", f);
    for (int i = 0; i < ncommands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nFiles named '-' are stdin/stdout; results go to stdout unless -o;\n"
          "messages go to stderr.\n\n", f);
    fputs(cli_exit_codes_help, f);
}

static const fc_command *find(const char *name)
{
    for (int i = 0; i < ncommands; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

/* A closed stdin, stdout or stderr (`>&-`, some daemons) would hand its
 * number to the next file opened: an output's temporary file became fd 1,
 * so closing it failed the final fclose(stdout) of a good run (exit 74),
 * and messages could land in it. Hold them on /dev/null instead, opened
 * read-only for stdout so that results written there still fail (74). */
static void std_fds_init(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        int nfd = open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);
        if (nfd >= 0 && nfd != fd) {
            dup2(nfd, fd);
            close(nfd);
        }
    }
}

/* Killed while writing (a cron or systemd timeout, Ctrl-C, a closed pipe):
 * remove the temporary files, then die of the same signal as before. */
static void on_signal(int sig)
{
    fc_outfile_remove_pending();
    raise(sig);  /* SA_RESETHAND: the default action, once this returns */
}

static void signals_init(void)
{
    static const int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
        struct sigaction sa, old;
        /* one ignored by the parent (nohup, a background job) stays so */
        if (sigaction(sigs[k], NULL, &old) != 0 || old.sa_handler == SIG_IGN) continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(sigs[k], &sa, NULL);
    }
    /* A file-size limit (ulimit -f) is a write error, reported with the
     * file's name, rather than a kill that leaves the temporary file. */
    signal(SIGXFSZ, SIG_IGN);
}

static int finish(int status)
{
    if (fclose(stdout) != 0 && status == 0) {
        fprintf(stderr, "fleetcast: write error on standard output\n");
        return FC_EIO;
    }
    return status;
}

int main(int argc, char **argv)
{
    std_fds_init();
    signals_init();
    gsl_set_error_handler_off();
    openblas_set_num_threads(1);
    if (argc < 2) {
        usage(stderr);
        return FC_EUSAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        (strcmp(name, "help") == 0 && argc == 2)) {
        usage(stdout);
        return finish(FC_OK);
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("fleetcast %s\n", FC_VERSION);
        return finish(FC_OK);
    }
    if (strcmp(name, "help") == 0) {
        const fc_command *c = find(argv[2]);
        if (!c) {
            fprintf(stderr, "fleetcast: no command '%s' (see 'fleetcast --help')\n", argv[2]);
            return FC_EUSAGE;
        }
        char *args[] = {(char *)c->name, "--help", NULL};
        cli_args = args;
        return finish(c->fn(2, args));
    }
    const fc_command *c = find(name);
    if (!c) {
        fprintf(stderr, "fleetcast: no command '%s' (see 'fleetcast --help')\n", name);
        return FC_EUSAGE;
    }
    cli_args = argv + 1;
    return finish(c->fn(argc - 1, argv + 1));
}
