/* shipments.c -- zip-level shipment history into dense period x zip arrays.
 *
 * This is the one reader that meets tens of millions of rows, so it keeps no
 * per-row state: each row lands in its (day, zip) cell, and the station of
 * each zip is kept as a short list of date segments. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/data.h"
#include "fleetcast/date.h"
#include "table.h"

enum { SH_DATE, SH_ZIP, SH_STATION, SH_PKG, SH_STOPS, SH_N };
static const col_spec ship_cols[SH_N] = {
    {"date", 1}, {"zip", 1}, {"station", 1}, {"packages", 1}, {"stops", 1}};

/* How many ids past the previous row's zip to try before hashing. */
#define ZIP_LOOKAHEAD 4

typedef struct segment {
    int32_t zip, first, last, station;
} segment;

typedef struct ship_reader {
    table_ctx t;
    const fc_zips *zips;
    const fc_stations *st;
    int32_t nz;
    int32_t *pk, *sp;       /* [(day - t0) * nz + zip] */
    int32_t t0, ndays, cap_days;
    int have_days;
    int all_first;          /* every date so far is the 1st of a month */
    int last_is_first;      /* last_date is the 1st of a month */
    int64_t first_rows;     /* rows dated the 1st of a month */
    long not_first_line;    /* line of the first row dated otherwise, 0 = none */
    char last_date[10];
    int32_t last_day;
    int32_t last_station_id;
    uint64_t *zip_key, *st_key;  /* per id: id_key() of its name */
    int32_t zip_ids, st_ids;     /* ids in the two tables */
    segment *seg;
    size_t nseg, seg_cap;
    int32_t *cur_seg;       /* per zip: last segment touched, -1 */
    int32_t last_zip;
    int64_t rows;
    double tot_pk, tot_sp;
} ship_reader;

/* Make room for day `day` in the day-major arrays. Days are filled (-1
 * packages: no row yet) only as they come into use, and a forward growth is
 * a realloc, which moves a large block by remapping it rather than copying:
 * at 41,000 zips a day is 320 kB, and the unused tail is never touched. */
static int ensure_day(ship_reader *r, int32_t day)
{
    size_t nz = (size_t)r->nz;
    if (!r->have_days) {
        r->t0 = day;
        r->have_days = 1;
    }
    if (day >= r->t0) {
        int32_t need = day - r->t0 + 1;
        if (need > r->cap_days) {
            int32_t cap = r->cap_days ? r->cap_days : 64;
            while (cap < need) cap *= 2;
            size_t bytes = ((size_t)cap * nz + 1) * sizeof *r->pk;  /* never realloc(p, 0) */
            int32_t *pk = realloc(r->pk, bytes);
            if (!pk) return -1;
            r->pk = pk;
            int32_t *sp = realloc(r->sp, bytes);
            if (!sp) return -1;
            r->sp = sp;
            r->cap_days = cap;
        }
        if (need > r->ndays) {
            size_t from = (size_t)r->ndays * nz, cnt = (size_t)(need - r->ndays) * nz;
            memset(r->pk + from, 0xff, cnt * sizeof *r->pk);  /* all ones: -1 */
            memset(r->sp + from, 0, cnt * sizeof *r->sp);
            r->ndays = need;
        }
        return 0;
    }
    /* Dates going backwards: rare, so new arrays with no slack before. */
    int32_t need = r->t0 + r->ndays - day;
    int32_t cap = need + 64;
    int32_t *pk = malloc((size_t)cap * nz * sizeof *pk);
    int32_t *sp = malloc((size_t)cap * nz * sizeof *sp);
    if (!pk || !sp) {
        free(pk);
        free(sp);
        return -1;
    }
    size_t off = (size_t)(r->t0 - day) * nz;
    memset(pk, 0xff, off * sizeof *pk);
    memset(sp, 0, off * sizeof *sp);
    memcpy(pk + off, r->pk, (size_t)r->ndays * nz * sizeof *pk);
    memcpy(sp + off, r->sp, (size_t)r->ndays * nz * sizeof *sp);
    free(r->pk);
    free(r->sp);
    r->pk = pk;
    r->sp = sp;
    r->t0 = day;
    r->ndays = need;
    r->cap_days = cap;
    return 0;
}

