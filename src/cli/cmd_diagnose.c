/* cmd_diagnose.c -- `fleetcast diagnose`: zips and stations whose routes
 * depart from the hybrid SPR model (text, CSV or JSON). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "fleetcast/csv.h"
#include "fleetcast/dataset.h"
#include "fleetcast/date.h"
#include "fleetcast/diagnose.h"
#include "fleetcast/outfile.h"
#include "fleetcast/spr.h"

static const char help[] =
    "Usage: fleetcast diagnose --config F | --shipments F --routes F --zips F\n"
    "                          --stations F --vehicles F [--model model.json]\n"
    "                          [--alpha A] [--correction bh|bonferroni]\n"
    "                          [--drift-weeks N] [--threads N] [--format text|csv|json]\n"
    "                          [-o FILE]\n\n"
    "Find zips and stations whose routes depart from the hybrid SPR model\n"
    "(docs/diagnose.md). The model is fitted on the data (or read with --model);\n"
    "every station-day's residual log(observed / hybrid) of route hours (and of\n"
    "routes) is regressed, per station, on each zip's share of the day's\n"
    "packages: over its whole time at the station (share), from a month start\n"
    "on (change), and since it came to the station mid-history (arrival), with\n"
    "weekday, trend, season and composition-change controls, days weighted by\n"
    "routes and Newey-West standard errors. A zip is flagged when its best test\n"
    "survives Bonferroni over its own dates and measures and the correction\n"
    "across zips; of the zips of one station that fit one change equally well,\n"
    "only the best is flagged (the others are counted as rivals) unless it\n"
    "also stands out against a station-wide step. Stations are flagged for\n"
    "drift (mean residual of the last weeks) and for a step at a week or month\n"
    "start.\n"
    "Effects are in % of the zip's route hours (or routes); CIs are 1 - alpha.\n\n"
    "Options:\n"
    "  --config FILE      run configuration (JSON) naming the input files\n"
    "  --shipments F --routes F --zips F --stations F --vehicles F   the inputs\n"
    "  --model FILE       use this fitted model instead of fitting one\n"
    "  --alpha A          error rate of the corrections (default 0.01)\n"
    "  --correction C     across zips: bh (Benjamini-Hochberg, default) or bonferroni\n"
    "  --drift-weeks N    weeks of the station drift test (default 8)\n"
    "  --threads N        worker threads for the fit and the tests (default: all\n"
    "                     cores; the results do not depend on it)\n"
    "  --format FMT       text (default), csv (every tested zip and station) or json\n"
    "  -o, --output FILE  write to FILE (atomically) instead of stdout\n"
    "  -q, --quiet        errors only;  -v, --verbose: more detail\n"
    "  --log-format FMT   messages on stderr as text (default) or json lines\n"
    "  -h, --help         this help\n"
    "Flags do not change the exit code.\n";

enum { OPT_MODEL = 2000, OPT_ALPHA, OPT_CORRECTION, OPT_DRIFT_WEEKS };

/* No date is "-" in the text table, an empty field in CSV and null in JSON. */
static void fmt_date(int32_t day, char out[11])
{
    if (day == FC_NO_DATE) strcpy(out, "-");
    else fc_date_format(day, out);
}

static void csv_date(int32_t day, char out[11])
{
    if (day == FC_NO_DATE) out[0] = '\0';
    else fc_date_format(day, out);
}

static void json_date(cJSON *o, const char *key, int32_t day)
{
    char d[11];
    if (day == FC_NO_DATE) {
        cJSON_AddNullToObject(o, key);
    } else {
        fc_date_format(day, d);
        cJSON_AddStringToObject(o, key, d);
    }
}

static const char *zip_name(const fc_dataset *ds, int32_t z) { return fc_intern_name(ds->zips->ids, z); }
static const char *st_name(const fc_dataset *ds, int32_t s) { return fc_intern_name(ds->stations->ids, s); }

