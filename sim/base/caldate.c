/*
 * caldate — day numbers and dates (see caldate.h).
 */
#include <stdio.h>
#include <string.h>

#include "caldate.h"

/* Hinnant's algorithms: eras of 400 years (146097 days), years starting
 * on March 1 so that the leap day is the last of the year. */
long cal_days(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;                                   /* [0, 399] */
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void cal_civil(long days, long *y, int *m, int *d)
{
    days += 719468;
    long era = (days >= 0 ? days : days - 146096) / 146097;
    long doe = days - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int cal_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cal_month_days(long y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && cal_leap(y) ? 29 : len[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int cal_parse(const char *s, long *days)
{
    int y, m, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
        digits(s + 8, 2, &d))
        return -1;
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > cal_month_days(y, m))
        return -1;
    *days = cal_days(y, m, d);
    return 0;
}

int cal_parse_mmdd(const char *s, int *m, int *d)
{
    if (strlen(s) != 5 || s[2] != '-' || digits(s, 2, m) || digits(s + 3, 2, d))
        return -1;
    if (*m < 1 || *m > 12 || *d < 1 || *d > cal_month_days(2001, *m))
        return -1;
    return 0;
}

char *cal_format(long days, char *buf, unsigned long n)
{
    long y;
    int m, d;
    cal_civil(days, &y, &m, &d);
    snprintf(buf, n, "%04ld-%02d-%02d", y, m, d);
    return buf;
}

void cal_fiscal_quarter(long days, int fm, int fd, long *fy, int *q)
{
    long y;
    int m, d;
    cal_civil(days, &y, &m, &d);
    /* the fiscal year containing `days` started this calendar year or the last */
    long start_year = (m > fm || (m == fm && d >= fd)) ? y : y - 1;
    *fy = (fm == 1 && fd == 1) ? start_year : start_year + 1;
    /* months since the fiscal year began, counting a month once its start
     * day has passed */
    int months = (int)((y - start_year) * 12 + m - fm) - (d < fd);
    *q = months / 3 + 1;
}
