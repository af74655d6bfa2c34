/* csv.c -- the streaming CSV reader.
 *
 * Lines without a double quote, the bulk of any shipments file, are split on
 * commas in place (no copy); every line that holds a quote, and every line
 * that continues a quoted field, goes through libcsv, which owns the RFC 4180
 * grammar. Both paths trim spaces and tabs around unquoted fields the way
 * libcsv does, and a test checks they agree field for field. The split path
 * is what lets validate read at > 200 MB/s: libcsv alone tops out near
 * 180 MB/s on this machine before any field is looked at. Lines end in LF
 * (or CRLF) or, in old Mac files, a lone CR: whichever the first line
 * break outside quotes is. A NUL byte stops the read: the file is not text. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <csv.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "fleetcast/csv.h"

/* Bytes kept readable (and zeroed) after the data in a buffer handed to
 * process(): find_byte reads 16 bytes at a time past the line's end. */
#define PAD 16

typedef struct reader {
    const char *name;
    fc_csv_row_fn fn;
    void *ud;
    fc_diag *d;
    fc_csv_row row;
    int cap;                /* capacity of row.f / row.len */
    /* libcsv path */
    struct csv_parser parser;
    int in_record;          /* libcsv is inside a record */
    long record_line;
    char *arena;            /* copies of libcsv's fields */
    size_t arena_len, arena_cap;
    size_t *offs;           /* field offsets in arena */
    int nf;
    long line;              /* physical line of the line being processed */
    int status;             /* first non-OK status from fn or the reader */
    int cur_high;           /* the line libcsv is parsing holds a byte >= 0x80 */
    int rec_high;           /* an earlier line of the open libcsv record did */
    long records;
    int eol;                /* line break: '\n' (LF, CRLF) or '\r' (CR only); 0 = not known yet */
} reader;

static int ensure_fields(reader *r, int n)
{
    if (n <= r->cap) return 0;
    int nc = r->cap ? r->cap : 16;
    while (nc < n) nc *= 2;
    char **f = realloc(r->row.f, (size_t)nc * sizeof *f);
    if (!f) return -1;
    r->row.f = f;
    size_t *len = realloc(r->row.len, (size_t)nc * sizeof *len);
    if (!len) return -1;
    r->row.len = len;
    size_t *offs = realloc(r->offs, (size_t)nc * sizeof *offs);
    if (!offs) return -1;
    r->offs = offs;
    r->cap = nc;
    return 0;
}

static void deliver(reader *r)
{
    r->records++;
    if (r->status != FC_OK) return;
    long before = r->d ? r->d->n_errors : 0;
    r->status = r->fn(r->ud, &r->row);
    /* The readers' row callbacks return FC_EINTERNAL on a failed allocation
     * without a word: say where, or the run ends with exit 70 and no message. */
    if (r->status == FC_EINTERNAL && r->d && r->d->n_errors == before)
        fc_diag_at(r->d, FC_EINTERNAL, r->name, r->row.line, 0, "out of memory reading this row");
}

static void oom(reader *r)
{
    if (r->status == FC_OK) {
        fc_diag_error(r->d, FC_EINTERNAL, "%s: out of memory", r->name);
        r->status = FC_EINTERNAL;
    }
}

/* libcsv callbacks: collect fields into the arena, deliver at record end. */
static void on_field(void *s, size_t n, void *ud)
{
    reader *r = ud;
    if (r->status) return;
    if (ensure_fields(r, r->nf + 1)) {
        oom(r);
        return;
    }
    if (r->arena_len + n + 1 > r->arena_cap) {
        size_t nc = r->arena_cap ? r->arena_cap : 4096;
        while (nc < r->arena_len + n + 1) nc *= 2;
        char *a = realloc(r->arena, nc);
        if (!a) {
            oom(r);
            return;
        }
        r->arena = a;
        r->arena_cap = nc;
    }
    if (n) memcpy(r->arena + r->arena_len, s, n);
    r->arena[r->arena_len + n] = '\0';
    r->offs[r->nf] = r->arena_len;
    r->row.len[r->nf] = n;
    r->arena_len += n + 1;
    r->nf++;
}

