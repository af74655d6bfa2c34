/* test_csv.c -- the CSV reader: quoting, BOM, CRLF and CR-only lines, NUL
 * bytes, gzip (members, trailing data), long fields, line numbers, and
 * agreement with plain libcsv on random inputs. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "check.h"
#include "fleetcast/csv.h"
#include "../fuzz/targets.h"

typedef struct rows {
    int n;
    char buf[8][8][64];
    int nf[8];
    long line[8];
} rows;

static int keep(void *ud, const fc_csv_row *row)
{
    rows *r = ud;
    if (r->n < 8) {
        r->nf[r->n] = row->n;
        r->line[r->n] = row->line;
        for (int i = 0; i < row->n && i < 8; i++) snprintf(r->buf[r->n][i], 64, "%s", row->f[i]);
    }
    r->n++;
    return 0;
}

static int read_str(const char *s, rows *r, fc_diag *d)
{
    memset(r, 0, sizeof *r);
    fc_diag_init(d, NULL, NULL);
    return fc_csv_read_mem(s, strlen(s), "t.csv", keep, r, d, NULL);
}

static int count_long(void *ud, const fc_csv_row *row)
{
    size_t *mx = ud;
    for (int i = 0; i < row->n; i++)
        if (row->len[i] > *mx) *mx = row->len[i];
    return 0;
}

/* A digest of every row: fields, lengths and physical line numbers. */
typedef struct digest {
    long rows, stop_at;
    uint64_t h;
} digest;

static int digest_row(void *ud, const fc_csv_row *row)
{
    digest *g = ud;
    uint64_t h = g->h ^ (uint64_t)row->line * 0x9E3779B97F4A7C15u;
    for (int i = 0; i < row->n; i++) {
        for (size_t k = 0; k < row->len[i]; k++) h = (h ^ (unsigned char)row->f[i][k]) * 0x100000001B3u;
        h = (h ^ 0xFFu) * 0x100000001B3u;
    }
    g->h = h;
    return ++g->rows == g->stop_at ? FC_EDATA : FC_OK;
}

static void last_message(void *ud, fc_level level, const char *msg)
{
    (void)level;
    snprintf(ud, 256, "%s", msg);
}

/* Read n bytes (they may hold NULs); the last message goes to msg. */
static int read_n(const char *s, size_t n, rows *r, fc_diag *d, char *msg)
{
    memset(r, 0, sizeof *r);
    msg[0] = '\0';
    fc_diag_init(d, last_message, msg);
    return fc_csv_read_mem(s, n, "t.csv", keep, r, d, NULL);
}
#define READ_N(lit, r, d, msg) read_n(lit, sizeof lit - 1, r, d, msg)

/* A gzip file holding text, then the n bytes of tail; returns its path. */
static const char *gzip_file(char *path, const char *text, const char *tail, size_t n)
{
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    gzFile gz = gzdopen(fd, "wb");
    gzputs(gz, text);
    gzclose(gz);
    FILE *f = fopen(path, "ab");
    CHECK(f != NULL);
    fwrite(tail, 1, n, f);
    fclose(f);
    return path;
}

/* Read path with 1 and with 2 threads (the read-ahead): the same rows,
 * lines, status, message, byte count and CRC. */
static long same_both_ways(const char *path, long stop_at, int want, const char *says)
{
    digest g[2];
    fc_csv_info info[2];
    char msg[2][256];
    int st[2];
    for (int k = 0; k < 2; k++) {
        fc_diag d;
        fc_diag_init(&d, last_message, msg[k]);
        msg[k][0] = '\0';
        g[k] = (digest){.stop_at = stop_at};
        memset(&info[k], 0, sizeof info[k]);
        st[k] = fc_csv_read(path, "big.csv.gz", digest_row, &g[k], &d, &info[k], k + 1);
    }
    CHECK(st[0] == want && st[1] == want);
    CHECK(g[0].rows == g[1].rows && g[0].h == g[1].h);
    CHECK(strcmp(msg[0], msg[1]) == 0);
    CHECK(strstr(msg[1], says) != NULL);
    if (want == FC_OK) {
        CHECK(info[0].bytes == info[1].bytes && info[0].crc32 == info[1].crc32);
        CHECK(info[1].gzip == 1 && info[1].records == g[1].rows);
    }
    return g[1].rows;
}

