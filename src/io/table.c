/* table.c -- header binding and field parsing shared by the six input readers. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "fleetcast/date.h"
#include "fleetcast/intern.h"
#include "table.h"

void table_init(table_ctx *t, const char *file, const char *kind, fc_diag *d,
                const col_spec *spec, int nspec)
{
    memset(t, 0, sizeof *t);
    t->file = file;
    t->kind = kind;
    t->d = d;
    t->spec = spec;
    t->nspec = nspec;
    for (int i = 0; i < TABLE_MAX_SPEC; i++) t->col[i] = -1;
}

void table_free(table_ctx *t)
{
    if (t->header)
        for (int i = 0; i < t->ncols; i++) free(t->header[i]);
    free(t->header);
    free(t->extra);
    t->header = NULL;
    t->extra = NULL;
}

int table_header(table_ctx *t, const fc_csv_row *row)
{
    int st = FC_OK;
    t->ncols = row->n;
    t->header = calloc((size_t)row->n, sizeof *t->header);
    t->extra = calloc((size_t)row->n, sizeof *t->extra);
    if (!t->header || !t->extra) {
        fc_diag_error(t->d, FC_EINTERNAL, "%s: out of memory", t->file);
        return FC_EINTERNAL;
    }
    for (int c = 0; c < row->n; c++) {
        t->header[c] = strdup(row->f[c]);
        if (!t->header[c]) return FC_EINTERNAL;
        if (row->len[c] == 0) {
            fc_diag_at(t->d, FC_EDATA, t->file, row->line, c + 1,
                       "empty column name in the header");
            st = FC_EDATA;
            continue;
        }
        if (row->non_ascii && !fc_utf8_valid(row->f[c], row->len[c])) {
            char q[128];
            fc_diag_at(t->d, FC_EDATA, t->file, row->line, c + 1,
                       "column name: expected UTF-8 text (save the file as UTF-8), got %s",
                       fc_csv_quote_value(row->f[c], row->len[c], q, sizeof q));
            st = FC_EDATA;
        }
        for (int p = 0; p < c; p++)
            if (strcasecmp(t->header[p], row->f[c]) == 0) {
                fc_diag_at(t->d, FC_EDATA, t->file, row->line, c + 1,
                           "column '%s' appears twice in the header (also column %d)",
                           row->f[c], p + 1);
                st = FC_EDATA;
            }
        int found = 0;
        for (int i = 0; i < t->nspec; i++)
            if (strcasecmp(t->spec[i].name, row->f[c]) == 0) {
                if (t->col[i] < 0) t->col[i] = c;
                found = 1;
            }
        if (!found) t->extra[t->nextra++] = c;
    }
    /* A column a typo away from one this file lacks is that column
     * misspelt: kept as a feature (zips, stations) or ignored, it left a
     * station's parking or a zip's hilliness unlimited or 0 without a
     * word. An error naming both. */
    const char *absent[64];
    int nabsent = 0;
    for (int i = 0; i < t->nspec && nabsent < 64; i++)
        if (t->col[i] < 0) absent[nabsent++] = t->spec[i].name;
    int keeps = strcmp(t->kind, "zips") == 0 || strcmp(t->kind, "stations") == 0;
    for (int k = 0; k < t->nextra; k++) {
        const char *name = t->header[t->extra[k]];
        const char *near = *name ? fc_name_near(name, absent, nabsent) : NULL;
        if (!near) continue;
        t->extra[k] = -1 - t->extra[k];  /* reported: no "ignored" note below */
        fc_diag_at(t->d, FC_EDATA, t->file, row->line, -t->extra[k],
                   "column '%s': did you mean '%s'? (a %s file reads '%s'; '%s' would be %s)", name,
                   near, t->kind, near, name, keeps ? "a feature column" : "ignored");
        st = FC_EDATA;
    }
    for (int i = 0; i < t->nspec; i++)
        if (t->spec[i].required && t->col[i] < 0) {
            char have[512];
            size_t o = 0;
            have[0] = '\0';
            for (int c = 0; c < row->n && o < sizeof have - 8; c++)
                o += (size_t)snprintf(have + o, sizeof have - o, "%s%s", c ? ", " : "", row->f[c]);
            fc_diag_at(t->d, FC_EDATA, t->file, row->line, 0,
                       "missing required column '%s' for a %s file (header has: %s)",
                       t->spec[i].name, t->kind, have);
            st = FC_EDATA;
        }
    /* zips and stations keep extra columns as features; elsewhere they are
     * ignored, which the user should hear about. */
    for (int k = 0; k < t->nextra; k++) {
        if (t->extra[k] < 0) {
            t->extra[k] = -1 - t->extra[k];
            continue;
        }
        if (!keeps)
            fc_diag_note(t->d, "%s: column '%s' is not used by a %s file; ignored", t->file,
                         t->header[t->extra[k]], t->kind);
    }
    t->have_header = 1;
    return st;
}

