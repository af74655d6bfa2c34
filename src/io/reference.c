/* reference.c -- the small reference files: vehicles, zips, stations, fleet. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/data.h"
#include "table.h"

/* ---- shared pieces ---------------------------------------------------- */

typedef struct ref_reader {
    table_ctx t;
    feat_builder fb;
    fc_intern *ids;
    int32_t *lines;         /* line of each id, for duplicate messages */
    size_t lines_cap;
    int status;
} ref_reader;

/* Intern the id in spec column 0; reports duplicates. Returns id or -1. */
static int32_t ref_id(ref_reader *r, const fc_csv_row *row)
{
    const char *s;
    size_t n;
    if (table_id(&r->t, row, 0, &s, &n)) return -1;
    int added;
    int32_t id = fc_intern_add(r->ids, s, n, &added);
    if (id < 0) return -2;
    if (!added) {
        fc_diag_at(r->t.d, FC_EDATA, r->t.file, row->line, r->t.col[0] + 1,
                   "column '%s': \"%s\" appears twice (first at line %ld)", r->t.spec[0].name, s,
                   (long)r->lines[id]);
        r->t.row_bad = 1;
        return -1;
    }
    if (table_grow((void **)&r->lines, &r->lines_cap, (size_t)id + 1, sizeof *r->lines)) return -2;
    r->lines[id] = (int32_t)row->line;
    return id;
}

/* Start of every row callback: header handling and width check. Returns
 * 1 when the row is data to parse. */
static int ref_begin_row(ref_reader *r, const fc_csv_row *row, int *stop)
{
    *stop = FC_OK;
    if (!r->t.have_header) {
        int st = table_header(&r->t, row);
        if (st == FC_OK && feat_begin(&r->fb, &r->t)) st = FC_EINTERNAL;
        if (st != FC_OK) *stop = st;
        return 0;
    }
    r->t.row_bad = 0;
    if (!table_width_ok(&r->t, row)) {
        if (fc_diag_full(r->t.d)) *stop = FC_EDATA;
        return 0;
    }
    return 1;
}

static int ref_end_row(ref_reader *r)
{
    if (fc_diag_full(r->t.d)) return FC_EDATA;
    return FC_OK;
}

static void ref_init(ref_reader *r, const char *path, const char *kind, fc_diag *d,
                     const col_spec *spec, int nspec)
{
    memset(r, 0, sizeof *r);
    table_init(&r->t, strcmp(path, "-") ? path : "<stdin>", kind, d, spec, nspec);
}

static void ref_done(ref_reader *r)
{
    table_free(&r->t);
    feat_free(&r->fb);
    free(r->lines);
}

/* A column array of doubles or ints grown alongside the ids. */
#define GROW(arr, cap, n) table_grow((void **)&(arr), &(cap), (size_t)(n), sizeof *(arr))

/* ---- vehicles ----------------------------------------------------------- */

enum { V_TYPE, V_CAP, V_ELEC, V_BATT, V_KWH, V_CDAY, V_CKM, V_N };
static const col_spec vehicle_cols[V_N] = {
    {"van_type", 1}, {"capacity_packages", 1}, {"electric", 0}, {"battery_kwh", 0},
    {"kwh_per_km", 0}, {"cost_per_day", 0}, {"cost_per_km", 0}};

typedef struct veh_reader {
    ref_reader r;
    fc_vehicles *v;
    size_t cap[V_N];
} veh_reader;