static void write_text(FILE *f, const fc_diagnosis *dx, const fc_dataset *ds)
{
    const fc_dx_settings *s = &dx->settings;
    fprintf(f, "residual: log(observed / hybrid) of %s; %s across zips at alpha %g; Newey-West lag %d;"
            " stations: %d-day block means\n",
            dx->has_hours ? "route hours" : "routes",
            s->correction == FC_DX_BH ? "Benjamini-Hochberg" : "Bonferroni", s->alpha, s->hac_lag,
            s->block_days);
    fprintf(f, "zips: %d tested (%lld regressions), %d flagged\n", dx->nzips, (long long)dx->ntests,
            dx->nflag_zips);
    int ci = (int)lround(100 * (1 - s->alpha));
    if (dx->nflag_zips) {
        fprintf(f, "\n%-8s %-8s %-8s %-11s %-10s %8s  %-19s %8s %9s %9s %6s\n", "station", "zip", "kind",
                "measure", "from", "effect", "CI", "station", "p_adj", "specific", "rivals");
        for (int i = 0; i < dx->nzips && dx->zips[i].flagged; i++) {
            const fc_dx_zip *z = &dx->zips[i];
            char d0[11], ci_s[40], sp[16];
            fmt_date(z->first_day, d0);
            snprintf(ci_s, sizeof ci_s, "[%+.1f, %+.1f]", 100 * z->lo, 100 * z->hi);
            if (isfinite(z->specific.p)) snprintf(sp, sizeof sp, "%.2g", z->specific.p);
            else strcpy(sp, "-");
            fprintf(f, "%-8s %-8s %-8s %-11s %-10s %+7.1f%%  %-19s %+7.2f%% %9.2g %9s %6d\n", st_name(ds, z->station),
                    zip_name(ds, z->zip), fc_dx_kind_name(z->kind), fc_dx_measure_name(z->measure), d0,
                    100 * z->effect.est, ci_s, z->station_pct, z->p_adj, sp, z->rivals);
        }
        fprintf(f, "(effect: change of the zip's %s, %d%% CI; station: the same as a change of the\n"
                " station's total; specific: p of the zip's effect over a station-wide step at that date)\n",
                "route hours or routes", ci);
    }
    fprintf(f, "\nstations: %d, %d drifting (last %d weeks), %d with a step\n", dx->nstations,
            dx->nflag_drift, s->drift_weeks, dx->nflag_change);
    fprintf(f, "%-8s %5s %-10s %-10s %8s %9s %9s %-5s %-10s %8s %9s %-5s\n", "station", "days", "first",
            "last", "resid_sd", "recent", "p_adj", "drift", "step_from", "step", "p_adj", "step");
    for (int i = 0; i < dx->nstations; i++) {
        const fc_dx_station *t = &dx->st[i];
        char a[11], b[11], c[11];
        fmt_date(t->first_day, a);
        fmt_date(t->last_day, b);
        fmt_date(t->change_day, c);
        /* a test not made (too few days) shows "-", not a clean result */
        char rec[16] = "-", rp[16] = "-", stp[16] = "-", sp[16] = "-";
        if (t->recent_tested) {
            snprintf(rec, sizeof rec, "%+.2f%%", 100 * t->recent.est);
            snprintf(rp, sizeof rp, "%.2g", t->recent_p_adj);
        }
        if (t->change_day != FC_NO_DATE) {
            snprintf(stp, sizeof stp, "%+.2f%%", 100 * t->change.est);
            snprintf(sp, sizeof sp, "%.2g", t->change_p_adj);
        }
        fprintf(f, "%-8s %5d %-10s %-10s %7.2f%% %9s %9s %-5s %-10s %8s %9s %-5s\n",
                st_name(ds, t->station), t->days, a, b, 100 * t->resid_sd, rec, rp,
                !t->recent_tested ? "-" : t->drift_flag ? "yes" : "no", c, stp, sp,
                t->change_day == FC_NO_DATE ? "-" : t->change_flag ? "yes" : "no");
    }
}

/* The station row of a test not made (kind "drift" or "step"): its
 * station, measure and days only. */
static void csv_untested(FILE *f, const char *kind, const fc_dataset *ds, const fc_dx_station *t)
{
    fprintf(f, "station_%s,", kind);
    fc_csv_put_field(f, st_name(ds, t->station));
    fprintf(f, ",,%s,%s,,,,,,,,,,,,%d,0\n", kind, fc_dx_measure_name(t->measure), t->days);
}

/* The station row of a test made (kind "drift" or "step"): from its date,
 * the estimate with its interval, t, p and p_adj, and the flag. */
