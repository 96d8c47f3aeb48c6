/*
 * ledger — reading a running alternative's actuals.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "ledger.h"

enum { C_MONTH, C_SPENT, C_ACCEPTED, C_REWORK, C_SUPERSEDED, C_SOURCE, C_N };
static const char *const cols[C_N + 1] = {"month", "spent", "accepted", "rework", "superseded",
                                          "source", NULL};

/* Months a ledger may hold: ten years is more than any horizon. */
#define LDG_MAX_MONTHS 1200

typedef struct errlist {
    diag *v;
    size_t max, n;
    const char *file;
} errlist;

__attribute__((format(printf, 4, 5))) static void err(errlist *e, int line, int col, const char *fmt, ...)
{
    if (e->n < e->max) {
        char msg[sizeof e->v[0].msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        diag_input(&e->v[e->n], e->file, line, col, "%s", msg);
        e->v[e->n].csv_lines = 1; /* positions from csv.c: the echo counts lines alike */
    }
    e->n++;
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

/* Cell idx of row r, or an empty one at the row's end. */
static const csv_cell *cell(const csv_row *r, int idx, csv_cell *blank)
{
    if (idx >= 0 && (size_t)idx < r->n)
        return &r->cells[idx];
    blank->s = "";
    blank->len = 0;
    blank->line = r->line;
    blank->col = r->n ? r->cells[r->n - 1].col + (int)r->cells[r->n - 1].len + 1 : 1;
    blank->quoted = 0;
    return blank;
}

/* A non-negative amount (whole when `whole`); 0 for an empty cell when
 * `empty_ok`.  Reports and returns -1 otherwise. */
static int amount(errlist *e, const csv_cell *c, const char *col, int whole, int empty_ok, double *v)
{
    char q[64];
    if (!c->s[0] && empty_ok) {
        *v = 0;
        return 0;
    }
    if (!c->s[0]) {
        err(e, c->line, c->col, "column '%s' is empty: give the month's %s", col,
            whole ? "count (0 for none)" : "amount (0 for none)");
        return -1;
    }
    if (decimal(c->s, v)) {
        err(e, c->line, c->col, "column '%s': '%s' is not a number", col, csv_quote(q, sizeof q, c->s));
        return -1;
    }
    if (*v < 0) {
        err(e, c->line, c->col, "column '%s': %s is negative (amounts are for the month, never below 0)",
            col, csv_quote(q, sizeof q, c->s));
        return -1;
    }
    if (whole && *v != floor(*v)) {
        err(e, c->line, c->col, "column '%s': %s is not a whole number", col, csv_quote(q, sizeof q, c->s));
        return -1;
    }
    return 0;
}

void ldg_free(ldg_ledger *l)
{
    if (!l)
        return;
    free(l->file);
    free(l->spent);
    free(l->line);
    free(l->line_amount);
    free(l);
}

int ldg_from_totals(const char *name, const scn_alternative *alt, int months, double spent,
                    const double *acc, const double *rew, const double *sup, int imputed,
                    ldg_ledger **out, diag *d)
{
    *out = NULL;
    size_t ns = alt->nsources, M = (size_t)months, cells = ns * M;
    ldg_ledger *l = calloc(1, sizeof *l);
    if (l) {
        l->spent = calloc(4 * cells, sizeof *l->spent);
        l->file = strdup(name);
    }
    if (!l || !l->spent || !l->file) {
        ldg_free(l);
        return diag_runtime(d, "out of memory");
    }
    l->months = months;
    l->nsources = ns;
    l->accepted = l->spent + cells;
    l->rework = l->accepted + cells;
    l->superseded = l->rework + cells;
    l->verdicts_imputed = imputed;
    l->totals_only = 1;
    for (size_t i = 0; i < ns; i++)
        for (size_t m = 0; m < M; m++) {
            l->spent[i * M + m] = i == 0 ? spent / (double)M : 0;
            l->accepted[i * M + m] = acc[i] / (double)M;
            l->rework[i * M + m] = rew[i] / (double)M;
            l->superseded[i * M + m] = sup[i] / (double)M;
        }
    *out = l;
    return 0;
}

double ldg_cum(const ldg_ledger *l, const double *field, size_t i, int m)
{
    double s = 0;
    for (size_t k = 0; k < l->nsources; k++)
        if (i == (size_t)-1 || k == i)
            for (int j = 0; j < m && j < l->months; j++)
                s += field[k * (size_t)l->months + (size_t)j];
    return s;
}

/* The source a row's `source` cell names (case-insensitive; empty when
 * the mix has one source), or (size_t)-1 with an error. */
static size_t row_source(errlist *e, const csv_cell *c, const scn_alternative *alt)
{
    size_t k = 0, ns = alt->nsources;
    char q[64];
    while (k < ns && strcasecmp(alt->sources[k].name, c->s) != 0)
        k++;
    if (k < ns)
        return k;
    if (!c->s[0] && ns == 1)
        return 0;
    const char *names[65];
    size_t nn = 0;
    for (; nn < ns && nn < 64; nn++)
        names[nn] = alt->sources[nn].name;
    names[nn] = NULL;
    char hint[96] = "";
    diag_hint(hint, sizeof hint, c->s, names);
    err(e, c->line, c->col, "column 'source': '%s' is not a source of '%s'%s",
        csv_quote(q, sizeof q, c->s), alt->name, hint);
    return (size_t)-1;
}

static int from_table(csv_table *t, const scn_alternative *alt, ldg_ledger **out, errlist *e)
{
    int idx[C_N];
    if (csv_columns(t, cols, C_SOURCE, idx, &e->v[0])) {
        e->n = 1;
        return -1;
    }
    if (alt->kind != ALT_MIX) {
        err(e, 0, 0, "alternative '%s' is a fixed bid: track follows a capacity mix (a bid's actuals are its invoices)",
            alt->name);
        return -1;
    }
    if (idx[C_SOURCE] < 0 && alt->nsources > 1) {
        err(e, t->header.line, 1, "no column 'source': alternative '%s' has %zu sources, so each row names one",
            alt->name, alt->nsources);
        return -1;
    }
    if (!t->nrows) {
        err(e, t->header.line, 1, "the ledger has a header and no rows: give one row per month");
        return -1;
    }
    /* extra columns: cost lines */
    size_t nl = 0;
    int *lidx = calloc(t->header.n + 1, sizeof *lidx);
    if (!lidx)
        return diag_runtime(&e->v[0], "out of memory"), e->n = 1, -1;
    for (size_t j = 0; j < t->header.n; j++) {
        int known = 0;
        for (int k = 0; k < C_N; k++)
            known |= idx[k] == (int)j;
        if (!known)
            lidx[nl++] = (int)j;
    }
    /* pass 1: the last month, and every row's cells */
    int months = 0;
    size_t nr = t->nrows, ns = alt->nsources;
    int *rmonth = calloc(nr, sizeof *rmonth);
    size_t *rsrc = calloc(nr, sizeof *rsrc);
    double *rv = calloc(nr * (4 + nl), sizeof *rv);
    if (!rmonth || !rsrc || !rv) {
        free(lidx), free(rmonth), free(rsrc), free(rv);
        diag_runtime(&e->v[0], "out of memory");
        e->n = 1;
        return -1;
    }
    size_t before = e->n;
    char q[64];
    for (size_t i = 0; i < nr; i++) {
        const csv_row *r = &t->rows[i];
        csv_cell blank;
        const csv_cell *c = cell(r, idx[C_MONTH], &blank);
        double m;
        rmonth[i] = 0;
        if (!c->s[0])
            err(e, c->line, c->col, "column 'month' is empty: give the month number (1, 2, ...)");
        else if (decimal(c->s, &m) || m != floor(m) || m < 1 || m > LDG_MAX_MONTHS)
            err(e, c->line, c->col, "column 'month': '%s' is not a month number from 1 to %d",
                csv_quote(q, sizeof q, c->s), LDG_MAX_MONTHS);
        else
            rmonth[i] = (int)m;
        if (rmonth[i] > months)
            months = rmonth[i];
        rsrc[i] = idx[C_SOURCE] >= 0 ? row_source(e, cell(r, idx[C_SOURCE], &blank), alt) : 0;
        static const int fld[4] = {C_SPENT, C_ACCEPTED, C_REWORK, C_SUPERSEDED};
        for (int k = 0; k < 4; k++)
            amount(e, cell(r, idx[fld[k]], &blank), cols[fld[k]], k > 0, 0, &rv[i * (4 + nl) + (size_t)k]);
        for (size_t k = 0; k < nl; k++)
            amount(e, cell(r, lidx[k], &blank), t->header.cells[lidx[k]].s, 0, 1,
                   &rv[i * (4 + nl) + 4 + k]);
    }
    ldg_ledger *l = NULL;
    if (e->n == before && months > 0) {
        l = calloc(1, sizeof *l);
        size_t cells = ns * (size_t)months;
        if (l) {
            l->spent = calloc(4 * cells, sizeof *l->spent);
            l->line = nl ? calloc(nl, sizeof *l->line) : NULL;
            l->line_amount = nl ? calloc(nl * (size_t)months, sizeof *l->line_amount) : NULL;
            l->file = strdup(t->file);
        }
        unsigned char *seen = calloc(cells + (size_t)months, 1);
        if (!l || !l->spent || (nl && (!l->line || !l->line_amount)) || !l->file || !seen) {
            free(seen);
            ldg_free(l);
            free(lidx), free(rmonth), free(rsrc), free(rv);
            diag_runtime(&e->v[0], "out of memory");
            e->n = 1;
            return -1;
        }
        l->months = months;
        l->nsources = ns;
        l->accepted = l->spent + cells;
        l->rework = l->spent + 2 * cells;
        l->superseded = l->spent + 3 * cells;
        l->nlines = nl;
        for (size_t k = 0; k < nl; k++)
            snprintf(l->line[k], LDG_NAME_MAX, "%s", t->header.cells[lidx[k]].s);
        for (size_t i = 0; i < nr; i++) {
            size_t at = rsrc[i] * (size_t)months + (size_t)(rmonth[i] - 1);
            if (seen[at]) {
                csv_cell blank;
                const csv_cell *c = cell(&t->rows[i], idx[C_MONTH], &blank);
                err(e, c->line, c->col, "month %d of source '%s' has a row already: give one row per month and source",
                    rmonth[i], alt->sources[rsrc[i]].name);
                continue;
            }
            seen[at] = 1;
            seen[cells + (size_t)(rmonth[i] - 1)] = 1;
            const double *v = &rv[i * (4 + nl)];
            l->spent[at] = v[0];
            l->accepted[at] = v[1];
            l->rework[at] = v[2];
            l->superseded[at] = v[3];
            for (size_t k = 0; k < nl; k++)
                l->line_amount[k * (size_t)months + (size_t)(rmonth[i] - 1)] += v[4 + k];
        }
        for (int m = 1; m <= months; m++)
            if (!seen[cells + (size_t)(m - 1)]) {
                const csv_cell *c = &t->header.cells[idx[C_MONTH]];
                err(e, c->line, c->col, "month %d has no row: a ledger has every month from 1 to the last (%d)",
                    m, months);
            }
        free(seen);
    }
    free(lidx), free(rmonth), free(rsrc), free(rv);
    if (e->n) {
        ldg_free(l);
        return -1;
    }
    *out = l;
    return 0;
}

static int load(csv_table *t, int rc, const scn_alternative *alt, ldg_ledger **out, diag *ev,
                size_t maxerrs, size_t *nerrs)
{
    *out = NULL;
    *nerrs = 0;
    if (rc) {
        *nerrs = 1;
        return -1;
    }
    errlist e = {ev, maxerrs, 0, t->file};
    rc = from_table(t, alt, out, &e);
    *nerrs = e.n;
    csv_free(t);
    return rc;
}

int ldg_load(const char *path, const scn_alternative *alt, ldg_ledger **out, diag *errs,
             size_t maxerrs, size_t *nerrs)
{
    csv_table *t = NULL;
    int rc = csv_load_file(path, &t, &errs[0]);
    return load(t, rc, alt, out, errs, maxerrs, nerrs);
}

int ldg_load_buffer(const char *name, const char *buf, size_t len, const scn_alternative *alt,
                    ldg_ledger **out, diag *errs, size_t maxerrs, size_t *nerrs)
{
    csv_table *t = NULL;
    int rc = csv_load_buffer(name, buf, len, &t, &errs[0]);
    return load(t, rc, alt, out, errs, maxerrs, nerrs);
}