/* An id of at most 7 bytes packed with its length into one word, 0 for a
 * longer or empty one. The hot path compares these from two small arrays
 * instead of following the string table's pointers (a cache miss per row). */
static uint64_t id_key(const char *s, size_t n)
{
    if (n == 0 || n > 7) return 0;
    uint64_t k = (uint64_t)n << 56;
    for (size_t i = 0; i < n; i++) k |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return k;
}

static uint64_t *id_keys(const fc_intern *t, int32_t n)
{
    uint64_t *k = malloc(((size_t)n + 1) * sizeof *k);
    if (!k) return NULL;
    for (int32_t i = 0; i < n; i++) {
        const char *name = fc_intern_name(t, i);
        size_t len = strlen(name);
        k[i] = fc_intern_is(t, i, name, len) ? id_key(name, len) : 0;
    }
    return k;
}

/* Is id (maybe out of range) the id of the field whose id_key is key? */
static int id_match(const fc_intern *t, const uint64_t *keys, int32_t n, int32_t id,
                    uint64_t key, const char *s, size_t len)
{
    if (id < 0 || id >= n) return 0;
    if (keys[id]) return keys[id] == key;
    return fc_intern_is(t, id, s, len);
}

static int note_station(ship_reader *r, int32_t zip, int32_t day, int32_t station)
{
    int32_t k = r->cur_seg[zip];
    if (k >= 0) {
        segment *s = &r->seg[k];
        if (s->station == station && day >= s->first) {
            if (day > s->last) s->last = day;
            return 0;
        }
    }
    if (table_grow((void **)&r->seg, &r->seg_cap, r->nseg + 1, sizeof *r->seg)) return -1;
    r->seg[r->nseg] = (segment){zip, day, day, station};
    r->cur_seg[zip] = (int32_t)r->nseg++;
    return 0;
}