static void on_record(int c, void *ud)
{
    reader *r = ud;
    if (r->nf == 0 && c != -1) return;  /* a line terminator outside a record */
    if (r->nf > 0) {
        for (int i = 0; i < r->nf; i++) r->row.f[i] = r->arena + r->offs[i];
        r->row.n = r->nf;
        r->row.line = r->record_line;
        r->row.non_ascii = r->rec_high | r->cur_high;
        deliver(r);
    }
    r->rec_high = 0;
    r->nf = 0;
    r->arena_len = 0;
    r->in_record = 0;
}

static inline int is_blank(char c) { return c == ' ' || c == '\t'; }

/* The first c in [s, e), or NULL: memchr inlined for the short spans of a
 * line and its fields (a call per field cost more than the search). Reads up
 * to 15 bytes past e, which PAD keeps inside the buffer. */
static inline char *find_byte(char *s, char *e, char c)
{
#ifdef __SSE2__
    const __m128i v = _mm_set1_epi8(c);
    for (; s < e; s += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)s), v));
        size_t left = (size_t)(e - s);
        if (left < 16) m &= (1u << left) - 1;
        if (m) return s + __builtin_ctz(m);
    }
    return NULL;
#else
    return memchr(s, c, (size_t)(e - s));
#endif
}

/* The first byte >= 0x80 or NUL in [s, e), or NULL (reads like find_byte):
 * the bytes that need a closer look, found in one pass. */
static inline char *find_odd(char *s, char *e)
{
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128();
    for (; s < e; s += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(x, _mm_cmpeq_epi8(x, zero)));
        size_t left = (size_t)(e - s);
        if (left < 16) m &= (1u << left) - 1;
        if (m) return s + __builtin_ctz(m);
    }
    return NULL;
#else
    for (; s < e; s++)
        if ((unsigned char)*s >= 0x80 || *s == '\0') return s;
    return NULL;
#endif
}

/* Split one quote-free line [p, e) on commas, in place. */
static void split_line(reader *r, char *p, char *e, int high)
{
    if (e > p && e[-1] == '\r') e--;
    char *b = p;
    while (b < e && is_blank(*b)) b++;
    if (b == e) return;  /* blank line (libcsv ignores these too) */
    int n = 0;
    char *s = p;
    for (;;) {
        char *c = find_byte(s, e, ',');
        char *fe = c ? c : e;
        char *fs = s;
        while (fs < fe && is_blank(*fs)) fs++;
        char *t = fe;
        while (t > fs && is_blank(t[-1])) t--;
        if (n >= r->cap && ensure_fields(r, n + 1)) {
            oom(r);
            return;
        }
        *t = '\0';
        r->row.f[n] = fs;
        r->row.len[n] = (size_t)(t - fs);
        n++;
        if (!c) break;
        s = c + 1;
    }
    r->row.n = n;
    r->row.line = r->line;
    r->row.non_ascii = high;
    deliver(r);
}

static void feed_libcsv(reader *r, const char *p, size_t n, int high)
{
    if (!r->in_record) {
        r->in_record = 1;
        r->record_line = r->line;
    }
    r->cur_high = high;
    if (csv_parse(&r->parser, p, n, on_field, on_record, r) != n && r->status == FC_OK) {
        fc_diag_at(r->d, FC_EDATA, r->name, r->record_line, 0,
                   "malformed quoting: a quoted field must end with a quote followed by "
                   "a comma or the end of the line (quotes inside are doubled: \"\")");
        r->status = FC_EDATA;
    }
    /* A lone CR ends a record mid-line, so ask libcsv where it stands. */
    r->in_record = r->parser.pstate != 0 || r->nf > 0;
    if (r->in_record) r->rec_high |= high;
    r->cur_high = 0;
}

