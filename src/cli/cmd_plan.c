/* cmd_plan.c -- `fleetcast plan`: vans by type per station and month and the
 * electric-van deployment, from the raw inputs (the SPR model fitted or read,
 * the volume forecast run in-process). */
#include <string.h>
#include "cli_pipeline.h"
#include "fleetcast/outfile.h"

static const char help[] =
    "Usage: fleetcast plan --config FILE [--model model.json] [--shipments F] [--routes F]\n"
    "                      [--zips F] [--stations F] [--vehicles F] [--fleet F]\n"
    "                      [--budget F]\n"
    "                      [--horizon N] [--paths N] [--seed N] [--threads N]\n"
    "                      [--format json|csv] [-o FILE]\n\n"
    "How many vans of each type every station needs each month of the horizon,\n"
    "what to buy, and where the arriving electric vans should go. The volume\n"
    "forecast's sample paths give each station's peak-day packages; the hybrid\n"
    "SPR model turns them into routes per van type; one linear program (GLPK)\n"
    "chooses the mix under parking, chargers, site power, range (temperature and\n"
    "hills) and the network's monthly electric supply, and names the limit that\n"
    "binds at every station and month (docs/plan.md). The config's \"plan\"\n"
    "section sets temperatures, electric supply, costs and limits.\n\n"
    "Options:\n"
    "  --config FILE      run configuration (JSON) naming the inputs\n"
    "  --model FILE       use this model.json instead of fitting one\n"
    "  --shipments F ...  input files (override the config)\n"
    "  --budget F         a budgeted fleet to check (the fleet file's format:\n"
    "                     station,van_type,count): the plan's \"check\" then says\n"
    "                     whether it serves at P50, the service level and the\n"
    "                     shock (config key \"budget\"; default: the plan's fleet)\n"
    "  --horizon N        months to plan (default: config, 16)\n"
    "  --paths N          Monte Carlo sample paths (default: config, 500)\n"
    "  --seed N           random seed (default: config)\n"
    "  --threads N        worker threads for the fit, forecast and plan, and a\n"
    "                     second one to read (default: all cores; the results do\n"
    "                     not depend on it)\n"
    "  --format FMT       json (default) or csv: one row per station, month, van type\n"
    "  -o, --output FILE  write to FILE (atomically) instead of stdout\n"
    "  -q, --quiet        errors only;  -v, --verbose: more detail\n"
    "  --log-format FMT   messages on stderr as text (default) or json lines\n"
    "  -h, --help         this help\n";

enum { OPT_MODEL = 2000, OPT_HORIZON, OPT_PATHS, OPT_BUDGET };

int cmd_plan(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_INPUT_LONGOPTS,
        {"model", required_argument, NULL, OPT_MODEL},
        {"budget", required_argument, NULL, OPT_BUDGET},
        {"horizon", required_argument, NULL, OPT_HORIZON},
        {"paths", required_argument, NULL, OPT_PATHS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    cli c;
    cli_init(&c, "plan");
    pipeline_opts po = {-1, -1, -1, -1};
    const char *model_path = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, ":hqvo:", longopts, NULL)) != -1) {
        int bad = 0;
        switch (opt) {
        case OPT_MODEL: model_path = optarg; break;
        case OPT_BUDGET: c.input_arg[FC_IN_BUDGET] = optarg; break;
        case OPT_HORIZON: bad = cli_int_option(&c, "horizon", optarg, 1, 120, &po.horizon); break;
        case OPT_PATHS: bad = cli_int_option(&c, "paths", optarg, 10, 100000, &po.paths); break;
        case OPT_SEED: bad = cli_int_option(&c, "seed", optarg, 0, 2147483647L, &po.seed); break;
        case OPT_THREADS: bad = cli_int_option(&c, "threads", optarg, 1, 64, &po.threads); break;
        default:
            if (cli_common_option(&c, opt, optarg) < 0) return cli_exit(&c, FC_EUSAGE);
        }
        if (bad) return cli_exit(&c, FC_EUSAGE);
    }
    if (cli_options_done(&c, help, argc, argv, 0)) return cli_exit(&c, c.status);
    if (cli_check_format(&c, "json|csv")) return cli_exit(&c, FC_EUSAGE);
    if (fc_outfile_check(c.output, &c.diag)) return cli_exit(&c, FC_ECANTCREAT);
    int st = cli_load_config(&c);
    if (st) return cli_exit(&c, st);
    pipeline p;
    memset(&p, 0, sizeof p);
    st = pipeline_load(&c, &p, &po);
    if (st == FC_OK) st = pipeline_model(&c, &p, model_path);
    if (st == FC_OK) st = pipeline_forecast(&c, &p);
    if (st == FC_OK) st = pipeline_plan(&c, &p);
    char btxt[1024];
    if (st == FC_OK && pipeline_budget_summary(&p, btxt, sizeof btxt, NULL))
        fc_diag_note(&c.diag, "%s", btxt + 2);
    if (st == FC_OK) {
        fc_outfile out;
        if ((st = fc_outfile_open(&out, c.output, &c.diag)) == FC_OK) {
            if (c.format && strcmp(c.format, "csv") == 0) {
                st = fc_plan_write_csv(out.fp, p.plan, p.in);
            } else {
                cJSON *meta = pipeline_meta(&c, &p);
                st = meta ? fc_plan_write_json(out.fp, p.plan, p.in, meta) : FC_EINTERNAL;
                cJSON_Delete(meta);
            }
            if (st == FC_OK)
                st = fc_outfile_commit(&out, &c.diag);
            else if (st == FC_EIO)
                fc_outfile_write_failed(&out, &c.diag);
            else {
                fc_diag_error(&c.diag, st, "could not write the plan");
                fc_outfile_abort(&out);
            }
        }
    }
    pipeline_free(&p);
    return cli_exit(&c, st);
}