static int vehicle_row(void *ud, const fc_csv_row *row)
{
    veh_reader *vr = ud;
    ref_reader *r = &vr->r;
    int stop;
    if (!ref_begin_row(r, row, &stop)) return stop;
    fc_vehicles *v = vr->v;
    int32_t id = ref_id(r, row);
    if (id == -2) return FC_EINTERNAL;
    size_t need = (size_t)fc_intern_count(r->ids);
    if (GROW(v->capacity, vr->cap[0], need) || GROW(v->electric, vr->cap[1], need) ||
        GROW(v->battery_kwh, vr->cap[2], need) || GROW(v->kwh_per_km, vr->cap[3], need) ||
        GROW(v->cost_per_day, vr->cap[4], need) || GROW(v->cost_per_km, vr->cap[5], need))
        return FC_EINTERNAL;
    double cap, batt, kwh, cday, ckm;
    int elec;
    table_real(&r->t, row, V_CAP, 1e-9, 1e9, NAN, "a number of packages > 0", &cap);
    table_bool(&r->t, row, V_ELEC, 0, &elec);
    table_real(&r->t, row, V_BATT, 1e-9, 1e6, NAN, "a battery size in kWh > 0", &batt);
    table_real(&r->t, row, V_KWH, 1e-9, 100, NAN, "an energy use in kWh per km > 0", &kwh);
    table_real(&r->t, row, V_CDAY, 0, 1e9, NAN, "a cost per day >= 0", &cday);
    table_real(&r->t, row, V_CKM, 0, 1e9, NAN, "a cost per km >= 0", &ckm);
    if (!r->t.row_bad && elec && (isnan(batt) || isnan(kwh))) {
        fc_diag_at(r->t.d, FC_EDATA, r->t.file, row->line, 0,
                   "electric van type '%s' needs battery_kwh and kwh_per_km", row->f[r->t.col[0]]);
        r->t.row_bad = 1;
    }
    if (id >= 0) {
        v->capacity[id] = cap;
        v->electric[id] = elec;
        v->battery_kwh[id] = batt;
        v->kwh_per_km[id] = kwh;
        v->cost_per_day[id] = cday;
        v->cost_per_km[id] = ckm;
    }
    return ref_end_row(r);
}

int fc_vehicles_read(const char *path, fc_diag *d, fc_vehicles **out, fc_csv_info *info)
{
    veh_reader vr;
    memset(&vr, 0, sizeof vr);
    *out = NULL;
    ref_init(&vr.r, path, "vehicles", d, vehicle_cols, V_N);
    vr.v = calloc(1, sizeof *vr.v);
    vr.r.ids = fc_intern_new();
    if (!vr.v || !vr.r.ids) {
        free(vr.v);
        fc_intern_free(vr.r.ids);
        return FC_EINTERNAL;
    }
    vr.v->ids = vr.r.ids;
    long before = d->n_errors;
    int st = fc_csv_read(path, vr.r.t.file, vehicle_row, &vr, d, info, 1);
    vr.v->n = fc_intern_count(vr.r.ids);
    if (st == FC_OK && vr.v->n > FC_MAX_VAN_TYPES) {
        fc_diag_at(d, FC_EDATA, vr.r.t.file, 0, 0, "at most %d van types are supported, got %d",
                   FC_MAX_VAN_TYPES, (int)vr.v->n);
        st = FC_EDATA;
    }
    if (st == FC_OK && vr.v->n == 0) {
        fc_diag_at(d, FC_EDATA, vr.r.t.file, 0, 0, "no van types (the file has only a header)");
        st = FC_EDATA;
    }
    if (st == FC_OK && d->n_errors > before) st = FC_EDATA;
    ref_done(&vr.r);
    if (st != FC_OK) {
        fc_vehicles_free(vr.v);
        return st;
    }
    *out = vr.v;
    return FC_OK;
}

void fc_vehicles_free(fc_vehicles *v)
{
    if (!v) return;
    fc_intern_free(v->ids);
    free(v->capacity);
    free(v->electric);
    free(v->battery_kwh);
    free(v->kwh_per_km);
    free(v->cost_per_day);
    free(v->cost_per_km);
    free(v);
}

/* ---- zips ---------------------------------------------------------------- */

enum { Z_ZIP, Z_LAT, Z_LON, Z_AREA, Z_HILL, Z_N };
static const col_spec zip_cols[Z_N] = {
    {"zip", 1}, {"lat", 1}, {"lon", 1}, {"area_km2", 1}, {"hilliness", 0}};

typedef struct zip_reader {
    ref_reader r;
    fc_zips *z;
    size_t cap[Z_N];
} zip_reader;