/* The line break of a file, from its first one outside quotes: '\r' when
 * that is a CR not followed by LF (old Mac exports), else '\n'. 0 while
 * [p, end) holds none yet and more data may come (sure: decide now). */
static int detect_eol(const char *p, const char *end, int sure)
{
    int inq = 0;
    for (; p < end; p++) {
        if (*p == '"') inq = !inq;
        else if (inq) continue;
        else if (*p == '\n') return '\n';
        else if (*p == '\r') {
            if (p + 1 < end) return p[1] == '\n' ? '\n' : '\r';
            return sure ? '\r' : 0;
        }
    }
    return sure ? '\n' : 0;
}

/* A NUL at nul on the line starting at p: report it with its field. */
static void bad_nul(reader *r, const char *p, const char *nul)
{
    /* a line that continues a record continues a quoted field */
    int col = r->in_record ? r->nf + 1 : 1, inq = r->in_record;
    for (; p < nul; p++) {
        if (*p == '"') inq = !inq;
        else if (*p == ',' && !inq) col++;
    }
    fc_diag_at(r->d, FC_EDATA, r->name, r->line, col,
               "NUL byte: the file is not text (binary or damaged, or UTF-16: save it as UTF-8)");
    r->status = FC_EDATA;
}

/* Don't wait longer than this for a file's first line break. */
#define EOL_LOOK (1 << 20)

/* Process the complete lines in buf[0, n), which PAD bytes follow; returns
 * bytes consumed. When eof, the final unterminated line is processed too. */
static size_t process(reader *r, char *buf, size_t n, int eof)
{
    char *p = buf, *end = buf + n;
    if (!r->eol && !(r->eol = detect_eol(p, end, eof || n >= EOL_LOOK))) return 0;
    /* Lines end at eol; a line holding the other break character (a CR
     * that is not part of CRLF, a LF in a CR file) goes to libcsv, which
     * takes both as a record end. */
    const char eol = (char)r->eol, other = eol == '\n' ? '\r' : '\n';
    /* The next quote, other break and odd byte in the buffer, looked up
     * once and again only when passed, not per line. */
    char *quote = memchr(p, '"', n);
    char *brk = memchr(p, other, n);
    char *odd = find_odd(p, end);
    while (p < end && r->status == FC_OK) {
        char *nl = find_byte(p, end, eol);
        if (!nl && !eof) break;
        char *e = nl ? nl : end;
        r->line++;
        if (quote && quote < p) quote = memchr(p, '"', (size_t)(end - p));
        if (brk && brk < p) brk = memchr(p, other, (size_t)(end - p));
        if (odd && odd < p) odd = find_odd(p, end);
        int line_high = 0;
        if (odd && odd < e) {
            char *nul = memchr(p, '\0', (size_t)(e - p));
            if (nul) {
                bad_nul(r, p, nul);
                break;
            }
            line_high = 1;
        }
        char *body_end = eol == '\n' && e > p && e[-1] == '\r' ? e - 1 : e;
        if (r->in_record || (quote && quote < e) || (brk && brk < body_end))
            feed_libcsv(r, p, (size_t)(nl ? e + 1 - p : e - p), line_high);
        else
            split_line(r, p, e, line_high);
        p = nl ? nl + 1 : end;
    }
    return (size_t)(p - buf);
}

static void reader_init(reader *r, const char *name, fc_csv_row_fn fn, void *ud, fc_diag *d)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->fn = fn;
    r->ud = ud;
    r->d = d;
    csv_init(&r->parser, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI);
}

