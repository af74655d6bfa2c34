/* outfile.c -- atomic output files (temporary file + fsync + rename). */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
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

/* Temporary files not yet renamed or removed, for
 * fc_outfile_remove_pending() in a signal handler. A slot is written once
 * and never reused, so a handler (on any thread) never reads a name that is
 * being changed or freed; a process writes a handful of files, and past
 * PENDING_MAX a file simply goes unregistered. */
enum { PENDING_MAX = 256 };
static char *pending_name[PENDING_MAX];
static volatile sig_atomic_t pending_live[PENDING_MAX];
static int pending_used;
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

static int pending_add(const char *tmp)
{
    char *copy = strdup(tmp);
    if (!copy) return 0;
    pthread_mutex_lock(&pending_lock);
    int k = pending_used < PENDING_MAX ? pending_used++ : -1;
    pthread_mutex_unlock(&pending_lock);
    if (k < 0) {
        free(copy);
        return 0;
    }
    pending_name[k] = copy;
    __atomic_store_n(&pending_live[k], 1, __ATOMIC_RELEASE);
    return k + 1;
}

static void pending_drop(fc_outfile *o)
{
    if (o->pending) __atomic_store_n(&pending_live[o->pending - 1], 0, __ATOMIC_RELEASE);
    o->pending = 0;
}

void fc_outfile_remove_pending(void)
{
    for (int k = 0; k < PENDING_MAX; k++)
        if (__atomic_load_n(&pending_live[k], __ATOMIC_ACQUIRE)) unlink(pending_name[k]);
}

/* An existing target that is not a regular file (a device such as
 * /dev/null, a FIFO, bash's >(cmd)) is written in place: renaming over it
 * would replace it with a regular file. */
static int is_special(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode);
}

/* The file a symbolic link names (malloc'd), or NULL for anything else: the
 * file is replaced and the link kept (a rename would replace the link). */
static char *link_target(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0 || !S_ISLNK(sb.st_mode)) return NULL;
    char *real = realpath(path, NULL);
    if (real) return real;
    /* A dangling link (its file not made yet): the name it holds, taken
     * from the link's folder when relative, so the file is created there
     * and the link kept (it was replaced by a regular file). */
    char buf[4096];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n <= 0) return NULL;
    buf[n] = '\0';
    const char *slash = strrchr(path, '/');
    size_t dlen = buf[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
    char *out = malloc(dlen + (size_t)n + 1);
    if (!out) return NULL;
    memcpy(out, path, dlen);
    memcpy(out + dlen, buf, (size_t)n + 1);
    return out;
}

int fc_outfile_check(const char *path, fc_diag *d)
{
    if (!path || strcmp(path, "-") == 0) return FC_OK;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fc_diag_error(d, FC_ECANTCREAT, "%s: cannot create: %s", path, strerror(EISDIR));
        return FC_ECANTCREAT;
    }
    if (is_special(path)) {
        if (access(path, W_OK) == 0) return FC_OK;
        fc_diag_error(d, FC_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
        return FC_ECANTCREAT;
    }
    /* the folder it goes in (the linked file's, for a link): there, a
     * folder, and writable */
    char *real = link_target(path);
    const char *file = real ? real : path;
    size_t n = strlen(file);
    char *dir = malloc(n + 2);
    if (!dir) {
        free(real);
        return FC_OK;  /* the open will say */
    }
    memcpy(dir, file, n + 1);
    free(real);
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
    if (is_special(path)) {
        o->path = strdup(path);
        o->fp = o->path ? fopen(path, "wb") : NULL;
        if (!o->fp) {
            fc_diag_error(d, FC_ECANTCREAT, "%s: cannot create: %s", path,
                          o->path ? strerror(errno) : "out of memory");
            fc_outfile_abort(o);
            return FC_ECANTCREAT;
        }
        return FC_OK;
    }
    char *real = link_target(path);
    size_t n = strlen(real ? real : path) + 16;
    o->path = strdup(real ? real : path);
    o->tmp = malloc(n);
    free(real);
    if (!o->path || !o->tmp) {
        fc_outfile_abort(o);
        fc_diag_error(d, FC_EINTERNAL, "%s: out of memory", path);
        return FC_EINTERNAL;
    }
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", o->path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fc_diag_error(d, FC_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        fc_outfile_abort(o);
        return FC_ECANTCREAT;
    }
    o->pending = pending_add(o->tmp);
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
    if (!o->tmp) {  /* written in place */
        free(o->path);
        o->path = NULL;
        return FC_OK;
    }
    if (rename(o->tmp, o->path) != 0) {
        fc_diag_error(d, FC_EIO, "%s: write error: %s", o->path, strerror(errno));
        fc_outfile_abort(o);
        return FC_EIO;
    }
    pending_drop(o);
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

int fc_outfile_write_failed(fc_outfile *o, fc_diag *d)
{
    int err = errno;
    fc_diag_error(d, FC_EIO, "%s: write error: %s", o->path ? o->path : "<stdout>",
                  err ? strerror(err) : "unknown error");
    fc_outfile_abort(o);
    return FC_EIO;
}

void fc_outfile_abort(fc_outfile *o)
{
    if (o->fp && o->fp != stdout) fclose(o->fp);
    o->fp = NULL;
    if (o->tmp) unlink(o->tmp);
    pending_drop(o);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
}