static int zip_row(void *ud, const fc_csv_row *row)
{
    zip_reader *zr = ud;
    ref_reader *r = &zr->r;
    int stop;
    if (!ref_begin_row(r, row, &stop)) return stop;
    fc_zips *z = zr->z;
    int32_t id = ref_id(r, row);
    if (id == -2) return FC_EINTERNAL;
    size_t need = (size_t)fc_intern_count(r->ids);
    if (GROW(z->lat, zr->cap[0], need) || GROW(z->lon, zr->cap[1], need) ||
        GROW(z->area_km2, zr->cap[2], need) || GROW(z->hilliness, zr->cap[3], need))
        return FC_EINTERNAL;
    double lat, lon, area, hill;
    table_real(&r->t, row, Z_LAT, -90, 90, NAN, "a latitude in [-90, 90]", &lat);
    table_real(&r->t, row, Z_LON, -180, 180, NAN, "a longitude in [-180, 180]", &lon);
    table_real(&r->t, row, Z_AREA, 1e-9, 1e7, NAN, "an area in km2 > 0", &area);
    table_real(&r->t, row, Z_HILL, 0, 1000, 0, "metres climbed per km in [0, 1000]", &hill);
    if (id >= 0) {
        z->lat[id] = lat;
        z->lon[id] = lon;
        z->area_km2[id] = area;
        z->hilliness[id] = hill;
        if (feat_row(&r->fb, row)) return FC_EINTERNAL;
    }
    return ref_end_row(r);
}

int fc_zips_read(const char *path, fc_diag *d, fc_zips **out, fc_csv_info *info)
{
    zip_reader zr;
    memset(&zr, 0, sizeof zr);
    *out = NULL;
    ref_init(&zr.r, path, "zips", d, zip_cols, Z_N);
    zr.z = calloc(1, sizeof *zr.z);
    zr.r.ids = fc_intern_new();
    if (!zr.z || !zr.r.ids) {
        free(zr.z);
        fc_intern_free(zr.r.ids);
        return FC_EINTERNAL;
    }
    zr.z->ids = zr.r.ids;
    long before = d->n_errors;
    int st = fc_csv_read(path, zr.r.t.file, zip_row, &zr, d, info, 1);
    zr.z->n = fc_intern_count(zr.r.ids);
    zr.z->has_hilliness = table_has(&zr.r.t, Z_HILL);
    if (st == FC_OK && d->n_errors == before && zr.z->n == 0) {
        fc_diag_at(d, FC_EDATA, zr.r.t.file, 0, 0, "no zips (the file has only a header)");
        st = FC_EDATA;
    }
    if (st == FC_OK && d->n_errors > before) st = FC_EDATA;
    if (st == FC_OK && feat_finish(&zr.r.fb, &zr.r.t, &zr.z->feat)) st = FC_EINTERNAL;
    ref_done(&zr.r);
    if (st != FC_OK) {
        fc_zips_free(zr.z);
        return st;
    }
    *out = zr.z;
    return FC_OK;
}

void fc_features_free(fc_features *f)
{
    for (int j = 0; j < f->n; j++) free(f->names[j]);
    free(f->names);
    free(f->values);
    memset(f, 0, sizeof *f);
}

int fc_features_find(const fc_features *f, const char *name)
{
    for (int j = 0; j < f->n; j++)
        if (strcmp(f->names[j], name) == 0) return j;
    return -1;
}

void fc_zips_free(fc_zips *z)
{
    if (!z) return;
    fc_intern_free(z->ids);
    free(z->lat);
    free(z->lon);
    free(z->area_km2);
    free(z->hilliness);
    fc_features_free(&z->feat);
    free(z);
}

/* ---- stations ------------------------------------------------------------ */

enum { S_ID, S_LAT, S_LON, S_CITY, S_SHIFT, S_PARK, S_CHG, S_CKW, S_SITE, S_OPEN, S_VANS, S_N };
static const col_spec station_cols[S_N] = {
    {"station", 1}, {"lat", 1}, {"lon", 1}, {"city", 0}, {"shift_hours", 0},
    {"parking", 0}, {"chargers", 0}, {"charger_kw", 0}, {"site_power_kw", 0},
    {"opened", 0}, {"van_types", 0}};

typedef struct st_reader {
    ref_reader r;
    fc_stations *s;
    const fc_vehicles *veh;
    size_t cap[S_N];
} st_reader;

