/*
 * numfmt — see numfmt.h.  The bodies were report_fmt (report.c) and
 * dec_money (decision.c); their outputs are pinned by the golden hashes of
 * report.md and comparison.csv and by tests/test_base.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"

char *fmt_grouped(char *buf, size_t n, double v, int dec)
{
    if (isnan(v)) {
        snprintf(buf, n, "-");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, n, v > 0 ? "inf" : "-inf");
        return buf;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
    if (strcmp(raw, "0") == 0 || atof(raw) == 0)
        v = 0; /* no "-0" */
    char *dot = strchr(raw, '.');
    size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t o = 0;
    if (v < 0 && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; i < intlen && o + 1 < n; i++) {
        buf[o++] = raw[i];
        size_t left = intlen - i - 1;
        if (left > 0 && left % 3 == 0 && o + 1 < n)
            buf[o++] = ',';
    }
    for (const char *p = dot; p && *p && o + 1 < n; p++)
        buf[o++] = *p;
    buf[o] = '\0';
    return buf;
}

const char *fmt_currency_symbol(const char *currency)
{
    return !strcmp(currency, "USD")   ? "$"
           : !strcmp(currency, "EUR") ? "\u20ac"
           : !strcmp(currency, "GBP") ? "\u00a3"
                                      : NULL;
}

char *fmt_money(char *buf, size_t n, double v, const char *currency)
{
    const char *sym = fmt_currency_symbol(currency);
    char num[64];
    double a = fabs(v);
    if (isnan(v))
        snprintf(num, sizeof num, "n/a");
    else if (isinf(v))
        snprintf(num, sizeof num, "infinity");
    /* pick the unit after rounding: 999,700 is "$1.00M", not "$1000k" */
    else if (a >= 999.5e3)
        snprintf(num, sizeof num, "%.2fM", a / 1e6);
    else if (a >= 99.95e3)
        snprintf(num, sizeof num, "%.0fk", a / 1e3);
    else if (a >= 999.5) /* three figures: $15.6k, not $16k */
        snprintf(num, sizeof num, "%.1fk", a / 1e3);
    else
        snprintf(num, sizeof num, "%.0f", a);
    snprintf(buf, n, "%s%s%s%s", v < 0 ? "-" : "", sym ? sym : currency, sym ? "" : " ", num);
    return buf;
}