int table_width_ok(table_ctx *t, const fc_csv_row *row)
{
    if (row->n == t->ncols) {
        if (!row->non_ascii) return 1;
        /* Text that is not UTF-8 (a Latin-1 or Windows-1252 export) would
         * pass into the JSON outputs and make them invalid. */
        for (int c = 0; c < row->n; c++)
            if (!fc_utf8_valid(row->f[c], row->len[c]))
                table_bad_col(t, row, c, "UTF-8 text (save the file as UTF-8)");
        return !t->row_bad;
    }
    fc_diag_at(t->d, FC_EDATA, t->file, row->line, row->n < t->ncols ? row->n + 1 : t->ncols + 1,
               "expected %d fields as in the header, got %d%s", t->ncols, row->n,
               row->n < t->ncols ? " (a truncated line?)" : "");
    return 0;
}

int table_has(const table_ctx *t, int i) { return t->col[i] >= 0; }

int table_set(const table_ctx *t, const fc_csv_row *row, int i)
{
    return t->col[i] >= 0 && row->len[t->col[i]] > 0;
}

const char *table_str(const table_ctx *t, const fc_csv_row *row, int i, size_t *len)
{
    int c = t->col[i];
    if (c < 0) {
        if (len) *len = 0;
        return NULL;
    }
    if (len) *len = row->len[c];
    return row->f[c];
}

void table_bad_col(table_ctx *t, const fc_csv_row *row, int c, const char *what)
{
    char q[128];
    fc_csv_quote_value(row->f[c], row->len[c], q, sizeof q);
    fc_diag_at(t->d, FC_EDATA, t->file, row->line, c + 1, "column '%s': expected %s, got %s",
               t->header[c], what, q);
    t->row_bad = 1;
}

void table_bad(table_ctx *t, const fc_csv_row *row, int i, const char *what)
{
    table_bad_col(t, row, t->col[i], what);
}

int parse_whole(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 18) return -1;
    int64_t v = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned c = (unsigned char)s[k] - '0';
        if (c > 9) return -1;
        v = v * 10 + c;
    }
    *out = v;
    return 0;
}

/* A plain decimal, -?DIGITS[.DIGITS] with at most 15 digits, is an exact
 * integer over an exact power of ten, so one correctly rounded division gives
 * the correctly rounded value, the very double strtod returns (Clinger's fast
 * path). Returns 0 when s is not of that form. */
static int parse_plain_decimal(const char *s, size_t n, double *out)
{
#if FLT_EVAL_METHOD == 0
    static const double p10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t i = s[0] == '-';
    uint64_t m = 0;
    int digits = 0, frac = 0, dot = 0;
    for (; i < n; i++) {
        unsigned c = (unsigned char)s[i] - '0';
        if (c <= 9) {
            m = m * 10 + c;
            digits++;
            frac += dot;
        } else if (s[i] == '.' && !dot) {
            dot = 1;
        } else {
            return 0;
        }
    }
    if (digits == 0 || digits > 15 || (dot && frac == 0)) return 0;
    double v = (double)m / p10[frac];
    *out = s[0] == '-' ? -v : v;
    return 1;
#else
    (void)s;
    (void)n;
    (void)out;
    return 0;
#endif
}

