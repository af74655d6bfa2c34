/* cli_common.c -- options, messages and exit codes shared by every command. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include "cli.h"

const char cli_exit_codes_help[] =
    "Exit codes: 0 ok, 64 usage error, 65 bad input data, 66 input missing or\n"
    "unreadable, 70 internal error, 73 cannot create output, 74 I/O error,\n"
    "75 output folder locked by another run, 79 model did not converge.\n";

static void sink_text(void *ud, fc_level level, const char *msg)
{
    cli *c = ud;
    static const char *tag[] = {"", "warning: ", "note: ", "debug: "};
    fflush(stdout);
    /* a message on its own line, not appended to the progress line */
    if (c->progress_shown) fputs("\r\033[K", stderr);
    c->progress_shown = 0;
    fprintf(stderr, "fleetcast %s: %s%s\n", c->cmd, tag[level], msg);
}

static void sink_json(void *ud, fc_level level, const char *msg)
{
    cli *c = ud;
    static const char *name[] = {"error", "warning", "note", "debug"};
    cJSON *o = cJSON_CreateObject();
    if (!o) return;
    cJSON_AddStringToObject(o, "level", name[level]);
    cJSON_AddStringToObject(o, "command", c->cmd);
    cJSON_AddStringToObject(o, "message", msg);
    char *s = cJSON_PrintUnformatted(o);
    if (s) {
        fflush(stdout);
        fprintf(stderr, "%s\n", s);
    }
    free(s);
    cJSON_Delete(o);
}

void cli_init(cli *c, const char *cmd)
{
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    fc_diag_init(&c->diag, sink_text, c);
    /* --log-format json applies to every message, also those about the
     * options before it: read it ahead of the option parser (the last one
     * given wins, as there; a bad value is reported there). */
    for (int i = 0; cli_args && cli_args[i]; i++) {
        const char *a = cli_args[i], *v = NULL;
        if (strcmp(a, "--") == 0) break;
        if (strcmp(a, "--log-format") == 0) v = cli_args[i + 1];
        else if (strncmp(a, "--log-format=", 13) == 0) v = a + 13;
        if (v && strcmp(v, "json") == 0) {
            c->log_json = 1;
            c->diag.sink = sink_json;
        } else if (v && strcmp(v, "text") == 0) {
            c->log_json = 0;
            c->diag.sink = sink_text;
        }
    }
    c->diag.max_errors = 20;
    optind = 0;  /* reset getopt for each command (glibc) */
    opterr = 0;
}

void cli_free(cli *c) { fc_config_free(c->config); c->config = NULL; }

int cli_usage_error(cli *c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fc_diag_error(&c->diag, FC_EUSAGE, "%s (see 'fleetcast %s --help')", buf, c->cmd);
    return FC_EUSAGE;
}

char **cli_args;

/* The option getopt_long just stopped at, for a message: a long one as
 * written (without any "=VALUE"), a short one by its letter. */
static void option_name(char *out, size_t n)
{
    const char *a = cli_args && optind > 0 ? cli_args[optind - 1] : NULL;
    if (a && strncmp(a, "--", 2) == 0) {
        size_t len = strcspn(a, "=");
        snprintf(out, n, "%.*s", (int)(len < 60 ? len : 60), a);
    } else if (optopt > 0 && optopt < 128) {
        snprintf(out, n, "-%c", optopt);
    } else {
        snprintf(out, n, "%s", a ? a : "?");
    }
}

