/* write.c -- forecast rows as flat CSV or as the JSON document
 * (docs/schema/forecast.schema.json). All JSON text comes from cJSON, but the
 * rows are streamed, not built into one tree: a zip-level forecast has
 * hundreds of thousands of rows. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/csv.h"
#include "fleetcast/date.h"
#include "fleetcast/forecast.h"

static const char csv_header[] =
    "level,id,station,month,packages_mean,packages_p10,packages_p50,packages_p90,"
    "stops_mean,stops_p10,stops_p50,stops_p90,peak_day_packages_p50,peak_day_packages_p90\n";

static const char *station_name(const fc_stations *st, const fc_scenario *sc, int32_t s)
{
    if (s < 0) return "";
    if (s < st->n) return fc_intern_name(st->ids, s);
    return sc->new_names[s - st->n];
}

static int pick(const fc_vol_forecast *fc, const char *level, const fc_vol_row **rows, int64_t *n)
{
    if (strcmp(level, "zip") == 0) {
        *rows = fc->zip_rows;
        *n = fc->zip_rows ? fc->nzip_rows : 0;
        return fc->zip_rows ? 0 : -1;
    }
    if (strcmp(level, "station") == 0) {
        *rows = fc->station_rows;
        *n = fc->nstation_rows;
        return 0;
    }
    if (strcmp(level, "network") == 0) {
        *rows = fc->network_rows;
        *n = fc->horizon;
        return 0;
    }
    return -1;
}

static void names(const fc_vol_row *r, const char *level, const fc_zips *zips, const fc_stations *st,
                  const fc_scenario *sc, const char **id, const char **station)
{
    if (level[0] == 'z') {
        *id = fc_intern_name(zips->ids, r->id);
        *station = station_name(st, sc, r->station);
    } else if (level[0] == 's') {
        *id = *station = station_name(st, sc, r->id);
    } else {
        *id = "network";
        *station = "";
    }
}

int fc_vol_write_csv(FILE *f, const fc_vol_forecast *fc, const char *level, const fc_zips *zips,
                     const fc_stations *st, const fc_scenario *sc)
{
    const fc_vol_row *rows;
    int64_t n;
    if (pick(fc, level, &rows, &n)) return FC_EUSAGE;
    fputs(csv_header, f);
    for (int64_t i = 0; i < n; i++) {
        const fc_vol_row *r = &rows[i];
        const char *id, *station;
        names(r, level, zips, st, sc, &id, &station);
        char month[8];
        fc_month_format(r->month, month);
        fprintf(f, "%s,", level);
        fc_csv_put_field(f, id);
        fputc(',', f);
        fc_csv_put_field(f, station);
        fprintf(f, ",%s,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f\n", month, r->pk_mean,
                r->pk_p10, r->pk_p50, r->pk_p90, r->sp_mean, r->sp_p10, r->sp_p50, r->sp_p90,
                r->peak_p50, r->peak_p90);
    }
    return ferror(f) ? FC_EIO : FC_OK;
}

/* x rounded to a tenth as the CSV's "%.1f" rounds it (the exact value to
 * the nearest tenth, an exact half to even), as the nearest double: JSON and
 * CSV carry the same numbers, and cJSON prints it in its shortest form
 * ("12.5", "12"). snprintf + strtod give the same values but made the
 * whole JSON writer 1.5x slower.
 * x * 10 may round across a half; fma gives the sign of the exact
 * x * 10 - (t + 0.5). Beyond 1e14 (no volume is that big) x is left as is. */
double fc_vol_round1(double x)
{
    if (!isfinite(x) || fabs(x) >= 1e14) return x;
    double t = floor(x * 10.0);
    double d = fma(x, 10.0, -(t + 0.5));
    if (d > 0 || (d == 0 && fmod(t, 2.0) != 0)) t += 1.0;
    return t / 10.0;
}

/* One row object, made once and refilled for every row: no allocation per
 * row, except for a name longer than the one it replaces. */
enum { ROW_ID, ROW_STATION, ROW_MONTH, ROW_NUM0, ROW_N = ROW_NUM0 + 10 };
static const char *const row_keys[ROW_N] = {
    "id", "station", "month", "packages_mean", "packages_p10", "packages_p50", "packages_p90",
    "stops_mean", "stops_p10", "stops_p50", "stops_p90", "peak_day_packages_p50",
    "peak_day_packages_p90"};