static int reader_finish(reader *r, fc_csv_info *info, uint64_t bytes, uint32_t crc, int gz)
{
    if (r->status == FC_OK) {
        if (csv_fini(&r->parser, on_field, on_record, r) != 0 && r->status == FC_OK) {
            fc_diag_at(r->d, FC_EDATA, r->name, r->record_line, 0,
                       "unterminated quoted field (the file ends inside quotes)");
            r->status = FC_EDATA;
        }
    }
    if (r->status == FC_OK && r->records == 0) {
        fc_diag_at(r->d, FC_EDATA, r->name, 0, 0, "file is empty; expected a header row");
        r->status = FC_EDATA;
    }
    csv_free(&r->parser);
    free(r->row.f);
    free(r->row.len);
    free(r->offs);
    free(r->arena);
    if (info) {
        info->bytes = bytes;
        info->crc32 = crc;
        info->records = r->records;
        info->gzip = gz;
    }
    return r->status;
}

static size_t skip_bom(const char *buf, size_t n)
{
    return n >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
                   (unsigned char)buf[2] == 0xBF ? 3 : 0;
}

/* ---- the source: gunzip (or plain read) and CRC, on a thread of its own --
 * The bytes are inflated and fingerprinted by a read-ahead thread into a
 * ring of chunks while the caller's thread splits and parses them, so the
 * two overlap (inflating a large .csv.gz costs about as much as parsing
 * it). The parse sees the same bytes in the same order as a serial read,
 * so rows, line numbers and messages do not change; a read error or bad
 * gzip data is reported once every byte before it has been parsed, as
 * the serial read does.
 *
 * zlib's inflate is driven directly rather than through gzread, which
 * silently drops whatever follows the last gzip member: here a file is
 * gzip members one after another (RFC 1952; what `cat a.gz b.gz` makes),
 * and any other bytes after them are an error. */

#define CHUNK (1 << 20)
#define NCHUNK 4
#define INBUF (1 << 17)

typedef struct source {
    int fd;
    int gzip;               /* 1: gzip members, 0: plain bytes, -1: not looked yet */
    z_stream zs;            /* its next_in/avail_in are the unused input in both modes */
    int zs_init;
    int member_end;         /* a member ended: next comes another or the end */
    unsigned char *in;      /* INBUF bytes of file input */
    int in_eof;
    uint64_t raw;           /* file bytes read */
    uLong crc;
    uint64_t total;
    int pend;               /* an end found while bytes were still to hand out */
    /* the end: 0 = not yet, 1 = clean end of data, else a status with msg */
    int end;
    char msg[200];
    /* read-ahead (when threaded) */
    int threaded;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *chunk[NCHUNK];
    size_t len[NCHUNK];
    int head, count;        /* the ring: chunks [head, head + count) are full */
    size_t off;             /* bytes of chunk[head] already handed out */
    int stop;               /* the parser has stopped: read no more */
} source;

static int is_gzip_magic(const unsigned char *p) { return p[0] == 0x1f && p[1] == 0x8b; }

/* Have at least want bytes of input unused, unless the file ends first.
 * Returns 0, or FC_EIO with s->msg. */
static int source_input(source *s, size_t want)
{
    if (s->zs.avail_in >= want || s->in_eof) return 0;
    if (s->zs.avail_in) memmove(s->in, s->zs.next_in, s->zs.avail_in);
    s->zs.next_in = s->in;
    while (s->zs.avail_in < want) {
        ssize_t k = read(s->fd, s->in + s->zs.avail_in, INBUF - s->zs.avail_in);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            snprintf(s->msg, sizeof s->msg, "read error: %s", strerror(errno));
            return FC_EIO;
        }
        if (k == 0) {
            s->in_eof = 1;
            break;
        }
        s->zs.avail_in += (uInt)k;
        s->raw += (uint64_t)k;
    }
    return 0;
}

/* Plain bytes: what is left of the first look, then straight from the file. */
static size_t plain_fill(source *s, char *dst, size_t n, int *end)
{
    size_t got = 0;
    while (got < n && !*end) {
        if (s->zs.avail_in) {
            size_t k = s->zs.avail_in < n - got ? s->zs.avail_in : n - got;
            memcpy(dst + got, s->zs.next_in, k);
            s->zs.next_in += k;
            s->zs.avail_in -= (uInt)k;
            got += k;
            continue;
        }
        ssize_t k = read(s->fd, dst + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            snprintf(s->msg, sizeof s->msg, "read error: %s", strerror(errno));
            *end = FC_EIO;
        } else if (k == 0) {
            *end = 1;
        } else {
            got += (size_t)k;
            s->raw += (uint64_t)k;
        }
    }
    return got;
}

