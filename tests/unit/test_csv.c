/* test_csv.c -- the CSV reader: quoting, BOM, CRLF, gzip, long fields, line
 * numbers, and agreement with plain libcsv on random inputs. */
#include <string.h>
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
        CHECK(fc_csv_read(path, NULL, keep, &r, &d, &info) == 0);
        CHECK(r.n == 2 && strcmp(r.buf[1][1], "01001") == 0);
        CHECK(info.gzip == 1 && info.bytes == strlen(text));
        CHECK(info.crc32 == (uint32_t)crc32(crc32(0, Z_NULL, 0), (const Bytef *)text, (uInt)strlen(text)));
        unlink(path);
        CHECK(fc_csv_read(path, NULL, keep, &r, &d, &info) == FC_ENOINPUT);
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
