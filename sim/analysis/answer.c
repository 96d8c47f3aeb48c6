/*
 * answer — the headline of a run: which alternative, on which metric, and
 * what would change it (answer.h states the rule).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "decision.h"
#include "json.h"

/* Append to a fixed buffer; the sentence is cut, never overrun. */
static void add(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t n, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, n - used, fmt, ap);
    va_end(ap);
}

static const char *money(char *b, double v, const char *cur)
{
    return dec_money(b, 64, v, cur);
}

/* A share as a percentage that never rounds a strict inequality away:
 * 0.9996 is "99.96%", not "100%"; 0.0004 is "0.04%", not "0%". */
static const char *pct(char *b, double p)
{
    double v = 100 * p;
    if (p > 0 && p < 1 && v >= 99.995)
        snprintf(b, 32, "over 99.99%%");
    else if (p > 0 && p < 1 && v < 0.005)
        snprintf(b, 32, "under 0.01%%");
    else if (p > 0 && p < 1 && (v >= 99.5 || v < 0.5))
        snprintf(b, 32, "%.2f%%", v);
    else
        snprintf(b, 32, "%.0f%%", v);
    return b;
}

/* Days of the run-rate period, in words ("a month", "90 days"). */
static void period(char *b, size_t n, const scn_scenario *s)
{
    double months = s->work.horizon_days / s->cal.days_per_month;
    if (fabs(months - 1) < 1e-9)
        snprintf(b, n, "a month");
    else if (fabs(months - round(months)) < 1e-9)
        snprintf(b, n, "%.0f months", months);
    else
        snprintf(b, n, "%.0f days", s->work.horizon_days);
}

static void run_rate(const report *rep, ans_answer *o)
{
    const scn_scenario *s = rep->s;
    const char *cur = s->currency;
    char m1[64], m2[64], m3[64], m4[64], per[32];
    o->metric = "cost_per_accepted_outcome";
    period(per, sizeof per, s);
    int best = -1, second = -1;
    for (size_t a = 0; a < s->nalts; a++) {
        double v = rep->alts[a].cpo.value;
        if (!(v >= 0) || isinf(v))
            continue;
        if (best < 0 || v < rep->alts[best].cpo.value) {
            second = best;
            best = (int)a;
        } else if (second < 0 || v < rep->alts[second].cpo.value) {
            second = (int)a;
        }
    }
    o->alt = best;
    o->runner_up = second;
    snprintf(o->reason, sizeof o->reason,
             "run-rate mode: the alternatives work the same %s and deliver different numbers of "
             "accepted outcomes, so they are ranked on cost per accepted outcome (expected total cost "
             "over expected accepted outcomes), never on total cost",
             per);
    if (best < 0) {
        snprintf(o->sentence, sizeof o->sentence,
                 "No alternative is expected to accept any outcome in %s: none has a cost per accepted "
                 "outcome to compare.",
                 per);
        return;
    }
    const report_alt *rb = &rep->alts[best];
    snprintf(o->sentence, sizeof o->sentence,
             "'%s' has the lowest cost per accepted outcome (expected total cost over expected accepted "
             "outcomes): %s",
             s->alts[best].name, money(m1, rb->cpo.value, cur));
    if (isfinite(rb->cpo.se))
        add(o->sentence, sizeof o->sentence, " ± %s", money(m2, rb->cpo.se, cur));
    add(o->sentence, sizeof o->sentence, " (%s for %.2f accepted outcomes in %s)",
        money(m3, rb->cpo.num, cur), rb->cpo.den, per);
    if (second >= 0) {
        const report_alt *r2 = &rep->alts[second];
        add(o->sentence, sizeof o->sentence, ", against %s for the runner-up '%s' (%.2f accepted)",
            money(m1, r2->cpo.value, cur), s->alts[second].name, r2->cpo.den);
    }
    add(o->sentence, sizeof o->sentence, ".");
    /* the figure a run-rate comparison exists for */
    if ((size_t)best != s->baseline) {
        if (!isnan(rb->incr.value)) {
            add(o->sentence, sizeof o->sentence,
                " Against the baseline '%s', each extra accepted outcome costs %s",
                s->alts[s->baseline].name, money(m1, rb->incr.value, cur));
            if (isfinite(rb->incr.se))
                add(o->sentence, sizeof o->sentence, " ± %s", money(m2, rb->incr.se, cur));
            add(o->sentence, sizeof o->sentence, " (%s more for %.2f more accepted outcomes",
                money(m3, rb->incr.num, cur), rb->incr.den);
            if (isfinite(rb->sheet_incr_cost_per_outcome))
                add(o->sentence, sizeof o->sentence, "; a spreadsheet of averages says %s",
                    report_fmt(m4, sizeof m4, rb->sheet_incr_cost_per_outcome, 0));
            add(o->sentence, sizeof o->sentence, ").");
        } else if (rb->incr_na) {
            add(o->sentence, sizeof o->sentence,
                " Its incremental cost per extra accepted outcome against the baseline '%s' is n/a: %s.",
                s->alts[s->baseline].name, rb->incr_na);
        }
    }
    if (second >= 0) {
        /* The runner-up leads once its ratio drops below the answer's: with
         * more accepted outcomes at the same cost, or less cost for the same
         * outcomes. */
        const report_alt *r2 = &rep->alts[second];
        double need_acc = r2->cpo.num / rb->cpo.value, need_cost = rb->cpo.value * r2->cpo.den;
        add(o->sentence, sizeof o->sentence,
            " The answer would change if '%s' accepted more than %.2f outcomes in %s at its cost, or "
            "cost less than %s for its %.2f (now %s).",
            s->alts[second].name, need_acc, per, money(m1, need_cost, cur), r2->cpo.den,
            money(m4, r2->cpo.num, cur));
    }
}

