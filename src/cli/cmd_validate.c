/* cmd_validate.c -- `fleetcast validate`: check the input files row by row and
 * across files, then summarise them (text or JSON). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "fleetcast/dataset.h"
#include "fleetcast/date.h"
#include "fleetcast/outfile.h"

static const char help[] =
    "Usage: fleetcast validate [--config FILE] [--shipments F] [--routes F] [--zips F]\n"
    "                          [--stations F] [--vehicles F] [--fleet F]\n"
    "                          [--max-errors N] [--format text|json|csv] [--threads N]\n"
    "                          [-o FILE]\n\n"
    "Check every row of the input files and the references between them, then\n"
    "print a summary: date range, zips, stations, totals, packages per stop and\n"
    "the observed shipments per route (SPR) of each station. Files may be .csv\n"
    "or .csv.gz; '-' reads one of them from stdin. A config file may name the\n"
    "files; options override it. On errors, up to --max-errors (default 20,\n"
    "0 = all) are listed as FILE:LINE:COLUMN: message, nothing is written to\n"
    "stdout, and the exit code is 65 (66 when a file is missing).\n\n"
    "Options:\n"
    "  --config FILE      run configuration (JSON) naming the input files\n"
    "  --shipments F      shipments: date, zip, station, packages, stops\n"
    "  --routes F         observed routes: date, station, van_type, routes, packages\n"
    "  --zips F           zips: zip, lat, lon, area_km2 [, hilliness, features...]\n"
    "  --stations F       stations: station, lat, lon [, city, shift_hours, ...]\n"
    "  --vehicles F       vehicles: van_type, capacity_packages [, electric, ...]\n"
    "  --fleet F          current fleet: station, van_type, count\n"
    "  --max-errors N     stop listing errors after N (default 20, 0 = no limit)\n"
    "  --format FMT       text (default), json, or csv (the per-station table)\n"
    "  -o, --output FILE  write the summary to FILE (atomically) instead of stdout\n"
    "  --threads N        a second thread reads ahead when N >= 2 (default: all\n"
    "                     cores; the report does not depend on it)\n"
    "  -q, --quiet        errors only;  -v, --verbose: more detail\n"
    "  --log-format FMT   messages on stderr as text (default) or json lines\n"
    "  -h, --help         this help\n";

typedef struct station_sum {
    int32_t zips;
    double packages, stops, route_packages, routes, route_days;
    int32_t first, last;    /* periods with shipments */
} station_sum;

static station_sum *summarise(const fc_dataset *ds, int32_t *zips_seen)
{
    int32_t ns = ds->stations ? ds->stations->n : 0;
    station_sum *s = calloc((size_t)(ns ? ns : 1), sizeof *s);
    if (!s) return NULL;
    for (int32_t i = 0; i < ns; i++) {
        s[i].first = INT32_MAX;
        s[i].last = INT32_MIN;
    }
    *zips_seen = 0;
    const fc_shipments *sh = ds->shipments;
    if (sh) {
        size_t nz = (size_t)sh->nzips;
        unsigned char *seen = calloc((size_t)ns * nz + 1, 1);
        if (!seen) {
            free(s);
            return NULL;
        }
        for (int32_t z = 0; z < sh->nzips; z++) {
            if (sh->seg_off[z + 1] > sh->seg_off[z]) (*zips_seen)++;
            for (int32_t k = sh->seg_off[z]; k < sh->seg_off[z + 1]; k++) {
                station_sum *t = &s[sh->seg_station[k]];
                if (!seen[(size_t)sh->seg_station[k] * nz + (size_t)z]) {
                    seen[(size_t)sh->seg_station[k] * nz + (size_t)z] = 1;
                    t->zips++;
                }
                for (int32_t p = sh->seg_first[k]; p <= sh->seg_last[k]; p++) {
                    int32_t v = sh->packages[(size_t)p * nz + (size_t)z];
                    if (v < 0) continue;
                    t->packages += v;
                    t->stops += sh->stops[(size_t)p * nz + (size_t)z];
                    if (p < t->first) t->first = p;
                    if (p > t->last) t->last = p;
                }
            }
        }
        free(seen);
    }
    const fc_routes *r = ds->routes;
    if (r)
        for (int64_t i = 0; i < r->n; i++) {
            s[r->station[i]].routes += r->routes[i];
            s[r->station[i]].route_packages += r->packages[i];
            s[r->station[i]].route_days += 1;
        }
    return s;
}

