/*
 * calibrate — ticket exports and invoices to per-source estimates (see
 * calibrate.h for the schema, docs/model.md decisions 31–36 for why each
 * estimator is the one it is).
 *
 * Three stages per file: every row's fields are checked on their own
 * (first problem of a row wins); then the ticket rows are ordered into
 * per-ticket chains of passes and the chain rules checked; then, with the
 * bad rows out, the estimates are computed per source.  Without skip_bad
 * the bad row with the smallest line number is the error, whichever stage
 * found it, so the message is the one a reader of the file meets first.
 */
#include "calibrate.h"
#include "dist.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#define SEC_PER_DAY 86400.0
#define ID_MAX 200 /* characters in a ticket id; longer is not an id */

/* ------------------------------------------------------------ dates */

static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    /* H. Hinnant's algorithm: exact for the proleptic Gregorian calendar */
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long long)yoe + era * 400 + (*m <= 2);
}

static int is_leap(long long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(long long y, unsigned m)
{
    static const unsigned dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

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

#define ISO_FORMS "expected ISO 8601: YYYY-MM-DD, optionally with THH:MM[:SS] and Z or +HH:MM"

/* YYYY-MM-DD at s; *i is advanced past it. */
static int parse_date(const char *s, size_t *i, long long *days, size_t *bad_at, char *why,
                      size_t nwhy)
{
    int y, m, d;
    if (digits(s, i, 4, &y) || s[*i] != '-')
        return time_fail(bad_at, 0, why, nwhy, ISO_FORMS);
    (*i)++;
    if (digits(s, i, 2, &m) || s[*i] != '-')
        return time_fail(bad_at, 0, why, nwhy, ISO_FORMS);
    (*i)++;
    if (digits(s, i, 2, &d))
        return time_fail(bad_at, 0, why, nwhy, ISO_FORMS);
    if (y < 1)
        return time_fail(bad_at, 0, why, nwhy, "year 0 is not a year");
    if (m < 1 || m > 12)
        return time_fail(bad_at, 5, why, nwhy, "month %02d is not 01 to 12", m);
    if (d < 1 || (unsigned)d > days_in_month(y, (unsigned)m))
        return time_fail(bad_at, 8, why, nwhy, "%s %04d has no day %02d", month_names[m - 1], y, d);
    *days = days_from_civil(y, (unsigned)m, (unsigned)d);
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
    long long y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, n, "%04lld-%02u-%02u", y, m, d);
    return buf;
}

/* ------------------------------------------------------------ helpers */

/* A field's value: surrounding blanks trimmed (offset kept for columns). */
typedef struct val {
    const char *s;
    size_t len, off;
    const csv_cell *cell;
} val;

static val field(const csv_row *r, int idx)
{
    val v = {"", 0, 0, NULL};
    if (idx < 0 || (size_t)idx >= r->n)
        return v;
    const csv_cell *c = &r->cells[idx];
    size_t a = 0, b = c->len;
    while (a < b && (c->s[a] == ' ' || c->s[a] == '\t'))
        a++;
    while (b > a && (c->s[b - 1] == ' ' || c->s[b - 1] == '\t'))
        b--;
    v.s = c->s + a;
    v.len = b - a;
    v.off = a;
    v.cell = c;
    return v;
}

/* The value as a C string in buf (size n); NULL when it does not fit. */
static const char *val_str(const val *v, char *buf, size_t n)
{
    if (v->len >= n)
        return NULL;
    memcpy(buf, v->s, v->len);
    buf[v->len] = '\0';
    return buf;
}

static int val_col(const val *v, size_t off)
{
    return v->cell ? csv_col_at(v->cell, v->off + off) : 1;
}

/* A plain decimal number (as in scenario files: no hex, inf or nan). */
static int decimal(const char *s, double *out)
{
    char *end;
    if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
        return -1;
    errno = 0;
    *out = strtod(s, &end);
    return errno || *end || !isfinite(*out) ? -1 : 0;
}

/* One bad row, before it is reported or skipped. */
typedef struct bad_row {
    int line, col;
    char *msg;
} bad_row;

typedef struct badlist {
    bad_row *v;
    size_t n, cap;
} badlist;

static void badlist_release(badlist *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i].msg);
    free(b->v);
    memset(b, 0, sizeof *b);
}

static int bad_add(badlist *b, int line, int col, const char *msg, diag *d)
{
    if (b->n == b->cap) {
        size_t ncap = b->cap ? 2 * b->cap : 16;
        bad_row *p = ncap <= SIZE_MAX / sizeof *p ? realloc(b->v, ncap * sizeof *p) : NULL;
        if (!p)
            return diag_runtime(d, "out of memory");
        b->v = p;
        b->cap = ncap;
    }
    char *m = strdup(msg);
    if (!m)
        return diag_runtime(d, "out of memory");
    b->v[b->n].line = line;
    b->v[b->n].col = col;
    b->v[b->n].msg = m;
    b->n++;
    return 0;
}