/* van_types: ids separated by ';', '|' or spaces. */
static uint64_t parse_van_types(st_reader *sr, const fc_csv_row *row)
{
    int c = sr->r.t.col[S_VANS];
    if (c < 0 || row->len[c] == 0 || !sr->veh) return ~(uint64_t)0;
    uint64_t mask = 0;
    const char *p = row->f[c], *end = p + row->len[c];
    while (p < end) {
        while (p < end && (*p == ';' || *p == '|' || *p == ' ')) p++;
        const char *q = p;
        while (q < end && *q != ';' && *q != '|' && *q != ' ') q++;
        if (q > p) {
            int32_t v = fc_intern_find(sr->veh->ids, p, (size_t)(q - p));
            if (v < 0) {
                char what[160];
                snprintf(what, sizeof what, "van types from the vehicles file separated by ';' (no '%.*s' there)",
                         (int)(q - p > 40 ? 40 : q - p), p);
                table_bad(&sr->r.t, row, S_VANS, what);
            } else {
                mask |= (uint64_t)1 << v;
            }
        }
        p = q;
    }
    return mask ? mask : ~(uint64_t)0;
}

static int station_row(void *ud, const fc_csv_row *row)
{
    st_reader *sr = ud;
    ref_reader *r = &sr->r;
    int stop;
    if (!ref_begin_row(r, row, &stop)) return stop;
    fc_stations *s = sr->s;
    int32_t id = ref_id(r, row);
    if (id == -2) return FC_EINTERNAL;
    size_t need = (size_t)fc_intern_count(r->ids);
    if (GROW(s->lat, sr->cap[0], need) || GROW(s->lon, sr->cap[1], need) ||
        GROW(s->city, sr->cap[2], need) || GROW(s->shift_hours, sr->cap[3], need) ||
        GROW(s->parking, sr->cap[4], need) || GROW(s->chargers, sr->cap[5], need) ||
        GROW(s->charger_kw, sr->cap[6], need) || GROW(s->site_power_kw, sr->cap[7], need) ||
        GROW(s->opened, sr->cap[8], need) || GROW(s->van_types, sr->cap[9], need))
        return FC_EINTERNAL;
    double lat, lon, shift, park, chg, ckw, site;
    int32_t opened;
    int64_t whole;
    table_real(&r->t, row, S_LAT, -90, 90, NAN, "a latitude in [-90, 90]", &lat);
    table_real(&r->t, row, S_LON, -180, 180, NAN, "a longitude in [-180, 180]", &lon);
    table_real(&r->t, row, S_SHIFT, 0.5, 24, NAN, "a shift length in hours in [0.5, 24]", &shift);
    park = chg = NAN;
    if (table_count(&r->t, row, S_PARK, -1, &whole) == 0 && whole >= 0) park = (double)whole;
    if (table_count(&r->t, row, S_CHG, -1, &whole) == 0 && whole >= 0) chg = (double)whole;
    table_real(&r->t, row, S_CKW, 1e-9, 1e5, NAN, "a charger power in kW > 0", &ckw);
    table_real(&r->t, row, S_SITE, 0, 1e7, NAN, "a site power in kW >= 0", &site);
    table_date(&r->t, row, S_OPEN, FC_NO_DATE, &opened);
    uint64_t vans = parse_van_types(sr, row);
    int32_t city = -1;
    size_t clen;
    const char *cs = table_str(&r->t, row, S_CITY, &clen);
    if (cs && clen) {
        city = fc_intern_add(s->cities, cs, clen, NULL);
        if (city < 0) return FC_EINTERNAL;
    }
    if (id >= 0) {
        s->lat[id] = lat;
        s->lon[id] = lon;
        s->city[id] = city;
        s->shift_hours[id] = shift;
        s->parking[id] = park;
        s->chargers[id] = chg;
        s->charger_kw[id] = ckw;
        s->site_power_kw[id] = site;
        s->opened[id] = opened;
        s->van_types[id] = vans;
        if (feat_row(&r->fb, row)) return FC_EINTERNAL;
    }
    return ref_end_row(r);
}

/* A van type no station's van_types lists is planned nowhere: say so. A
 * type added to the vehicles file (a new van on the market) was left out
 * of every plan without a word when the stations list their types. */
