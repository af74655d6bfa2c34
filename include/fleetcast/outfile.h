/* outfile.h -- output files that appear whole or not at all: writes go to a
 * temporary file in the target's folder, renamed into place on commit.
 * "-" (or NULL) means stdout, written directly; so is an existing target
 * that is not a regular file (/dev/null, a FIFO), which a rename would
 * replace. A symbolic link keeps pointing at the file, which is replaced. */
#ifndef FLEETCAST_OUTFILE_H
#define FLEETCAST_OUTFILE_H

#include <stdio.h>
#include "fleetcast/diag.h"

typedef struct fc_outfile {
    FILE *fp;           /* write here */
    char *path;         /* final name, NULL for stdout */
    char *tmp;          /* temporary name; NULL when written in place */
    int pending;        /* (private) its slot for fc_outfile_remove_pending */
} fc_outfile;

/* Whether path (NULL or "-": stdout) could be created, before any work:
 * not a folder, in a folder that exists and is writable. FC_ECANTCREAT
 * (reported) otherwise; commands check it before reading and fitting, so
 * a typo in -o does not cost the whole run first. */
int fc_outfile_check(const char *path, fc_diag *d) FC_MUST_CHECK;
/* FC_ECANTCREAT (reported) when the temporary file cannot be made. */
int fc_outfile_open(fc_outfile *o, const char *path, fc_diag *d) FC_MUST_CHECK;
/* Flush, sync and rename into place; FC_EIO (reported) on any failure, and
 * the temporary file is removed. The same as fc_outfile_finish then
 * fc_outfile_publish. */
int fc_outfile_commit(fc_outfile *o, fc_diag *d) FC_MUST_CHECK;
/* For a set of files that should replace their old versions together: the
 * first phase flushes, syncs and closes the temporary file (where a full
 * disk shows), the second renames it into place. Finish them all before
 * publishing any. On failure (reported) the temporary file is removed. */
int fc_outfile_finish(fc_outfile *o, fc_diag *d) FC_MUST_CHECK;
int fc_outfile_publish(fc_outfile *o, fc_diag *d) FC_MUST_CHECK;
/* Discard: remove the temporary file (no-op after commit or for stdout). */
void fc_outfile_abort(fc_outfile *o);
/* A write to o failed (ferror): report it with the file's name and errno's
 * reason, discard the temporary file; returns FC_EIO. */
int fc_outfile_write_failed(fc_outfile *o, fc_diag *d);
/* Remove every temporary file not yet published or discarded. Only
 * unlink(2): async-signal-safe, for the command line's handler of SIGINT,
 * SIGTERM and the like, so an interrupted write leaves nothing behind. */
void fc_outfile_remove_pending(void);

#endif