static void csv_tested(FILE *f, const char *kind, const fc_dataset *ds, const fc_dx_station *t, int32_t from,
                       const fc_dx_coef *x, double lo, double hi, double p_adj, int flag)
{
    char d[11];
    csv_date(from, d);
    fprintf(f, "station_%s,", kind);
    fc_csv_put_field(f, st_name(ds, t->station));
    fprintf(f, ",,%s,%s,%s,%.3f,%.3f,%.3f,,%.3f,%.4g,%.4g,,,,%d,%d\n", kind, fc_dx_measure_name(t->measure), d,
            100 * x->est, 100 * lo, 100 * hi, x->t, x->p, p_adj, t->days, flag);
}

static void write_csv(FILE *f, const fc_diagnosis *dx, const fc_dataset *ds)
{
    fputs("record,station,zip,kind,measure,first_date,effect_pct,ci_lo_pct,ci_hi_pct,station_pct,"
          "t,p,p_adj,specific_p,rivals,mean_share,days,flagged\n", f);
    for (int i = 0; i < dx->nzips; i++) {
        const fc_dx_zip *z = &dx->zips[i];
        char d0[11];
        csv_date(z->first_day, d0);
        fputs("zip,", f);
        fc_csv_put_field(f, st_name(ds, z->station));
        fputc(',', f);
        fc_csv_put_field(f, zip_name(ds, z->zip));
        fprintf(f, ",%s,%s,%s,%.3f,%.3f,%.3f,%.4f,%.3f,%.4g,%.4g,", fc_dx_kind_name(z->kind),
                fc_dx_measure_name(z->measure), d0, 100 * z->effect.est, 100 * z->lo, 100 * z->hi,
                z->station_pct, z->effect.t, z->effect.p, z->p_adj);
        if (isfinite(z->specific.p)) fprintf(f, "%.4g", z->specific.p);
        fprintf(f, ",%d,%.5f,%d,%d\n", z->rivals, z->mean_share, z->days, z->flagged);
    }
    for (int i = 0; i < dx->nstations; i++) {
        const fc_dx_station *t = &dx->st[i];
        /* a test not made (too few days) leaves its date and figures empty */
        if (t->recent_tested)
            csv_tested(f, "drift", ds, t, t->last_day - 7 * dx->settings.drift_weeks + 1, &t->recent, t->recent_lo,
                       t->recent_hi, t->recent_p_adj, t->drift_flag);
        else
            csv_untested(f, "drift", ds, t);
        if (t->change_day != FC_NO_DATE)
            csv_tested(f, "step", ds, t, t->change_day, &t->change, t->change_lo, t->change_hi, t->change_p_adj,
                       t->change_flag);
        else
            csv_untested(f, "step", ds, t);
    }
}

static cJSON *coef_json(const fc_dx_coef *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "estimate", c->est);
    cJSON_AddNumberToObject(o, "se", c->se);
    cJSON_AddNumberToObject(o, "t", c->t);
    cJSON_AddNumberToObject(o, "df", c->df);
    cJSON_AddNumberToObject(o, "p", c->p);
    return o;
}