static void warn_unused_van_types(const fc_stations *s, const fc_vehicles *veh, const char *file,
                                  fc_diag *d)
{
    uint64_t any = 0;
    for (int32_t i = 0; i < s->n; i++) any |= s->van_types[i];
    char names[512] = "";
    size_t len = 0;
    int n = 0;
    for (int32_t v = 0; v < veh->n && v < 64; v++) {
        if (any >> v & 1) continue;
        if (len < sizeof names - 80)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s'%s'", n ? ", " : "",
                                    fc_intern_name(veh->ids, v));
        n++;
    }
    if (n)
        fc_diag_warn(d, "%s: van type%s %s of the vehicles file %s in no station's van_types: no station may "
                     "run %s, so no plan uses %s (list %s in van_types, or leave a station's van_types "
                     "empty for every type)", file, n > 1 ? "s" : "", names, n > 1 ? "are" : "is",
                     n > 1 ? "them" : "it", n > 1 ? "them" : "it", n > 1 ? "them" : "it");
}

int fc_stations_read(const char *path, const fc_vehicles *veh, fc_diag *d,
                     fc_stations **out, fc_csv_info *info)
{
    st_reader sr;
    memset(&sr, 0, sizeof sr);
    *out = NULL;
    ref_init(&sr.r, path, "stations", d, station_cols, S_N);
    sr.veh = veh;
    sr.s = calloc(1, sizeof *sr.s);
    sr.r.ids = fc_intern_new();
    if (sr.s) sr.s->cities = fc_intern_new();
    if (!sr.s || !sr.r.ids || !sr.s->cities) {
        if (sr.s) fc_intern_free(sr.s->cities);
        free(sr.s);
        fc_intern_free(sr.r.ids);
        return FC_EINTERNAL;
    }
    sr.s->ids = sr.r.ids;
    long before = d->n_errors;
    int st = fc_csv_read(path, sr.r.t.file, station_row, &sr, d, info, 1);
    sr.s->n = fc_intern_count(sr.r.ids);
    if (st == FC_OK && d->n_errors == before && sr.s->n == 0) {
        fc_diag_at(d, FC_EDATA, sr.r.t.file, 0, 0, "no stations (the file has only a header)");
        st = FC_EDATA;
    }
    if (st == FC_OK && d->n_errors > before) st = FC_EDATA;
    if (st == FC_OK && feat_finish(&sr.r.fb, &sr.r.t, &sr.s->feat)) st = FC_EINTERNAL;
    if (st == FC_OK && veh) warn_unused_van_types(sr.s, veh, sr.r.t.file, d);
    ref_done(&sr.r);
    if (st != FC_OK) {
        fc_stations_free(sr.s);
        return st;
    }
    *out = sr.s;
    return FC_OK;
}

void fc_stations_free(fc_stations *s)
{
    if (!s) return;
    fc_intern_free(s->ids);
    fc_intern_free(s->cities);
    free(s->lat);
    free(s->lon);
    free(s->city);
    free(s->shift_hours);
    free(s->parking);
    free(s->chargers);
    free(s->charger_kw);
    free(s->site_power_kw);
    free(s->opened);
    free(s->van_types);
    fc_features_free(&s->feat);
    free(s);
}

/* ---- fleet --------------------------------------------------------------- */

enum { F_ST, F_VAN, F_COUNT, F_N };
static const col_spec fleet_cols[F_N] = {{"station", 1}, {"van_type", 1}, {"count", 1}};

typedef struct fleet_reader {
    ref_reader r;
    fc_fleet *f;
    const fc_stations *st;
    const fc_vehicles *veh;
    int32_t *line;  /* line of each (station, van) cell, 0 = unset */
    int budget;     /* the budget file (the fleet file's format) */
} fleet_reader;