/* What the files hold that the model will not use, said before a fit
 * finds it: zips of the zips file nobody ships to, and routes rows whose
 * station has no shipments that day (fit and predict leave them out). */
static int cross_checks(cli *c, const fc_dataset *ds, int32_t zips_seen)
{
    const fc_shipments *sh = ds->shipments;
    if (!sh || !ds->zips) return FC_OK;
    int32_t unused = ds->zips->n - zips_seen;
    if (unused > 0) {
        int32_t first = -1;
        for (int32_t z = 0; z < sh->nzips && first < 0; z++)
            if (sh->seg_off[z + 1] == sh->seg_off[z]) first = z;
        fc_diag_note(&c->diag, "%d zip%s of the zips file %s no shipments (first: %s)", (int)unused,
                     unused == 1 ? "" : "s", unused == 1 ? "has" : "have",
                     first >= 0 ? fc_intern_name(ds->zips->ids, first) : "?");
    }
    const fc_routes *r = ds->routes;
    int64_t first, n = fc_dataset_unmatched_routes(ds, &first);
    if (n < 0) return FC_EINTERNAL;
    if (n) {
        char day[11];
        fc_date_format(r->day[first], day);
        fc_diag_warn(&c->diag, "%lld routes row%s %s no shipments for %s station that day: fit and "
                     "predict leave %s out (first: %s, %s)", (long long)n, n == 1 ? "" : "s",
                     n == 1 ? "has" : "have", n == 1 ? "its" : "their", n == 1 ? "it" : "them",
                     fc_intern_name(ds->stations->ids, r->station[first]), day);
    }
    return FC_OK;
}

static double ratio(double a, double b) { return b > 0 ? a / b : NAN; }

static cJSON *num(double v) { return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull(); }

/* Round to 4 significant decimals so the JSON stays readable. */
static double r4(double v) { return isfinite(v) ? round(v * 1e4) / 1e4 : v; }

static cJSON *summary_json(const fc_dataset *ds, const station_sum *s, int32_t zips_seen)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "schema_version", 1);
    cJSON_AddStringToObject(o, "kind", "fleetcast.validate");
    cJSON_AddItemToObject(o, "inputs", fc_dataset_fingerprints(ds));
    const fc_shipments *sh = ds->shipments;
    if (sh) {
        char a[11], b[11];
        cJSON *j = cJSON_AddObjectToObject(o, "shipments");
        fc_date_format(fc_shipments_period_day(sh, 0), a);
        fc_date_format(fc_shipments_period_day(sh, sh->nperiods - 1), b);
        cJSON_AddStringToObject(j, "periodicity", sh->monthly ? "monthly" : "daily");
        cJSON_AddStringToObject(j, "first", sh->rows ? a : "");
        cJSON_AddStringToObject(j, "last", sh->rows ? b : "");
        cJSON_AddNumberToObject(j, "periods", sh->rows ? sh->nperiods : 0);
        cJSON_AddNumberToObject(j, "rows", (double)sh->rows);
        cJSON_AddNumberToObject(j, "zips", zips_seen);
        cJSON_AddNumberToObject(j, "packages", sh->total_packages);
        cJSON_AddNumberToObject(j, "stops", sh->total_stops);
        cJSON_AddItemToObject(j, "packages_per_stop", num(r4(ratio(sh->total_packages, sh->total_stops))));
    }
    if (ds->zips) cJSON_AddNumberToObject(o, "zips", ds->zips->n);
    if (ds->vehicles) cJSON_AddNumberToObject(o, "van_types", ds->vehicles->n);
    if (ds->fleet) cJSON_AddNumberToObject(o, "fleet_vans", (double)ds->fleet->total);
    if (ds->routes) {
        cJSON *j = cJSON_AddObjectToObject(o, "routes");
        double routes = 0, pk = 0;
        for (int64_t i = 0; i < ds->routes->n; i++) {
            routes += ds->routes->routes[i];
            pk += ds->routes->packages[i];
        }
        cJSON_AddNumberToObject(j, "rows", (double)ds->routes->n);
        cJSON_AddNumberToObject(j, "routes", routes);
        cJSON_AddNumberToObject(j, "packages", pk);
        cJSON_AddItemToObject(j, "spr", num(r4(ratio(pk, routes))));
    }
    if (ds->stations) {
        cJSON *arr = cJSON_AddArrayToObject(o, "stations");
        for (int32_t i = 0; i < ds->stations->n; i++) {
            cJSON *j = cJSON_CreateObject();
            cJSON_AddStringToObject(j, "station", fc_intern_name(ds->stations->ids, i));
            int32_t c = ds->stations->city[i];
            cJSON_AddStringToObject(j, "city", c >= 0 ? fc_intern_name(ds->stations->cities, c) : "");
            cJSON_AddNumberToObject(j, "zips", s[i].zips);
            cJSON_AddNumberToObject(j, "periods", s[i].last >= s[i].first ? s[i].last - s[i].first + 1 : 0);
            cJSON_AddNumberToObject(j, "packages", s[i].packages);
            cJSON_AddItemToObject(j, "packages_per_stop", num(r4(ratio(s[i].packages, s[i].stops))));
            cJSON_AddNumberToObject(j, "route_days", s[i].route_days);
            cJSON_AddNumberToObject(j, "routes", s[i].routes);
            cJSON_AddItemToObject(j, "spr", num(r4(ratio(s[i].route_packages, s[i].routes))));
            cJSON_AddItemToArray(arr, j);
        }
    }
    return o;
}

