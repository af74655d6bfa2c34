/* test_data.c -- the six readers: dense shipment arrays, station segments
 * (rezoning), monthly detection, features, fleet matrix, config, outfile. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "check.h"
#include "fleetcast/dataset.h"
#include "fleetcast/date.h"
#include "fleetcast/outfile.h"
#include "../../src/io/table.h"

static char dir[256];

static const char *write_file(const char *name, const char *text)
{
    static char path[8][512];
    static int k;
    char *p = path[k++ % 8];
    snprintf(p, 512, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
    return p;
}

/* parse_real gives the very double strtod gives (its fast path for plain
 * decimals is one exact division), and refuses what strtod refuses. */
static void test_parse_real(void)
{
    static const char *const cases[] = {
        "0", "-0", "1", "-1", "0.1", "0.3", "2.675", "1.005", ".5", "-.5", "1.", "+1", "1e3", "1E-2",
        "123456789012345", "1234567890123456", "99999999999999.9", "0.000000000000001",
        "9007199254740993", "3.14159265358979", "17.5", "00012.50", " 1", "1 ", "", "-", ".", "1.2.3",
        "nan", "inf", "0x10", "12a", "--1", "1,5"};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *c = cases[k];
        size_t n = strlen(c);
        double a = 0, b = 0;
        char *end;
        b = n ? strtod(c, &end) : 0;
        int ok_strtod = n > 0 && end == c + n && isfinite(b);
        int ok = parse_real(c, n, &a) == 0;
        CHECK(ok == ok_strtod);
        if (ok && ok_strtod) CHECK(memcmp(&a, &b, sizeof a) == 0);
    }
    /* random plain decimals of 1-16 digits, half with a point */
    unsigned long long x = 88172645463325252ULL;
    int same = 0, tries = 200000;
    for (int t = 0; t < tries; t++) {
        char buf[40];
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int digits = 1 + (int)(x % 16), point = (int)((x >> 8) % (unsigned)(digits + 1)), at = 0;
        if ((x >> 20) & 1) buf[at++] = '-';
        for (int i = 0; i < digits; i++) {
            if ((x >> 21) & 1 && i == point && i > 0) buf[at++] = '.';
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            buf[at++] = (char)('0' + x % 10);
        }
        buf[at] = 0;
        double a = 0, b = strtod(buf, NULL);
        same += parse_real(buf, (size_t)at, &a) == 0 && memcmp(&a, &b, sizeof a) == 0;
    }
    CHECK(same == tries);
}