/* The paired difference of metric m between alternatives a and b, when
 * the per-trial arrays are there (not in a streamed run). */
static int paired(const report *rep, int a, int b, eng_metric m, stats_paired *p)
{
    if (!rep->r->data)
        return 0;
    stats_paired_diff(eng_metric_data(rep->r, (size_t)a, m), eng_metric_data(rep->r, (size_t)b, m),
                      (size_t)rep->r->trials, p);
    return 1;
}

static void backlog(const report *rep, ans_answer *o)
{
    const scn_scenario *s = rep->s;
    const char *cur = s->currency;
    char m1[64], m2[64], m3[64], p1[32];
    int cod = dist_mean(&s->work.cod) > 0;
    eng_metric m = cod ? M_BLENDED_COST : M_COST_TOTAL;
    const char *what = cod ? "blended cost (total cost plus cost of delay)" : "total cost";
    double need = s->decision.min_delivery, H = s->work.horizon_days;
    o->metric = cod ? "blended_cost" : "cost_total";
    int best = -1, second = -1, likeliest = -1;
    for (size_t a = 0; a < s->nalts; a++) {
        const report_alt *ra = &rep->alts[a];
        if (likeliest < 0 || ra->p_delivered > rep->alts[likeliest].p_delivered)
            likeliest = (int)a;
        if (!(ra->p_delivered >= need))
            continue;
        double v = ra->m[m].mean;
        if (best < 0 || v < rep->alts[best].m[m].mean) {
            second = best;
            best = (int)a;
        } else if (second < 0 || v < rep->alts[second].m[m].mean) {
            second = (int)a;
        }
    }
    o->alt = best;
    o->runner_up = second;
    snprintf(o->reason, sizeof o->reason,
             "backlog mode: a delivered trial has the same scope whichever alternative delivers it, so "
             "the alternatives that deliver by day %.0f in at least %.0f%% of trials "
             "(decision.min_delivery) are ranked on expected %s",
             H, 100 * need, what);
    if (best < 0) {
        snprintf(o->sentence, sizeof o->sentence,
                 "No alternative delivers the %lld outcomes by day %.0f in at least %.0f%% of trials "
                 "(decision.min_delivery); the likeliest to is '%s' (%s). Extend the horizon, add "
                 "capacity, or lower decision.min_delivery to compare them on cost.",
                 s->work.outcomes, H, 100 * need, s->alts[likeliest].name,
                 pct(p1, rep->alts[likeliest].p_delivered));
        return;
    }
    const report_alt *rb = &rep->alts[best];
    snprintf(o->sentence, sizeof o->sentence,
             "'%s' has the lowest expected %s among the alternatives that deliver the %lld outcomes by "
             "day %.0f in at least %.0f%% of trials: %s (P90 %s), delivered in %s of trials",
             s->alts[best].name, what, s->work.outcomes, H, 100 * need, money(m1, rb->m[m].mean, cur),
             money(m2, rb->m[m].p90, cur), pct(p1, rb->p_delivered));
    if (rb->p_delivered < 1 && cod)
        add(o->sentence, sizeof o->sentence,
            " (a lower bound: a trial that has not delivered by day %.0f counts delay only to then)", H);
    if (second >= 0) {
        const report_alt *r2 = &rep->alts[second];
        add(o->sentence, sizeof o->sentence, "; the runner-up '%s' costs %s (delivered in %s)",
            s->alts[second].name, money(m1, r2->m[m].mean, cur), pct(p1, r2->p_delivered));
        stats_paired p;
        if (paired(rep, best, second, m, &p))
            add(o->sentence, sizeof o->sentence, " and is cheaper in %.0f%% of trials",
                100 * (1 - p.p_lower));
    }
    add(o->sentence, sizeof o->sentence, ".");
    for (size_t a = 0; a < s->nalts; a++)
        if (!(rep->alts[a].p_delivered >= need))
            add(o->sentence, sizeof o->sentence, " '%s' is left out: it delivers by day %.0f in %s of trials.",
                s->alts[a].name, H, pct(p1, rep->alts[a].p_delivered));
    if (second >= 0) {
        const report_alt *r2 = &rep->alts[second];
        double gap = r2->m[m].mean - rb->m[m].mean;
        stats_paired p;
        if (paired(rep, second, best, m, &p) && isfinite(p.se) && fabs(p.mean_diff) < 2 * p.se)
            add(o->sentence, sizeof o->sentence,
                " The two are within Monte Carlo noise of each other (%s ± %s): run more trials before "
                "choosing on cost.",
                money(m1, p.mean_diff, cur), money(m2, p.se, cur));
        else
            add(o->sentence, sizeof o->sentence,
                " The answer would change if the expected %s of '%s' fell by %s (%.0f%%)%s.",
                cod ? "blended cost" : "total cost", s->alts[second].name, money(m3, gap, cur),
                100 * gap / r2->m[m].mean,
                rb->p_delivered < need + 0.05 ? ", or if the answer delivered less often" : "");
    }
}

void ans_run(const report *rep, ans_answer *o)
{
    memset(o, 0, sizeof *o);
    o->alt = o->runner_up = -1;
    if (rep->s->work.outcomes > 0)
        backlog(rep, o);
    else
        run_rate(rep, o);
}

void ans_json(json_writer *w, const ans_answer *a, const scn_scenario *s)
{
    json_obj_begin(w);
    json_key(w, "alternative");
    if (a->alt >= 0)
        json_str(w, s->alts[a->alt].name);
    else
        json_null(w);
    json_key(w, "runner_up");
    if (a->runner_up >= 0)
        json_str(w, s->alts[a->runner_up].name);
    else
        json_null(w);
    json_key(w, "metric"), json_str(w, a->metric);
    json_key(w, "sentence"), json_str(w, a->sentence);
    json_key(w, "reason"), json_str(w, a->reason);
    json_obj_end(w);
}
