/* date.h -- civil dates as days since 1970-01-01 (proleptic Gregorian). */
#ifndef FLEETCAST_DATE_H
#define FLEETCAST_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 of a valid y-m-d (m 1..12, d 1..31). */
int32_t fc_days_from_civil(int y, int m, int d);
void fc_civil_from_days(int32_t days, int *y, int *m, int *d);

/* Parse exactly "YYYY-MM-DD" (n bytes, no trailing text) into *days.
 * Returns 0, or -1 when the text is not a real ISO date. */
int fc_date_parse(const char *s, size_t n, int32_t *days);

/* Write "YYYY-MM-DD" and a NUL into out (11 bytes). */
void fc_date_format(int32_t days, char out[11]);

/* Day of week, 0 = Monday .. 6 = Sunday. */
int fc_date_weekday(int32_t days);

/* Month index y*12 + (m-1), and back to the first day of that month. */
int fc_date_month_index(int32_t days);
int32_t fc_month_first_day(int month_index);
int fc_month_days(int month_index);

/* Parse "YYYY-MM" (or "YYYY-MM-DD", taking its month) into a month index. */
int fc_month_parse(const char *s, int *month_index);
void fc_month_format(int month_index, char out[8]);

#endif
