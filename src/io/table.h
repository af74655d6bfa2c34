/* table.h -- (private to io/) binding a CSV header to the columns a file
 * must or may have, and parsing field values with precise messages. */
#ifndef FLEETCAST_IO_TABLE_H
#define FLEETCAST_IO_TABLE_H

#include <stdint.h>
#include "fleetcast/csv.h"
#include "fleetcast/data.h"
#include "fleetcast/diag.h"

typedef struct col_spec {
    const char *name;
    int required;
} col_spec;

#define TABLE_MAX_SPEC 32

typedef struct table_ctx {
    const char *file;           /* name used in messages */
    const char *kind;           /* "shipments", "zips", ... */
    fc_diag *d;
    const col_spec *spec;
    int nspec;
    int col[TABLE_MAX_SPEC];    /* header index of each spec column, -1 if absent */
    int ncols;                  /* fields in the header */
    char **header;              /* the header names */
    int *extra;                 /* header indexes of columns not in the spec */
    int nextra;
    int have_header;
    int row_bad;                /* set by the parse helpers for the current row */
} table_ctx;

void table_init(table_ctx *t, const char *file, const char *kind, fc_diag *d,
                const col_spec *spec, int nspec);
void table_free(table_ctx *t);

/* Bind the header row. Returns FC_OK, or FC_EDATA after reporting a missing
 * required column or a duplicated one. */
int table_header(table_ctx *t, const fc_csv_row *row);

/* Check a data row has as many fields as the header and that its text is
 * UTF-8 (reports if not). */
int table_width_ok(table_ctx *t, const fc_csv_row *row);

/* Is spec column i present in the file, and non-empty in this row? */
int table_has(const table_ctx *t, int i);
int table_set(const table_ctx *t, const fc_csv_row *row, int i);
const char *table_str(const table_ctx *t, const fc_csv_row *row, int i, size_t *len);

/* Report a bad value in spec column i (or raw header index when i < 0 and
 * col >= 0): FILE:LINE:COL: column 'NAME': expected WHAT, got "VALUE". */
void table_bad(table_ctx *t, const fc_csv_row *row, int i, const char *what);
void table_bad_col(table_ctx *t, const fc_csv_row *row, int col, const char *what);

/* Parsers: return 0 and store the value, or report and return -1. An absent
 * or empty optional column stores `dflt` and returns 0; an empty required
 * one is an error. */
int table_count(table_ctx *t, const fc_csv_row *row, int i, int64_t dflt, int64_t *out);
int table_real(table_ctx *t, const fc_csv_row *row, int i, double lo, double hi,
               double dflt, const char *what, double *out);
int table_date(table_ctx *t, const fc_csv_row *row, int i, int32_t dflt, int32_t *out);
int table_bool(table_ctx *t, const fc_csv_row *row, int i, int dflt, int *out);
int table_id(table_ctx *t, const fc_csv_row *row, int i, const char **s, size_t *n);

/* Low-level number parsing, shared with other readers: whole number >= 0
 * (digits only) and a finite real. Return 0 on success. */
int parse_whole(const char *s, size_t n, int64_t *out);
/* s[0..n-1] is one or more digits and nothing else. */
int parse_is_digits(const char *s, size_t n);
int parse_real(const char *s, size_t n, double *out);

#endif

/* Grow *p (elements of size elsz, capacity *cap) to hold at least need. */
int table_grow(void **p, size_t *cap, size_t need, size_t elsz);

/* Collects the extra columns of a file as candidate numeric features. */
typedef struct feat_builder {
    int n;
    int *col;           /* header index */
    int *numeric;       /* still numeric? */
    long *bad_line;     /* first non-numeric value's line */
    double **vals;
    size_t rows, cap;
} feat_builder;

int feat_begin(feat_builder *fb, const table_ctx *t);
int feat_row(feat_builder *fb, const fc_csv_row *row);
/* Keep the numeric columns as features; note the dropped ones. */
int feat_finish(feat_builder *fb, const table_ctx *t, fc_features *out);
void feat_free(feat_builder *fb);
