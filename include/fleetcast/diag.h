/* diag.h -- where library code sends errors, warnings and notes.
 *
 * Library code never prints or exits: it reports through an fc_diag, which
 * counts errors, remembers the worst status, and hands each formatted message
 * to a sink the command layer installs (stderr with a "fleetcast CMD: "
 * prefix, or JSON lines for log collectors). */
#ifndef FLEETCAST_DIAG_H
#define FLEETCAST_DIAG_H

#include <stdarg.h>
#include "fleetcast/status.h"

typedef enum fc_level { FC_LEVEL_ERROR, FC_LEVEL_WARN, FC_LEVEL_NOTE, FC_LEVEL_DEBUG } fc_level;

typedef void (*fc_diag_sink)(void *ud, fc_level level, const char *msg);

typedef struct fc_diag {
    fc_diag_sink sink;  /* NULL: messages are dropped (still counted) */
    void *ud;
    int max_errors;     /* stop printing after this many errors; 0 = no limit */
    int verbosity;      /* 0 errors+warnings, 1 +notes (default), 2 +debug, -1 errors only */
    long n_errors;      /* errors reported (including unprinted ones) */
    long n_warnings;
    int status;         /* first non-OK status reported */
} fc_diag;

/* A diag that prints nothing; handy for tests. */
void fc_diag_init(fc_diag *d, fc_diag_sink sink, void *ud);

/* Report an error of class `status` (e.g. FC_EDATA). */
void fc_diag_error(fc_diag *d, int status, const char *fmt, ...) FC_PRINTF(3, 4);
void fc_diag_warn(fc_diag *d, const char *fmt, ...) FC_PRINTF(2, 3);
void fc_diag_note(fc_diag *d, const char *fmt, ...) FC_PRINTF(2, 3);
void fc_diag_debug(fc_diag *d, const char *fmt, ...) FC_PRINTF(2, 3);

/* An error at a place in a file: "FILE:LINE:COL: MESSAGE" (COL 0 omitted). */
void fc_diag_at(fc_diag *d, int status, const char *file, long line, int col,
                const char *fmt, ...) FC_PRINTF(6, 7);

/* True once max_errors errors have been reported: readers stop early. */
int fc_diag_full(const fc_diag *d);

#endif
