/* outfile.c -- atomic output files (temporary file + fsync + rename). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fleetcast/outfile.h"

/* mkstemp creates its file 0600; an output file gets what open(2) would
 * give it, 0666 less the umask, so a batch's results are readable by those
 * its umask lets read them. umask(2) can only be read by setting it, so it
 * is read once, on the first output file (before any worker thread). */
static mode_t file_mode;
static void read_umask(void)
{
    mode_t m = umask(022);
    umask(m);
    file_mode = 0666 & ~m;
}

int fc_outfile_check(const char *path, fc_diag *d)
{
    if (!path || strcmp(path, "-") == 0) return FC_OK;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fc_diag_error(d, FC_ECANTCREAT, "%s: cannot create: %s", path, strerror(EISDIR));
        return FC_ECANTCREAT;
    }
    /* the folder it goes in: there, a folder, and writable */
    size_t n = strlen(path);
    char *dir = malloc(n + 2);
    if (!dir) return FC_OK;  /* the open will say */
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (!slash) strcpy(dir, ".");
    else if (slash == dir) dir[1] = 0;
    else *slash = 0;
    int err = 0;
    if (stat(dir, &sb) != 0) err = errno;
    else if (!S_ISDIR(sb.st_mode)) err = ENOTDIR;
    else if (access(dir, W_OK | X_OK) != 0) err = errno;
    free(dir);
    if (!err) return FC_OK;
    fc_diag_error(d, FC_ECANTCREAT, "%s: cannot create: %s", path, strerror(err));
    return FC_ECANTCREAT;
}

int fc_outfile_open(fc_outfile *o, const char *path, fc_diag *d)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return FC_OK;
    }
    /* A folder can never be renamed over: say so now (73), not as a write
     * error (74) at the end. */
    int st = fc_outfile_check(path, d);
    if (st) return st;
    size_t n = strlen(path) + 16;
    o->path = strdup(path);
    o->tmp = malloc(n);
    if (!o->path || !o->tmp) {
        fc_outfile_abort(o);
        fc_diag_error(d, FC_EINTERNAL, "%s: out of memory", path);
        return FC_EINTERNAL;
    }
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fc_diag_error(d, FC_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        fc_outfile_abort(o);
        return FC_ECANTCREAT;
    }
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, read_umask);
    if (fchmod(fd, file_mode) != 0) {
        fc_diag_error(d, FC_ECANTCREAT, "%s: cannot set the file mode: %s", o->tmp, strerror(errno));
        close(fd);
        fc_outfile_abort(o);
        return FC_ECANTCREAT;
    }
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        close(fd);
        fc_diag_error(d, FC_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
        fc_outfile_abort(o);
        return FC_ECANTCREAT;
    }
    return FC_OK;
}

int fc_outfile_finish(fc_outfile *o, fc_diag *d)
{
    if (!o->path) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fc_diag_error(d, FC_EIO, "<stdout>: write error: %s", strerror(errno));
            return FC_EIO;
        }
        return FC_OK;
    }
    if (!o->fp) return FC_OK;   /* finished already */
    int bad = fflush(o->fp) != 0 || ferror(o->fp);
    if (!bad) bad = fsync(fileno(o->fp)) != 0 && errno != EINVAL;
    int err = errno;
    if (fclose(o->fp) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    o->fp = NULL;
    if (bad) {
        fc_diag_error(d, FC_EIO, "%s: write error: %s", o->path, strerror(err));
        fc_outfile_abort(o);
        return FC_EIO;
    }
    return FC_OK;
}

int fc_outfile_publish(fc_outfile *o, fc_diag *d)
{
    if (!o->path) return FC_OK;
    if (rename(o->tmp, o->path) != 0) {
        fc_diag_error(d, FC_EIO, "%s: write error: %s", o->path, strerror(errno));
        fc_outfile_abort(o);
        return FC_EIO;
    }
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return FC_OK;
}

int fc_outfile_commit(fc_outfile *o, fc_diag *d)
{
    int st = fc_outfile_finish(o, d);
    return st ? st : fc_outfile_publish(o, d);
}

void fc_outfile_abort(fc_outfile *o)
{
    if (o->fp && o->fp != stdout) fclose(o->fp);
    o->fp = NULL;
    if (o->tmp) unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
}
