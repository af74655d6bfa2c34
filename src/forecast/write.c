/* write.c -- forecast rows as flat CSV or as the JSON document
 * (docs/schema/forecast.schema.json). Rows are streamed, not built as a
 * cJSON tree: a zip-level forecast has hundreds of thousands of rows. */
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

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') fprintf(f, "\\%c", ch);
        else if (ch < 0x20) fprintf(f, "\\u%04x", ch);
        else fputc(ch, f);
    }
    fputc('"', f);
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

int fc_vol_write_json(FILE *f, const fc_vol_forecast *fc, const char *level, const fc_zips *zips,
                      const fc_stations *st, const fc_scenario *sc, const cJSON *meta)
{
    const fc_vol_row *rows;
    int64_t n;
    if (pick(fc, level, &rows, &n)) return FC_EUSAGE;
    /* The meta object's members first, then "level" and "rows". */
    char *head = meta ? cJSON_Print(meta) : NULL;
    if (meta && !head) return FC_EINTERNAL;
    if (head) {
        /* Drop the object's own closing brace (only that one: the last
         * member may itself be an object). */
        size_t len = strlen(head);
        while (len && head[len - 1] != '}') head[--len] = '\0';
        if (len) head[--len] = '\0';
        while (len && (head[len - 1] == '\n' || head[len - 1] == '\t')) head[--len] = '\0';
        fputs(head, f);
        fputs(len > 1 ? ",\n" : "\n", f);
        free(head);
    } else {
        fputs("{\n", f);
    }
    fputs("\t\"level\":\t", f);
    json_string(f, level);
    fputs(",\n\t\"rows\":\t[", f);
    for (int64_t i = 0; i < n; i++) {
        const fc_vol_row *r = &rows[i];
        const char *id, *station;
        names(r, level, zips, st, sc, &id, &station);
        char month[8];
        fc_month_format(r->month, month);
        fputs(i ? ",\n\t\t{\"id\":" : "\n\t\t{\"id\":", f);
        json_string(f, id);
        fputs(",\"station\":", f);
        json_string(f, station);
        fprintf(f,
                ",\"month\":\"%s\",\"packages_mean\":%.1f,\"packages_p10\":%.1f,"
                "\"packages_p50\":%.1f,\"packages_p90\":%.1f,\"stops_mean\":%.1f,"
                "\"stops_p10\":%.1f,\"stops_p50\":%.1f,\"stops_p90\":%.1f,"
                "\"peak_day_packages_p50\":%.1f,\"peak_day_packages_p90\":%.1f}",
                month, r->pk_mean, r->pk_p10, r->pk_p50, r->pk_p90, r->sp_mean, r->sp_p10,
                r->sp_p50, r->sp_p90, r->peak_p50, r->peak_p90);
    }
    fputs(n ? "\n\t]\n}\n" : "]\n}\n", f);
    return ferror(f) ? FC_EIO : FC_OK;
}
