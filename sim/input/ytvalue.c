/*
 * ytvalue — the typed reading of a yamltree's scalars (numbers, whole
 * numbers, booleans, strings) and the check of a mapping's keys, each with
 * the message a user sees; the tree itself is built in yamltree.c.
 */
#include "yamltree.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- conversions */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * The header's grammar, checked by hand so that neither the locale nor
 * strtod's extensions (hex, "inf", "nan", leading blanks) decide what a
 * number is.  *plain_int is set when there is no fraction or exponent.
 */
static int decimal_syntax(const char *s, int *plain_int)
{
    const char *p = s, *digits;
    size_t nint = 0, nfrac = 0;

    *plain_int = 1;
    if (*p == '+' || *p == '-')
        p++;
    digits = p;
    while (is_digit(*p))
        p++, nint++;
    /* "0755" reads as octal in YAML 1.1 and as 755 in 1.2: refuse both. */
    if (nint > 1 && digits[0] == '0')
        return -1;
    if (*p == '.') {
        *plain_int = 0;
        p++;
        while (is_digit(*p))
            p++, nfrac++;
    }
    if (nint + nfrac == 0)
        return -1;
    if (*p == 'e' || *p == 'E') {
        *plain_int = 0;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!is_digit(*p))
            return -1;
        while (is_digit(*p))
            p++;
    }
    return *p == '\0' ? 0 : -1;
}

/* A hint for the usual ways a number goes wrong. */
static const char *number_hint(const char *s)
{
    const char *p = s + (*s == '+' || *s == '-');

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        return " (hexadecimal is not supported)";
    if (p[0] == '0' && is_digit(p[1]))
        return " (leading zeros are not allowed)";
    /* "200,000" is a thousands separator far more often than a decimal
     * comma in a finance team's file: say both, assume neither */
    if (strchr(s, ','))
        return " (no ',' in numbers: write 200000 for two hundred thousand, 1.5 for one and a half)";
    return "";
}

/*
 * Numbers as a finance team types them — "$85", "280,000", "58%", "300k",
 * "1.2M", "\u20ac1.5m" — are refused, never guessed at, but the message
 * gives the exact number to write instead.  Refused rather than accepted:
 * a scenario keeps one number grammar (the one its JSON outputs and every
 * tool reading it share), "58%" in a count or "1.2M" in a day count would
 * be accepted silently if the reader did not know which keys are shares
 * and which are money, and the fix is one edit the message spells out.
 * Writes the replacement ("0.58", "280000") into buf and returns 1 when s
 * is such a number, else 0.
 */
static int finance_number(const char *s, char *buf, size_t n, const char **why)
{
    static const char *const symbols[] = {"$", "\u20ac", "\u00a3", "USD ", "EUR ", "GBP ", "USD", "EUR", "GBP", NULL};
    char t[64];
    const char *p = s;
    int changed = 0, neg = 0, currency = 0;
    double scale = 1;

    if (*p == '-')
        neg = 1, p++;
    for (size_t i = 0; symbols[i]; i++)
        if (!strncmp(p, symbols[i], strlen(symbols[i]))) {
            p += strlen(symbols[i]);
            changed = currency = 1;
            break;
        }
    if (*p == '-' && !neg)
        neg = 1, p++;
    size_t len = strlen(p);
    if (len == 0 || len >= sizeof t)
        return 0;
    /* one suffix: percent, thousands, millions, billions */
    if (p[len - 1] == '%')
        scale = 0.01, len--;
    else if (p[len - 1] == 'k' || p[len - 1] == 'K')
        scale = 1e3, len--;
    else if (p[len - 1] == 'M' || p[len - 1] == 'm')
        scale = 1e6, len--;
    else if (len > 2 && !strcmp(p + len - 2, "bn"))
        scale = 1e9, len -= 2;
    changed |= scale != 1;
    /* thousands separators only where they group by three: "1,5" stays
     * ambiguous (a decimal comma?) and is not rewritten */
    size_t m = 0, digits = 0;
    int grouped = 0, in_int = 1;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c == ',' && in_int) {
            if (digits == 0 || (grouped && digits != 3) || (!grouped && digits > 3))
                return 0;
            grouped = 1, digits = 0;
            continue;
        }
        if (c == '.' || c == 'e' || c == 'E')
            in_int = 0;
        if (in_int && is_digit(c))
            digits++;
        t[m++] = c;
    }
    if (grouped && digits != 3)
        return 0;
    t[m] = '\0';
    changed |= grouped;
    int plain_int;
    if (!changed || *t == '+' || *t == '-' || decimal_syntax(t, &plain_int))
        return 0;
    double v = strtod(t, NULL) * scale;
    if (!isfinite(v))
        return 0;
    snprintf(buf, n, "%.15g", neg ? -v : v);
    *why = currency       ? "no currency in numbers"
           : scale == 0.01 ? "no '%' in numbers: a share is a fraction"
           : scale != 1    ? "no k/M suffixes in numbers"
                           : "no ',' in numbers";
    return 1;
}