static int fleet_row(void *ud, const fc_csv_row *row)
{
    fleet_reader *fr = ud;
    ref_reader *r = &fr->r;
    int stop;
    if (!ref_begin_row(r, row, &stop)) return stop;
    const char *s;
    size_t n;
    int32_t sid = -1, vid = -1;
    if (table_id(&r->t, row, F_ST, &s, &n) == 0 && (sid = fc_intern_find(fr->st->ids, s, n)) < 0)
        table_bad(&r->t, row, F_ST, "a station listed in the stations file");
    if (table_id(&r->t, row, F_VAN, &s, &n) == 0 && (vid = fc_intern_find(fr->veh->ids, s, n)) < 0)
        table_bad(&r->t, row, F_VAN, "a van type listed in the vehicles file");
    int64_t count;
    /* at most a million: the plan sums a station's types in 32 bits (a
     * budget of 2^31 - 1 vans in three types read a surplus of -2^31) */
    if (table_count(&r->t, row, F_COUNT, 0, &count) == 0 && count > FC_MAX_VANS) {
        table_bad(&r->t, row, F_COUNT, "a van count of at most 1000000");
    }
    if (!r->t.row_bad && sid >= 0 && vid >= 0) {
        size_t cell = (size_t)sid * (size_t)fr->f->nvans + (size_t)vid;
        if (fr->line[cell]) {
            fc_diag_at(r->t.d, FC_EDATA, r->t.file, row->line, 0,
                       "station '%s' van type '%s' appears twice (first at line %ld)",
                       fc_intern_name(fr->st->ids, sid), fc_intern_name(fr->veh->ids, vid),
                       (long)fr->line[cell]);
        } else {
            fr->line[cell] = (int32_t)row->line;
            fr->f->count[cell] = (int32_t)count;
            fr->f->total += count;
            if (count > 0 && !(fr->st->van_types[sid] >> vid & 1))
                fc_diag_warn(r->t.d, "%s:%ld: station '%s' has %lld %svan%s of type '%s', which its van_types "
                             "in the stations file do not allow; %s",
                             r->t.file, row->line, fc_intern_name(fr->st->ids, sid), (long long)count,
                             fr->budget ? "budgeted " : "", count == 1 ? "" : "s",
                             fc_intern_name(fr->veh->ids, vid),
                             fr->budget ? "the scenario check counts them, but the plan would run none"
                                        : "the plan adds none of that type");
        }
    }
    return ref_end_row(r);
}

static int fleet_read(const char *path, int budget, const fc_stations *st, const fc_vehicles *veh,
                      fc_diag *d, fc_fleet **out, fc_csv_info *info)
{
    fleet_reader fr;
    memset(&fr, 0, sizeof fr);
    *out = NULL;
    ref_init(&fr.r, path, budget ? "budget" : "fleet", d, fleet_cols, F_N);
    fr.budget = budget;
    fr.st = st;
    fr.veh = veh;
    fr.f = calloc(1, sizeof *fr.f);
    size_t cells = (size_t)(st->n ? st->n : 1) * (size_t)(veh->n ? veh->n : 1);
    if (fr.f) {
        fr.f->nstations = st->n;
        fr.f->nvans = veh->n;
        fr.f->count = calloc(cells, sizeof *fr.f->count);
    }
    fr.line = calloc(cells, sizeof *fr.line);
    if (!fr.f || !fr.f->count || !fr.line) {
        fc_fleet_free(fr.f);
        free(fr.line);
        return FC_EINTERNAL;
    }
    long before = d->n_errors;
    int stt = fc_csv_read(path, fr.r.t.file, fleet_row, &fr, d, info, 1);
    if (stt == FC_OK && d->n_errors > before) stt = FC_EDATA;
    ref_done(&fr.r);
    free(fr.line);
    if (stt != FC_OK) {
        fc_fleet_free(fr.f);
        return stt;
    }
    *out = fr.f;
    return FC_OK;
}

int fc_fleet_read(const char *path, const fc_stations *st, const fc_vehicles *veh,
                  fc_diag *d, fc_fleet **out, fc_csv_info *info)
{
    return fleet_read(path, 0, st, veh, d, out, info);
}

int fc_budget_read(const char *path, const fc_stations *st, const fc_vehicles *veh,
                   fc_diag *d, fc_fleet **out, fc_csv_info *info)
{
    return fleet_read(path, 1, st, veh, d, out, info);
}

void fc_fleet_free(fc_fleet *f)
{
    if (!f) return;
    free(f->count);
    free(f);
}