typedef struct row_json {
    cJSON *obj;
    cJSON *item[ROW_N];
    char *buf; /* printed row */
    size_t cap;
} row_json;

static void row_json_free(row_json *rj)
{
    cJSON_Delete(rj->obj);
    free(rj->buf);
}

static int row_json_init(row_json *rj)
{
    memset(rj, 0, sizeof *rj);
    if (!(rj->obj = cJSON_CreateObject())) return -1;
    for (int k = 0; k < ROW_N; k++) {
        rj->item[k] = k < ROW_NUM0 ? cJSON_AddStringToObject(rj->obj, row_keys[k], "")
                                   : cJSON_AddNumberToObject(rj->obj, row_keys[k], 0);
        if (!rj->item[k]) return -1;
    }
    return 0;
}

/* Fill the row object and print it into rj->buf. */
static int row_json_print(row_json *rj, const char *id, const char *station, const char *month,
                          const fc_vol_row *r)
{
    const double v[ROW_N - ROW_NUM0] = {r->pk_mean, r->pk_p10, r->pk_p50, r->pk_p90,
                                        r->sp_mean, r->sp_p10, r->sp_p50, r->sp_p90,
                                        r->peak_p50, r->peak_p90};
    if (!cJSON_SetValuestring(rj->item[ROW_ID], id) ||
        !cJSON_SetValuestring(rj->item[ROW_STATION], station) ||
        !cJSON_SetValuestring(rj->item[ROW_MONTH], month))
        return -1;
    for (int k = ROW_NUM0; k < ROW_N; k++)
        cJSON_SetNumberValue(rj->item[k], fc_vol_round1(v[k - ROW_NUM0]));
    /* Bound on the printed size: an escaped byte takes at most 6 ("\u001f");
     * keys, punctuation, the month and ten numbers (at most 25 each) well
     * under 1024. */
    size_t need = 1024 + 6 * (strlen(id) + strlen(station));
    if (need > INT_MAX) return -1;
    if (need > rj->cap) {
        char *b = realloc(rj->buf, need);
        if (!b) return -1;
        rj->buf = b;
        rj->cap = need;
    }
    return cJSON_PrintPreallocated(rj->obj, rj->buf, (int)rj->cap, 0) ? 0 : -1;
}

/* The document without rows: meta's members, "level" and an empty "rows"
 * array, as cJSON prints it (caller frees with cJSON_free). */
static char *json_frame(const cJSON *meta, const char *level)
{
    cJSON *doc = meta ? cJSON_Duplicate(meta, 1) : cJSON_CreateObject();
    if (!doc) return NULL;
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "level");
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "rows");
    char *txt = NULL;
    if (cJSON_AddStringToObject(doc, "level", level) && cJSON_AddArrayToObject(doc, "rows"))
        txt = cJSON_Print(doc);
    cJSON_Delete(doc);
    return txt;
}

int fc_vol_write_json(FILE *f, const fc_vol_forecast *fc, const char *level, const fc_zips *zips,
                      const fc_stations *st, const fc_scenario *sc, const cJSON *meta)
{
    const fc_vol_row *rows;
    int64_t n;
    if (pick(fc, level, &rows, &n)) return FC_EUSAGE;
    /* The rows go between the brackets of the frame's "rows": [], its last
     * member, so the last ']' of the text: one compact row a line, indented
     * as cJSON indents the frame. */
    char *frame = json_frame(meta, level);
    if (!frame) return FC_EINTERNAL;
    char *close = strrchr(frame, ']');
    row_json rj = {0};
    int ok = close && close > frame && close[-1] == '[' && row_json_init(&rj) == 0;
    if (ok) fwrite(frame, 1, (size_t)(close - frame), f);
    for (int64_t i = 0; i < n && ok; i++) {
        const fc_vol_row *r = &rows[i];
        const char *id, *station;
        names(r, level, zips, st, sc, &id, &station);
        char month[8];
        fc_month_format(r->month, month);
        if ((ok = row_json_print(&rj, id, station, month, r) == 0)) {
            fputs(i ? ",\n\t\t" : "\n\t\t", f);
            fputs(rj.buf, f);
        }
    }
    if (ok) {
        if (n) fputs("\n\t", f);
        fputs(close, f);
        fputc('\n', f);
    }
    row_json_free(&rj);
    cJSON_free(frame);
    if (!ok) return FC_EINTERNAL;
    return ferror(f) ? FC_EIO : FC_OK;
}