int cli_common_option(cli *c, int opt, const char *arg)
{
    switch (opt) {
    case 'h': c->help = 1; return 1;
    case 'q': c->diag.verbosity = -1; return 1;
    case 'v': c->diag.verbosity = 2; return 1;
    case 'o': c->output = arg; return 1;
    case OPT_FORMAT: c->format = arg; return 1;
    case OPT_CONFIG: c->config_path = arg; return 1;
    case OPT_SHIPMENTS: c->input_arg[FC_IN_SHIPMENTS] = arg; return 1;
    case OPT_ROUTES: c->input_arg[FC_IN_ROUTES] = arg; return 1;
    case OPT_ZIPS: c->input_arg[FC_IN_ZIPS] = arg; return 1;
    case OPT_STATIONS: c->input_arg[FC_IN_STATIONS] = arg; return 1;
    case OPT_VEHICLES: c->input_arg[FC_IN_VEHICLES] = arg; return 1;
    case OPT_FLEET: c->input_arg[FC_IN_FLEET] = arg; return 1;
    case OPT_THREADS: return cli_int_option(c, "threads", arg, 1, 64, &c->threads) ? -1 : 1;
    case OPT_MAX_ERRORS: {
        long n;
        if (cli_int_option(c, "max-errors", arg, 0, 1000000, &n)) return -1;
        c->diag.max_errors = (int)n;
        return 1;
    }
    case OPT_LOG_FORMAT:
        /* cli_init set the format from the last --log-format already */
        if (strcmp(arg, "json") != 0 && strcmp(arg, "text") != 0) {
            cli_usage_error(c, "--log-format: expected text or json, got \"%s\"", arg);
            return -1;
        }
        return 1;
    case '?': {
        char name[64];
        option_name(name, sizeof name);
        const char *a = cli_args && optind > 0 ? cli_args[optind - 1] : NULL;
        if (optopt && a && strncmp(a, "--", 2) == 0 && strchr(a, '='))
            cli_usage_error(c, "option '%s' takes no value", name);
        else
            cli_usage_error(c, "unknown option '%s'", name);
        return -1;
    }
    case ':': {
        char name[64];
        option_name(name, sizeof name);
        cli_usage_error(c, "option '%s' needs a value", name);
        return -1;
    }
    default:
        cli_usage_error(c, "unexpected option");
        return -1;
    }
}

int cli_options_done(cli *c, const char *help, int argc, char **argv, int max_args)
{
    if (c->help) {
        cli_print_help(stdout, help);
        c->status = FC_OK;
        return 1;
    }
    if (argc - optind > max_args) {
        c->status = cli_usage_error(c, "unexpected argument '%s'", argv[optind + max_args]);
        return 1;
    }
    return 0;
}

int cli_stdin_claim(cli *c, const char *path, const char *what)
{
    if (!path || strcmp(path, "-") != 0) return FC_OK;
    if (c->stdin_user)
        return cli_usage_error(c, "only one input can be read from stdin ('-'): %s and %s both name it",
                               c->stdin_user, what);
    c->stdin_user = what;
    return FC_OK;
}

int cli_stdin_claim_inputs(cli *c)
{
    for (int i = 0; i < FC_INPUT_N; i++) {
        int st = cli_stdin_claim(c, c->config->inputs[i], fc_input_name(i));
        if (st) return st;
    }
    return FC_OK;
}

int cli_load_config(cli *c)
{
    int st;
    if (c->config_path) {
        if ((st = cli_stdin_claim(c, c->config_path, "the config"))) return st;
        st = fc_config_load(c->config_path, &c->diag, &c->config);
        if (st) return st;
    } else {
        c->config = fc_config_new();
        if (!c->config) return FC_EINTERNAL;
    }
    for (int i = 0; i < FC_INPUT_N; i++)
        if (c->input_arg[i] && (st = fc_config_set_input(c->config, i, c->input_arg[i])))
            return st;
    return FC_OK;
}

int cli_check_format(cli *c, const char *allowed)
{
    if (!c->format) return FC_OK;
    size_t n = strlen(c->format);
    const char *p = allowed;
    while (*p) {
        const char *q = strchr(p, '|');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        if (len == n && strncmp(p, c->format, n) == 0) return FC_OK;
        if (!q) break;
        p = q + 1;
    }
    return cli_usage_error(c, "--format: expected one of %s, got \"%s\"", allowed, c->format);
}

void cli_print_help(FILE *f, const char *text)
{
    fputs(text, f);
    fputs("\n", f);
    fputs(cli_exit_codes_help, f);
}

double cli_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int cli_exit(cli *c, int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (status == FC_OK) {
            fc_diag_error(&c->diag, FC_EIO, "write error on standard output: %s", strerror(errno));
            status = FC_EIO;
        }
    }
    cli_free(c);
    return status;
}

int cli_int_option(cli *c, const char *name, const char *arg, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    /* strtol would skip leading blanks: " 5" is refused as "5x" is */
    long v = isspace((unsigned char)arg[0]) ? 0 : strtol(arg, &end, 10);
    if (isspace((unsigned char)arg[0]) || errno || *end || end == arg || v < lo || v > hi)
        return cli_usage_error(c, "--%s: expected a whole number in [%ld, %ld], got \"%s\"", name, lo,
                               hi, arg);
    *out = v;
    return FC_OK;
}

/* mkdir -p: create dir and any missing parents. */
int cli_make_dirs(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}