static cJSON *to_json(const fc_diagnosis *dx, const fc_dataset *ds)
{
    const fc_dx_settings *s = &dx->settings;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema_version", 1);
    cJSON_AddStringToObject(root, "kind", "fleetcast.diagnose");
    cJSON *set = cJSON_AddObjectToObject(root, "settings");
    cJSON_AddNumberToObject(set, "alpha", s->alpha);
    cJSON_AddStringToObject(set, "correction", s->correction == FC_DX_BH ? "bh" : "bonferroni");
    cJSON_AddNumberToObject(set, "hac_lag", s->hac_lag);
    cJSON_AddNumberToObject(set, "block_days", s->block_days);
    cJSON_AddNumberToObject(set, "min_side_days", s->min_side);
    cJSON_AddNumberToObject(set, "drift_weeks", s->drift_weeks);
    cJSON_AddNumberToObject(set, "min_share", s->min_share);
    cJSON_AddNumberToObject(set, "low_day", s->low_day);
    cJSON_AddBoolToObject(root, "route_hours_used", dx->has_hours);
    cJSON_AddNumberToObject(root, "regressions", (double)dx->ntests);
    cJSON_AddNumberToObject(root, "flagged_zips", dx->nflag_zips);
    cJSON *zs = cJSON_AddArrayToObject(root, "zips");
    for (int i = 0; i < dx->nzips; i++) {
        const fc_dx_zip *z = &dx->zips[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "station", st_name(ds, z->station));
        cJSON_AddStringToObject(o, "zip", zip_name(ds, z->zip));
        cJSON_AddBoolToObject(o, "flagged", z->flagged);
        cJSON_AddStringToObject(o, "kind", fc_dx_kind_name(z->kind));
        cJSON_AddStringToObject(o, "measure", fc_dx_measure_name(z->measure));
        json_date(o, "first_date", z->first_day);
        cJSON_AddItemToObject(o, "effect", coef_json(&z->effect));
        cJSON_AddNumberToObject(o, "ci_lo", z->lo);
        cJSON_AddNumberToObject(o, "ci_hi", z->hi);
        cJSON_AddNumberToObject(o, "station_pct", z->station_pct);
        cJSON_AddNumberToObject(o, "tests", z->ntests);
        cJSON_AddNumberToObject(o, "p_zip", z->p_zip);
        cJSON_AddNumberToObject(o, "p_adj", z->p_adj);
        if (isfinite(z->specific.p)) cJSON_AddItemToObject(o, "specific", coef_json(&z->specific));
        cJSON_AddNumberToObject(o, "rivals", z->rivals);
        cJSON_AddNumberToObject(o, "mean_share", z->mean_share);
        cJSON_AddNumberToObject(o, "days", z->days);
        cJSON_AddItemToArray(zs, o);
    }
    cJSON *ss = cJSON_AddArrayToObject(root, "stations");
    for (int i = 0; i < dx->nstations; i++) {
        const fc_dx_station *t = &dx->st[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "station", st_name(ds, t->station));
        cJSON_AddNumberToObject(o, "days", t->days);
        json_date(o, "first_date", t->first_day);
        json_date(o, "last_date", t->last_day);
        cJSON_AddStringToObject(o, "measure", fc_dx_measure_name(t->measure));
        cJSON_AddNumberToObject(o, "resid_sd", t->resid_sd);
        cJSON_AddNumberToObject(o, "blocks", t->blocks);
        cJSON_AddNumberToObject(o, "block_df_controls", t->block_lost);
        cJSON_AddBoolToObject(o, "drift_tested", t->recent_tested);
        cJSON_AddItemToObject(o, "recent", coef_json(&t->recent));
        if (t->recent_tested) {
            cJSON_AddNumberToObject(o, "recent_ci_lo", t->recent_lo);
            cJSON_AddNumberToObject(o, "recent_ci_hi", t->recent_hi);
        }
        cJSON_AddNumberToObject(o, "recent_p_adj", t->recent_p_adj);
        cJSON_AddBoolToObject(o, "drift", t->drift_flag);
        json_date(o, "step_date", t->change_day);
        cJSON_AddItemToObject(o, "step", coef_json(&t->change));
        if (t->change_day != FC_NO_DATE) {
            cJSON_AddNumberToObject(o, "step_ci_lo", t->change_lo);
            cJSON_AddNumberToObject(o, "step_ci_hi", t->change_hi);
        }
        cJSON_AddNumberToObject(o, "step_p_adj", t->change_p_adj);
        cJSON_AddBoolToObject(o, "step_flag", t->change_flag);
        cJSON_AddItemToArray(ss, o);
    }
    return root;
}

static int parse_num(cli *c, const char *opt, const char *arg, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = isspace((unsigned char)arg[0]) ? NAN : strtod(arg, &end);
    if (isnan(v) || errno || end == arg || *end || !(v > lo && v < hi))
        return cli_usage_error(c, "%s: expected a number in (%g, %g), got \"%s\"", opt, lo, hi, arg);
    *out = v;
    return FC_OK;
}