int parse_real(const char *s, size_t n, double *out)
{
    if (n == 0) return -1;
    if (parse_plain_decimal(s, n, out)) return 0;
    char *end;
    double v = strtod(s, &end);
    if (end != s + n || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int parse_is_digits(const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if ((unsigned)((unsigned char)s[k] - '0') > 9) return 0;
    return n > 0;
}

int table_count(table_ctx *t, const fc_csv_row *row, int i, int64_t dflt, int64_t *out)
{
    int c = t->col[i];
    if (c < 0 || (row->len[c] == 0 && !t->spec[i].required)) {
        *out = dflt;
        return 0;
    }
    if (parse_whole(row->f[c], row->len[c], out) == 0) return 0;
    /* digits only, but too many: say so, it is a whole number >= 0 */
    table_bad(t, row, i, parse_is_digits(row->f[c], row->len[c]) ? "a whole number >= 0, at most 18 digits"
                                                            : "a whole number >= 0");
    return -1;
}

int table_real(table_ctx *t, const fc_csv_row *row, int i, double lo, double hi,
               double dflt, const char *what, double *out)
{
    int c = t->col[i];
    if (c < 0 || (row->len[c] == 0 && !t->spec[i].required)) {
        *out = dflt;
        return 0;
    }
    double v;
    int ok = parse_real(row->f[c], row->len[c], &v) == 0;
    if (ok && v >= lo && v <= hi) {
        *out = v;
        return 0;
    }
    /* A number beyond a bound the description does not show ("> 0" with a
     * floor of 1e-9, no ceiling named): name the bound, or the message
     * would say "expected > 0, got 1e-300". Descriptions with their range
     * in brackets already say it. */
    char msg[192];
    if (ok && !strchr(what, '[') && (v > hi || (v < lo && v > 0 && lo > 0))) {
        snprintf(msg, sizeof msg, "%s, %s %g", what, v > hi ? "at most" : "at least", v > hi ? hi : lo);
        what = msg;
    }
    table_bad(t, row, i, what);
    return -1;
}

int table_date(table_ctx *t, const fc_csv_row *row, int i, int32_t dflt, int32_t *out)
{
    int c = t->col[i];
    if (c < 0 || (row->len[c] == 0 && !t->spec[i].required)) {
        *out = dflt;
        return 0;
    }
    if (fc_date_parse(row->f[c], row->len[c], out) == 0) return 0;
    table_bad(t, row, i, "an ISO date YYYY-MM-DD");
    return -1;
}

int table_bool(table_ctx *t, const fc_csv_row *row, int i, int dflt, int *out)
{
    int c = t->col[i];
    if (c < 0 || row->len[c] == 0) {
        *out = dflt;
        return 0;
    }
    static const char *yes[] = {"1", "true", "yes", "y", "t"};
    static const char *no[] = {"0", "false", "no", "n", "f"};
    for (int k = 0; k < 5; k++) {
        if (strcasecmp(row->f[c], yes[k]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(row->f[c], no[k]) == 0) {
            *out = 0;
            return 0;
        }
    }
    table_bad(t, row, i, "a yes/no value (1/0, true/false, yes/no)");
    return -1;
}

int table_id(table_ctx *t, const fc_csv_row *row, int i, const char **s, size_t *n)
{
    int c = t->col[i];
    *s = row->f[c];
    *n = row->len[c];
    if (*n == 0) {
        table_bad(t, row, i, "a non-empty id");
        return -1;
    }
    return 0;
}

int table_grow(void **p, size_t *cap, size_t need, size_t elsz)
{
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap : 256;
    while (nc < need) nc *= 2;
    void *q = realloc(*p, nc * elsz);
    if (!q) return -1;
    *p = q;
    *cap = nc;
    return 0;
}

int feat_begin(feat_builder *fb, const table_ctx *t)
{
    memset(fb, 0, sizeof *fb);
    fb->n = t->nextra;
    if (!fb->n) return 0;
    fb->col = calloc((size_t)fb->n, sizeof *fb->col);
    fb->numeric = calloc((size_t)fb->n, sizeof *fb->numeric);
    fb->bad_line = calloc((size_t)fb->n, sizeof *fb->bad_line);
    fb->vals = calloc((size_t)fb->n, sizeof *fb->vals);
    if (!fb->col || !fb->numeric || !fb->bad_line || !fb->vals) return -1;
    for (int j = 0; j < fb->n; j++) {
        fb->col[j] = t->extra[j];
        fb->numeric[j] = 1;
    }
    return 0;
}

int feat_row(feat_builder *fb, const fc_csv_row *row)
{
    if (!fb->n) return 0;
    if (fb->rows == fb->cap) {
        size_t nc = fb->cap ? fb->cap * 2 : 256;
        for (int j = 0; j < fb->n; j++) {
            double *v = realloc(fb->vals[j], nc * sizeof *v);
            if (!v) return -1;
            fb->vals[j] = v;
        }
        fb->cap = nc;
    }
    for (int j = 0; j < fb->n; j++) {
        int c = fb->col[j];
        double v = NAN;
        if (row->len[c] && parse_real(row->f[c], row->len[c], &v) != 0) {
            v = NAN;
            if (fb->numeric[j]) {
                fb->numeric[j] = 0;
                fb->bad_line[j] = row->line;
            }
        }
        fb->vals[j][fb->rows] = v;
    }
    fb->rows++;
    return 0;
}

int feat_finish(feat_builder *fb, const table_ctx *t, fc_features *out)
{
    memset(out, 0, sizeof *out);
    int keep = 0;
    for (int j = 0; j < fb->n; j++) {
        if (fb->numeric[j])
            keep++;
        else
            fc_diag_note(t->d, "%s: column '%s' is not numeric (line %ld); ignored", t->file,
                         t->header[fb->col[j]], fb->bad_line[j]);
    }
    if (!keep) return 0;
    /* Features go in name order, not the file's column order: the same
     * columns in another order are the same data and must fit the same
     * model (the fit's sums run in feature order). */
    int *order = malloc((size_t)keep * sizeof *order);
    if (!order) return -1;
    int m = 0;
    for (int j = 0; j < fb->n; j++) {
        if (!fb->numeric[j]) continue;
        const char *nj = t->header[fb->col[j]];
        int i = m++;
        for (; i > 0; i--) {
            const char *ni = t->header[fb->col[order[i - 1]]];
            int c = strcasecmp(ni, nj);
            if (c < 0 || (c == 0 && strcmp(ni, nj) <= 0)) break;
            order[i] = order[i - 1];
        }
        order[i] = j;
    }
    out->names = calloc((size_t)keep, sizeof *out->names);
    out->values = malloc((fb->rows ? fb->rows : 1) * (size_t)keep * sizeof *out->values);
    if (!out->names || !out->values) {
        free(order);
        return -1;
    }
    for (int k = 0; k < keep; k++) {
        int j = order[k];
        out->names[k] = strdup(t->header[fb->col[j]]);
        if (!out->names[k]) {
            free(order);
            return -1;
        }
        for (size_t r = 0; r < fb->rows; r++) out->values[r * (size_t)keep + (size_t)k] = fb->vals[j][r];
        out->n = k + 1;
    }
    free(order);
    return 0;
}

void feat_free(feat_builder *fb)
{
    for (int j = 0; j < fb->n; j++) free(fb->vals ? fb->vals[j] : NULL);
    free(fb->vals);
    free(fb->col);
    free(fb->numeric);
    free(fb->bad_line);
    memset(fb, 0, sizeof *fb);
}
