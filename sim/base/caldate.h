/*
 * caldate — calendar dates for a scenario with `work.start_date`: ISO 8601
 * dates in and out, and fiscal quarters from `calendar.fiscal_year_start`.
 *
 * A date is a day number: days since 1970-01-01 in the proleptic Gregorian
 * calendar (negative before), so "day d of the simulation" is simply
 * start + floor(d).  The conversions are Howard Hinnant's days_from_civil
 * and civil_from_days, exact for every representable year (leap years by
 * the 4/100/400 rule).
 *
 * Fiscal years are named by the calendar year in which they END (the
 * usual convention: a year starting 07-01 makes 2026-07-01 the first day
 * of FY2027, Q1); a fiscal year starting 01-01 is the calendar year.
 */
#ifndef CAPMIX_CALDATE_H
#define CAPMIX_CALDATE_H

/* Days since 1970-01-01 of y-m-d; m in 1..12, d in 1..31 (not checked). */
long cal_days(long y, int m, int d);

/* The date of a day number. */
void cal_civil(long days, long *y, int *m, int *d);

/* 1 for a leap year. */
int cal_leap(long y);

/* Days in month m of year y. */
int cal_month_days(long y, int m);

/* Parse "YYYY-MM-DD" (exactly: four-digit year 1900..9999, a real day of
 * that month) into a day number.  Returns 0, or -1. */
int cal_parse(const char *s, long *days);

/* Parse "MM-DD" (a fiscal year start: 02-29 is refused, a year does not
 * always have one).  Returns 0, or -1. */
int cal_parse_mmdd(const char *s, int *m, int *d);

/* "YYYY-MM-DD" into buf (at least 11 bytes). Returns buf. */
char *cal_format(long days, char *buf, unsigned long n);

/* The fiscal year (named by its end year) and quarter 1..4 of a day, for
 * a fiscal year starting on month fm, day fd. */
void cal_fiscal_quarter(long days, int fm, int fd, long *fy, int *q);

#endif