/* The shared part of yt_number and yt_integer; `expect` completes
 * "'what' must be ...". */
static int number_at(const yt_doc *doc, const yt_node *n, const char *what, const char *expect,
                     double *out, int *plain_int, diag *d)
{
    char e[YT_ECHO_MAX + 8];
    char *end;
    double v;

    if (!n)
        return yt_error(doc, n, d, "'%s' is missing", what);
    if (n->kind != YT_SCALAR)
        return yt_error(doc, n, d, "'%s' must be %s, not %s", what, expect, yt_kind_name(n));
    char fix[64];
    const char *why;
    if (!n->plain) {
        if (finance_number(n->str, fix, sizeof fix, &why))
            return yt_error(doc, n, d, "'%s' must be %s, not a quoted string: write %s", what,
                            expect, fix);
        return yt_error(doc, n, d, "'%s' must be %s, not a quoted string", what, expect);
    }
    if (n->str[0] == '\0')
        return yt_error(doc, n, d, "'%s' must be %s, not an empty value", what, expect);
    if (decimal_syntax(n->str, plain_int)) {
        if (finance_number(n->str, fix, sizeof fix, &why))
            return yt_error(doc, n, d, "'%s' must be %s, not '%s' (%s): write %s", what, expect,
                            yt_echo(e, sizeof e, n->str), why, fix);
        return yt_error(doc, n, d, "'%s' must be %s, not '%s'%s", what, expect,
                        yt_echo(e, sizeof e, n->str), number_hint(n->str));
    }
    errno = 0;
    v = strtod(n->str, &end);
    /* Only a locale with another decimal point could stop strtod early. */
    if (*end != '\0')
        return yt_error(doc, n, d, "'%s' must be %s, not '%s'", what, expect,
                        yt_echo(e, sizeof e, n->str));
    if (!isfinite(v))
        return yt_error(doc, n, d, "'%s' must be %s, not '%s' (out of range)", what, expect,
                        yt_echo(e, sizeof e, n->str));
    *out = v;
    return 0;
}

int yt_number(const yt_doc *doc, const yt_node *n, const char *what, double *out, diag *d)
{
    double v;
    int plain_int;

    if (number_at(doc, n, what, "a number", &v, &plain_int, d))
        return -1;
    if (out)
        *out = v;
    return 0;
}

int yt_integer(const yt_doc *doc, const yt_node *n, const char *what, long long lo, long long hi,
               long long *out, diag *d)
{
    char expect[96];
    double v;
    long long x;
    int plain_int;

    if (lo == LLONG_MIN && hi == LLONG_MAX)
        snprintf(expect, sizeof expect, "an integer");
    else if (lo == LLONG_MIN)
        snprintf(expect, sizeof expect, "an integer of at most %lld", hi);
    else if (hi == LLONG_MAX)
        snprintf(expect, sizeof expect, "an integer of at least %lld", lo);
    else
        snprintf(expect, sizeof expect, "an integer from %lld to %lld", lo, hi);
    if (number_at(doc, n, what, expect, &v, &plain_int, d))
        return -1;
    if (plain_int) {
        /* Exact, even beyond 2^53 where the double has lost digits. */
        errno = 0;
        x = strtoll(n->str, NULL, 10);
        if (errno == ERANGE)
            return yt_error(doc, n, d, "'%s' must be %s", what, expect);
    } else {
        /* 1e6 is an integer; 1.5 is not.  The bounds are +-2^63. */
        if (v != floor(v) || v < -9223372036854775808.0 || v >= 9223372036854775808.0)
            return yt_error(doc, n, d, "'%s' must be %s", what, expect);
        x = (long long)v;
    }
    if (x < lo || x > hi)
        return yt_error(doc, n, d, "'%s' must be %s", what, expect);
    if (out)
        *out = x;
    return 0;
}

