/* cmd_run.c -- `fleetcast run CONFIG`: the monthly batch. Validate, fit,
 * forecast and plan in one go; write model.json, forecast.json, plan.json,
 * plan.csv and run.json (and revision.json against a previous run) into an
 * output folder, all or nothing, under a lock. */
#include <dirent.h>
#include <math.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli_pipeline.h"
#include "cli_revision.h"
#include "fleetcast/date.h"
#include "fleetcast/outfile.h"

static const char help[] =
    "Usage: fleetcast run CONFIG [-o OUTDIR] [--previous DIR] [--format text|json]\n"
    "                     [--reproducible] [--threads N]\n\n"
    "The monthly batch: read and check the inputs the config names, fit the\n"
    "hybrid SPR model, forecast volume, and plan vans and electric deployment.\n"
    "Writes into OUTDIR (default: the config's \"output_dir\", else 'out' beside\n"
    "the config):\n"
    "  model.json      the fitted SPR model\n"
    "  forecast.json   station forecasts by month (P10/P50/P90)\n"
    "  plan.json       vans by type per station and month, electric deployment,\n"
    "                  binding limits (plan.csv: the same as flat rows)\n"
    "  run.json        when and how the run was made (the only file with a time)\n"
    "  revision.json   with --previous DIR (or the config's \"previous_run\"): what\n"
    "                  moved since that run and why\n"
    "Every file is written to a temporary name and renamed into place only when\n"
    "all are complete, so a failed or killed run leaves the previous outputs as\n"
    "they were; a lock (OUTDIR/.fleetcast.lock) keeps two runs apart (exit 75).\n"
    "A short summary goes to stdout. The same config and seed give byte-identical\n"
    "outputs; run.json's time is fixed by --reproducible or SOURCE_DATE_EPOCH.\n\n"
    "Options:\n"
    "  -o, --output DIR   output folder (created if missing)\n"
    "  --previous DIR     the previous run's output folder, for the revision report\n"
    "                     (a folder with no run in it yet: a warning, no report)\n"
    "  --format FMT       summary as text (default) or json\n"
    "  --reproducible     write 1970-01-01T00:00:00Z as run.json's time\n"
    "  --threads N        worker threads for the fit, forecast and plan, and a\n"
    "                     second one to read (default: all cores; the results do\n"
    "                     not depend on it)\n"
    "  -q, --quiet        errors only;  -v, --verbose: more detail\n"
    "  --log-format FMT   messages on stderr as text (default) or json lines\n"
    "  -h, --help         this help\n";

enum { OPT_PREVIOUS = 2000, OPT_REPRODUCIBLE };

enum { OUT_MODEL, OUT_FORECAST, OUT_PLAN, OUT_PLAN_CSV, OUT_REVISION, OUT_RUN, OUT_N };
static const char *out_names[OUT_N] = {"model.json", "forecast.json", "plan.json", "plan.csv",
                                       "revision.json", "run.json"};

/* Progress on stderr, only for a person at a terminal (never in cron logs
 * or pipelines) and not with --quiet; each stage overwrites the last. */
static void progress(cli *c, int step, const char *what)
{
    if (c->diag.verbosity < 0 || c->log_json || !isatty(STDERR_FILENO)) return;
    if (step == 0) {
        if (c->progress_shown) fputs("\r\033[K", stderr);
        c->progress_shown = 0;
        return;
    }
    fprintf(stderr, "\r\033[Kfleetcast run: [%d/5] %s", step, what);
    fflush(stderr);
    c->progress_shown = 1;
}

/* Before any work: each output can be created (a folder in place of
 * plan.json, say), and the previous run's files can be read. Both used to
 * be found only after the fit, the forecast and the plan. A previous
 * folder with none of the three files (or none at all) holds no run: the
 * first month of a schedule, or a month whose run failed or never ran.
 * There is then no revision (*prevdir freed and set to NULL): a note when
 * the config's previous_run names it, a warning and a summary line
 * (*no_prev, to free) when --previous does. --previous made it an error
 * (66), so the README's cron line failed in its first month and, a run
 * having failed once, in every month after it: each failed run leaves an
 * empty folder that is the next month's --previous. A folder holding some
 * of the files but not all is a damaged run, and still an error. */