static int cmp_bad(const void *a, const void *b)
{
    const bad_row *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

/* qsort, but never with a NULL base (qsort's arguments must not be NULL
 * even for zero elements) */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

typedef struct dvec {
    double *v;
    size_t n, cap;
} dvec;

static int dvec_push(dvec *a, double x, diag *d)
{
    if (a->n == a->cap) {
        size_t ncap = a->cap ? 2 * a->cap : 16;
        double *p = ncap <= SIZE_MAX / sizeof *p ? realloc(a->v, ncap * sizeof *p) : NULL;
        if (!p)
            return diag_runtime(d, "out of memory");
        a->v = p;
        a->cap = ncap;
    }
    a->v[a->n++] = x;
    return 0;
}

/* Same rules as a scenario's names (model decision 14). */
static int check_source_name(const val *v, char *msg, size_t n, int *col)
{
    char q[64];
    if (v->len == 0) {
        *col = val_col(v, 0);
        snprintf(msg, n, "'source' is empty");
        return -1;
    }
    if (v->len >= CAL_NAME_MAX) {
        *col = val_col(v, 0);
        snprintf(msg, n, "'source' must be 1 to %d characters long", CAL_NAME_MAX - 1);
        return -1;
    }
    for (size_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->s[i];
        if (!(isalnum(c) || ((c == '-' || c == '_') && i > 0))) {
            char name[CAL_NAME_MAX];
            *col = val_col(v, i);
            snprintf(msg, n,
                     "'source' must start with a letter or digit and use only letters, digits, "
                     "'-' and '_' (found '%c' in '%s')",
                     isprint(c) ? c : '?', csv_quote(q, sizeof q, val_str(v, name, sizeof name)));
            return -1;
        }
    }
    return 0;
}

static int field_count_ok(const csv_table *t, const csv_row *r, char *msg, size_t n, int *col)
{
    if (r->n == t->header.n)
        return 0;
    const csv_cell *c = &r->cells[r->n > t->header.n ? t->header.n : r->n - 1];
    *col = c->col;
    snprintf(msg, n, "row has %zu field%s, the header has %zu", r->n, r->n == 1 ? "" : "s",
             t->header.n);
    return -1;
}

/* ------------------------------------------------------ source table */

/* Names to indices, in order of first insertion (open addressing). */
typedef struct srcmap {
    size_t *slot; /* index + 1; 0 empty */
    size_t cap;
    cal_source *v;
    size_t n, vcap;
} srcmap;

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static int srcmap_get(srcmap *m, const char *s, size_t n, size_t *out, diag *d)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t ncap = m->cap ? 2 * m->cap : 64;
        size_t *ns = ncap <= SIZE_MAX / sizeof *ns ? calloc(ncap, sizeof *ns) : NULL;
        if (!ns)
            return diag_runtime(d, "out of memory");
        for (size_t i = 0; i < m->n; i++) {
            size_t h = (size_t)hash_name(m->v[i].name, strlen(m->v[i].name)) & (ncap - 1);
            while (ns[h])
                h = (h + 1) & (ncap - 1);
            ns[h] = i + 1;
        }
        free(m->slot);
        m->slot = ns;
        m->cap = ncap;
    }
    size_t h = (size_t)hash_name(s, n) & (m->cap - 1);
    while (m->slot[h]) {
        const char *nm = m->v[m->slot[h] - 1].name;
        if (strlen(nm) == n && memcmp(nm, s, n) == 0) {
            *out = m->slot[h] - 1;
            return 0;
        }
        h = (h + 1) & (m->cap - 1);
    }
    if (m->n == m->vcap) {
        size_t ncap = m->vcap ? 2 * m->vcap : 8;
        cal_source *p = ncap <= SIZE_MAX / sizeof *p ? realloc(m->v, ncap * sizeof *p) : NULL;
        if (!p)
            return diag_runtime(d, "out of memory");
        m->v = p;
        m->vcap = ncap;
    }
    cal_source *src = &m->v[m->n];
    memset(src, 0, sizeof *src);
    memcpy(src->name, s, n); /* n < CAL_NAME_MAX: checked with the row */
    src->name[n] = '\0';
    src->effort_ratio = src->effort_ratio_se = NAN;
    src->cost_mean = src->cost_sd = src->cost_se = src->cost_last = NAN;
    m->slot[h] = m->n + 1;
    *out = m->n++;
    return 0;
}