int main(void)
{
    const char *data = getenv("FC_TEST_DATA");
    char cfg[512];
    snprintf(cfg, sizeof cfg, "%s/ok/config.json", data ? data : "tests/data");
    fc_diag d;
    fc_diag_init(&d, NULL, NULL);
    fc_config *c = NULL;
    CHECK(fc_config_load(cfg, &d, &c) == FC_OK);
    CHECK(c && c->horizon_months == 16 && c->seed == 7 && c->paths == 500);
    CHECK(c && strstr(c->inputs[FC_IN_SHIPMENTS], "ok/shipments.csv") != NULL);

    fc_dataset ds;
    CHECK(fc_dataset_load(&ds, c->inputs, 0, &d) == FC_OK);
    CHECK(d.n_errors == 0);
    const fc_shipments *s = ds.shipments;
    CHECK(s && !s->monthly && s->nperiods == 4 && s->nzips == 4 && s->rows == 12);
    CHECK_NEAR(s->total_packages, 4060, 0);
    int32_t z1002 = fc_intern_find(ds.zips->ids, "01002", 5);
    int32_t dsp1 = fc_intern_find(ds.stations->ids, "DSP1", 4);
    int32_t dbo2 = fc_intern_find(ds.stations->ids, "DBO2", 4);
    /* 2024-03-03 has no rows; 01002 moved from DSP1 to DBO2 on 2024-03-04. */
    CHECK(s->packages[2 * 4 + z1002] == -1);
    CHECK(s->packages[1 * 4 + z1002] == 0 && s->packages[3 * 4 + z1002] == 140);
    CHECK(fc_shipments_station(s, z1002, 0) == dsp1);
    CHECK(fc_shipments_station(s, z1002, 3) == dbo2);
    CHECK(s->seg_off[z1002 + 1] - s->seg_off[z1002] == 2);
    char day[11];
    fc_date_format(fc_shipments_period_day(s, 3), day);
    CHECK(strcmp(day, "2024-03-04") == 0);
    /* zips: hilliness and one numeric feature (the text column dropped) */
    CHECK(ds.zips->has_hilliness && ds.zips->feat.n == 1);
    CHECK(fc_features_find(&ds.zips->feat, "share_apartments") == 0);
    CHECK_NEAR(ds.zips->feat.values[fc_intern_find(ds.zips->ids, "02101", 5)], 0.90, 1e-12);
    /* stations: quoted city with a comma, optional columns empty */
    CHECK(strcmp(fc_intern_name(ds.stations->cities, ds.stations->city[dbo2]), "Boston, MA") == 0);
    CHECK(isnan(ds.stations->parking[dbo2]) && ds.stations->parking[dsp1] == 40);
    int32_t ev = fc_intern_find(ds.vehicles->ids, "ev", 2);
    int32_t large = fc_intern_find(ds.vehicles->ids, "large", 5);
    CHECK(ds.vehicles->electric[ev] && ds.vehicles->battery_kwh[ev] == 113);
    CHECK((ds.stations->van_types[dsp1] >> ev & 1) && !(ds.stations->van_types[dsp1] >> large & 1));
    CHECK(ds.stations->van_types[dbo2] == ~(uint64_t)0);
    CHECK(ds.fleet->count[dsp1 * ds.fleet->nvans + ev] == 2 && ds.fleet->total == 19);
    CHECK(ds.routes->n == 7 && ds.routes->has_km);
    cJSON *fp = fc_dataset_fingerprints(&ds);
    CHECK(fp && cJSON_GetArraySize(fp) == 6);
    cJSON_Delete(fp);
    fc_dataset_free(&ds);

    /* monthly data is detected and compacted to months */
    snprintf(dir, sizeof dir, "/tmp/fc_test_data_%d", (int)getpid());
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    CHECK(system(cmd) == 0);
    char *paths[FC_INPUT_N] = {0};
    paths[FC_IN_ZIPS] = c->inputs[FC_IN_ZIPS];
    paths[FC_IN_STATIONS] = c->inputs[FC_IN_STATIONS];
    paths[FC_IN_SHIPMENTS] = (char *)write_file("m.csv",
        "zip,date,station,stops,packages\n01001,2023-11-01,DSP1,10,20\n01001,2024-01-01,DSP1,11,21\n"
        "01003,2024-02-01,DSP1,5,9\n");
    CHECK(fc_dataset_load(&ds, paths, 0, &d) == FC_OK);
    s = ds.shipments;
    CHECK(s && s->monthly && s->nperiods == 4 && s->t0 == 2023 * 12 + 10);
    CHECK(s && s->packages[2 * 4 + 0] == 21 && s->packages[1 * 4 + 0] == -1 && s->stops[3 * 4 + 2] == 5);
    fc_dataset_free(&ds);

    /* dates out of order still land in their cells */
    paths[FC_IN_SHIPMENTS] = (char *)write_file("o.csv",
        "date,zip,station,packages,stops\n2024-05-10,01001,DSP1,5,3\n2024-01-02,01001,DSP1,7,4\n");
    CHECK(fc_dataset_load(&ds, paths, 0, &d) == FC_OK);
    s = ds.shipments;
    CHECK(s && !s->monthly && s->nperiods == 130 && s->packages[0] == 7 && s->packages[129 * 4] == 5);
    fc_dataset_free(&ds);

    /* outfile: the target appears only on commit; abort leaves nothing */
    fc_outfile o;
    char target[512];
    snprintf(target, sizeof target, "%s/out.txt", dir);
    CHECK(fc_outfile_open(&o, target, &d) == FC_OK);
    fputs("hello\n", o.fp);
    CHECK(access(target, F_OK) != 0);
    CHECK(fc_outfile_commit(&o, &d) == FC_OK);
    CHECK(access(target, F_OK) == 0);
    /* the mode open(2) would give, not mkstemp's 0600 */
    struct stat sb;
    mode_t mask = umask(027);
    umask(mask);
    CHECK(stat(target, &sb) == 0 && (sb.st_mode & 0777) == (0666 & ~mask));
    CHECK(fc_outfile_open(&o, target, &d) == FC_OK);
    fputs("half", o.fp);
    fc_outfile_abort(&o);
    FILE *f = fopen(target, "r");
    char line[16] = "";
    CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "hello\n") == 0);
    if (f) fclose(f);
    /* two files replaced together: finished (written and synced) first,
     * neither target changes until both are published */
    {
        fc_outfile a, b;
        char t2[512];
        snprintf(t2, sizeof t2, "%s/out2.txt", dir);
        CHECK(fc_outfile_open(&a, target, &d) == FC_OK && fc_outfile_open(&b, t2, &d) == FC_OK);
        fputs("new\n", a.fp);
        fputs("two\n", b.fp);
        CHECK(fc_outfile_finish(&a, &d) == FC_OK && fc_outfile_finish(&b, &d) == FC_OK);
        f = fopen(target, "r");
        CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "hello\n") == 0);
        if (f) fclose(f);
        CHECK(access(t2, F_OK) != 0);
        CHECK(fc_outfile_publish(&a, &d) == FC_OK && fc_outfile_publish(&b, &d) == FC_OK);
        f = fopen(target, "r");
        CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "new\n") == 0);
        if (f) fclose(f);
        CHECK(access(t2, F_OK) == 0);
    }
    /* what a signal handler calls: every unpublished temporary file goes,
     * published ones stay */
    {
        fc_outfile a, b;
        char t3[512];
        snprintf(t3, sizeof t3, "%s/out3.txt", dir);
        CHECK(fc_outfile_open(&a, target, &d) == FC_OK && fc_outfile_open(&b, t3, &d) == FC_OK);
        CHECK(access(a.tmp, F_OK) == 0 && access(b.tmp, F_OK) == 0);
        CHECK(fc_outfile_commit(&b, &d) == FC_OK);
        fc_outfile_remove_pending();
        CHECK(access(a.tmp, F_OK) != 0 && access(t3, F_OK) == 0);
        fc_outfile_abort(&a);
    }
    /* a target that is not a regular file is written in place, not
     * replaced (a FIFO here; /dev/null in use) */
    {
        char fifo[512];
        snprintf(fifo, sizeof fifo, "%s/fifo", dir);
        CHECK(mkfifo(fifo, 0600) == 0);
        int rd = open(fifo, O_RDONLY | O_NONBLOCK);
        CHECK(rd >= 0);
        fc_outfile a;
        CHECK(fc_outfile_open(&a, fifo, &d) == FC_OK && a.tmp == NULL);
        fputs("through\n", a.fp);
        CHECK(fc_outfile_commit(&a, &d) == FC_OK);
        char buf[16] = "";
        CHECK(read(rd, buf, sizeof buf - 1) == 8 && strcmp(buf, "through\n") == 0);
        close(rd);
        CHECK(stat(fifo, &sb) == 0 && S_ISFIFO(sb.st_mode));
    }
    snprintf(cmd, sizeof cmd, "ls %s | grep -c tmp >/dev/null", dir);
    CHECK(system(cmd) != 0);  /* no temporary left behind */
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);

    /* config errors */
    fc_config *bad = NULL;
    CHECK(fc_config_parse("{\"seed\": -1}", 12, "c.json", NULL, &d, &bad) == FC_EDATA && !bad);
    CHECK(fc_config_parse("{\"paths\": 2.5}", 14, "c.json", NULL, &d, &bad) == FC_EDATA);
    CHECK(fc_config_parse("{\"zips\": \"z.csv\"}", 17, "c.json", "d", &d, &bad) == FC_OK);
    CHECK(bad && strcmp(bad->inputs[FC_IN_ZIPS], "d/z.csv") == 0);
    fc_config_free(bad);
    fc_config_free(c);
    test_parse_real();
    return check_report();
}