/* Bytes after the last gzip member that are not another one (or zero
 * padding): FC_EDATA, with the offset where they start in s->msg. */
static int trailing_data(source *s)
{
    snprintf(s->msg, sizeof s->msg,
             "trailing data after the gzip stream: the bytes from offset %llu on are not gzip data "
             "(a damaged file, or something appended to it)",
             (unsigned long long)(s->raw - s->zs.avail_in));
    return FC_EDATA;
}

/* Gzip members: inflate into dst until it is full or the data ends. */
static size_t gzip_fill(source *s, char *dst, size_t n, int *end)
{
    size_t got = 0;
    while (got < n && !*end) {
        if (s->member_end) {
            if ((*end = source_input(s, 2))) break;
            if (s->zs.avail_in == 0) {
                *end = 1;
            } else if (s->zs.next_in[0] == 0) {
                /* zero padding (block devices, some transfers): skipped, as
                 * gzip does ("trailing zero bytes ignored"), if nothing
                 * else follows */
                while (s->zs.avail_in && s->zs.next_in[0] == 0) {
                    s->zs.next_in++;
                    s->zs.avail_in--;
                }
                if (s->zs.avail_in == 0 && (*end = source_input(s, 1))) break;
                if (s->zs.avail_in == 0) *end = 1;
                else if (s->zs.next_in[0] != 0) *end = trailing_data(s);
            } else if (s->zs.avail_in >= 2 && is_gzip_magic(s->zs.next_in)) {
                if (inflateReset(&s->zs) != Z_OK) {
                    snprintf(s->msg, sizeof s->msg, "bad gzip data (cannot restart inflate)");
                    *end = FC_EINTERNAL;
                }
                s->member_end = 0;
            } else {
                *end = trailing_data(s);
            }
            continue;
        }
        if (s->zs.avail_in == 0) {
            if ((*end = source_input(s, 1))) break;
            if (s->zs.avail_in == 0) {  /* the file ends inside a member */
                snprintf(s->msg, sizeof s->msg, "bad gzip data (truncated or corrupt)");
                *end = FC_EDATA;
                break;
            }
        }
        s->zs.next_out = (Bytef *)dst + got;
        s->zs.avail_out = (uInt)(n - got);
        int ret = inflate(&s->zs, Z_NO_FLUSH);
        got = n - s->zs.avail_out;
        if (ret == Z_STREAM_END) {
            s->member_end = 1;
        } else if (ret == Z_MEM_ERROR) {
            snprintf(s->msg, sizeof s->msg, "out of memory");
            *end = FC_EINTERNAL;
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            snprintf(s->msg, sizeof s->msg, "bad gzip data: %s",
                     s->zs.msg ? s->zs.msg : "corrupt");
            *end = FC_EDATA;
        }
    }
    return got;
}

/* Up to n bytes of content into dst, keeping the CRC and the count. Returns
 * the bytes read (> 0), or 0 with *end set (1, or a status with s->msg). An
 * end found after some bytes waits for the next call, so the bytes before
 * a bad spot are all handed out first. */
static size_t source_fill(source *s, char *dst, size_t n, int *end)
{
    int e = s->pend;
    size_t got = 0;
    if (!e && s->gzip < 0) {
        if (!(e = source_input(s, 2))) {
            s->gzip = s->zs.avail_in >= 2 && is_gzip_magic(s->zs.next_in);
            if (s->gzip) {
                if (inflateInit2(&s->zs, 16 + MAX_WBITS) == Z_OK) {
                    s->zs_init = 1;
                } else {
                    snprintf(s->msg, sizeof s->msg, "out of memory");
                    e = FC_EINTERNAL;
                }
            }
        }
    }
    if (!e) got = s->gzip ? gzip_fill(s, dst, n, &e) : plain_fill(s, dst, n, &e);
    if (got) {
        s->crc = crc32(s->crc, (const Bytef *)dst, (uInt)got);
        s->total += (uint64_t)got;
        s->pend = e;
        return got;
    }
    *end = e;
    return 0;
}