/* ------------------------------------------------------------ tickets */

static const char *const ticket_cols[] = {"id", "source", "started", "finished", "outcome",
                                          "review_hours", "reviewed", NULL};
enum { TC_ID, TC_SOURCE, TC_STARTED, TC_FINISHED, TC_OUTCOME, TC_REVIEW_HOURS, TC_REVIEWED, TC_N };

static const char *const outcome_names[] = {"accepted", "rework", "superseded", NULL};

typedef struct tk_row {
    const char *id, *src;
    size_t id_len, src_len;
    long long start, finish, reviewed;
    int has_reviewed;
    int oc;
    double review_hours; /* NaN when not given */
    int line;
    int bad;
    int first;           /* the first pass of its ticket */
    size_t s;            /* source index */
} tk_row;

/* A time-valued field; `what` names the column.  0, or -1 with msg/col. */
static int time_field(const val *v, const char *what, int end_of_day, long long *out,
                      int *date_only, char *msg, size_t n, int *col)
{
    char buf[64], why[160], q[64];
    size_t at = 0;
    *col = val_col(v, 0);
    if (v->len == 0) {
        snprintf(msg, n, "'%s' is empty", what);
        return -1;
    }
    const char *s = val_str(v, buf, sizeof buf);
    if (!s) {
        snprintf(msg, n, "bad date in '%s': " ISO_FORMS, what);
        return -1;
    }
    if (cal_parse_time(s, end_of_day, out, &at, why, sizeof why)) {
        *col = val_col(v, at);
        snprintf(msg, n, "bad date '%s' in '%s': %s", csv_quote(q, sizeof q, s), what, why);
        return -1;
    }
    *date_only = v->len == 10;
    return 0;
}

/*
 * Is `late` (as parsed, a date alone at the end of its day when end_of_day)
 * certainly before `early`?  A date alone stands for its whole day, so
 * only when the last instant `late` may mean precedes the first `early`
 * may mean: 2026-01-05 is not before 2026-01-05T10:00.
 */
static int certainly_before(long long late, int late_date, int late_eod, long long early,
                            int early_date, int early_eod)
{
    long long last = late_date ? (late_eod ? late : late + 86400) - 1 : late;
    long long first = early_date && early_eod ? early - 86400 : early;
    return last < first;
}

static int ticket_row(const csv_table *t, const int *ix, const csv_row *r, tk_row *k, char *msg,
                      size_t n, int *col)
{
    char q[64], buf[64];
    if (field_count_ok(t, r, msg, n, col))
        return -1;
    val id = field(r, ix[TC_ID]), src = field(r, ix[TC_SOURCE]);
    if (id.len == 0) {
        *col = val_col(&id, 0);
        snprintf(msg, n, "'id' is empty");
        return -1;
    }
    if (id.len > ID_MAX) {
        *col = val_col(&id, 0);
        snprintf(msg, n, "'id' is longer than %d characters", ID_MAX);
        return -1;
    }
    k->id = id.s;
    k->id_len = id.len;
    if (check_source_name(&src, msg, n, col))
        return -1;
    k->src = src.s;
    k->src_len = src.len;
    val st = field(r, ix[TC_STARTED]), fi = field(r, ix[TC_FINISHED]);
    int st_date, fi_date, rv_date;
    if (time_field(&st, "started", 0, &k->start, &st_date, msg, n, col) ||
        time_field(&fi, "finished", 1, &k->finish, &fi_date, msg, n, col))
        return -1;
    if (certainly_before(k->finish, fi_date, 1, k->start, st_date, 0)) {
        char a[64], b[64];
        *col = val_col(&fi, 0);
        snprintf(msg, n, "'finished' (%s) is before 'started' (%s)", val_str(&fi, a, sizeof a),
                 val_str(&st, b, sizeof b)); /* both parsed, so both fit */
        return -1;
    }
    val oc = field(r, ix[TC_OUTCOME]);
    const char *o = val_str(&oc, buf, sizeof buf);
    k->oc = -1;
    for (int i = 0; o && i < OC_COUNT; i++)
        if (strcasecmp(o, outcome_names[i]) == 0)
            k->oc = i;
    if (k->oc < 0) {
        char hint[96] = "";
        *col = val_col(&oc, 0);
        if (oc.len == 0) {
            snprintf(msg, n, "'outcome' is empty (accepted, rework or superseded)");
            return -1;
        }
        if (o)
            diag_hint(hint, sizeof hint, o, outcome_names);
        snprintf(msg, n, "unknown outcome '%s'%s", o ? csv_quote(q, sizeof q, o) : "...",
                 hint[0] ? hint : " (accepted, rework or superseded)");
        return -1;
    }
    k->review_hours = NAN;
    if (ix[TC_REVIEW_HOURS] >= 0) {
        val rh = field(r, ix[TC_REVIEW_HOURS]);
        double h;
        if (rh.len) {
            const char *s = val_str(&rh, buf, sizeof buf);
            if (!s || decimal(s, &h) || h < 0 || h > DIST_MAX_MAGNITUDE) {
                *col = val_col(&rh, 0);
                snprintf(msg, n, "'review_hours' must be a number of hours >= 0, not '%s'",
                         s ? csv_quote(q, sizeof q, s) : "...");
                return -1;
            }
            k->review_hours = h;
        }
    }
    k->has_reviewed = 0;
    if (ix[TC_REVIEWED] >= 0) {
        val rv = field(r, ix[TC_REVIEWED]);
        if (rv.len) {
            if (time_field(&rv, "reviewed", 1, &k->reviewed, &rv_date, msg, n, col))
                return -1;
            if (certainly_before(k->reviewed, rv_date, 1, k->finish, fi_date, 1)) {
                *col = val_col(&rv, 0);
                snprintf(msg, n, "'reviewed' is before 'finished'");
                return -1;
            }
            /* a verdict on the day a pass finished, at a time before the
             * end of that day: the same instant as far as we can tell */
            if (k->reviewed < k->finish)
                k->reviewed = k->finish;
            k->has_reviewed = 1;
        }
    }
    return 0;
}