int cmd_diagnose(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_INPUT_LONGOPTS,
        {"model", required_argument, NULL, OPT_MODEL},
        {"alpha", required_argument, NULL, OPT_ALPHA},
        {"correction", required_argument, NULL, OPT_CORRECTION},
        {"drift-weeks", required_argument, NULL, OPT_DRIFT_WEEKS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    cli c;
    cli_init(&c, "diagnose");
    const char *model_path = NULL;
    fc_dx_settings set;
    fc_dx_settings_default(&set);
    int opt;
    while ((opt = getopt_long(argc, argv, ":hqvo:", longopts, NULL)) != -1) {
        double v = 0;
        switch (opt) {
        case OPT_MODEL: model_path = optarg; continue;
        case OPT_ALPHA:
            if (parse_num(&c, "--alpha", optarg, 0, 0.5, &v)) return cli_exit(&c, FC_EUSAGE);
            set.alpha = v;
            continue;
        case OPT_DRIFT_WEEKS:
            if (parse_num(&c, "--drift-weeks", optarg, 1, 105, &v)) return cli_exit(&c, FC_EUSAGE);
            if (v != floor(v))
                return cli_exit(&c, cli_usage_error(&c, "--drift-weeks: expected a whole number, got \"%s\"", optarg));
            set.drift_weeks = (int)v;
            continue;
        case OPT_THREADS: {
            long t = 0;
            if (cli_int_option(&c, "threads", optarg, 1, 64, &t)) return cli_exit(&c, FC_EUSAGE);
            set.threads = (int)t;
            continue;
        }
        case OPT_CORRECTION:
            if (strcmp(optarg, "bh") == 0) set.correction = FC_DX_BH;
            else if (strcmp(optarg, "bonferroni") == 0) set.correction = FC_DX_BONFERRONI;
            else
                return cli_exit(&c, cli_usage_error(&c, "--correction: expected bh or bonferroni, got \"%s\"",
                                                    optarg));
            continue;
        default: break;
        }
        if (cli_common_option(&c, opt, optarg) < 0) return cli_exit(&c, FC_EUSAGE);
    }
    if (cli_options_done(&c, help, argc, argv, 0)) return cli_exit(&c, c.status);
    if (cli_check_format(&c, "text|csv|json")) return cli_exit(&c, FC_EUSAGE);
    if (fc_outfile_check(c.output, &c.diag)) return cli_exit(&c, FC_ECANTCREAT);
    int st = cli_load_config(&c);
    if (st) return cli_exit(&c, st);
    fc_spr_model *m = NULL;
    if (model_path && (st = cli_spr_model_read(&c, model_path, &m))) return cli_exit(&c, st);
    fc_dataset ds;
    memset(&ds, 0, sizeof ds);
    fc_spr_settings s;
    fc_spr_index *ix = NULL;
    fc_spr_predictor *pr = NULL;
    fc_diagnosis *dx = NULL;
    st = cli_spr_load(&c, &ds, &s, 0, set.threads);
    s.threads = set.threads;
    if (st == FC_OK) st = fc_spr_index_new(ds.shipments, ds.zips, ds.stations, &c.diag, &ix);
    if (st == FC_OK && !m) {
        st = fc_spr_fit(ix, ds.routes, ds.vehicles, NULL, &s, &c.diag, &m);
        if (st == FC_OK) cli_spr_noconv(&c, m, 0);
    }
    if (st == FC_OK) st = fc_spr_predictor_new(m, ix, ds.stations, &c.diag, &pr);
    if (st == FC_OK)
        st = fc_diagnosis_run(pr, ds.routes, ds.vehicles, ds.shipments, ds.stations, &set, &c.diag, &dx);
    fc_outfile out;
    if (st == FC_OK && (st = fc_outfile_open(&out, c.output, &c.diag)) == FC_OK) {
        const char *fmt = c.format ? c.format : "text";
        if (strcmp(fmt, "csv") == 0) {
            write_csv(out.fp, dx, &ds);
        } else if (strcmp(fmt, "json") == 0) {
            cJSON *j = to_json(dx, &ds);
            char *text = j ? cJSON_Print(j) : NULL;
            if (text) fprintf(out.fp, "%s\n", text);
            else st = FC_EINTERNAL;
            free(text);
            cJSON_Delete(j);
        } else {
            write_text(out.fp, dx, &ds);
        }
        if (st == FC_OK && ferror(out.fp)) st = fc_outfile_write_failed(&out, &c.diag);
        else if (st == FC_EINTERNAL) fc_diag_error(&c.diag, st, "out of memory");
        if (st == FC_OK) st = fc_outfile_commit(&out, &c.diag);
        else fc_outfile_abort(&out);
    }
    if (st == FC_OK)
        fc_diag_note(&c.diag, "%d zip%s flagged of %d tested; %d station%s drifting, %d with a step",
                     dx->nflag_zips, dx->nflag_zips == 1 ? "" : "s", dx->nzips, dx->nflag_drift,
                     dx->nflag_drift == 1 ? "" : "s", dx->nflag_change);
    fc_diagnosis_free(dx);
    fc_spr_predictor_free(pr);
    fc_spr_index_free(ix);
    fc_dataset_free(&ds);
    fc_spr_model_free(m);
    return cli_exit(&c, st);
}