static int ship_row(void *ud, const fc_csv_row *row)
{
    ship_reader *r = ud;
    table_ctx *t = &r->t;
    if (!t->have_header) return table_header(t, row);
    t->row_bad = 0;
    if (!table_width_ok(t, row)) return fc_diag_full(t->d) ? FC_EDATA : FC_OK;

    /* date (consecutive rows usually share it) */
    int cd = t->col[SH_DATE];
    int32_t day = 0;
    if (row->len[cd] == 10 && r->have_days && memcmp(row->f[cd], r->last_date, 10) == 0) {
        day = r->last_day;
    } else if (fc_date_parse(row->f[cd], row->len[cd], &day) == 0) {
        memcpy(r->last_date, row->f[cd], 10);
        r->last_day = day;
        int y, m, dd;
        fc_civil_from_days(day, &y, &m, &dd);
        r->last_is_first = dd == 1;
        if (dd != 1 && r->all_first) {
            r->all_first = 0;
            r->not_first_line = row->line;
        }
    } else {
        table_bad(t, row, SH_DATE, "an ISO date YYYY-MM-DD");
    }

    int cz = t->col[SH_ZIP];
    /* Files sorted by date then zip list zips in the zips file's order,
     * skipping those without a row that day: try the next few ids before
     * hashing (ids are unique, so a match is what the lookup would give). */
    uint64_t key = id_key(row->f[cz], row->len[cz]);
    int32_t zip = -1;
    for (int32_t k = 1; k <= ZIP_LOOKAHEAD; k++)
        if (id_match(r->zips->ids, r->zip_key, r->zip_ids, r->last_zip + k, key, row->f[cz],
                     row->len[cz])) {
            zip = r->last_zip + k;
            break;
        }
    if (zip < 0) zip = fc_intern_find(r->zips->ids, row->f[cz], row->len[cz]);
    r->last_zip = zip;
    if (zip < 0) table_bad(t, row, SH_ZIP, "a zip listed in the zips file");

    /* A zip keeps its station from day to day: try the station of its
     * latest segment, then the previous row's, before hashing. */
    int cs = t->col[SH_STATION];
    key = id_key(row->f[cs], row->len[cs]);
    int32_t station = -1;
    if (zip >= 0 && r->cur_seg[zip] >= 0) {
        int32_t c = r->seg[r->cur_seg[zip]].station;
        if (id_match(r->st->ids, r->st_key, r->st_ids, c, key, row->f[cs], row->len[cs]))
            station = c;
    }
    if (station < 0 && id_match(r->st->ids, r->st_key, r->st_ids, r->last_station_id, key,
                                row->f[cs], row->len[cs]))
        station = r->last_station_id;
    if (station < 0) {
        station = fc_intern_find(r->st->ids, row->f[cs], row->len[cs]);
        if (station < 0)
            table_bad(t, row, SH_STATION, "a station listed in the stations file");
        else
            r->last_station_id = station;
    }

    int64_t pk = 0, sp = 0;
    int cp = t->col[SH_PKG], cst = t->col[SH_STOPS];
    /* stored as int32: a larger count is named as too large, not as not a number */
    if (parse_whole(row->f[cp], row->len[cp], &pk) || pk > INT32_MAX) {
        table_bad(t, row, SH_PKG, pk > INT32_MAX || parse_is_digits(row->f[cp], row->len[cp])
                                      ? "a whole number >= 0, at most 2147483647" : "a whole number >= 0");
        pk = -1;
    }
    if (parse_whole(row->f[cst], row->len[cst], &sp) || sp > INT32_MAX) {
        table_bad(t, row, SH_STOPS, sp > INT32_MAX || parse_is_digits(row->f[cst], row->len[cst])
                                        ? "a whole number >= 0, at most 2147483647" : "a whole number >= 0");
    } else if (pk >= 0 && sp > pk) {
        char what[96];
        snprintf(what, sizeof what, "at most as many stops as packages (%lld)", (long long)pk);
        table_bad(t, row, SH_STOPS, what);
    } else if (pk > 0 && sp == 0) {
        table_bad(t, row, SH_STOPS, "at least one stop when packages > 0");
    }

    if (!t->row_bad) {
        r->first_rows += r->last_is_first;
        if (ensure_day(r, day)) {
            /* The arrays are dense days x zips, so one far-off date (a typo'd
             * year) can ask for more memory than there is: name the row. */
            int32_t lo = r->ndays && r->t0 < day ? r->t0 : day;
            int32_t hi = r->ndays && r->t0 + r->ndays - 1 > day ? r->t0 + r->ndays - 1 : day;
            char a[11], b[11], q[64];
            fc_date_format(lo, a);
            fc_date_format(hi, b);
            fc_diag_at(t->d, FC_EINTERNAL, t->file, row->line, cd + 1,
                       "column 'date': out of memory: with %s the history runs from %s to %s, "
                       "%ld days x %ld zips (%.1f GB); is the date a typo?",
                       fc_csv_quote_value(row->f[cd], row->len[cd], q, sizeof q), a, b,
                       (long)(hi - lo + 1), (long)r->nz,
                       (double)(hi - lo + 1) * (double)r->nz * 8 / 1e9);
            return FC_EINTERNAL;
        }
        size_t cell = (size_t)(day - r->t0) * (size_t)r->nz + (size_t)zip;
        if (r->pk[cell] >= 0) {
            char ds[11];
            fc_date_format(day, ds);
            fc_diag_at(t->d, FC_EDATA, t->file, row->line, 0,
                       "a second row for zip '%s' on %s (one row per date and zip)",
                       fc_intern_name(r->zips->ids, zip), ds);
            t->row_bad = 1;
        } else {
            r->pk[cell] = (int32_t)pk;
            r->sp[cell] = (int32_t)sp;
            r->rows++;
            r->tot_pk += (double)pk;
            r->tot_sp += (double)sp;
            if (note_station(r, zip, day, station)) return FC_EINTERNAL;
        }
    }
    return fc_diag_full(t->d) ? FC_EDATA : FC_OK;
}