static int cmp_id(const tk_row *a, const tk_row *b)
{
    size_t n = a->id_len < b->id_len ? a->id_len : b->id_len;
    int c = memcmp(a->id, b->id, n);
    if (c)
        return c;
    return (a->id_len > b->id_len) - (a->id_len < b->id_len);
}

static int cmp_chain(const void *pa, const void *pb)
{
    const tk_row *a = *(const tk_row *const *)pa, *b = *(const tk_row *const *)pb;
    int c = cmp_id(a, b);
    if (c)
        return c;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

static int cmp_src_start(const void *pa, const void *pb)
{
    const tk_row *a = *(const tk_row *const *)pa, *b = *(const tk_row *const *)pb;
    if (a->s != b->s)
        return a->s < b->s ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

/* Chain rules, on the rows that passed the field checks, in ticket
 * order: only a rework verdict is followed by another pass, and a
 * ticket's passes stay with one source. */
static int check_chains(tk_row **ord, size_t n, badlist *bad, diag *d)
{
    char msg[512], q[64], idb[ID_MAX + 1];
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && cmp_id(ord[i], ord[j]) == 0)
            j++;
        tk_row *prev = ord[i];
        prev->first = 1;
        for (size_t k = i + 1; k < j; k++) {
            tk_row *r = ord[k];
            memcpy(idb, r->id, r->id_len);
            idb[r->id_len] = '\0';
            if (prev->oc != OC_REWORK) {
                snprintf(msg, sizeof msg,
                         "duplicate id '%s': its pass on line %d was already %s; only a rework "
                         "verdict is followed by another pass of the same ticket",
                         csv_quote(q, sizeof q, idb), prev->line, outcome_names[prev->oc]);
            } else if (r->src_len != prev->src_len || memcmp(r->src, prev->src, r->src_len)) {
                char sa[CAL_NAME_MAX], sb[CAL_NAME_MAX];
                memcpy(sa, prev->src, prev->src_len);
                sa[prev->src_len] = '\0';
                memcpy(sb, r->src, r->src_len);
                sb[r->src_len] = '\0';
                snprintf(msg, sizeof msg,
                         "ticket '%s' moves from source '%s' (line %d) to '%s'; rework returns to "
                         "the source that did the pass",
                         csv_quote(q, sizeof q, idb), sa, prev->line, sb);
            } else {
                prev = r;
                continue;
            }
            r->bad = 1;
            if (bad_add(bad, r->line, 1, msg, d))
                return -1;
        }
        i = j;
    }
    return 0;
}

static int finish_vec(dvec *a, double **out, size_t *n)
{
    if (a->n)
        gsl_sort(a->v, 1, a->n);
    *out = a->n ? a->v : NULL;
    *n = a->n;
    if (!a->n)
        free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
    return 0;
}

static int summarise(const dvec *a, stats_summary *s, diag *d)
{
    double *tmp = a->n ? malloc(a->n * sizeof *tmp) : NULL;
    if (a->n && !tmp)
        return diag_runtime(d, "out of memory");
    stats_summarise(a->v, a->n, tmp, s);
    free(tmp);
    return 0;
}