static void *source_thread(void *arg)
{
    source *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (s->count == NCHUNK && !s->stop) pthread_cond_wait(&s->cv, &s->mu);
        if (s->stop) break;
        int slot = (s->head + s->count) % NCHUNK, end = 0;
        pthread_mutex_unlock(&s->mu);
        size_t got = source_fill(s, s->chunk[slot], CHUNK, &end);
        pthread_mutex_lock(&s->mu);
        if (got) {
            s->len[slot] = got;
            s->count++;
        }
        s->end = end;
        pthread_cond_broadcast(&s->cv);
        if (!got) break;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Start the read-ahead; on failure the source stays serial. */
static void source_start(source *s)
{
    for (int i = 0; i < NCHUNK; i++)
        if (!(s->chunk[i] = malloc(CHUNK))) goto serial;
    if (pthread_mutex_init(&s->mu, NULL)) goto serial;
    if (pthread_cond_init(&s->cv, NULL)) {
        pthread_mutex_destroy(&s->mu);
        goto serial;
    }
    if (pthread_create(&s->th, NULL, source_thread, s)) {
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
        goto serial;
    }
    s->threaded = 1;
    return;
serial:
    for (int i = 0; i < NCHUNK; i++) {
        free(s->chunk[i]);
        s->chunk[i] = NULL;
    }
}

/* Up to n bytes of content into dst: > 0, or 0 at the end (s->end says
 * which end). */
static size_t source_read(source *s, char *dst, size_t n)
{
    if (!s->threaded) return s->end ? 0 : source_fill(s, dst, n, &s->end);
    pthread_mutex_lock(&s->mu);
    while (s->count == 0 && !s->end) pthread_cond_wait(&s->cv, &s->mu);
    int full = s->count > 0;
    pthread_mutex_unlock(&s->mu);
    if (!full) return 0;
    /* chunk[head] is the parser's until it is handed back: copy unlocked */
    size_t k = s->len[s->head] - s->off;
    if (k > n) k = n;
    memcpy(dst, s->chunk[s->head] + s->off, k);
    s->off += k;
    if (s->off == s->len[s->head]) {
        s->off = 0;
        pthread_mutex_lock(&s->mu);
        s->head = (s->head + 1) % NCHUNK;
        s->count--;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
    }
    return k;
}

/* Stop the read-ahead (if any) and free its chunks. */
static void source_close(source *s)
{
    if (!s->threaded) return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->th, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    for (int i = 0; i < NCHUNK; i++) free(s->chunk[i]);
    s->threaded = 0;
}

int fc_csv_read(const char *path, const char *name, fc_csv_row_fn fn, void *ud,
                fc_diag *d, fc_csv_info *info, int threads)
{
    int stdin_ = strcmp(path, "-") == 0;
    if (!name) name = stdin_ ? "<stdin>" : path;
    int fd = stdin_ ? dup(0) : open(path, O_RDONLY);
    if (fd < 0) {
        fc_diag_error(d, FC_ENOINPUT, "%s: cannot open: %s", name, strerror(errno));
        return FC_ENOINPUT;
    }
    /* A folder opens but does not read: an unreadable input (66), not an
     * I/O error (74) found while reading. */
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(fd);
        fc_diag_error(d, FC_ENOINPUT, "%s: cannot open: %s", name, strerror(EISDIR));
        return FC_ENOINPUT;
    }
    source src = {.fd = fd, .gzip = -1, .in = malloc(INBUF), .crc = crc32(0L, Z_NULL, 0)};
    if (!src.in) {
        close(fd);
        fc_diag_error(d, FC_EINTERNAL, "%s: out of memory", name);
        return FC_EINTERNAL;
    }
    reader r;
    reader_init(&r, name, fn, ud, d);
    size_t cap = 1 << 20, have = 0;
    char *buf = malloc(cap + PAD);
    int first = 1, eof = 0;
    if (!buf) oom(&r);
    else if (threads > 1) source_start(&src);
    while (!eof && r.status == FC_OK) {
        if (have == cap) {  /* one line longer than the buffer */
            char *nb = realloc(buf, cap * 2 + PAD);
            if (!nb) {
                oom(&r);
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = source_read(&src, buf + have, cap - have);
        if (!got) {
            if (src.end != 1) {
                fc_diag_error(d, src.end, "%s: %s", name, src.msg);
                r.status = src.end;
                break;
            }
            eof = 1;
        }
        have += got;
        memset(buf + have, 0, PAD);
        size_t start = 0;
        if (first && (have >= 3 || eof)) {
            start = skip_bom(buf, have);
            first = 0;
        } else if (first) {
            continue;
        }
        size_t used = start + process(&r, buf + start, have - start, eof);
        memmove(buf, buf + used, have - used);
        have -= used;
    }
    source_close(&src);
    if (src.zs_init) inflateEnd(&src.zs);
    free(src.in);
    close(fd);
    free(buf);
    return reader_finish(&r, info, src.total, (uint32_t)src.crc, src.gzip == 1);
}

int fc_csv_read_mem(const char *data, size_t n, const char *name, fc_csv_row_fn fn,
                    void *ud, fc_diag *d, fc_csv_info *info)
{
    reader r;
    reader_init(&r, name ? name : "<memory>", fn, ud, d);
    /* The split path writes NULs in place, so work on a copy. */
    char *buf = malloc(n + PAD);
    if (!buf) {
        oom(&r);
        return reader_finish(&r, info, n, 0, 0);
    }
    memcpy(buf, data, n);
    memset(buf + n, 0, PAD);
    size_t start = skip_bom(buf, n);
    process(&r, buf + start, n - start, 1);
    free(buf);
    uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)data, (uInt)n);
    return reader_finish(&r, info, n, crc, 0);
}