static int seg_cmp(const void *a, const void *b)
{
    const segment *x = a, *y = b;
    if (x->zip != y->zip) return x->zip < y->zip ? -1 : 1;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    return (x->last > y->last) - (x->last < y->last);
}

/* Sort and merge the station segments and lay them out per zip. */
static int build_segments(ship_reader *r, fc_shipments *s)
{
    qsort(r->seg, r->nseg, sizeof *r->seg, seg_cmp);
    size_t m = 0;
    for (size_t i = 0; i < r->nseg; i++) {
        segment g = r->seg[i];
        if (s->monthly) {
            g.first = fc_date_month_index(g.first) - s->t0;
            g.last = fc_date_month_index(g.last) - s->t0;
        } else {
            g.first -= s->t0;
            g.last -= s->t0;
        }
        if (m && r->seg[m - 1].zip == g.zip && r->seg[m - 1].station == g.station) {
            if (g.last > r->seg[m - 1].last) r->seg[m - 1].last = g.last;
        } else {
            r->seg[m++] = g;
        }
    }
    s->seg_off = calloc((size_t)r->nz + 1, sizeof *s->seg_off);
    s->seg_first = malloc((m ? m : 1) * sizeof *s->seg_first);
    s->seg_last = malloc((m ? m : 1) * sizeof *s->seg_last);
    s->seg_station = malloc((m ? m : 1) * sizeof *s->seg_station);
    if (!s->seg_off || !s->seg_first || !s->seg_last || !s->seg_station) return -1;
    for (size_t i = 0; i < m; i++) {
        s->seg_off[r->seg[i].zip + 1]++;
        s->seg_first[i] = r->seg[i].first;
        s->seg_last[i] = r->seg[i].last;
        s->seg_station[i] = r->seg[i].station;
    }
    for (int32_t z = 0; z < r->nz; z++) s->seg_off[z + 1] += s->seg_off[z];
    return 0;
}

/* A long stretch with no rows at all inside the history is most likely a
 * mistyped date (2203 for 2023): the history then runs to it, and the
 * forecast starts from it. Say so, naming the stretch. */
#define GAP_DAYS 90
#define GAP_MONTHS 6

static void warn_gap(const fc_shipments *s, const char *file, fc_diag *d)
{
    size_t nz = (size_t)s->nzips;
    int32_t best0 = -1, best_len = 0, run0 = -1;
    for (int32_t p = 0; p < s->nperiods; p++) {
        int any = 0;
        for (size_t z = 0; z < nz && !any; z++) any = s->packages[(size_t)p * nz + z] >= 0;
        if (!any) {
            if (run0 < 0) run0 = p;
            if (p - run0 + 1 > best_len) {
                best_len = p - run0 + 1;
                best0 = run0;
            }
        } else {
            run0 = -1;
        }
    }
    if (best_len < (s->monthly ? GAP_MONTHS : GAP_DAYS)) return;
    char a[11], b[11];
    if (s->monthly) {
        fc_month_format(s->t0 + best0 - 1, a);
        fc_month_format(s->t0 + best0 + best_len, b);
    } else {
        fc_date_format(s->t0 + best0 - 1, a);
        fc_date_format(s->t0 + best0 + best_len, b);
    }
    fc_diag_warn(d, "%s: no rows at all between %s and %s (%d %s): is a date mistyped? The history "
                 "runs to the last date, and the forecast starts after it", file, a, b, (int)best_len,
                 s->monthly ? "months" : "days");
}

