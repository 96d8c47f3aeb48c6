/*
 * calrows — calibrate's row-level helpers (calrows.h).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calrows.h"

cal_val cal_field(const csv_row *r, int idx)
{
    cal_val v = {"", 0, 0, NULL};
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
const char *cal_val_str(const cal_val *v, char *buf, size_t n)
{
    if (v->len >= n)
        return NULL;
    memcpy(buf, v->s, v->len);
    buf[v->len] = '\0';
    return buf;
}

int cal_val_col(const cal_val *v, size_t off)
{
    return v->cell ? csv_col_at(v->cell, v->off + off) : 1;
}

/* A plain cal_decimal number (as in scenario files: no hex, inf or nan). */
int cal_decimal(const char *s, double *out)
{
    char *end;
    if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
        return -1;
    errno = 0;
    *out = strtod(s, &end);
    return errno || *end || !isfinite(*out) ? -1 : 0;
}

void cal_badlist_release(cal_badlist *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i].msg);
    free(b->v);
    memset(b, 0, sizeof *b);
}

int cal_bad_add(cal_badlist *b, int line, int col, const char *msg, diag *d)
{
    if (b->n == b->cap) {
        size_t ncap = b->cap ? 2 * b->cap : 16;
        cal_bad_row *p = ncap <= SIZE_MAX / sizeof *p ? realloc(b->v, ncap * sizeof *p) : NULL;
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

int cal_cmp_bad(const void *a, const void *b)
{
    const cal_bad_row *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

/* qsort, but never with a NULL base (qsort's arguments must not be NULL
 * even for zero elements) */
void cal_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

int cal_dvec_push(cal_dvec *a, double x, diag *d)
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
int cal_check_source_name(const cal_val *v, char *msg, size_t n, int *col)
{
    char q[64];
    if (v->len == 0) {
        *col = cal_val_col(v, 0);
        snprintf(msg, n, "'source' is empty");
        return -1;
    }
    if (v->len >= CAL_NAME_MAX) {
        *col = cal_val_col(v, 0);
        snprintf(msg, n, "'source' must be 1 to %d characters long", CAL_NAME_MAX - 1);
        return -1;
    }
    for (size_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->s[i];
        if (!(isalnum(c) || ((c == '-' || c == '_') && i > 0))) {
            char name[CAL_NAME_MAX];
            *col = cal_val_col(v, i);
            snprintf(msg, n,
                     "'source' must start with a letter or digit and use only letters, digits, "
                     "'-' and '_' (found '%c' in '%s')",
                     isprint(c) ? c : '?', csv_quote(q, sizeof q, cal_val_str(v, name, sizeof name)));
            return -1;
        }
    }
    return 0;
}

int cal_field_count_ok(const csv_table *t, const csv_row *r, char *msg, size_t n, int *col)
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

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

int cal_srcmap_get(cal_srcmap *m, const char *s, size_t n, size_t *out, diag *d)
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
