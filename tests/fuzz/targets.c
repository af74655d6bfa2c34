/* targets.c -- fuzz targets: the CSV reader (checked against plain libcsv)
 * and the config parser. Any crash, sanitizer report or abort is a bug. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <csv.h>
#include "fleetcast/config.h"
#include "fleetcast/csv.h"
#include "targets.h"

/* Records as one flat string: fields joined by \x1f, records by \x1e. */
typedef struct flat {
    char *s;
    size_t n, cap;
    int nf;
} flat;

static void put(flat *f, const char *s, size_t n)
{
    if (f->n + n + 1 > f->cap) {
        f->cap = (f->n + n + 1) * 2;
        f->s = realloc(f->s, f->cap);
        if (!f->s) abort();
    }
    memcpy(f->s + f->n, s, n);
    f->n += n;
    f->s[f->n] = '\0';
}

static int ours_row(void *ud, const fc_csv_row *row)
{
    flat *f = ud;
    for (int i = 0; i < row->n; i++) {
        if (i) put(f, "\x1f", 1);
        put(f, row->f[i], row->len[i]);
    }
    put(f, "\x1e", 1);
    return 0;
}

static void ref_field(void *s, size_t n, void *ud)
{
    flat *f = ud;
    if (f->nf++) put(f, "\x1f", 1);
    put(f, s ? s : "", n);
}

static void ref_row(int c, void *ud)
{
    flat *f = ud;
    if (f->nf == 0 && c != -1) return;
    if (f->nf) put(f, "\x1e", 1);
    f->nf = 0;
}

int csv_differential(const char *data, size_t n, char *why, size_t whysz)
{
    flat a = {0}, b = {0};
    put(&a, "", 0);
    put(&b, "", 0);
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    int st = fc_csv_read_mem(data, n, "fuzz", ours_row, &a, &d, NULL);
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI);
    size_t off = n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    int ref_ok = csv_parse(&p, data + off, n - off, ref_field, ref_row, &b) == n - off;
    if (ref_ok) ref_ok = csv_fini(&p, ref_field, ref_row, &b) == 0;
    csv_free(&p);
    int bad = 0;
    if (ref_ok && st == 0 && strcmp(a.s, b.s) != 0) bad = 1;
    /* An unterminated quote is an error for both; an empty input or a NUL
     * byte only for us. */
    if (!ref_ok && st == 0) bad = 2;
    int nul = memchr(data, '\0', n) != NULL;
    if (ref_ok && st != 0 && b.n > 0 && !nul) bad = 3;
    if (nul && st == 0) bad = 4;
    if (bad && why) snprintf(why, whysz, "case %d: ours [%s] libcsv [%s]", bad, a.s, b.s);
    free(a.s);
    free(b.s);
    return bad;
}

int fuzz_csv(const uint8_t *data, size_t n)
{
    char why[512];
    if (csv_differential((const char *)data, n, why, sizeof why)) {
        fprintf(stderr, "csv reader disagrees with libcsv: %s\n", why);
        abort();
    }
    return 0;
}

int fuzz_config(const uint8_t *data, size_t n)
{
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_config *c = NULL;
    if (fc_config_parse((const char *)data, n, "fuzz.json", "dir", &d, &c) == 0) fc_config_free(c);
    return 0;
}