static int check_paths(cli *c, const char *outdir, char **prevdir, int from_config, char **no_prev)
{
    char path[4096];
    for (int k = 0; k < OUT_N; k++) {
        snprintf(path, sizeof path, "%s/%s", outdir, out_names[k]);
        if (fc_outfile_check(path, &c->diag)) return FC_ECANTCREAT;
    }
    if (!*prevdir) return FC_OK;
    /* the files the revision reads: this run's first three outputs */
    enum { NPREV = OUT_PLAN + 1 };
    int missing = 0, bad = -1, err = 0;
    for (int k = 0; k < NPREV; k++) {
        snprintf(path, sizeof path, "%s/%s", *prevdir, out_names[k]);
        if (access(path, R_OK) == 0) continue;
        missing += errno == ENOENT;
        if (bad < 0) {
            bad = k;
            err = errno;
        }
    }
    if (bad < 0) return FC_OK;
    if (missing == NPREV) {
        if (from_config) {
            fc_diag_note(&c->diag, "%s: no previous run there yet (previous_run); no revision report this time",
                         *prevdir);
            free(*prevdir);
        } else {
            fc_diag_warn(&c->diag, "%s: no previous run there (no model.json, forecast.json or plan.json); "
                         "no revision report this time", *prevdir);
            *no_prev = *prevdir;
        }
        *prevdir = NULL;
        return FC_OK;
    }
    fc_diag_error(&c->diag, FC_ENOINPUT, "%s/%s: cannot open: %s (a previous run's folder holds model.json, "
                  "forecast.json and plan.json)", *prevdir, out_names[bad], strerror(err));
    return FC_ENOINPUT;
}

/* A path relative to the config's folder. */
static char *beside(const char *config, const char *name)
{
    if (name[0] == '/') return strdup(name);
    const char *slash = strrchr(config, '/');
    size_t dl = slash ? (size_t)(slash - config) : 0;
    char *s = malloc(dl + strlen(name) + 2);
    if (!s) return NULL;
    if (dl) {
        memcpy(s, config, dl);
        s[dl] = '/';
        strcpy(s + dl + 1, name);
    } else {
        strcpy(s, name);
    }
    return s;
}

/* Remove temporary files a killed run left behind (we hold the lock). */
static void clean_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        for (int k = 0; k < OUT_N; k++) {
            size_t n = strlen(out_names[k]);
            if (strncmp(e->d_name, out_names[k], n) == 0 && strncmp(e->d_name + n, ".tmp.", 5) == 0) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        }
    }
    closedir(d);
}

static char *print_json(cJSON *j)
{
    char *s = j ? cJSON_Print(j) : NULL;
    return s;
}

static void iso_time(cli *c, char out[32], int reproducible)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = time(NULL);
    if (reproducible) {
        t = 0;
    } else if (sde && *sde) {
        /* seconds since 1970 (reproducible-builds.org); anything else
         * read as 0 and stamped the run 1970-01-01 */
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno || *end || v < 0)
            fc_diag_warn(&c->diag, "SOURCE_DATE_EPOCH=\"%s\" is not a whole number of seconds: ignored", sde);
        else
            t = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The human summary and its JSON twin. */
