/* diag.c -- formatting and counting of errors, warnings and notes. */
#include <stdio.h>
#include <string.h>
#include "fleetcast/diag.h"

const char *fc_status_name(int status)
{
    switch (status) {
    case FC_OK: return "ok";
    case FC_EUSAGE: return "usage error";
    case FC_EDATA: return "bad data";
    case FC_ENOINPUT: return "input missing or unreadable";
    case FC_EINTERNAL: return "internal error";
    case FC_ECANTCREAT: return "cannot create output";
    case FC_EIO: return "I/O error";
    case FC_ELOCKED: return "output folder locked by another run";
    case FC_ENOCONV: return "model did not converge";
    default: return "error";
    }
}

void fc_diag_init(fc_diag *d, fc_diag_sink sink, void *ud)
{
    memset(d, 0, sizeof *d);
    d->sink = sink;
    d->ud = ud;
    d->verbosity = 1;
}

static void emit(fc_diag *d, fc_level level, const char *prefix, const char *fmt, va_list ap)
{
    char buf[2048];
    size_t n = 0;
    if (prefix) {
        int k = snprintf(buf, sizeof buf, "%s", prefix);
        n = k > 0 ? (size_t)k : 0;
        if (n >= sizeof buf) n = sizeof buf - 1;
    }
    vsnprintf(buf + n, sizeof buf - n, fmt, ap);
    if (d && d->sink) d->sink(d->ud, level, buf);
}

static int printable(fc_diag *d, fc_level level)
{
    if (!d) return 0;
    switch (level) {
    case FC_LEVEL_ERROR: return !d->max_errors || d->n_errors <= d->max_errors;
    case FC_LEVEL_WARN: return d->verbosity >= 0;
    case FC_LEVEL_NOTE: return d->verbosity >= 1;
    default: return d->verbosity >= 2;
    }
}

static void count_error(fc_diag *d, int status)
{
    d->n_errors++;
    if (d->status == FC_OK) d->status = status ? status : FC_EINTERNAL;
}

void fc_diag_error(fc_diag *d, int status, const char *fmt, ...)
{
    va_list ap;
    if (!d) return;
    count_error(d, status);
    if (!printable(d, FC_LEVEL_ERROR)) return;
    va_start(ap, fmt);
    emit(d, FC_LEVEL_ERROR, NULL, fmt, ap);
    va_end(ap);
}

void fc_diag_at(fc_diag *d, int status, const char *file, long line, int col,
                const char *fmt, ...)
{
    char prefix[1100];
    va_list ap;
    if (!d) return;
    count_error(d, status);
    if (!printable(d, FC_LEVEL_ERROR)) return;
    if (line > 0 && col > 0)
        snprintf(prefix, sizeof prefix, "%s:%ld:%d: ", file, line, col);
    else if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%ld: ", file, line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", file);
    va_start(ap, fmt);
    emit(d, FC_LEVEL_ERROR, prefix, fmt, ap);
    va_end(ap);
}

#define FC_DIAG_LEVEL_FN(name, level, counter)          \
    void name(fc_diag *d, const char *fmt, ...)         \
    {                                                   \
        va_list ap;                                     \
        if (!d) return;                                 \
        counter;                                        \
        if (!printable(d, level)) return;               \
        va_start(ap, fmt);                              \
        emit(d, level, NULL, fmt, ap);                  \
        va_end(ap);                                     \
    }
FC_DIAG_LEVEL_FN(fc_diag_warn, FC_LEVEL_WARN, d->n_warnings++)
FC_DIAG_LEVEL_FN(fc_diag_note, FC_LEVEL_NOTE, (void)0)
FC_DIAG_LEVEL_FN(fc_diag_debug, FC_LEVEL_DEBUG, (void)0)

int fc_diag_full(const fc_diag *d)
{
    return d && d->max_errors > 0 && d->n_errors >= d->max_errors;
}