/* Per-source estimates from the good ticket rows. */
static int ticket_estimates(tk_row *rows, size_t nrows, tk_row **ord, size_t n_ok,
                            const cal_opts *o, srcmap *m, diag *d)
{
    int rc = -1;
    size_t ns = m->n;
    dvec *hours = calloc(ns ? ns : 1, sizeof *hours), *wait = calloc(ns ? ns : 1, sizeof *wait);
    dvec *cyc = calloc(ns ? ns : 1, sizeof *cyc), *d1 = calloc(ns ? ns : 1, sizeof *d1);
    dvec *d2 = calloc(ns ? ns : 1, sizeof *d2);
    if (!hours || !wait || !cyc || !d1 || !d2) {
        diag_runtime(d, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nrows; i++) {
        tk_row *r = &rows[i];
        if (r->bad)
            continue;
        cal_source *s = &m->v[r->s];
        double dur = (double)(r->finish - r->start) / SEC_PER_DAY;
        if (!s->has_tickets) {
            s->has_tickets = 1;
            s->t_first = r->start;
            s->t_last = r->finish;
        }
        if (r->start < s->t_first)
            s->t_first = r->start;
        if (r->finish > s->t_last)
            s->t_last = r->finish;
        s->passes++;
        if (r->first) {
            s->tickets++;
            s->first[r->oc]++;
            if (dvec_push(&d1[r->s], dur, d))
                goto done;
        } else {
            s->rework_passes++;
            s->later[r->oc]++;
            if (dvec_push(&d2[r->s], dur, d))
                goto done;
        }
        if (!isnan(r->review_hours) && dvec_push(&hours[r->s], r->review_hours, d))
            goto done;
        if (r->has_reviewed &&
            dvec_push(&wait[r->s], (double)(r->reviewed - r->finish) / SEC_PER_DAY, d))
            goto done;
    }
    /* chains (ord is in ticket order, bad rows included): cycle times */
    for (size_t i = 0; i < n_ok;) {
        size_t j = i;
        while (j < n_ok && cmp_id(ord[i], ord[j]) == 0)
            j++;
        const tk_row *first = NULL, *last = NULL;
        size_t np = 0;
        for (size_t k = i; k < j; k++) {
            if (ord[k]->bad)
                continue;
            if (!first)
                first = ord[k];
            last = ord[k];
            np++;
        }
        if (first) {
            cal_source *s = &m->v[first->s];
            if (np > s->max_passes)
                s->max_passes = np;
            if (last->oc == OC_REWORK)
                s->open_rework++;
            if (last->oc == OC_ACCEPTED) {
                long long verdict = last->has_reviewed ? last->reviewed : last->finish;
                if (dvec_push(&cyc[first->s], (double)(verdict - first->start) / SEC_PER_DAY, d))
                    goto done;
            }
        }
        i = j;
    }
    /* busy share: the union of the passes' intervals over the span */
    sort(ord, n_ok, sizeof *ord, cmp_src_start);
    for (size_t i = 0; i < n_ok;) {
        size_t j = i;
        while (j < n_ok && ord[j]->s == ord[i]->s)
            j++;
        long long covered = 0, cur_a = 0, cur_b = 0;
        int open = 0;
        for (size_t k = i; k < j; k++) {
            if (ord[k]->bad)
                continue;
            if (!open || ord[k]->start > cur_b) {
                if (open)
                    covered += cur_b - cur_a;
                cur_a = ord[k]->start;
                cur_b = ord[k]->finish;
                open = 1;
            } else if (ord[k]->finish > cur_b) {
                cur_b = ord[k]->finish;
            }
        }
        if (open) {
            covered += cur_b - cur_a;
            cal_source *s = &m->v[ord[i]->s];
            long long span = s->t_last - s->t_first;
            s->busy_share = span > 0 ? (double)covered / (double)span : NAN;
        }
        i = j;
    }
    for (size_t k = 0; k < ns; k++) {
        cal_source *s = &m->v[k];
        if (!s->has_tickets)
            continue;
        s->days = (double)(s->t_last - s->t_first) / SEC_PER_DAY;
        s->items = (double)(s->passes - s->rework_passes) + o->rework_effort * (double)s->rework_passes;
        if (summarise(&d1[k], &s->pass_first, d) || summarise(&d2[k], &s->pass_rework, d) ||
            summarise(&cyc[k], &s->cycle_summary, d))
            goto done;
        /* how much of a first pass's time a rework pass took: a check on
         * rework_effort (delta-method SE of a ratio of independent means) */
        if (s->pass_first.n >= 2 && s->pass_rework.n >= 2 && s->pass_first.mean > 0) {
            double m1 = s->pass_first.mean, m2 = s->pass_rework.mean;
            double v1 = s->pass_first.sd * s->pass_first.sd / (double)s->pass_first.n;
            double v2 = s->pass_rework.sd * s->pass_rework.sd / (double)s->pass_rework.n;
            s->effort_ratio = m2 / m1;
            s->effort_ratio_se = sqrt(v2 / (m1 * m1) + m2 * m2 * v1 / (m1 * m1 * m1 * m1));
        }
        finish_vec(&hours[k], &s->review_hours, &s->n_review_hours);
        finish_vec(&wait[k], &s->review_wait, &s->n_review_wait);
        finish_vec(&cyc[k], &s->cycle, &s->n_cycle);
    }
    rc = 0;
done:
    for (size_t k = 0; k < ns; k++) {
        if (hours)
            free(hours[k].v);
        if (wait)
            free(wait[k].v);
        if (cyc)
            free(cyc[k].v);
        if (d1)
            free(d1[k].v);
        if (d2)
            free(d2[k].v);
    }
    free(hours);
    free(wait);
    free(cyc);
    free(d1);
    free(d2);
    return rc;
}

/* ----------------------------------------------------------- invoices */

static const char *const invoice_cols[] = {"month", "source", "amount", NULL};
enum { IC_MONTH, IC_SOURCE, IC_AMOUNT, IC_N };

typedef struct iv_row {
    const char *src;
    size_t src_len;
    int month;
    double amount;
    int line;
    int bad;
    size_t s;
} iv_row;

static int invoice_row(const csv_table *t, const int *ix, const csv_row *r, iv_row *k, char *msg,
                       size_t n, int *col)
{
    char buf[64], why[160], q[64];
    size_t at = 0;
    if (field_count_ok(t, r, msg, n, col))
        return -1;
    val mo = field(r, ix[IC_MONTH]), src = field(r, ix[IC_SOURCE]), am = field(r, ix[IC_AMOUNT]);
    const char *s = val_str(&mo, buf, sizeof buf);
    if (mo.len == 0) {
        *col = val_col(&mo, 0);
        snprintf(msg, n, "'month' is empty (YYYY-MM)");
        return -1;
    }
    if (!s) {
        *col = val_col(&mo, 0);
        snprintf(msg, n, "bad month in 'month': expected YYYY-MM");
        return -1;
    }
    if (cal_parse_month(s, &k->month, &at, why, sizeof why)) {
        *col = val_col(&mo, at);
        snprintf(msg, n, "bad month '%s' in 'month': %s", csv_quote(q, sizeof q, s), why);
        return -1;
    }
    if (check_source_name(&src, msg, n, col))
        return -1;
    k->src = src.s;
    k->src_len = src.len;
    s = val_str(&am, buf, sizeof buf);
    if (am.len == 0) {
        *col = val_col(&am, 0);
        snprintf(msg, n, "'amount' is empty");
        return -1;
    }
    if (!s || decimal(s, &k->amount)) {
        *col = val_col(&am, 0);
        snprintf(msg, n, "'amount' must be a plain number such as 81600.50, not '%s'",
                 s ? csv_quote(q, sizeof q, s) : "...");
        return -1;
    }
    if (k->amount < 0) {
        *col = val_col(&am, 0);
        snprintf(msg, n, "'amount' must not be negative (%s): net credit notes into their month",
                 csv_quote(q, sizeof q, s));
        return -1;
    }
    if (k->amount > DIST_MAX_MAGNITUDE) { /* as the scenario loader's limit */
        *col = val_col(&am, 0);
        snprintf(msg, n, "'amount' above %g is not an invoice", DIST_MAX_MAGNITUDE);
        return -1;
    }
    return 0;
}

static int cmp_invoice(const void *pa, const void *pb)
{
    const iv_row *a = *(const iv_row *const *)pa, *b = *(const iv_row *const *)pb;
    if (a->s != b->s)
        return a->s < b->s ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

/* Monthly totals of one source to its cost estimates. */
static int invoice_estimates(cal_source *s, const int *month, const double *total, size_t n,
                             diag *d)
{
    s->months = n;
    s->month_first = month[0];
    s->month_last = month[n - 1];
    s->month_gaps = (size_t)(month[n - 1] - month[0] + 1) - n;
    s->cost_mean = gsl_stats_mean(total, 1, n);
    s->cost_last = total[n - 1];
    if (n >= 2) {
        s->cost_sd = gsl_stats_sd_m(total, 1, n, s->cost_mean);
        s->cost_se = s->cost_sd / sqrt((double)n);
    }
    /* log-linear trend over the months with a positive total; absent
     * months are missing data, not zero, so x is the true month offset */
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return diag_runtime(d, "out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(total[i] > 0))
            continue;
        x[m] = (double)(month[i] - month[0]);
        y[m] = log(total[i]);
        m++;
    }
    s->trend_n = m;
    if (m >= CAL_TREND_MIN) {
        double c0, c1, c00, c01, c11, sumsq, yf, yerr;
        if (gsl_fit_linear(x, 1, y, 1, m, &c0, &c1, &c00, &c01, &c11, &sumsq) == 0 &&
            isfinite(c1) && isfinite(c11)) {
            double xn = (double)(s->month_last + 1 - s->month_first);
            gsl_fit_linear_est(xn, c0, c1, c00, c01, c11, &yf, &yerr);
            s->has_trend = 1;
            s->trend_b = c1;
            s->trend_b_se = sqrt(c11 > 0 ? c11 : 0);
            s->resid_sd = sqrt(sumsq / (double)(m - 2));
            s->trend_tcrit = gsl_cdf_tdist_Qinv(0.025, (double)(m - 2));
            s->trend_t = s->trend_b_se > 0 ? c1 / s->trend_b_se : c1 == 0 ? 0 : copysign(INFINITY, c1);
            s->trend_significant = fabs(s->trend_t) > s->trend_tcrit;
            s->growth = expm1(c1);
            s->growth_se = exp(c1) * s->trend_b_se;
            s->level_next = yf;
            s->level_next_se = yerr;
            /* the fit is of log amounts: its line is the median bill; the
             * expected bill adds half the residual variance */
            s->monthly_next = exp(yf + 0.5 * s->resid_sd * s->resid_sd);
            if (!isfinite(s->monthly_next) || !isfinite(s->growth))
                s->has_trend = 0;
        }
    }
    free(x);
    free(y);
    return 0;
}

/* --------------------------------------------------------------- main */

static int report_first(const csv_table *t, const badlist *bad, diag *d)
{
    diag_input(d, t->file, bad->v[0].line, bad->v[0].col, "%s", bad->v[0].msg);
    d->csv_lines = 1; /* positions from csv.c: the echo counts lines alike */
    return -1;
}

static int move_bad(cal_result *r, badlist *bad, int invoices, diag *d)
{
    if (!bad->n)
        return 0;
    cal_bad *p = realloc(r->skipped, (r->nskipped + bad->n) * sizeof *p);
    if (!p)
        return diag_runtime(d, "out of memory");
    r->skipped = p;
    for (size_t i = 0; i < bad->n; i++) {
        cal_bad *b = &r->skipped[r->nskipped++];
        b->invoices = invoices;
        b->line = bad->v[i].line;
        b->col = bad->v[i].col;
        b->msg = bad->v[i].msg;
        bad->v[i].msg = NULL;
    }
    bad->n = 0;
    return 0;
}

static int no_rows(const csv_table *t, const badlist *bad, diag *d)
{
    if (!t->nrows)
        return diag_input(d, t->file, 0, 0, "no data rows below the header");
    diag_input(d, t->file, bad->v[0].line, bad->v[0].col,
               "no usable row: all %zu data rows are bad (the first: %s)", t->nrows, bad->v[0].msg);
    d->csv_lines = 1;
    return -1;
}

void cal_result_free(cal_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nsources; i++) {
        free(r->sources[i].review_hours);
        free(r->sources[i].review_wait);
        free(r->sources[i].cycle);
    }
    free(r->sources);
    for (size_t i = 0; i < r->nskipped; i++)
        free(r->skipped[i].msg);
    free(r->skipped);
    free(r);
}

const cal_source *cal_find(const cal_result *r, const char *name)
{
    for (size_t i = 0; r && i < r->nsources; i++)
        if (strcmp(r->sources[i].name, name) == 0)
            return &r->sources[i];
    return NULL;
}

int cal_estimate(const csv_table *tickets, const csv_table *invoices, const cal_opts *o,
                 cal_result **out, diag *d)
{
    int tix[TC_N], iix[IC_N];
    char msg[512];
    int col = 0;
    cal_opts def = {0, 0.5};
    tk_row *tk = NULL;
    tk_row **ord = NULL;
    iv_row *iv = NULL;
    iv_row **iord = NULL;
    int *months = NULL;
    double *totals = NULL;
    badlist tbad = {0}, ibad = {0};
    srcmap m;
    int rc = -1;

    memset(&m, 0, sizeof m);
    if (!out)
        return diag_runtime(d, "cal_estimate: no output pointer");
    *out = NULL;
    if (!o)
        o = &def;
    if (!tickets && !invoices)
        return diag_input(d, NULL, 0, 0, "calibrate needs tickets, invoices or both");
    cal_result *r = calloc(1, sizeof *r);
    if (!r)
        return diag_runtime(d, "out of memory");

    /* ---- tickets: fields, then chains ---- */
    size_t n_ok = 0;
    if (tickets) {
        if (csv_columns(tickets, ticket_cols, 5, tix, d))
            goto done;
        r->ticket_rows = tickets->nrows;
        if (tickets->nrows &&
            (!(tk = calloc(tickets->nrows, sizeof *tk)) || !(ord = calloc(tickets->nrows, sizeof *ord)))) {
            diag_runtime(d, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < tickets->nrows; i++) {
            tk[i].line = tickets->rows[i].line;
            if (ticket_row(tickets, tix, &tickets->rows[i], &tk[i], msg, sizeof msg, &col)) {
                tk[i].bad = 1;
                if (bad_add(&tbad, tk[i].line, col, msg, d))
                    goto done;
                continue;
            }
            ord[n_ok++] = &tk[i];
        }
        sort(ord, n_ok, sizeof *ord, cmp_chain);
        if (check_chains(ord, n_ok, &tbad, d))
            goto done;
        sort(tbad.v, tbad.n, sizeof *tbad.v, cmp_bad);
        if (tbad.n && !o->skip_bad) {
            report_first(tickets, &tbad, d);
            goto done;
        }
        if (tbad.n == tickets->nrows) {
            no_rows(tickets, &tbad, d);
            goto done;
        }
    }
    /* ---- invoices: fields ---- */
    size_t in_ok = 0;
    if (invoices) {
        if (csv_columns(invoices, invoice_cols, 3, iix, d))
            goto done;
        r->invoice_rows = invoices->nrows;
        if (invoices->nrows && (!(iv = calloc(invoices->nrows, sizeof *iv)) ||
                                !(iord = calloc(invoices->nrows, sizeof *iord)))) {
            diag_runtime(d, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < invoices->nrows; i++) {
            iv[i].line = invoices->rows[i].line;
            if (invoice_row(invoices, iix, &invoices->rows[i], &iv[i], msg, sizeof msg, &col)) {
                iv[i].bad = 1;
                if (bad_add(&ibad, iv[i].line, col, msg, d))
                    goto done;
                continue;
            }
            iord[in_ok++] = &iv[i];
        }
        sort(ibad.v, ibad.n, sizeof *ibad.v, cmp_bad);
        if (ibad.n && !o->skip_bad) {
            report_first(invoices, &ibad, d);
            goto done;
        }
        if (ibad.n == invoices->nrows) {
            no_rows(invoices, &ibad, d);
            goto done;
        }
    }
    r->ticket_skipped = tbad.n;
    r->invoice_skipped = ibad.n;
    if (move_bad(r, &tbad, 0, d) || move_bad(r, &ibad, 1, d))
        goto done;

    /* ---- sources, in order of first appearance ---- */
    for (size_t i = 0; tickets && i < tickets->nrows; i++)
        if (!tk[i].bad && srcmap_get(&m, tk[i].src, tk[i].src_len, &tk[i].s, d))
            goto done;
    for (size_t i = 0; invoices && i < invoices->nrows; i++)
        if (!iv[i].bad && srcmap_get(&m, iv[i].src, iv[i].src_len, &iv[i].s, d))
            goto done;

    if (tickets && ticket_estimates(tk, tickets->nrows, ord, n_ok, o, &m, d))
        goto done;

    if (invoices && in_ok) {
        sort(iord, in_ok, sizeof *iord, cmp_invoice);
        if (!(months = malloc(in_ok * sizeof *months)) || !(totals = malloc(in_ok * sizeof *totals))) {
            diag_runtime(d, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < in_ok;) {
            size_t j = i, nm = 0;
            cal_source *s = &m.v[iord[i]->s];
            while (j < in_ok && iord[j]->s == iord[i]->s) {
                if (nm && months[nm - 1] == iord[j]->month) {
                    totals[nm - 1] += iord[j]->amount;
                } else {
                    months[nm] = iord[j]->month;
                    totals[nm] = iord[j]->amount;
                    nm++;
                }
                j++;
            }
            s->has_invoices = 1;
            s->invoice_rows = j - i;
            if (invoice_estimates(s, months, totals, nm, d))
                goto done;
            i = j;
        }
    }
    r->sources = m.v;
    r->nsources = m.n;
    m.v = NULL;
    *out = r;
    r = NULL;
    rc = 0;
done:
    if (m.v) {
        for (size_t i = 0; i < m.n; i++) {
            free(m.v[i].review_hours);
            free(m.v[i].review_wait);
            free(m.v[i].cycle);
        }
        free(m.v);
    }
    free(m.slot);
    badlist_release(&tbad);
    badlist_release(&ibad);
    free(tk);
    free(ord);
    free(iv);
    free(iord);
    free(months);
    free(totals);
    cal_result_free(r);
    return rc;
}