/* ASCII case folding: strcasecmp would consult the locale. */
static int ascii_caseeq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

int yt_bool(const yt_doc *doc, const yt_node *n, const char *what, int *out, diag *d)
{
    int v;

    if (!n)
        return yt_error(doc, n, d, "'%s' is missing", what);
    if (n->kind != YT_SCALAR)
        return yt_error(doc, n, d, "'%s' must be true or false, not %s", what, yt_kind_name(n));
    /* yes/no/on/off/1 are YAML 1.1 booleans but 1.2 strings: refusing
     * them avoids the ambiguity. */
    if (n->plain && ascii_caseeq(n->str, "true"))
        v = 1;
    else if (n->plain && ascii_caseeq(n->str, "false"))
        v = 0;
    else
        return yt_error(doc, n, d, "'%s' must be true or false", what);
    if (out)
        *out = v;
    return 0;
}

int yt_string(const yt_doc *doc, const yt_node *n, const char *what, const char **out, diag *d)
{
    if (!n)
        return yt_error(doc, n, d, "'%s' is missing", what);
    if (n->kind != YT_SCALAR)
        return yt_error(doc, n, d, "'%s' must be a string, not %s", what, yt_kind_name(n));
    if (out)
        *out = n->str;
    return 0;
}

/* Pair i of map is the tail of a number split at a thousands comma: a
 * three-digit key without a value. */
static int split_group(const yt_node *map, size_t i)
{
    const yt_node *k = map->keys[i], *v = map->items[i];
    return k->plain && strlen(k->str) == 3 && is_digit(k->str[0]) && is_digit(k->str[1]) &&
           is_digit(k->str[2]) && v->kind == YT_SCALAR &&
           v->str[0] == '\0' && v->plain;
}

int yt_check_keys(const yt_doc *doc, const yt_node *map, const char *context,
                  const char *const *allowed, diag *d)
{
    char msg[sizeof d->msg];
    char e[YT_ECHO_MAX + 8];

    /* An absent section has no keys to be wrong. */
    if (!map)
        return 0;
    if (!context)
        context = "";
    if (map->kind != YT_MAP) {
        /* A bare key name ("work") reads better quoted; a phrase
         * ("source 'pod'", "an overhead", "'people'") is used as is. */
        if (!*context)
            return yt_error(doc, map, d, "expected a mapping, not %s", yt_kind_name(map));
        if (strpbrk(context, "' "))
            return yt_error(doc, map, d, "%s must be a mapping, not %s", context, yt_kind_name(map));
        return yt_error(doc, map, d, "'%s' must be a mapping, not %s", context, yt_kind_name(map));
    }
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i]->str;
        size_t j = 0;

        while (allowed && allowed[j] && strcmp(allowed[j], k) != 0)
            j++;
        if (allowed && allowed[j])
            continue;
        /* {loaded_annual: 280,000}: the comma of a flow mapping split the
         * number into 280 and a key '000' with no value */
        const yt_node *prev = i > 0 ? map->items[i - 1] : NULL;
        if (prev && prev->kind == YT_SCALAR && prev->plain && split_group(map, i)) {
            char typed[80], fix[64];
            const char *why;
            snprintf(typed, sizeof typed, "%s", prev->str);
            for (size_t g = i; g < map->n && split_group(map, g) && strlen(typed) < 60; g++)
                snprintf(typed + strlen(typed), sizeof typed - strlen(typed), ",%s", map->keys[g]->str);
            if (finance_number(typed, fix, sizeof fix, &why))
                return yt_error(doc, prev, d,
                                "'%s: %s' is cut at its commas by the flow mapping {...} (read as "
                                "%s and a key '%s'): write %s",
                                yt_echo(e, sizeof e, map->keys[i - 1]->str), typed, prev->str, k, fix);
        }
        snprintf(msg, sizeof msg, "unknown key '%s'%s%s", yt_echo(e, sizeof e, k), *context ? " in " : "",
                 context);
        diag_hint(msg, sizeof msg, k, allowed);
        return yt_error(doc, map->keys[i], d, "%s", msg);
    }
    return 0;
}
