/* test_util.c -- dates (against known calendar facts), interning, diag. */
#include <string.h>
#include "check.h"
#include "fleetcast/date.h"
#include "fleetcast/diag.h"
#include "fleetcast/intern.h"

static int lines;
static void sink(void *ud, fc_level level, const char *msg)
{
    (void)ud;
    (void)level;
    (void)msg;
    lines++;
}

int main(void)
{
    int32_t d;
    char s[11];
    /* Known values: 1970-01-01 = 0, 2000-03-01 = 11017, 2024-02-29 = 19782. */
    CHECK(fc_date_parse("1970-01-01", 10, &d) == 0 && d == 0);
    CHECK(fc_date_parse("2000-03-01", 10, &d) == 0 && d == 11017);
    CHECK(fc_date_parse("2024-02-29", 10, &d) == 0 && d == 19782);
    CHECK(fc_date_parse("2023-02-29", 10, &d) == -1);
    CHECK(fc_date_parse("1900-02-29", 10, &d) == -1);
    CHECK(fc_date_parse("2000-02-29", 10, &d) == 0);
    CHECK(fc_date_parse("2024-13-01", 10, &d) == -1);
    CHECK(fc_date_parse("2024-1-01", 9, &d) == -1);
    CHECK(fc_date_parse("2024-01-01x", 11, &d) == -1);
    /* Round trip over 100 years. */
    int bad = 0;
    for (int32_t k = -3650; k < 36500; k++) {
        fc_date_format(k, s);
        if (fc_date_parse(s, 10, &d) || d != k) bad++;
    }
    CHECK(bad == 0);
    /* 2024-11-22 is a Friday (4 with Monday = 0); 1970-01-01 a Thursday. */
    fc_date_parse("2024-11-22", 10, &d);
    CHECK(fc_date_weekday(d) == 4);
    CHECK(fc_date_weekday(0) == 3);
    CHECK(fc_date_weekday(-1) == 2);
    int mi;
    CHECK(fc_month_parse("2025-03", &mi) == 0 && mi == 2025 * 12 + 2);
    CHECK(fc_month_days(mi) == 31 && fc_month_days(2024 * 12 + 1) == 29);
    char m[8];
    fc_month_format(mi, m);
    CHECK(strcmp(m, "2025-03") == 0);
    fc_date_format(fc_month_first_day(mi), s);
    CHECK(strcmp(s, "2025-03-01") == 0);

    fc_intern *t = fc_intern_new();
    char key[16];
    bad = 0;
    for (int i = 0; i < 50000; i++) {
        snprintf(key, sizeof key, "%05d", i);
        if (fc_intern_add(t, key, strlen(key), NULL) != i) bad++;
    }
    CHECK(bad == 0 && fc_intern_count(t) == 50000);
    int added = 1;
    CHECK(fc_intern_add(t, "00042", 5, &added) == 42 && added == 0);
    CHECK(fc_intern_find(t, "0004", 4) == -1);
    CHECK(fc_intern_find(t, "49999", 5) == 49999);
    CHECK(strcmp(fc_intern_name(t, 7), "00007") == 0);
    CHECK(fc_intern_is(t, 7, "00007", 5) && !fc_intern_is(t, 8, "00007", 5));
    fc_intern_free(t);
    fc_intern_free(NULL);

    fc_diag dg;
    fc_diag_init(&dg, sink, NULL);
    dg.max_errors = 2;
    for (int i = 0; i < 5; i++) fc_diag_at(&dg, FC_EDATA, "f.csv", i + 1, 2, "bad %d", i);
    CHECK(dg.n_errors == 5 && lines == 2 && dg.status == FC_EDATA && fc_diag_full(&dg));
    dg.verbosity = -1;
    fc_diag_note(&dg, "hidden");
    CHECK(lines == 2);
    return check_report();
}
