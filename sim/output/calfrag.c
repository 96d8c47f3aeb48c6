/*
 * calfrag — the scenario fragment of `capmix calibrate` (calfrag.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "calfrag.h"
#include "calibrate.h"
#include "models.h"
#include "numfmt.h"
#include "warn.h"

/* The keys written for a source, to check its kind's requirements. */
typedef struct keyset {
    const char *k[32];
    size_t n;
} keyset;

static void key_add(keyset *ks, const char *k)
{
    if (ks->n < 32)
        ks->k[ks->n++] = k;
}

static int key_has(const char *k, void *ks)
{
    const keyset *set = ks;
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->k[i], k) == 0)
            return 1;
    return 0;
}

/* How a kind's invoices are read: its pay basis (models/kinds.c). */
typedef enum { PAY_NONE, PAY_TOKENS, PAY_MONTHLY_FEE, PAY_HOURLY, PAY_SALARY } pay_form;

static pay_form invoice_pay(const model_kind *k)
{
    switch (k->pay) {
    case MODEL_PAY_METERED:
        return PAY_TOKENS; /* the salaries are not invoiced: the bill is the tokens */
    case MODEL_PAY_RETAINER:
        return PAY_MONTHLY_FEE;
    case MODEL_PAY_HOURLY:
        return PAY_HOURLY;
    case MODEL_PAY_SALARIED:
        return PAY_SALARY;
    }
    return PAY_NONE;
}

/* A number as YAML: %.8g is plenty for an estimate with its uncertainty. */
static const char *num(char *buf, size_t n, double x)
{
    snprintf(buf, n, "%.8g", x);
    return buf;
}

/* A figure for a comment: three significant digits read better. */
static const char *fig(char *buf, size_t n, double x)
{
    snprintf(buf, n, "%.3g", x);
    return buf;
}

/* Money for comments: 81,600 or 12.50. */
static const char *money(char *buf, size_t n, double x)
{
    if (!isfinite(x)) {
        snprintf(buf, n, "%g", x);
        return buf;
    }
    if (fabs(x) < 100) {
        snprintf(buf, n, "%.2f", x);
        return buf;
    }
    return fmt_grouped(buf, n, x, 0);
}