/* A ratio for the text summary: "-" when there is nothing to divide by
 * (a station without shipments or routes), as the CSV leaves it empty and
 * the JSON says null, rather than "nan". */
static const char *fmt_ratio(char *buf, size_t n, int width, int prec, double v)
{
    if (isfinite(v))
        snprintf(buf, n, "%*.*f", width, prec, v);
    else
        snprintf(buf, n, "%*s", width, "-");
    return buf;
}

static void print_text(FILE *f, const fc_dataset *ds, const station_sum *s, int32_t zips_seen)
{
    char r1[32], r2[32];
    fprintf(f, "inputs\n");
    for (int i = 0; i < FC_INPUT_N; i++) {
        if (!ds->loaded[i]) continue;
        fprintf(f, "  %-10s %s  (%llu bytes%s, crc32 %08x, %ld rows)\n", fc_input_name(i), ds->paths[i],
                (unsigned long long)ds->info[i].bytes, ds->info[i].gzip ? " unzipped" : "",
                (unsigned)ds->info[i].crc32, ds->info[i].records > 0 ? ds->info[i].records - 1 : 0);
    }
    const fc_shipments *sh = ds->shipments;
    if (sh && sh->rows) {
        char a[11], b[11];
        fc_date_format(fc_shipments_period_day(sh, 0), a);
        fc_date_format(fc_shipments_period_day(sh, sh->nperiods - 1), b);
        fprintf(f, "shipments  %s, %s .. %s (%d %s), %d zips, %.0f packages, %.0f stops, %s packages/stop\n",
                sh->monthly ? "monthly" : "daily", a, b, (int)sh->nperiods, sh->monthly ? "months" : "days",
                (int)zips_seen, sh->total_packages, sh->total_stops,
                fmt_ratio(r1, sizeof r1, 0, 3, ratio(sh->total_packages, sh->total_stops)));
    } else if (sh) {
        fprintf(f, "shipments  no data rows\n");
    }
    if (ds->zips) fprintf(f, "zips       %d (%d feature columns)\n", (int)ds->zips->n, ds->zips->feat.n);
    if (ds->vehicles) fprintf(f, "vehicles   %d van types\n", (int)ds->vehicles->n);
    if (ds->fleet) fprintf(f, "fleet      %lld vans\n", (long long)ds->fleet->total);
    if (ds->routes) {
        double routes = 0, pk = 0;
        for (int64_t i = 0; i < ds->routes->n; i++) {
            routes += ds->routes->routes[i];
            pk += ds->routes->packages[i];
        }
        fprintf(f, "routes     %lld rows, %.0f routes, %.0f packages, SPR %s\n",
                (long long)ds->routes->n, routes, pk, fmt_ratio(r1, sizeof r1, 0, 1, ratio(pk, routes)));
    }
    if (ds->stations && ds->stations->n) {
        fprintf(f, "\n%-12s %-12s %6s %7s %14s %9s %10s %8s\n", "station", "city", "zips",
                sh && sh->monthly ? "months" : "days", "packages", "pkg/stop", "routes", "SPR");
        for (int32_t i = 0; i < ds->stations->n; i++) {
            int32_t c = ds->stations->city[i];
            fprintf(f, "%-12s %-12s %6d %7d %14.0f %9s %10.0f %8s\n",
                    fc_intern_name(ds->stations->ids, i),
                    c >= 0 ? fc_intern_name(ds->stations->cities, c) : "-", (int)s[i].zips,
                    s[i].last >= s[i].first ? (int)(s[i].last - s[i].first + 1) : 0, s[i].packages,
                    fmt_ratio(r1, sizeof r1, 9, 3, ratio(s[i].packages, s[i].stops)), s[i].routes,
                    fmt_ratio(r2, sizeof r2, 8, 1, ratio(s[i].route_packages, s[i].routes)));
        }
    }
}