static cJSON *summary(const pipeline *p, const char *outdir, const char *revtext, const cJSON *rev,
                      const char *no_prev, char **text)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "schema_version", 1);
    cJSON_AddStringToObject(o, "kind", "fleetcast.run_summary");
    const fc_plan *pl = p->plan;
    const fc_plan_input *in = p->in;
    int32_t nm = in->nmonths, ns = in->nstations, nv = in->nvans;
    double peak_vans = 0, buy = 0, cost = 0;
    int peak_m = 0;
    int64_t ev_total = 0;
    double ev_idle = 0;
    int bind[FC_LIMIT_N] = {0};
    for (int32_t m = 0; m < nm; m++) {
        double vans = 0;
        for (int32_t s = 0; s < ns; s++) {
            for (int32_t v = 0; v < nv; v++) vans += pl->vans[FC_PLAN_SMV(in, s, m, v)];
            cost += pl->cell[FC_PLAN_SM(in, s, m)].cost;
            if (m == nm - 1) {
                ev_total += pl->cell[FC_PLAN_SM(in, s, m)].ev_vans;
                ev_idle += pl->cell[FC_PLAN_SM(in, s, m)].ev_idle;
                bind[pl->cell[FC_PLAN_SM(in, s, m)].binding]++;
            }
        }
        if (vans > peak_vans) {
            peak_vans = vans;
            peak_m = m;
        }
    }
    for (int32_t s = 0; s < ns; s++)
        for (int32_t v = 0; v < nv; v++) {
            double now = in->current[FC_PLAN_SV(in, s, v)];
            double last = pl->vans[FC_PLAN_SMV(in, s, nm - 1, v)];
            if (last > now) buy += last - now;
        }
    char m0[8], m1[8], mp[8];
    fc_month_format(in->month0, m0);
    fc_month_format(in->month0 + nm - 1, m1);
    fc_month_format(in->month0 + peak_m, mp);
    cJSON_AddStringToObject(o, "output_dir", outdir);
    cJSON_AddStringToObject(o, "first_month", m0);
    cJSON_AddStringToObject(o, "last_month", m1);
    cJSON_AddNumberToObject(o, "stations", ns);
    cJSON_AddNumberToObject(o, "peak_vans", peak_vans);
    cJSON_AddStringToObject(o, "peak_month", mp);
    cJSON_AddNumberToObject(o, "vans_to_buy", buy);
    cJSON_AddNumberToObject(o, "electric_vans_last_month", (double)ev_total);
    cJSON_AddNumberToObject(o, "electric_vans_cannot_charge_last_month", round(ev_idle));
    char idle[96] = "";
    if (ev_idle >= 0.5)
        snprintf(idle, sizeof idle, " (%.0f of them cannot charge at their station)", round(ev_idle));
    cJSON_AddNumberToObject(o, "cost", round(cost));
    cJSON_AddNumberToObject(o, "hybrid_mape_in_sample", round(p->model->train.mape[FC_VAR_HYBRID] * 100) / 100);
    cJSON *b = cJSON_AddObjectToObject(o, "binding_last_month");
    char binds[256] = "";
    size_t bl = 0;
    for (int k = 0; k < FC_LIMIT_N; k++)
        if (bind[k]) {
            cJSON_AddNumberToObject(b, fc_plan_limit_name(k), bind[k]);
            bl += (size_t)snprintf(binds + bl, sizeof binds - bl, "%s%s %d", bl ? ", " : "",
                                   fc_plan_limit_name(k), bind[k]);
        }
    char btxt[1024];
    if (pipeline_budget_summary(p, btxt, sizeof btxt - 1, o)) strcat(btxt, "\n");
    /* the revision's totals, as the text summary gives them (the JSON
     * summary had none: a cron job reading it saw no revision at all) */
    const cJSON *rt = rev ? cJSON_GetObjectItemCaseSensitive(rev, "totals") : NULL;
    if (rt) {
        cJSON *r = cJSON_Duplicate(rt, 1);
        const cJSON *prev = cJSON_GetObjectItemCaseSensitive(rev, "previous");
        if (r && cJSON_IsString(prev)) cJSON_AddStringToObject(r, "previous", prev->valuestring);
        if (r) cJSON_AddItemToObject(o, "revision", r);
    }
    /* --previous named a folder with no run in it: say so where a cron
     * job's log looks (the warning is on stderr, and -q hides it) */
    char nptxt[256 + 4096] = "";
    if (no_prev) {
        cJSON_AddStringToObject(o, "no_previous_run", no_prev);
        snprintf(nptxt, sizeof nptxt, "  no revision report: %s holds no previous run\n", no_prev);
    }
    size_t cap = 4096 + sizeof nptxt + (revtext ? strlen(revtext) : 0);
    char *t = malloc(cap);
    if (t)
        snprintf(t, cap,
                 "plan %s .. %s for %d stations (%s/plan.json, plan.csv)\n"
                 "  peak fleet %.0f vans in %s; %.0f vans to buy over the horizon; "
                 "%lld electric vans by %s%s\n"
                 "  what binds in %s: %s\n"
                 "  cost over the horizon %.0f; SPR model in-sample routes error %.2f%%\n"
                 "%s%s%s",
                 m0, m1, (int)ns, outdir, peak_vans, mp, buy, (long long)ev_total, m1, idle, m1, binds,
                 cost, p->model->train.mape[FC_VAR_HYBRID], btxt, nptxt, revtext ? revtext : "");
    *text = t;
    return o;
}

int cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"output", required_argument, NULL, 'o'},
        {"previous", required_argument, NULL, OPT_PREVIOUS},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"reproducible", no_argument, NULL, OPT_REPRODUCIBLE},
        {"threads", required_argument, NULL, OPT_THREADS},
        {NULL, 0, NULL, 0}};
    cli c;
    cli_init(&c, "run");
    pipeline_opts po = {-1, -1, -1, -1};
    const char *previous = NULL;
    int reproducible = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":hqvo:", longopts, NULL)) != -1) {
        int bad = 0;
        switch (opt) {
        case OPT_PREVIOUS: previous = optarg; break;
        case OPT_REPRODUCIBLE: reproducible = 1; break;
        case OPT_THREADS: bad = cli_int_option(&c, "threads", optarg, 1, 64, &po.threads); break;
        default:
            if (cli_common_option(&c, opt, optarg) < 0) return cli_exit(&c, FC_EUSAGE);
        }
        if (bad) return cli_exit(&c, FC_EUSAGE);
    }
    if (cli_options_done(&c, help, argc, argv, 1)) return cli_exit(&c, c.status);
    if (optind >= argc) return cli_exit(&c, cli_usage_error(&c, "a config file is needed"));
    if (cli_check_format(&c, "text|json")) return cli_exit(&c, FC_EUSAGE);
    if (c.output && strcmp(c.output, "-") == 0)
        return cli_exit(&c, cli_usage_error(&c, "-o: run writes a folder of files, '-' (stdout) cannot be one"));
    const char *config = argv[optind];
    c.config_path = config;
    int st = cli_load_config(&c);
    if (st) return cli_exit(&c, st);

    /* The output folder and its lock. */
    const cJSON *od = cJSON_GetObjectItemCaseSensitive(c.config->json, "output_dir");
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(c.config->json, "previous_run");
    char *outdir = c.output ? strdup(c.output)
                            : beside(config, cJSON_IsString(od) ? od->valuestring : "out");
    char *prevdir = previous ? strdup(previous)
                             : cJSON_IsString(pr) ? beside(config, pr->valuestring) : NULL;
    if (!outdir) return cli_exit(&c, FC_EINTERNAL);
    if (cli_make_dirs(outdir) != 0) {
        fc_diag_error(&c.diag, FC_ECANTCREAT, "%s: cannot create the output folder: %s", outdir,
                      strerror(errno));
        free(outdir);
        free(prevdir);
        return cli_exit(&c, FC_ECANTCREAT);
    }
    char lockpath[4096];
    snprintf(lockpath, sizeof lockpath, "%s/.fleetcast.lock", outdir);
    /* flock needs no write access: opened read-only, a lock file another
     * user of a group-shared folder created still opens; and created 0666
     * less the umask, like the outputs (0644 kept the group out). */
    int lock = open(lockpath, O_CREAT | O_RDONLY | O_CLOEXEC, 0666);
    if (lock < 0) {
        fc_diag_error(&c.diag, FC_ECANTCREAT, "%s: cannot create the lock file: %s", lockpath,
                      strerror(errno));
        free(outdir);
        free(prevdir);
        return cli_exit(&c, FC_ECANTCREAT);
    }
    if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
        fc_diag_error(&c.diag, FC_ELOCKED, "%s: another fleetcast run is writing this folder", outdir);
        close(lock);
        free(outdir);
        free(prevdir);
        return cli_exit(&c, FC_ELOCKED);
    }
    clean_stale(outdir);
    char *no_prev = NULL;
    st = check_paths(&c, outdir, &prevdir, !previous, &no_prev);
    if (st) {
        close(lock);
        free(outdir);
        free(prevdir);
        return cli_exit(&c, st);
    }

    pipeline p;
    memset(&p, 0, sizeof p);
    double t[5];
    t[0] = cli_seconds();
    progress(&c, 1, "reading and checking the inputs");
    st = pipeline_load(&c, &p, &po);
    t[1] = cli_seconds();
    progress(&c, 2, "fitting the SPR model");
    if (st == FC_OK) st = pipeline_model(&c, &p, NULL);
    t[2] = cli_seconds();
    progress(&c, 3, "forecasting volume");
    if (st == FC_OK) st = pipeline_forecast(&c, &p);
    t[3] = cli_seconds();
    progress(&c, 4, "planning vans");
    if (st == FC_OK) st = pipeline_plan(&c, &p);
    t[4] = cli_seconds();
    if (st == FC_OK)
        fc_diag_debug(&c.diag, "timing: read and check %.2f s, SPR fit %.2f s, forecast %.2f s, plan %.2f s",
                      t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3]);
    cJSON *rev = NULL;
    char *revtext = NULL;
    progress(&c, 5, prevdir ? "revision report" : "writing");
    if (st == FC_OK && prevdir) st = revision_build(&c, &p, prevdir, &rev, &revtext);
    progress(&c, 0, NULL);

    /* Write everything to temporary files, then rename them all. */
    fc_outfile out[OUT_N];
    memset(out, 0, sizeof out);
    int opened[OUT_N] = {0};
    cJSON *meta = st == FC_OK ? pipeline_meta(&c, &p) : NULL;
    if (st == FC_OK && !meta) st = FC_EINTERNAL;
    for (int k = 0; k < OUT_N && st == FC_OK; k++) {
        if (k == OUT_REVISION && !rev) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", outdir, out_names[k]);
        if ((st = fc_outfile_open(&out[k], path, &c.diag)) != FC_OK) break;
        opened[k] = 1;
        FILE *f = out[k].fp;
        char *s = NULL;
        switch (k) {
        case OUT_MODEL: {
            cJSON *j = fc_spr_model_to_json(p.model);
            s = print_json(j);
            cJSON_Delete(j);
            if (!s) st = FC_EINTERNAL;
            break;
        }
        case OUT_FORECAST: {
            /* the same document as `fleetcast forecast` writes */
            cJSON *fm = cli_forecast_meta(&p.ds, c.config, p.hist, p.vm, p.fc, "station", p.vo.paths,
                                          (unsigned long long)p.vo.seed);
            st = fm ? fc_vol_write_json(f, p.fc, "station", p.ds.zips, p.ds.stations, p.sc, fm) : FC_EINTERNAL;
            cJSON_Delete(fm);
            break;
        }
        case OUT_PLAN: st = fc_plan_write_json(f, p.plan, p.in, meta); break;
        case OUT_PLAN_CSV: st = fc_plan_write_csv(f, p.plan, p.in); break;
        case OUT_REVISION: s = print_json(rev); if (!s) st = FC_EINTERNAL; break;
        case OUT_RUN: {
            char when[32];
            iso_time(&c, when, reproducible);
            cJSON *j = cJSON_CreateObject();
            cJSON_AddNumberToObject(j, "schema_version", 1);
            cJSON_AddStringToObject(j, "kind", "fleetcast.run");
            cJSON_AddStringToObject(j, "fleetcast_version", FC_VERSION);
            cJSON_AddStringToObject(j, "generated_at", when);
            cJSON_AddStringToObject(j, "config", config);
            cJSON_AddItemReferenceToObject(j, "inputs", cJSON_GetObjectItemCaseSensitive(meta, "inputs"));
            cJSON_AddItemReferenceToObject(j, "settings", cJSON_GetObjectItemCaseSensitive(meta, "settings"));
            if (prevdir) cJSON_AddStringToObject(j, "previous_run", prevdir);
            s = print_json(j);
            cJSON_Delete(j);
            if (!s) st = FC_EINTERNAL;
            break;
        }
        }
        if (s) {
            if (fputs(s, f) == EOF || fputc('\n', f) == EOF) st = FC_EIO;
            free(s);
        }
        /* the writers do not report a failed write: name the file and why
         * (a full disk said only "run failed (I/O error)") */
        if (st == FC_EIO) fc_diag_error(&c.diag, st, "%s: write error: %s", path, strerror(errno));
    }
    /* Two phases, so the outputs are replaced together: every file is
     * written out and synced first (a full disk shows here, with nothing
     * replaced yet), then all are renamed into place. */
    for (int k = 0; k < OUT_N && st == FC_OK; k++)
        if (opened[k]) st = fc_outfile_finish(&out[k], &c.diag);
    int published = 0;
    for (int k = 0; k < OUT_N && st == FC_OK; k++)
        if (opened[k]) {
            st = fc_outfile_publish(&out[k], &c.diag);
            opened[k] = 0;
            published += st == FC_OK;
        }
    /* A revision.json from an earlier run with --previous does not describe
     * these outputs: remove it, so the folder holds one run's files. */
    if (st == FC_OK && !rev) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", outdir, out_names[OUT_REVISION]);
        if (unlink(path) != 0 && errno != ENOENT)
            fc_diag_warn(&c.diag, "%s: cannot remove the previous run's revision report: %s", path,
                         strerror(errno));
    }
    for (int k = 0; k < OUT_N; k++)
        if (opened[k]) fc_outfile_abort(&out[k]);
    if (st == FC_OK) {
        char *text = NULL;
        cJSON *sum = summary(&p, outdir, revtext, rev, no_prev, &text);
        if (c.format && strcmp(c.format, "json") == 0) {
            char *s = print_json(sum);
            if (s) printf("%s\n", s);
            free(s);
        } else if (text) {
            fputs(text, stdout);
        }
        free(text);
        cJSON_Delete(sum);
    } else if (published) {
        fc_diag_error(&c.diag, st, "run failed (%s) while renaming the outputs into %s: %d of them "
                      "were replaced, the others are the previous run's", fc_status_name(st), outdir,
                      published);
    } else {
        fc_diag_error(&c.diag, st, "run failed (%s); the outputs in %s are unchanged",
                      fc_status_name(st), outdir);
    }
    cJSON_Delete(meta);
    cJSON_Delete(rev);
    free(revtext);
    pipeline_free(&p);
    close(lock);
    free(outdir);
    free(prevdir);
    free(no_prev);
    return cli_exit(&c, st);
}
