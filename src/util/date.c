/* date.c -- calendar arithmetic without time zones (H. Hinnant's algorithms). */
#include "fleetcast/date.h"
#include <string.h>

int32_t fc_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void fc_civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i] - '0';
        if (c > 9) return -1;
        v = v * 10 + (int)c;
    }
    return v;
}

int fc_date_parse(const char *s, size_t n, int32_t *days)
{
    if (n != 10 || s[4] != '-' || s[7] != '-') return -1;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in(y, m)) return -1;
    *days = fc_days_from_civil(y, m, d);
    return 0;
}

void fc_date_format(int32_t days, char out[11])
{
    int y, m, d;
    fc_civil_from_days(days, &y, &m, &d);
    y = ((y % 10000) + 10000) % 10000;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

int fc_date_weekday(int32_t days)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    int w = (int)((days + 3) % 7);
    return w < 0 ? w + 7 : w;
}

int fc_date_month_index(int32_t days)
{
    int y, m, d;
    fc_civil_from_days(days, &y, &m, &d);
    return y * 12 + m - 1;
}

int32_t fc_month_first_day(int mi)
{
    return fc_days_from_civil(mi / 12, mi % 12 + 1, 1);
}

int fc_month_days(int mi) { return days_in(mi / 12, mi % 12 + 1); }

int fc_month_parse(const char *s, int *mi)
{
    size_t n = strlen(s);
    if (n != 7 && n != 10) return -1;
    if (n == 10) {
        int32_t d;
        if (fc_date_parse(s, n, &d)) return -1;
        *mi = fc_date_month_index(d);
        return 0;
    }
    if (s[4] != '-') return -1;
    int y = digits(s, 4), m = digits(s + 5, 2);
    if (y < 1900 || m < 1 || m > 12) return -1;
    *mi = y * 12 + m - 1;
    return 0;
}

void fc_month_format(int mi, char out[8])
{
    char day[11];
    fc_date_format(fc_month_first_day(mi), day);
    memcpy(out, day, 7);
    out[7] = '\0';
}