int main(void)
{
    rows r;
    fc_diag d;

    CHECK(read_str("a,b\n1,2\n", &r, &d) == 0);
    CHECK(r.n == 2 && r.nf[1] == 2 && strcmp(r.buf[1][1], "2") == 0);

    /* quotes with commas, doubled quotes, a newline inside quotes */
    CHECK(read_str("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"multi\nline\",z\nlast,1\n", &r, &d) == 0);
    CHECK(r.n == 4);
    CHECK(strcmp(r.buf[1][0], "x,y") == 0 && strcmp(r.buf[1][1], "say \"hi\"") == 0);
    CHECK(strcmp(r.buf[2][0], "multi\nline") == 0);
    CHECK(r.line[2] == 3 && r.line[3] == 5);   /* physical lines */

    /* BOM and CRLF and a blank line */
    CHECK(read_str("\xEF\xBB\xBFzip,n\r\n01001,3\r\n\r\n02002,4\r\n", &r, &d) == 0);
    CHECK(r.n == 3 && strcmp(r.buf[0][0], "zip") == 0 && strcmp(r.buf[1][0], "01001") == 0);
    CHECK(strcmp(r.buf[1][1], "3") == 0 && r.line[2] == 4);

    /* CR-only line breaks (old Mac exports): lines counted by CR, a CR
     * inside quotes kept, a blank line skipped */
    CHECK(read_str("a,b\r1,2\r\"x\ry\",3\r\r4,5", &r, &d) == 0);
    CHECK(r.n == 4 && r.nf[1] == 2 && strcmp(r.buf[1][1], "2") == 0);
    CHECK(strcmp(r.buf[2][0], "x\ry") == 0 && strcmp(r.buf[3][1], "5") == 0);
    CHECK(r.line[0] == 1 && r.line[1] == 2 && r.line[2] == 3 && r.line[3] == 6);
    /* ... decided by the first break outside quotes: a CRLF file whose
     * header holds a quoted CR is still CRLF */
    CHECK(read_str("\"a\rb\",c\r\n1,2\r\n3,4\r\n", &r, &d) == 0);
    CHECK(r.n == 3 && strcmp(r.buf[0][0], "a\rb") == 0 && r.line[2] == 3);

    /* a NUL byte is an error naming its line and field, quoted or not */
    {
        char msg[256];
        CHECK(READ_N("a,b\n1,2\n3,4\0\n", &r, &d, msg) == FC_EDATA && d.n_errors == 1);
        CHECK(r.n == 2 && strstr(msg, "t.csv:3:2: NUL byte") == msg);
        CHECK(READ_N("a,b,c\n1,\"x,\n\0\",2\n", &r, &d, msg) == FC_EDATA);
        CHECK(r.n == 1 && strstr(msg, "t.csv:3:2: NUL byte") == msg);
        CHECK(READ_N("\xff\xfe" "a\0", &r, &d, msg) == FC_EDATA);     /* UTF-16 */
        CHECK(r.n == 0 && strstr(msg, "t.csv:1:1: NUL byte") == msg && strstr(msg, "UTF-16"));
    }

    /* truncated last line (no newline) */
    CHECK(read_str("a,b\n1,2\n3", &r, &d) == 0);
    CHECK(r.n == 3 && r.nf[2] == 1 && strcmp(r.buf[2][0], "3") == 0);

    /* empty file and unterminated quote are errors */
    CHECK(read_str("", &r, &d) == FC_EDATA);
    CHECK(read_str("a,b\n\"open,1\n", &r, &d) == FC_EDATA && d.n_errors == 1);

    /* a 10,000-character field */
    {
        static char big[10100];
        strcpy(big, "a,b\n1,");
        size_t o = strlen(big);
        memset(big + o, 'x', 10000);
        strcpy(big + o + 10000, "\n");
        size_t mx = 0;
        fc_diag_init(&d, NULL, NULL);
        CHECK(fc_csv_read_mem(big, strlen(big), "big", count_long, &mx, &d, NULL) == 0);
        CHECK(mx == 10000);
    }

    /* gzip through the file reader, with crc and byte counts */
    {
        const char *text = "date,zip\n2024-01-01,01001\n";
        char path[] = "/tmp/fc_test_csv_XXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        gzFile gz = gzdopen(fd, "wb");
        gzputs(gz, text);
        gzclose(gz);
        fc_csv_info info;
        memset(&r, 0, sizeof r);
        fc_diag_init(&d, NULL, NULL);
        CHECK(fc_csv_read(path, NULL, keep, &r, &d, &info, 1) == 0);
        CHECK(r.n == 2 && strcmp(r.buf[1][1], "01001") == 0);
        CHECK(info.gzip == 1 && info.bytes == strlen(text));
        CHECK(info.crc32 == (uint32_t)crc32(crc32(0, Z_NULL, 0), (const Bytef *)text, (uInt)strlen(text)));
        unlink(path);
        CHECK(fc_csv_read(path, NULL, keep, &r, &d, &info, 1) == FC_ENOINPUT);
    }

    /* after a gzip member: another member is read on, zero padding is
     * skipped (as gzip does), anything else is an error (gzread dropped it
     * silently), even one byte */
    {
        const char *text = "date,zip\n2024-01-01,01001\n";
        static const struct {
            const char *tail;
            size_t n;
            int want;
        } tails[] = {{"", 0, FC_OK}, {"junk\n", 5, FC_EDATA}, {"\0\0\0\0", 4, FC_OK},
                     {"\0\0x", 3, FC_EDATA}, {"\x1f", 1, FC_EDATA}, {"\x1f\x8b", 2, FC_EDATA}};
        for (size_t k = 0; k < sizeof tails / sizeof *tails; k++) {
            char path[] = "/tmp/fc_test_csv_XXXXXX", msg[256] = "";
            gzip_file(path, text, tails[k].tail, tails[k].n);
            memset(&r, 0, sizeof r);
            fc_diag_init(&d, last_message, msg);
            CHECK(fc_csv_read(path, "t.csv.gz", keep, &r, &d, NULL, 1) == tails[k].want);
            CHECK(r.n == 2);    /* the rows before the bad spot */
            if (tails[k].want == FC_EDATA && tails[k].n > 2)
                CHECK(strstr(msg, "t.csv.gz: trailing data after the gzip stream") == msg);
            if (tails[k].n == 2)    /* a header cut short */
                CHECK(strstr(msg, "t.csv.gz: bad gzip data") == msg);
            unlink(path);
        }
    }

    /* the read-ahead thread: a 9 MB gzip file (many 1 MB chunks, lines and
     * quoted multi-line records across their edges) read with 1 and 2
     * threads; then cut short (bad gzip data after the rows before the
     * cut), and a callback that stops reading early */
    {
        char path[] = "/tmp/fc_test_csv_XXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        gzFile gz = gzdopen(fd, "wb1");
        gzputs(gz, "date,zip,packages,note\n");
        unsigned seed = 7;
        long rows = 0;
        for (long i = 0; i < 300000; i++, rows++) {
            seed = seed * 1103515245u + 12345u;
            if (seed % 97 == 0)
                gzprintf(gz, "2024-01-%02ld,%05u,%u,\"two\nlines, \"\"quoted\"\"\"\n", i % 28 + 1, seed % 99999,
                         seed % 500);
            else
                gzprintf(gz, "2024-01-%02ld,%05u,%u,%.*s\n", i % 28 + 1, seed % 99999, seed % 500,
                         (int)(seed >> 27), "abcdefghijklmnopqrstuvwxyz012345");
        }
        gzclose(gz);
        CHECK(same_both_ways(path, 0, FC_OK, "") == rows + 1);
        CHECK(same_both_ways(path, rows / 2, FC_EDATA, "") == rows / 2);   /* the callback stops */
        /* a second gzip member (cat a.gz b.gz) is read on as one stream */
        gz = gzopen(path, "ab1");
        CHECK(gz != NULL);
        for (long i = 0; i < 1000; i++, rows++) gzprintf(gz, "2024-02-01,%05ld,1,two\n", i);
        gzclose(gz);
        CHECK(same_both_ways(path, 0, FC_OK, "") == rows + 1);
        /* then bytes that are not gzip: an error, after every row */
        FILE *j = fopen(path, "ab");
        CHECK(j != NULL);
        fputs("trailing junk\n", j);
        fclose(j);
        CHECK(same_both_ways(path, 0, FC_EDATA, "big.csv.gz: trailing data after the gzip stream") ==
              rows + 1);
        FILE *f = fopen(path, "rb");
        CHECK(f != NULL);
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fclose(f);
        CHECK(truncate(path, size / 2) == 0);
        long before = same_both_ways(path, 0, FC_EDATA, "big.csv.gz: bad gzip data (truncated or corrupt)");
        CHECK(before > rows / 4 && before < rows);
        unlink(path);
    }

    /* random inputs: the split path and libcsv agree field for field */
    {
        static const char *alphabet[] = {"a", "b", "1", ",", ",", "\"", "\n", "\r\n", " ", "\t", "\r", "\"\""};
        unsigned seed = 12345;
        int disagree = 0;
        char why[512];
        for (int iter = 0; iter < 20000; iter++) {
            char s[128];
            size_t o = 0;
            int len = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
            for (int k = 0; k < len; k++) {
                const char *t = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % 12];
                memcpy(s + o, t, strlen(t));
                o += strlen(t);
            }
            s[o] = '\0';
            if (csv_differential(s, o, why, sizeof why)) {
                if (disagree++ < 5) fprintf(stderr, "input [%s]: %s\n", s, why);
            }
        }
        CHECK(disagree == 0);
    }

    char q[64];
    CHECK(strcmp(fc_csv_quote_value("a\"b\n", 4, q, sizeof q), "\"a\\\"b\\x0a\"") == 0);
    return check_report();
}
