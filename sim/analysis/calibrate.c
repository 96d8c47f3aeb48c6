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
#include "calrows.h"
#include "dist.h"

#include <math.h>
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
static int time_field(const cal_val *v, const char *what, int end_of_day, long long *out,
                      int *date_only, char *msg, size_t n, int *col)
{
    char buf[64], why[160], q[64];
    size_t at = 0;
    *col = cal_val_col(v, 0);
    if (v->len == 0) {
        snprintf(msg, n, "'%s' is empty", what);
        return -1;
    }
    const char *s = cal_val_str(v, buf, sizeof buf);
    if (!s) {
        snprintf(msg, n, "bad date in '%s': " CAL_ISO_FORMS, what);
        return -1;
    }
    if (cal_parse_time(s, end_of_day, out, &at, why, sizeof why)) {
        *col = cal_val_col(v, at);
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
    if (cal_field_count_ok(t, r, msg, n, col))
        return -1;
    cal_val id = cal_field(r, ix[TC_ID]), src = cal_field(r, ix[TC_SOURCE]);
    if (id.len == 0) {
        *col = cal_val_col(&id, 0);
        snprintf(msg, n, "'id' is empty");
        return -1;
    }
    if (id.len > ID_MAX) {
        *col = cal_val_col(&id, 0);
        snprintf(msg, n, "'id' is longer than %d characters", ID_MAX);
        return -1;
    }
    k->id = id.s;
    k->id_len = id.len;
    if (cal_check_source_name(&src, msg, n, col))
        return -1;
    k->src = src.s;
    k->src_len = src.len;
    cal_val st = cal_field(r, ix[TC_STARTED]), fi = cal_field(r, ix[TC_FINISHED]);
    int st_date, fi_date, rv_date;
    if (time_field(&st, "started", 0, &k->start, &st_date, msg, n, col) ||
        time_field(&fi, "finished", 1, &k->finish, &fi_date, msg, n, col))
        return -1;
    if (certainly_before(k->finish, fi_date, 1, k->start, st_date, 0)) {
        char a[64], b[64];
        *col = cal_val_col(&fi, 0);
        snprintf(msg, n, "'finished' (%s) is before 'started' (%s)", cal_val_str(&fi, a, sizeof a),
                 cal_val_str(&st, b, sizeof b)); /* both parsed, so both fit */
        return -1;
    }
    cal_val oc = cal_field(r, ix[TC_OUTCOME]);
    const char *o = cal_val_str(&oc, buf, sizeof buf);
    k->oc = -1;
    for (int i = 0; o && i < OC_COUNT; i++)
        if (strcasecmp(o, outcome_names[i]) == 0)
            k->oc = i;
    if (k->oc < 0) {
        char hint[96] = "";
        *col = cal_val_col(&oc, 0);
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
        cal_val rh = cal_field(r, ix[TC_REVIEW_HOURS]);
        double h;
        if (rh.len) {
            const char *s = cal_val_str(&rh, buf, sizeof buf);
            if (!s || cal_decimal(s, &h) || h < 0 || h > DIST_MAX_MAGNITUDE) {
                *col = cal_val_col(&rh, 0);
                snprintf(msg, n, "'review_hours' must be a number of hours >= 0, not '%s'",
                         s ? csv_quote(q, sizeof q, s) : "...");
                return -1;
            }
            k->review_hours = h;
        }
    }
    k->has_reviewed = 0;
    if (ix[TC_REVIEWED] >= 0) {
        cal_val rv = cal_field(r, ix[TC_REVIEWED]);
        if (rv.len) {
            if (time_field(&rv, "reviewed", 1, &k->reviewed, &rv_date, msg, n, col))
                return -1;
            if (certainly_before(k->reviewed, rv_date, 1, k->finish, fi_date, 1)) {
                *col = cal_val_col(&rv, 0);
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
static int check_chains(tk_row **ord, size_t n, cal_badlist *bad, diag *d)
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
            if (cal_bad_add(bad, r->line, 1, msg, d))
                return -1;
        }
        i = j;
    }
    return 0;
}

static int finish_vec(cal_dvec *a, double **out, size_t *n)
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

static int summarise(const cal_dvec *a, stats_summary *s, diag *d)
{
    double *tmp = a->n ? malloc(a->n * sizeof *tmp) : NULL;
    if (a->n && !tmp)
        return diag_runtime(d, "out of memory");
    stats_summarise(a->v, a->n, tmp, s);
    free(tmp);
    return 0;
}

/* Each source's passes in progress over its span (callanes.h), from the
 * good rows of ord (sorted by source). */
static int lanes_estimates(tk_row **ord, size_t n_ok, cal_srcmap *m, diag *d)
{
    long long *a = n_ok ? malloc(n_ok * sizeof *a) : NULL, *b = n_ok ? malloc(n_ok * sizeof *b) : NULL;
    if (n_ok && (!a || !b)) {
        free(a);
        free(b);
        return diag_runtime(d, "out of memory");
    }
    for (size_t i = 0; i < n_ok;) {
        size_t j = i, k = 0;
        for (; j < n_ok && ord[j]->s == ord[i]->s; j++)
            if (!ord[j]->bad) {
                a[k] = ord[j]->start;
                b[k++] = ord[j]->finish;
            }
        cal_source *s = &m->v[ord[i]->s];
        if (k && s->has_tickets)
            s->has_lanes = cal_lanes_estimate(a, b, k, s->t_first, s->t_last, &s->lanes) == 0;
        i = j;
    }
    free(a);
    free(b);
    return 0;
}

/* Per-source estimates from the good ticket rows. */
static int ticket_estimates(tk_row *rows, size_t nrows, tk_row **ord, size_t n_ok,
                            const cal_opts *o, cal_srcmap *m, diag *d)
{
    int rc = -1;
    size_t ns = m->n;
    cal_dvec *hours = calloc(ns ? ns : 1, sizeof *hours), *wait = calloc(ns ? ns : 1, sizeof *wait);
    cal_dvec *cyc = calloc(ns ? ns : 1, sizeof *cyc), *d1 = calloc(ns ? ns : 1, sizeof *d1);
    cal_dvec *d2 = calloc(ns ? ns : 1, sizeof *d2);
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
            if (cal_dvec_push(&d1[r->s], dur, d))
                goto done;
        } else {
            s->rework_passes++;
            s->later[r->oc]++;
            if (cal_dvec_push(&d2[r->s], dur, d))
                goto done;
        }
        if (!isnan(r->review_hours) && cal_dvec_push(&hours[r->s], r->review_hours, d))
            goto done;
        if (r->has_reviewed &&
            cal_dvec_push(&wait[r->s], (double)(r->reviewed - r->finish) / SEC_PER_DAY, d))
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
                if (cal_dvec_push(&cyc[first->s], (double)(verdict - first->start) / SEC_PER_DAY, d))
                    goto done;
            }
        }
        i = j;
    }
    /* busy share: the union of the passes' intervals over the span */
    cal_sort(ord, n_ok, sizeof *ord, cmp_src_start);
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
    if (lanes_estimates(ord, n_ok, m, d))
        goto done;
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
    if (cal_field_count_ok(t, r, msg, n, col))
        return -1;
    cal_val mo = cal_field(r, ix[IC_MONTH]), src = cal_field(r, ix[IC_SOURCE]), am = cal_field(r, ix[IC_AMOUNT]);
    const char *s = cal_val_str(&mo, buf, sizeof buf);
    if (mo.len == 0) {
        *col = cal_val_col(&mo, 0);
        snprintf(msg, n, "'month' is empty (YYYY-MM)");
        return -1;
    }
    if (!s) {
        *col = cal_val_col(&mo, 0);
        snprintf(msg, n, "bad month in 'month': expected YYYY-MM");
        return -1;
    }
    if (cal_parse_month(s, &k->month, &at, why, sizeof why)) {
        *col = cal_val_col(&mo, at);
        snprintf(msg, n, "bad month '%s' in 'month': %s", csv_quote(q, sizeof q, s), why);
        return -1;
    }
    if (cal_check_source_name(&src, msg, n, col))
        return -1;
    k->src = src.s;
    k->src_len = src.len;
    s = cal_val_str(&am, buf, sizeof buf);
    if (am.len == 0) {
        *col = cal_val_col(&am, 0);
        snprintf(msg, n, "'amount' is empty");
        return -1;
    }
    if (!s || cal_decimal(s, &k->amount)) {
        *col = cal_val_col(&am, 0);
        snprintf(msg, n, "'amount' must be a plain number such as 81600.50, not '%s'",
                 s ? csv_quote(q, sizeof q, s) : "...");
        return -1;
    }
    if (k->amount < 0) {
        *col = cal_val_col(&am, 0);
        snprintf(msg, n, "'amount' must not be negative (%s): net credit notes into their month",
                 csv_quote(q, sizeof q, s));
        return -1;
    }
    if (k->amount > DIST_MAX_MAGNITUDE) { /* as the scenario loader's limit */
        *col = cal_val_col(&am, 0);
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

/* Every bad row of both files as input diags, tickets first, each file in
 * line order: errs[0 .. min(total, maxerrs) − 1], the count of all in
 * *nerrs, and the first in d. */
static int report_all(const csv_table *tickets, const cal_badlist *tbad, const csv_table *invoices,
                      const cal_badlist *ibad, diag *errs, size_t maxerrs, size_t *nerrs, diag *d)
{
    size_t k = 0;
    for (int f = 0; f < 2; f++) {
        const csv_table *t = f ? invoices : tickets;
        const cal_badlist *bad = f ? ibad : tbad;
        for (size_t i = 0; t && i < bad->n; i++, k++) {
            diag e;
            diag_input(&e, t->file, bad->v[i].line, bad->v[i].col, "%s", bad->v[i].msg);
            e.csv_lines = 1; /* positions from csv.c: the echo counts lines alike */
            if (k == 0)
                *d = e;
            if (errs && k < maxerrs)
                errs[k] = e;
        }
    }
    if (nerrs)
        *nerrs = k;
    return -1;
}

static int move_bad(cal_result *r, cal_badlist *bad, int invoices, diag *d)
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

static int no_rows(const csv_table *t, const cal_badlist *bad, diag *d)
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

/* The ticket file's rows: each row's fields on their own, then the
 * chains of the rows that passed; bad rows into *bad (sorted by line).
 * *tk and *ord (the good rows, in chain order, *n_ok of them) are the
 * caller's to free, also on failure.  Returns 0 (bad rows, if any, in
 * *tbad), or -1 with d set (no usable row under skip_bad, memory). */
static int read_tickets(const csv_table *tickets, const cal_opts *o, tk_row **tkp, tk_row ***ordp,
                        size_t *n_okp, cal_badlist *tbad, diag *d)
{
    int tix[TC_N];
    char msg[512];
    int col = 0;
    size_t n_ok = 0;
    if (csv_columns(tickets, ticket_cols, 5, tix, d))
        return -1;
    if (tickets->nrows &&
        (!(*tkp = calloc(tickets->nrows, sizeof **tkp)) || !(*ordp = calloc(tickets->nrows, sizeof **ordp))))
        return diag_runtime(d, "out of memory");
    tk_row *tk = *tkp, **ord = *ordp;
    for (size_t i = 0; i < tickets->nrows; i++) {
        tk[i].line = tickets->rows[i].line;
        if (ticket_row(tickets, tix, &tickets->rows[i], &tk[i], msg, sizeof msg, &col)) {
            tk[i].bad = 1;
            if (cal_bad_add(tbad, tk[i].line, col, msg, d))
                return -1;
            continue;
        }
        ord[n_ok++] = &tk[i];
    }
    *n_okp = n_ok;
    cal_sort(ord, n_ok, sizeof *ord, cmp_chain);
    if (check_chains(ord, n_ok, tbad, d))
        return -1;
    cal_sort(tbad->v, tbad->n, sizeof *tbad->v, cal_cmp_bad);
    if (!tickets->nrows || (o->skip_bad && tbad->n == tickets->nrows))
        return no_rows(tickets, tbad, d);
    return 0;
}

/* The invoice file's rows, each on its own; as read_tickets. */
static int read_invoices(const csv_table *invoices, const cal_opts *o, iv_row **ivp, iv_row ***iordp,
                         size_t *in_okp, cal_badlist *ibad, diag *d)
{
    int iix[IC_N];
    char msg[512];
    int col = 0;
    size_t in_ok = 0;
    if (csv_columns(invoices, invoice_cols, 3, iix, d))
        return -1;
    if (invoices->nrows && (!(*ivp = calloc(invoices->nrows, sizeof **ivp)) ||
                            !(*iordp = calloc(invoices->nrows, sizeof **iordp))))
        return diag_runtime(d, "out of memory");
    iv_row *iv = *ivp, **iord = *iordp;
    for (size_t i = 0; i < invoices->nrows; i++) {
        iv[i].line = invoices->rows[i].line;
        if (invoice_row(invoices, iix, &invoices->rows[i], &iv[i], msg, sizeof msg, &col)) {
            iv[i].bad = 1;
            if (cal_bad_add(ibad, iv[i].line, col, msg, d))
                return -1;
            continue;
        }
        iord[in_ok++] = &iv[i];
    }
    *in_okp = in_ok;
    cal_sort(ibad->v, ibad->n, sizeof *ibad->v, cal_cmp_bad);
    if (!invoices->nrows || (o->skip_bad && ibad->n == invoices->nrows))
        return no_rows(invoices, ibad, d);
    return 0;
}

/* The good invoice rows, grouped by source and month (a month's rows add
 * up), to each source's cost estimates. */
static int invoice_sources(iv_row **iord, size_t in_ok, cal_srcmap *m, diag *d)
{
    int rc = -1;
    int *months = NULL;
    double *totals = NULL;
    cal_sort(iord, in_ok, sizeof *iord, cmp_invoice);
    if (!(months = malloc(in_ok * sizeof *months)) || !(totals = malloc(in_ok * sizeof *totals))) {
        diag_runtime(d, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < in_ok;) {
        size_t j = i, nm = 0;
        cal_source *s = &m->v[iord[i]->s];
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
    rc = 0;
done:
    free(months);
    free(totals);
    return rc;
}

int cal_estimate(const csv_table *tickets, const csv_table *invoices, const cal_opts *o,
                 cal_result **out, diag *d)
{
    return cal_estimate_all(tickets, invoices, o, out, d, NULL, 0, NULL);
}

int cal_estimate_all(const csv_table *tickets, const csv_table *invoices, const cal_opts *o,
                     cal_result **out, diag *d, diag *errs, size_t maxerrs, size_t *nerrs)
{
    cal_opts def = {0, 0.5};
    tk_row *tk = NULL;
    tk_row **ord = NULL;
    iv_row *iv = NULL;
    iv_row **iord = NULL;
    cal_badlist tbad = {0}, ibad = {0};
    cal_srcmap m;
    int rc = -1;

    memset(&m, 0, sizeof m);
    if (!out)
        return diag_runtime(d, "cal_estimate: no output pointer");
    *out = NULL;
    if (nerrs)
        *nerrs = 0;
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
        r->ticket_rows = tickets->nrows;
        if (read_tickets(tickets, o, &tk, &ord, &n_ok, &tbad, d))
            goto done;
    }
    /* ---- invoices: fields ---- */
    size_t in_ok = 0;
    if (invoices) {
        r->invoice_rows = invoices->nrows;
        if (read_invoices(invoices, o, &iv, &iord, &in_ok, &ibad, d))
            goto done;
    }
    if (!o->skip_bad && (tbad.n || ibad.n)) {
        report_all(tickets, &tbad, invoices, &ibad, errs, maxerrs, nerrs, d);
        goto done;
    }
    r->ticket_skipped = tbad.n;
    r->invoice_skipped = ibad.n;
    if (move_bad(r, &tbad, 0, d) || move_bad(r, &ibad, 1, d))
        goto done;

    /* ---- sources, in order of first appearance ---- */
    for (size_t i = 0; tickets && i < tickets->nrows; i++)
        if (!tk[i].bad && cal_srcmap_get(&m, tk[i].src, tk[i].src_len, &tk[i].s, d))
            goto done;
    for (size_t i = 0; invoices && i < invoices->nrows; i++)
        if (!iv[i].bad && cal_srcmap_get(&m, iv[i].src, iv[i].src_len, &iv[i].s, d))
            goto done;

    if (tickets && ticket_estimates(tk, tickets->nrows, ord, n_ok, o, &m, d))
        goto done;

    if (invoices && in_ok && invoice_sources(iord, in_ok, &m, d))
        goto done;
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
    cal_badlist_release(&tbad);
    cal_badlist_release(&ibad);
    free(tk);
    free(ord);
    free(iv);
    free(iord);
    cal_result_free(r);
    return rc;
}
