/* csv.h -- streaming CSV reading: plain, gzip (.csv.gz, detected from the
 * bytes; concatenated members read as one) or stdin ("-"), RFC 4180 quoting
 * through libcsv, UTF-8 BOM tolerated, lines ending in LF, CRLF or a lone CR
 * (the first line break tells). Rows are handed to a callback one at a
 * time; nothing is kept. */
#ifndef FLEETCAST_CSV_H
#define FLEETCAST_CSV_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include "fleetcast/diag.h"

typedef struct fc_csv_row {
    long line;          /* physical line where the record starts (1-based) */
    int n;              /* number of fields */
    char **f;           /* fields, NUL-terminated, spaces/tabs around unquoted text trimmed */
    size_t *len;        /* their lengths */
    int non_ascii;      /* the record's lines hold a byte >= 0x80: check the text is UTF-8 */
} fc_csv_row;

/* Called for every record, the header included. Return FC_OK to go on, or a
 * status to stop reading (fc_csv_read then returns it). */
typedef int (*fc_csv_row_fn)(void *ud, const fc_csv_row *row);

typedef struct fc_csv_info {
    uint64_t bytes;     /* content bytes (after gunzip) */
    uint32_t crc32;     /* CRC-32 of the content: the input's fingerprint */
    long records;       /* records seen, header included */
    int gzip;           /* 1 when the input was gzip-compressed */
} fc_csv_info;

/* Read the file at `path` ("-" = stdin). `name` is used in messages (NULL:
 * path, or "<stdin>"). Errors go to d: FC_ENOINPUT when the file cannot be
 * opened, FC_EDATA for an empty file, an unterminated quote, a NUL byte, bad
 * gzip data or bytes after the gzip stream that are not another member,
 * FC_EIO for a read error. info may be NULL. threads >= 2 gunzips
 * and fingerprints the bytes on a read-ahead thread while this one parses
 * them (same rows, lines and messages as threads 1; for large files). */
int fc_csv_read(const char *path, const char *name, fc_csv_row_fn fn, void *ud,
                fc_diag *d, fc_csv_info *info, int threads) FC_MUST_CHECK;

/* The same on bytes in memory (tests and fuzzing). */
int fc_csv_read_mem(const char *buf, size_t n, const char *name, fc_csv_row_fn fn,
                    void *ud, fc_diag *d, fc_csv_info *info) FC_MUST_CHECK;

/* Write s as one CSV field (RFC 4180): quoted, with quotes doubled, only
 * when it holds a comma, a quote or a line break. */
void fc_csv_put_field(FILE *f, const char *s);

/* Format a field value for a message: at most ~40 bytes, control characters
 * and bytes that are not UTF-8 escaped, quoted. Writes into out (size >= 64)
 * and returns it. */
const char *fc_csv_quote_value(const char *s, size_t n, char *out, size_t outsz);

/* The length of the well-formed UTF-8 sequence at s (1 for ASCII), or 0
 * when the bytes there are not UTF-8 (n > 0). */
size_t fc_utf8_seq(const char *s, size_t n);

/* Is s[0, n) UTF-8 text? */
int fc_utf8_valid(const char *s, size_t n);

#endif
