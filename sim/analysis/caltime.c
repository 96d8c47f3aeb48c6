/*
 * caltime — the ISO 8601 dates and months of calibrate's files
 * (cal_parse_time, cal_parse_month, cal_format_day in calibrate.h).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "caldate.h"
#include "calibrate.h"

static const char *const month_names[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};

/* n digits at s[*i]; advances *i.  Returns -1 when they are not there. */
static int digits(const char *s, size_t *i, int n, int *out)
{
    int v = 0;
    for (int k = 0; k < n; k++) {
        if (!isdigit((unsigned char)s[*i + (size_t)k]))
            return -1;
        v = 10 * v + (s[*i + (size_t)k] - '0');
    }
    *i += (size_t)n;
    *out = v;
    return 0;
}

static int time_fail(size_t *bad_at, size_t at, char *why, size_t nwhy, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int time_fail(size_t *bad_at, size_t at, char *why, size_t nwhy, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (why && nwhy)
        vsnprintf(why, nwhy, fmt, ap);
    va_end(ap);
    if (bad_at)
        *bad_at = at;
    return -1;
}

/* YYYY-MM-DD at s; *i is advanced past it. */
static int parse_date(const char *s, size_t *i, long long *days, size_t *bad_at, char *why,
                      size_t nwhy)
{
    int y, m, d;
    if (digits(s, i, 4, &y) || s[*i] != '-')
        return time_fail(bad_at, 0, why, nwhy, CAL_ISO_FORMS);
    (*i)++;
    if (digits(s, i, 2, &m) || s[*i] != '-')
        return time_fail(bad_at, 0, why, nwhy, CAL_ISO_FORMS);
    (*i)++;
    if (digits(s, i, 2, &d))
        return time_fail(bad_at, 0, why, nwhy, CAL_ISO_FORMS);
    if (y < 1)
        return time_fail(bad_at, 0, why, nwhy, "year 0 is not a year");
    if (m < 1 || m > 12)
        return time_fail(bad_at, 5, why, nwhy, "month %02d is not 01 to 12", m);
    if (d < 1 || d > cal_month_days(y, m))
        return time_fail(bad_at, 8, why, nwhy, "%s %04d has no day %02d", month_names[m - 1], y, d);
    *days = cal_days(y, m, d);
    return 0;
}

int cal_parse_time(const char *s, int end_of_day, long long *sec, size_t *bad_at, char *why,
                   size_t nwhy)
{
    size_t i = 0;
    long long days = 0;
    if (parse_date(s, &i, &days, bad_at, why, nwhy))
        return -1;
    if (!s[i]) {
        *sec = (days + (end_of_day ? 1 : 0)) * 86400LL;
        return 0;
    }
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        return time_fail(bad_at, i, why, nwhy, "unexpected '%c' after the date",
                         isprint((unsigned char)s[i]) ? s[i] : '?');
    i++;
    size_t at = i;
    int hh, mm, ss = 0;
    if (digits(s, &i, 2, &hh) || s[i] != ':')
        return time_fail(bad_at, at, why, nwhy, "expected HH:MM after the date");
    i++;
    if (digits(s, &i, 2, &mm))
        return time_fail(bad_at, at, why, nwhy, "expected HH:MM after the date");
    if (hh > 23)
        return time_fail(bad_at, at, why, nwhy, "hour %02d is not 00 to 23", hh);
    if (mm > 59)
        return time_fail(bad_at, at + 3, why, nwhy, "minute %02d is not 00 to 59", mm);
    if (s[i] == ':') {
        i++;
        size_t sat = i;
        if (digits(s, &i, 2, &ss))
            return time_fail(bad_at, sat, why, nwhy, "expected two digits of seconds");
        if (ss > 59)
            return time_fail(bad_at, sat, why, nwhy, "second %02d is not 00 to 59", ss);
        if (s[i] == '.' || s[i] == ',') { /* fractions of a second: below our resolution */
            i++;
            if (!isdigit((unsigned char)s[i]))
                return time_fail(bad_at, i, why, nwhy, "expected digits after the decimal mark");
            while (isdigit((unsigned char)s[i]))
                i++;
        }
    }
    long long off = 0;
    if (s[i] == 'Z' || s[i] == 'z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        size_t zat = i;
        int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
        i++;
        if (digits(s, &i, 2, &oh))
            return time_fail(bad_at, zat, why, nwhy, "expected a zone such as +01:00 or Z");
        if (s[i] == ':')
            i++;
        if (isdigit((unsigned char)s[i]) && digits(s, &i, 2, &om))
            return time_fail(bad_at, zat, why, nwhy, "expected a zone such as +01:00 or Z");
        if (oh > 14 || om > 59)
            return time_fail(bad_at, zat, why, nwhy, "zone offset out of range");
        off = sign * (oh * 3600LL + om * 60LL);
    }
    if (s[i])
        return time_fail(bad_at, i, why, nwhy, "unexpected '%c' after the time",
                         isprint((unsigned char)s[i]) ? s[i] : '?');
    *sec = days * 86400LL + hh * 3600LL + mm * 60LL + ss - off;
    return 0;
}

int cal_parse_month(const char *s, int *month, size_t *bad_at, char *why, size_t nwhy)
{
    size_t i = 0;
    int y, m;
    if (digits(s, &i, 4, &y) || s[i] != '-')
        return time_fail(bad_at, 0, why, nwhy, "expected YYYY-MM");
    i++;
    if (digits(s, &i, 2, &m))
        return time_fail(bad_at, 0, why, nwhy, "expected YYYY-MM");
    if (s[i] == '-')
        return time_fail(bad_at, i, why, nwhy, "a date, not a month: write YYYY-MM");
    if (s[i])
        return time_fail(bad_at, i, why, nwhy, "unexpected '%c' after the month (YYYY-MM)",
                         isprint((unsigned char)s[i]) ? s[i] : '?');
    if (y < 1)
        return time_fail(bad_at, 0, why, nwhy, "year 0 is not a year");
    if (m < 1 || m > 12)
        return time_fail(bad_at, 5, why, nwhy, "month %02d is not 01 to 12", m);
    *month = 12 * y + m - 1;
    return 0;
}

char *cal_format_day(long long sec, int end_of_day, char *buf, size_t n)
{
    long long days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
    if (end_of_day && days * 86400 == sec)
        days--;
    long y;
    int m, d;
    cal_civil((long)days, &y, &m, &d);
    snprintf(buf, n, "%04ld-%02d-%02d", y, m, d);
    return buf;
}