size_t fc_utf8_seq(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) return 0;
    if (u[0] < 0x80) return 1;
    size_t k;
    unsigned lo = 0x80, hi = 0xbf;
    if (u[0] >= 0xc2 && u[0] <= 0xdf) k = 2;
    else if (u[0] >= 0xe0 && u[0] <= 0xef) {
        k = 3;
        if (u[0] == 0xe0) lo = 0xa0;        /* no overlong forms */
        if (u[0] == 0xed) hi = 0x9f;        /* no surrogates */
    } else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
        k = 4;
        if (u[0] == 0xf0) lo = 0x90;
        if (u[0] == 0xf4) hi = 0x8f;        /* <= U+10FFFF */
    } else {
        return 0;
    }
    if (n < k || u[1] < lo || u[1] > hi) return 0;
    for (size_t i = 2; i < k; i++)
        if (u[i] < 0x80 || u[i] > 0xbf) return 0;
    return k;
}

int fc_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = fc_utf8_seq(s + i, n - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

const char *fc_csv_quote_value(const char *s, size_t n, char *out, size_t outsz)
{
    size_t o = 0, lim = outsz > 8 ? outsz - 8 : 0;
    out[o++] = '"';
    for (size_t i = 0; i < n && o < lim;) {
        unsigned char c = (unsigned char)s[i];
        if (i >= 40) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        size_t k = c >= 0x80 ? fc_utf8_seq(s + i, n - i) : 1;
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || k == 0) {
            if (o + 5 >= lim) break;
            o += (size_t)snprintf(out + o, outsz - o, c == '"' ? "\\\"" : c == '\\' ? "\\\\" : "\\x%02x", c);
            i++;
        } else {
            if (o + k >= lim) break;    /* a character is copied whole or not at all */
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
    return out;
}

void fc_csv_put_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