/* Move the day-major arrays into the result, compacting monthly data. */
static int finish_arrays(ship_reader *r, fc_shipments *s)
{
    size_t nz = (size_t)r->nz;
    int distinct = 0;
    if (r->all_first && r->ndays > 1) {
        for (int32_t d = 0; d < r->ndays && distinct < 2; d++)
            for (size_t z = 0; z < nz; z++)
                if (r->pk[(size_t)d * nz + z] >= 0) {
                    distinct++;
                    break;
                }
    }
    if (distinct >= 2) {
        int m0 = fc_date_month_index(r->t0);
        int m1 = fc_date_month_index(r->t0 + r->ndays - 1);
        s->monthly = 1;
        s->t0 = m0;
        s->nperiods = m1 - m0 + 1;
        s->packages = malloc((size_t)s->nperiods * nz * sizeof *s->packages);
        s->stops = malloc((size_t)s->nperiods * nz * sizeof *s->stops);
        if (!s->packages || !s->stops) return -1;
        for (int32_t p = 0; p < s->nperiods; p++) {
            size_t src = (size_t)(fc_month_first_day(m0 + p) - r->t0) * nz;
            memcpy(s->packages + (size_t)p * nz, r->pk + src, nz * sizeof *s->packages);
            memcpy(s->stops + (size_t)p * nz, r->sp + src, nz * sizeof *s->stops);
        }
        free(r->pk);
        free(r->sp);
    } else {
        s->t0 = r->t0;
        s->nperiods = r->ndays;
        s->packages = r->pk;
        s->stops = r->sp;
        if (!s->packages) {  /* no data rows */
            s->packages = malloc(sizeof *s->packages);
            s->stops = malloc(sizeof *s->stops);
            if (!s->packages || !s->stops) return -1;
        }
    }
    r->pk = r->sp = NULL;
    return 0;
}

int fc_shipments_read(const char *path, const fc_zips *zips, const fc_stations *st,
                      fc_diag *d, fc_shipments **out, fc_csv_info *info, int threads)
{
    ship_reader r;
    memset(&r, 0, sizeof r);
    *out = NULL;
    const char *file = strcmp(path, "-") ? path : "<stdin>";
    table_init(&r.t, file, "shipments", d, ship_cols, SH_N);
    r.zips = zips;
    r.st = st;
    r.nz = zips->n;
    r.all_first = 1;
    r.last_station_id = -1;
    r.last_zip = -1;
    r.cur_seg = malloc(((size_t)r.nz + 1) * sizeof *r.cur_seg);
    r.zip_ids = fc_intern_count(zips->ids);
    r.st_ids = fc_intern_count(st->ids);
    r.zip_key = id_keys(zips->ids, r.zip_ids);
    r.st_key = id_keys(st->ids, r.st_ids);
    fc_shipments *s = calloc(1, sizeof *s);
    if (!r.cur_seg || !r.zip_key || !r.st_key || !s) {
        free(r.cur_seg);
        free(r.zip_key);
        free(r.st_key);
        free(s);
        return FC_EINTERNAL;
    }
    for (int32_t z = 0; z < r.nz; z++) r.cur_seg[z] = -1;
    long before = d->n_errors;
    int stt = fc_csv_read(path, file, ship_row, &r, d, info, threads);
    if (stt == FC_OK && d->n_errors == before && r.rows == 0) {
        fc_diag_at(d, FC_EDATA, file, 0, 0, "no shipment rows (the file has only a header)");
        stt = FC_EDATA;
    }
    if (stt == FC_OK && d->n_errors > before) stt = FC_EDATA;
    if (stt == FC_OK) {
        s->nzips = r.nz;
        s->rows = r.rows;
        s->total_packages = r.tot_pk;
        s->total_stops = r.tot_sp;
        if (finish_arrays(&r, s) || build_segments(&r, s)) stt = FC_EINTERNAL;
        else warn_gap(s, file, d);
        /* Monthly data with a stray day (a typo) would silently be read as
         * daily, a month's volume on one day: say so. Daily data has about
         * one row in 30 on the 1st. */
        if (stt == FC_OK && !s->monthly && r.not_first_line && r.first_rows * 2 > r.rows)
            fc_diag_warn(d, "%s:%ld: %lld of %lld rows are dated the 1st of a month, but not this "
                         "one, so the file is read as daily data, not monthly; is the date a typo?",
                         file, r.not_first_line, (long long)r.first_rows, (long long)r.rows);
    }
    table_free(&r.t);
    free(r.pk);
    free(r.sp);
    free(r.seg);
    free(r.cur_seg);
    free(r.zip_key);
    free(r.st_key);
    if (stt != FC_OK) {
        fc_shipments_free(s);
        return stt;
    }
    *out = s;
    return FC_OK;
}