/* A path for a YAML comment: one line of printable ASCII. */
static const char *comment_safe(char *buf, size_t n, const char *s)
{
    size_t o = 0;
    for (; *s && o + 1 < n; s++) {
        unsigned char c = (unsigned char)*s;
        buf[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    buf[o] = '\0';
    return buf;
}

static void month_str(int m, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d", m / 12, m % 12 + 1);
}

#define IND "        " /* a key of a source entry, as `capmix init` writes it */

/* Longest empirical list written as it is: a scenario file may hold 4 MiB,
 * and a thousand quantiles keep a distribution's shape to 0.05 % in
 * probability. */
#define EMPIRICAL_MAX 1000

/* `KEY: {dist: empirical, values: [...]}` over as many lines as needed,
 * from n sorted values; one value is written as a constant, more than
 * EMPIRICAL_MAX as their quantiles at (i + 1/2) / EMPIRICAL_MAX. */
static void put_empirical(FILE *fp, const char *key, const double *v, size_t n)
{
    char b[32];
    if (n == 1) {
        fprintf(fp, IND "%s: %s\n", key, num(b, sizeof b, v[0]));
        return;
    }
    size_t m = n > EMPIRICAL_MAX ? EMPIRICAL_MAX : n;
    if (m < n)
        fprintf(fp, IND "# %zu values, written as their %d quantiles\n", n, EMPIRICAL_MAX);
    int col = fprintf(fp, IND "%s: {dist: empirical, values: [", key);
    for (size_t i = 0; i < m; i++) {
        double x = m < n ? gsl_stats_quantile_from_sorted_data(v, 1, n, (i + 0.5) / (double)m) : v[i];
        snprintf(b, sizeof b, "%.6g", x);
        if (i && col + (int)strlen(b) + 2 > 96) {
            fputs(",\n          ", fp);
            col = 10;
        } else if (i) {
            fputs(", ", fp);
            col += 2;
        }
        fputs(b, fp);
        col += (int)strlen(b);
    }
    fputs("]}\n", fp);
}

/* `KEY: {dist: normal, mean, sd, min: 0}`, or the mean alone when there
 * is no spread to speak of (one month, or identical months). */
static void put_normal0(FILE *fp, const char *indent, const char *key, double mean, double sd)
{
    char a[32], b[32];
    if (isfinite(sd) && sd > 0)
        fprintf(fp, "%s%s: {dist: normal, mean: %s, sd: %s, min: 0}\n", indent, key,
                num(a, sizeof a, mean), num(b, sizeof b, sd));
    else
        fprintf(fp, "%s%s: %s\n", indent, key, num(a, sizeof a, mean));
}

static void put_summary(FILE *fp, const char *what, const stats_summary *s)
{
    char a[32], b[32], c[32], e[32];
    if (!s->n)
        return;
    fprintf(fp, IND "#   %s: n %zu, mean %s, p50 %s, p90 %s, max %s\n", what, s->n,
            fig(a, sizeof a, s->mean), fig(b, sizeof b, s->p50), fig(c, sizeof c, s->p90),
            fig(e, sizeof e, s->max));
}

/* `lanes:` from the passes in progress (callanes.h), with the estimate,
 * its SE and the pass time it implies with the throughput beside it. */
static void put_lanes(FILE *fp, const cal_source *s)
{
    const cal_lanes *l = &s->lanes;
    char a[32], b[32], c[32];
    fprintf(fp, IND "# lanes: %s passes in progress on average over the span", fig(a, sizeof a, l->mean));
    if (l->batches)
        fprintf(fp, " (SE %s, batch means of %d x %s days)\n", fig(b, sizeof b, l->se), l->batches,
                fig(c, sizeof c, s->days / l->batches));
    else
        fputs(" (no SE: the span holds fewer than 6 mean passes)\n", fp);
    if (s->items > 0) {
        fprintf(fp, IND "# with the throughput above (Little's law) a pass of effort 1 takes %d x %s / %s\n",
                l->lanes, fig(a, sizeof a, s->days), fig(b, sizeof b, s->items));
        fprintf(fp, IND "# = %s days on average", fig(c, sizeof c, l->lanes * s->days / s->items));
        if (s->pass_first.n)
            fprintf(fp, " (observed first passes: mean %s)", fig(a, sizeof a, s->pass_first.mean));
        fputs("\n", fp);
    }
    fprintf(fp, IND "lanes: %d\n", l->lanes);
}

/* The keys a source's tickets give: throughput, outcomes, rework,
 * review hours and waits, with what was observed as comments. */
static void put_tickets(FILE *fp, FILE *warn, const cal_source *s, const cal_opts *o, keyset *ks)
{
    char a[64], b[64];
    size_t firsts = s->passes - s->rework_passes;
    fprintf(fp, IND "# tickets: %zu in %zu passes (%zu rework) from %s to %s", s->tickets,
            s->passes, s->rework_passes, cal_format_day(s->t_first, 0, a, sizeof a),
            cal_format_day(s->t_last, 1, b, sizeof b));
    if (isfinite(s->busy_share))
        fprintf(fp, "; a pass in progress on %.0f %% of that span", 100 * s->busy_share);
    fputs("\n", fp);
    if (s->days > 0) {
        if (s->rework_passes)
            fprintf(fp, IND "# items: %zu first passes + %s x %zu rework passes (their effort)\n",
                    firsts, num(a, sizeof a, o->rework_effort), s->rework_passes);
        fprintf(fp, IND "throughput: {observed: {items: %s, days: %s}}\n",
                num(a, sizeof a, s->items), num(b, sizeof b, s->days));
        key_add(ks, "throughput");
        if (s->has_lanes)
            put_lanes(fp, s);
    } else {
        fprintf(fp, IND "# throughput: the passes span no time, so no rate can be observed\n");
    }
    fprintf(fp, IND "# verdicts on first passes\n");
    fprintf(fp, IND "outcomes: {observed: {accepted: %.0f, rework: %.0f, superseded: %.0f}}\n",
            s->first[OC_ACCEPTED], s->first[OC_REWORK], s->first[OC_SUPERSEDED]);
    key_add(ks, "outcomes");
    if (s->rework_passes >= CAL_REWORK_MIN) {
        fprintf(fp, IND "# verdicts on the %zu rework passes\n", s->rework_passes);
        fprintf(fp,
                IND "rework_outcomes: {observed: {accepted: %.0f, rework: %.0f, superseded: %.0f}}\n",
                s->later[OC_ACCEPTED], s->later[OC_REWORK], s->later[OC_SUPERSEDED]);
    } else if (s->rework_passes) {
        fprintf(fp,
                IND "# %zu rework pass%s (%.0f accepted, %.0f rework, %.0f superseded): fewer than %d,\n"
                IND "# so rework verdicts follow 'outcomes'\n",
                s->rework_passes, s->rework_passes == 1 ? "" : "es", s->later[OC_ACCEPTED],
                s->later[OC_REWORK], s->later[OC_SUPERSEDED], CAL_REWORK_MIN);
    }
    if (s->rework_passes) {
        if (isfinite(s->effort_ratio))
            fprintf(fp, IND "# a rework pass took %s (SE %s) of a first pass's time\n",
                    fig(a, sizeof a, s->effort_ratio), fig(b, sizeof b, s->effort_ratio_se));
        fprintf(fp, IND "rework_effort: %s\n", num(a, sizeof a, o->rework_effort));
    }
    /* the model turns a rework verdict past max_rework_cycles into
     * superseded: allow the longest chain seen */
    if (s->max_passes > 6) {
        size_t cyc = s->max_passes > SRC_MAX_REWORK_CYCLES ? SRC_MAX_REWORK_CYCLES : s->max_passes;
        fprintf(fp, IND "# a ticket took %zu passes\n", s->max_passes);
        /* a cap changes what the run models: say so where the value
         * is written and where the user is looking */
        if (cyc < s->max_passes) {
            fprintf(fp, IND "# capped at %zu, the most a scenario takes: longer chains end superseded\n",
                    cyc);
            warn_emit(warn,
                    "source '%s': a ticket took %zu passes; max_rework_cycles "
                    "is written as %zu, the most a scenario takes",
                    s->name, s->max_passes, cyc);
        }
        fprintf(fp, IND "max_rework_cycles: %zu\n", cyc);
    }
    if (s->n_review_hours) {
        double sum = 0;
        for (size_t i = 0; i < s->n_review_hours; i++)
            sum += s->review_hours[i];
        fprintf(fp, IND "# senior review hours of %zu of the %zu passes, mean %s\n",
                s->n_review_hours, s->passes, fig(a, sizeof a, sum / (double)s->n_review_hours));
        put_empirical(fp, "review_hours_per_item", s->review_hours, s->n_review_hours);
    }
    if (s->n_review_wait) {
        double sum = 0;
        for (size_t i = 0; i < s->n_review_wait; i++)
            sum += s->review_wait[i];
        fprintf(fp, IND "# days from finished to reviewed, %zu passes, mean %s\n",
                s->n_review_wait, fig(a, sizeof a, sum / (double)s->n_review_wait));
        put_empirical(fp, "review_wait_days", s->review_wait, s->n_review_wait);
    }
    fprintf(fp, IND "# observed, to compare with a run (days):\n");
    put_summary(fp, "first pass", &s->pass_first);
    put_summary(fp, "rework pass", &s->pass_rework);
    put_summary(fp, "cycle time, first start to acceptance", &s->cycle_summary);
    if (s->tickets < CAL_THIN)
        warn_emit(warn,
                "source '%s': only %zu ticket%s (fewer than %d): its "
                "calibration is wide and rests on the priors",
                s->name, s->tickets, s->tickets == 1 ? "" : "s", CAL_THIN);
}

/* The keys a source's invoices give: its pay key by its kind's pay form,
 * with the months, the mean and the trend as comments. */
static void put_invoices(FILE *fp, FILE *warn, const cal_source *s, const calfrag_spec *sp, keyset *ks)
{
    char a[64], b[64], c[64], m1[16], m2[16];
    const model_kind *k = sp->kind;
    month_str(s->month_first, m1, sizeof m1);
    month_str(s->month_last, m2, sizeof m2);
    fprintf(fp, IND "# invoices: %zu month%s from %s to %s", s->months, s->months == 1 ? "" : "s",
            m1, m2);
    if (s->month_gaps)
        fprintf(fp, " (%zu missing)", s->month_gaps);
    fprintf(fp, ", mean %s a month", money(a, sizeof a, s->cost_mean));
    if (isfinite(s->cost_sd))
        fprintf(fp, " (sd %s, SE %s)", money(b, sizeof b, s->cost_sd), money(c, sizeof c, s->cost_se));
    fprintf(fp, ", last %s\n", money(a, sizeof a, s->cost_last));
    if (s->has_trend) {
        fprintf(fp, IND "# trend %+.2f %% a month (SE %.2f %%, t %.2f over %zu months): %s (|t| %s %.2f)\n",
                100 * s->growth, 100 * s->growth_se, s->trend_t, s->trend_n,
                s->trend_significant ? "significant" : "not significant",
                s->trend_significant ? ">" : "<=", s->trend_tcrit);
        if (s->trend_significant)
            warn_emit(warn,
                    "source '%s': its monthly invoices %s %.1f %% a month "
                    "(SE %.1f %%, t = %.1f over %zu months)%s",
                    s->name, s->growth > 0 ? "grow" : "shrink", 100 * fabs(s->growth),
                    100 * s->growth_se, s->trend_t, s->trend_n,
                    k && invoice_pay(k) != PAY_TOKENS
                        ? "; the pay key is the period's mean, which a trend makes stale"
                        : "");
    } else {
        fprintf(fp, IND "# no trend: %zu month%s with a positive total (%d needed)\n", s->trend_n,
                s->trend_n == 1 ? "" : "s", CAL_TREND_MIN);
        warn_emit(warn,
                "source '%s': %zu month%s of invoices: no trend can be "
                "fitted (%d needed)",
                s->name, s->trend_n, s->trend_n == 1 ? "" : "s", CAL_TREND_MIN);
    }
    pay_form pf = k ? invoice_pay(k) : PAY_NONE;
    switch (pf) {
    case PAY_TOKENS:
        fprintf(fp, IND "tokens:\n");
        if (s->has_trend) {
            month_str(s->month_last + 1, m1, sizeof m1);
            fprintf(fp, IND "  # the expected bill for %s, %s, growing as fitted\n", m1,
                    money(a, sizeof a, s->monthly_next));
            if (s->trend_n > 2) {
                /* a prediction interval, as capmix track's cost lines
                 * (costline.h): the monthly noise and the trend's
                 * uncertainty, Student t with n − 2 d.o.f. */
                double sc = sqrt(s->resid_sd * s->resid_sd + s->level_next_se * s->level_next_se),
                       tq = gsl_cdf_tdist_Pinv(0.9, (double)s->trend_n - 2);
                char lo[48], hi[48];
                fprintf(fp, IND "  # its 80 %% prediction interval: %s to %s\n",
                        money(lo, sizeof lo, exp(s->level_next - tq * sc)),
                        money(hi, sizeof hi, exp(s->level_next + tq * sc)));
            }
            double mu = s->level_next + 0.5 * s->resid_sd * s->resid_sd;
            if (s->level_next_se > 0)
                fprintf(fp, IND "  monthly: {dist: lognormal, mu: %s, sigma: %s}\n",
                        num(a, sizeof a, mu), num(b, sizeof b, s->level_next_se));
            else
                fprintf(fp, IND "  monthly: %s\n", num(a, sizeof a, exp(mu)));
            /* the loader refuses support at or below -100 % and above
             * +1000 % a month: keep the fitted growth inside */
            double g = s->growth;
            if (g < -0.9 || g > 9) {
                g = g < -0.9 ? -0.9 : 9;
                fprintf(fp, IND "  # fitted growth %.0f %% a month, capped at %.0f %% (what a scenario takes)\n",
                        100 * s->growth, 100 * g);
                warn_emit(warn,
                        "source '%s': a fitted growth of %.0f %% a month is "
                        "outside what a scenario takes; written as %.0f %%",
                        s->name, 100 * s->growth, 100 * g);
            }
            if (s->growth_se > 0 && isfinite(s->growth_se))
                fprintf(fp,
                        IND "  growth_per_month: {dist: normal, mean: %s, sd: %s, min: -0.99, max: 10}\n",
                        num(a, sizeof a, g), num(b, sizeof b, s->growth_se));
            else
                fprintf(fp, IND "  growth_per_month: %s\n", num(a, sizeof a, g));
        } else {
            put_normal0(fp, IND "  ", "monthly", s->cost_mean, s->cost_se);
        }
        key_add(ks, "tokens");
        break;
    case PAY_MONTHLY_FEE:
        put_normal0(fp, IND, "monthly_fee", s->cost_mean, s->cost_se);
        key_add(ks, "monthly_fee");
        break;
    case PAY_HOURLY:
    case PAY_SALARY:
        if (pf == PAY_SALARY && !isnan(sp->loaded_annual))
            break; /* the option says what the salary is */
        if (isnan(sp->headcount)) {
            fprintf(fp, IND "# %s: the invoices per person need --headcount %s=N\n",
                    pf == PAY_HOURLY ? "hourly_rate" : "loaded_annual", s->name);
            break;
        }
        if (pf == PAY_HOURLY) {
            /* hours_per_month written beside it, so the rate reproduces
             * the invoices whatever the scenario's calendar says */
            double per = sp->headcount * 160;
            fprintf(fp, IND "# the mean invoice over %s people x 160 hours\n" IND
                            "hours_per_month: 160\n",
                    num(a, sizeof a, sp->headcount));
            put_normal0(fp, IND, "hourly_rate", s->cost_mean / per, s->cost_se / per);
            key_add(ks, "hourly_rate");
        } else {
            double per = sp->headcount / 12;
            fprintf(fp, IND "# the mean invoice x 12 over %s people\n",
                    num(a, sizeof a, sp->headcount));
            put_normal0(fp, IND, "loaded_annual", s->cost_mean / per, s->cost_se / per);
            key_add(ks, "loaded_annual");
        }
        break;
    case PAY_NONE:
        if (!k)
            fprintf(fp, IND "# --kind %s=KIND turns these invoices into pay keys\n", s->name);
        break;
    }
}

/* The entry of one source; its warnings go to `warn`. */
static void put_source(FILE *fp, FILE *warn, const cal_source *s, const calfrag_spec *sp,
                       const cal_opts *o)
{
    char a[64];
    keyset ks = {{0}, 0};
    const model_kind *k = sp->kind;

    fprintf(fp, "      - name: %s\n", s->name);
    key_add(&ks, "name");
    if (k) {
        fprintf(fp, IND "kind: %s\n", k->name);
        key_add(&ks, "kind");
    } else {
        fprintf(fp, IND "# kind: ?  (capmix calibrate --kind %s=KIND)\n", s->name);
    }
    if (!isnan(sp->headcount)) {
        fprintf(fp, IND "headcount: %s\n", num(a, sizeof a, sp->headcount));
        key_add(&ks, "headcount");
    }
    if (s->has_tickets)
        put_tickets(fp, warn, s, o, &ks);
    if (s->has_invoices)
        put_invoices(fp, warn, s, sp, &ks);
    if (!isnan(sp->loaded_annual)) {
        fprintf(fp, IND "loaded_annual: %s\n", num(a, sizeof a, sp->loaded_annual));
        key_add(&ks, "loaded_annual");
    }
    if (k && model_kind_requires(k, MK_SOURCE_ramp_days)) {
        fprintf(fp, IND "# the observed rate already includes any ramp-up the history had\n" IND
                        "ramp_days: 0\n");
        key_add(&ks, "ramp_days");
    }

    if (!k) {
        warn_emit(warn,
                "source '%s' has no kind: give --kind %s=KIND before capmix "
                "can load it",
                s->name, s->name);
        return;
    }
    for (size_t i = 0; i < MODEL_MAX_NEEDS && k->required[i][0][0]; i++) {
        const model_need *r = &k->required[i];
        if (model_need_met(r, key_has, &ks))
            continue;
        int single = !(*r)[0][1] && !(*r)[1][0];
        const char *how = single && (*r)[0][0] == MK_SOURCE_headcount       ? " (--headcount NAME=N)"
                          : single && (*r)[0][0] == MK_SOURCE_loaded_annual ? " (--loaded-annual NAME=X)"
                                                                            : "";
        char need[160];
        model_need_describe(r, 0, need, sizeof need);
        fprintf(fp, IND "# still needed: %s\n", need);
        warn_emit(warn, "source '%s' (%s) needs %s%s before capmix can load it",
                  s->name, k->name, need, how);
    }
}

int calfrag_render(const cal_result *r, const calfrag_spec *sp, const cal_opts *o,
                   const csv_table *tickets, const csv_table *invoices, char **frag, size_t *flen,
                   char **wbuf, size_t *wlen, diag *d)
{
    FILE *fp = NULL, *warn = NULL;
    *frag = *wbuf = NULL;
    *flen = *wlen = 0;
    if (!(fp = open_memstream(frag, flen)) || !(warn = open_memstream(wbuf, wlen)))
        goto oom;
    for (size_t i = 0; i < r->nskipped; i++) {
        const cal_bad *b = &r->skipped[i];
        warn_emit(warn, "%s:%d:%d: %s (row skipped)",
                b->invoices ? invoices->file : tickets->file, b->line, b->col, b->msg);
    }
    if (r->ticket_skipped)
        warn_emit(warn, "skipped %zu bad row%s of %zu in %s", r->ticket_skipped,
                r->ticket_skipped == 1 ? "" : "s", r->ticket_rows, tickets->file);
    if (r->invoice_skipped)
        warn_emit(warn, "skipped %zu bad row%s of %zu in %s", r->invoice_skipped,
                r->invoice_skipped == 1 ? "" : "s", r->invoice_rows, invoices->file);

    {
        char p1[512], p2[512];
        fprintf(fp, "# capmix calibrate %s:", CAPMIX_VERSION);
        if (tickets)
            fprintf(fp, " tickets '%s' (%zu rows%s)", comment_safe(p1, sizeof p1, tickets->file),
                    r->ticket_rows, r->ticket_skipped ? ", bad ones skipped" : "");
        if (invoices)
            fprintf(fp, "%s invoices '%s' (%zu rows%s)", tickets ? "," : "",
                    comment_safe(p2, sizeof p2, invoices->file), r->invoice_rows,
                    r->invoice_skipped ? ", bad ones skipped" : "");
        fputs("\n"
              "# Entries for an alternative's 'sources:' list.  Observed counts become parameter\n"
              "# uncertainty in every trial; empirical values are drawn afresh for every pass\n"
              "# (docs/model.md, \"Calibrating from history\").  review_hours_per_item needs\n"
              "# people.senior_engineer in the scenario.\n",
              fp);
    }
    for (size_t i = 0; i < r->nsources; i++)
        put_source(fp, warn, &r->sources[i], &sp[i], o);
    if (fflush(fp) || ferror(fp) || fflush(warn) || ferror(warn))
        goto oom;
    /* flushed: the buffers are complete, whatever fclose says */
    fclose(fp);
    fclose(warn);
    return 0;
oom:
    if (fp)
        fclose(fp);
    if (warn)
        fclose(warn);
    free(*frag);
    free(*wbuf);
    *frag = *wbuf = NULL;
    return diag_runtime(d, "out of memory");
}

/* "a / b / c" of simulated quantiles, with `f` for each. */
static const char *qstr(char *buf, size_t n, const cal_q *q, int money_fmt)
{
    char a[48], b[48], c[48];
    if (money_fmt)
        snprintf(buf, n, "%s / %s / %s", money(a, sizeof a, q->p5), money(b, sizeof b, q->p50),
                 money(c, sizeof c, q->p95));
    else
        snprintf(buf, n, "%s / %s / %s", fig(a, sizeof a, q->p5), fig(b, sizeof b, q->p50),
                 fig(c, sizeof c, q->p95));
    return buf;
}

/* A warning when the observed x lies outside the simulated P5-P95. */
static void outside(FILE *fp, const char *src, const char *what, double x, const cal_q *q, int money_fmt)
{
    char a[48], b[48], c[48];
    if (!isfinite(x) || !isfinite(q->p5) || (x >= q->p5 && x <= q->p95))
        return;
    warn_emit(fp, "self-check: source '%s': observed %s %s is outside the simulated P5-P95 (%s to %s)",
              src, what, money_fmt ? money(a, sizeof a, x) : fig(a, sizeof a, x),
              money_fmt ? money(b, sizeof b, q->p5) : fig(b, sizeof b, q->p5),
              money_fmt ? money(c, sizeof c, q->p95) : fig(c, sizeof c, q->p95));
}

static void check_source(FILE *fp, const cal_check *c, uint64_t trials)
{
    char a[48], b[48], e[48], q[160];
    if (!c->simulated) {
        fprintf(fp, "self-check: %s: not simulated: %s\n", c->name, c->why);
        return;
    }
    fprintf(fp, "self-check: %s alone, run-rate over its %s observed days (%llu trials; simulated P5 / P50 / P95)\n",
            c->name, fig(a, sizeof a, c->days), (unsigned long long)trials);
    fprintf(fp, "  pass time, days:          observed mean %s; simulated %s\n",
            fig(a, sizeof a, c->obs_pass_mean), qstr(q, sizeof q, &c->sim_pass, 0));
    if (c->n_cycle) {
        fprintf(fp, "  cycle time, days:         observed P50 %s", fig(a, sizeof a, c->obs_cycle_p50));
        if (isfinite(c->obs_cycle_lo))
            fprintf(fp, " (95 %% %s to %s)", fig(b, sizeof b, c->obs_cycle_lo), fig(e, sizeof e, c->obs_cycle_hi));
        fprintf(fp, ", mean %s, n %zu; simulated mean per trial %s\n", fig(a, sizeof a, c->obs_cycle_mean),
                c->n_cycle, qstr(q, sizeof q, &c->sim_cycle, 0));
    } else {
        fprintf(fp, "  cycle time, days:         none accepted; simulated mean per trial %s\n",
                qstr(q, sizeof q, &c->sim_cycle, 0));
    }
    fprintf(fp, "  throughput, passes/month: observed %s; simulated %s\n", fig(a, sizeof a, c->obs_tp),
            qstr(q, sizeof q, &c->sim_tp, 0));
    if (c->has_cost)
        fprintf(fp, "  cost a month:             observed %s; simulated %s\n", money(a, sizeof a, c->obs_cost),
                qstr(q, sizeof q, &c->sim_cost, 1));
    outside(fp, c->name, "mean pass time (days)", c->obs_pass_mean, &c->sim_pass, 0);
    outside(fp, c->name, "mean cycle time (days)", c->obs_cycle_mean, &c->sim_cycle, 0);
    outside(fp, c->name, "throughput (passes a month)", c->obs_tp, &c->sim_tp, 0);
    if (c->has_cost)
        outside(fp, c->name, "monthly cost", c->obs_cost, &c->sim_cost, 1);
}

int calfrag_check_render(const cal_check *c, size_t n, uint64_t trials, char **txt, size_t *tlen,
                         diag *d)
{
    *txt = NULL;
    *tlen = 0;
    FILE *fp = open_memstream(txt, tlen);
    if (!fp)
        return diag_runtime(d, "out of memory");
    for (size_t i = 0; i < n; i++)
        check_source(fp, &c[i], trials);
    if (fflush(fp) || ferror(fp)) {
        fclose(fp);
        free(*txt);
        *txt = NULL;
        return diag_runtime(d, "out of memory");
    }
    fclose(fp);
    return 0;
}