/* The per-station table as CSV, for spreadsheets. Station ids and cities
 * are quoted (they may hold commas); empty ratios stay empty. */
static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_num(FILE *f, double v, const char *fmt)
{
    fputc(',', f);
    if (isfinite(v)) fprintf(f, fmt, v);
}

static void print_csv(FILE *f, const fc_dataset *ds, const station_sum *s)
{
    fputs("station,city,zips,periods,packages,packages_per_stop,route_days,routes,spr\n", f);
    for (int32_t i = 0; ds->stations && i < ds->stations->n; i++) {
        int32_t c = ds->stations->city[i];
        csv_field(f, fc_intern_name(ds->stations->ids, i));
        fputc(',', f);
        csv_field(f, c >= 0 ? fc_intern_name(ds->stations->cities, c) : "");
        fprintf(f, ",%d,%d,%.0f", (int)s[i].zips,
                s[i].last >= s[i].first ? (int)(s[i].last - s[i].first + 1) : 0, s[i].packages);
        csv_num(f, ratio(s[i].packages, s[i].stops), "%.4f");
        fprintf(f, ",%.0f,%.0f", s[i].route_days, s[i].routes);
        csv_num(f, ratio(s[i].route_packages, s[i].routes), "%.2f");
        fputc('\n', f);
    }
}

int cmd_validate(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_INPUT_LONGOPTS, CLI_THREADS_LONGOPT,
        {"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    cli c;
    cli_init(&c, "validate");
    int opt;
    while ((opt = getopt_long(argc, argv, ":hqvo:", longopts, NULL)) != -1) {
        if (cli_common_option(&c, opt, optarg) < 0) return cli_exit(&c, FC_EUSAGE);
    }
    if (cli_options_done(&c, help, argc, argv, 0)) return cli_exit(&c, c.status);
    if (cli_check_format(&c, "text|json|csv")) return cli_exit(&c, FC_EUSAGE);
    if (fc_outfile_check(c.output, &c.diag)) return cli_exit(&c, FC_ECANTCREAT);
    int st = cli_load_config(&c);
    if (st) return cli_exit(&c, st);
    int any = 0;
    for (int i = 0; i < FC_INPUT_N; i++) any |= c.config->inputs[i] != NULL;
    if (!any) return cli_exit(&c, cli_usage_error(&c, "no input files given"));
    if (cli_stdin_claim_inputs(&c)) return cli_exit(&c, FC_EUSAGE);

    fc_dataset ds;
    st = fc_dataset_load(&ds, c.config->inputs, (int)c.threads, &c.diag);
    if (st == FC_OK && c.diag.n_errors) st = c.diag.status;
    if (st != FC_OK) {
        if (c.diag.max_errors && c.diag.n_errors >= c.diag.max_errors)
            fc_diag_note(&c.diag, "stopped after %d errors (--max-errors); there may be more",
                         c.diag.max_errors);
        fc_dataset_free(&ds);
        return cli_exit(&c, st);
    }
    int32_t zips_seen;
    station_sum *s = summarise(&ds, &zips_seen);
    fc_outfile out;
    if (!s || cross_checks(&c, &ds, zips_seen)) {
        st = FC_EINTERNAL;
    } else if ((st = fc_outfile_open(&out, c.output, &c.diag)) == FC_OK) {
        if (c.format && strcmp(c.format, "json") == 0) {
            cJSON *j = summary_json(&ds, s, zips_seen);
            char *text = j ? cJSON_Print(j) : NULL;
            if (text) fprintf(out.fp, "%s\n", text); else st = FC_EINTERNAL;
            free(text);
            cJSON_Delete(j);
        } else if (c.format && strcmp(c.format, "csv") == 0) {
            print_csv(out.fp, &ds, s);
        } else {
            print_text(out.fp, &ds, s, zips_seen);
        }
        if (st == FC_OK)
            st = fc_outfile_commit(&out, &c.diag);
        else
            fc_outfile_abort(&out);
    }
    free(s);
    fc_dataset_free(&ds);
    return cli_exit(&c, st);
}