void fc_shipments_free(fc_shipments *s)
{
    if (!s) return;
    if (!s->borrowed) {
        free(s->packages);
        free(s->stops);
    }
    free(s->seg_off);
    free(s->seg_first);
    free(s->seg_last);
    free(s->seg_station);
    free(s);
}

int32_t fc_shipments_station(const fc_shipments *s, int32_t zip, int32_t p)
{
    int32_t a = s->seg_off[zip], b = s->seg_off[zip + 1];
    if (a == b) return -1;
    int32_t best = s->seg_station[a];
    for (int32_t k = a; k < b && s->seg_first[k] <= p; k++) best = s->seg_station[k];
    return best;
}

int fc_shipments_head(const fc_shipments *s, int32_t nperiods, fc_shipments **out)
{
    *out = NULL;
    int32_t np = nperiods < 1 ? 1 : nperiods > s->nperiods ? s->nperiods : nperiods;
    size_t nz = (size_t)s->nzips, nseg = (size_t)s->seg_off[s->nzips];
    fc_shipments *h = calloc(1, sizeof *h);
    if (!h) return FC_EINTERNAL;
    h->monthly = s->monthly;
    h->t0 = s->t0;
    h->nperiods = np;
    h->nzips = s->nzips;
    h->packages = s->packages;
    h->stops = s->stops;
    h->borrowed = 1;
    h->seg_off = calloc(nz + 1, sizeof *h->seg_off);
    h->seg_first = malloc((nseg + 1) * sizeof *h->seg_first);
    h->seg_last = malloc((nseg + 1) * sizeof *h->seg_last);
    h->seg_station = malloc((nseg + 1) * sizeof *h->seg_station);
    if (!h->seg_off || !h->seg_first || !h->seg_last || !h->seg_station) {
        fc_shipments_free(h);
        return FC_EINTERNAL;
    }
    int32_t m = 0;
    for (size_t z = 0; z < nz; z++) {
        for (int32_t k = s->seg_off[z]; k < s->seg_off[z + 1]; k++) {
            if (s->seg_first[k] >= np) continue;
            /* its last row before the end (the first period is a row) */
            int32_t last = s->seg_last[k] < np - 1 ? s->seg_last[k] : np - 1;
            while (last > s->seg_first[k] && s->packages[(size_t)last * nz + z] < 0) last--;
            h->seg_first[m] = s->seg_first[k];
            h->seg_last[m] = last;
            h->seg_station[m++] = s->seg_station[k];
        }
        h->seg_off[z + 1] = m;
    }
    for (size_t i = 0; i < (size_t)np * nz; i++)
        if (s->packages[i] >= 0) {
            h->rows++;
            h->total_packages += s->packages[i];
            h->total_stops += s->stops[i];
        }
    *out = h;
    return FC_OK;
}

int32_t fc_shipments_period_day(const fc_shipments *s, int32_t p)
{
    return s->monthly ? fc_month_first_day(s->t0 + p) : s->t0 + p;
}
