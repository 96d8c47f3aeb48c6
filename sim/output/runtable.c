/*
 * runtable — the human table of a run (stdout and run.log): see
 * runtable.h.
 */
#include <math.h>
#include <stdio.h>

#include "answer.h"
#include "dates.h"
#include "runtable.h"
#include "textesc.h"

/* The rows of the human table: the figures a decision turns on. */
typedef struct row {
    eng_metric m;
    const char *label;
    int dec;
} row;

static const row table_rows[] = {
    {M_COST_PER_OUTCOME, "  per-trial ratio", 0},
    {M_COST_TOTAL, "total cost", 0},
    {M_DELIVERY_DAY, "delivery day", 1},
    {M_DELAY_COST, "delay cost", 0},
    {M_BLENDED_COST, "blended cost", 0},
    {M_ACCEPTED, "accepted outcomes", 2},
};

static int alt_has_delay(const scn_scenario *s)
{
    return s->work.outcomes > 0;
}

/* The headline, under every table: the same sentence report.html leads with. */
static void answer_line(FILE *fp, const report *rep)
{
    ans_answer an;
    ans_run(rep, &an);
    fprintf(fp, "\nanswer: %s\n", an.sentence);
}

void report_table(FILE *fp, const report *rep)
{
    const scn_scenario *s = rep->s;
    char b[8][48];
    char shown[600]; /* the path as given: printable (textesc.h) */
    fprintf(fp, "capmix %s  %s  (%s, sha256 %s)\n", rep->meta.version, s->name,
            txt_term(shown, sizeof shown, s->file), s->sha256);
    if (s->work.outcomes > 0)
        fprintf(fp, "backlog mode: %lld accepted outcomes needed, horizon %s days; ",
                s->work.outcomes, report_fmt(b[0], sizeof b[0], s->work.horizon_days, 1));
    else
        fprintf(fp, "run-rate mode: %s days; ", report_fmt(b[0], sizeof b[0], s->work.horizon_days, 2));
    fprintf(fp, "seed %llu, %llu trials, %d thread%s, %.2f s; money in %s\n",
            (unsigned long long)s->seed, (unsigned long long)rep->r->trials, rep->meta.threads,
            rep->meta.threads == 1 ? "" : "s", rep->meta.elapsed_s, s->currency);
    warn_print(fp, &s->warnings);
    for (size_t a = 0; a < s->nalts; a++) {
        const report_alt *ra = &rep->alts[a];
        const scn_alternative *alt = &s->alts[a];
        fprintf(fp, "\n== %s%s  (", alt->name, a == s->baseline ? "  [baseline]" : "");
        if (alt->kind == ALT_BID) {
            char d1[64], d2[64];
            dist_describe(&alt->bid.price, d1, sizeof d1);
            dist_describe(&alt->bid.delivery_days, d2, sizeof d2);
            fprintf(fp, "fixed bid: price %s, delivery in %s days", d1, d2);
        }
        for (size_t i = 0; i < alt->nsources; i++)
            fprintf(fp, "%s%s %s", i ? ", " : "", alt->sources[i].name, alt->sources[i].kind);
        for (size_t i = 0; i < alt->noverheads; i++)
            fprintf(fp, ", overhead %s", alt->overheads[i].name);
        fprintf(fp, ")\n");
        fprintf(fp, "  %-26s %14s %10s %13s %13s %13s %13s %13s %13s\n", "", "mean", "± se", "P10",
                "P50", "P90", "P95", "CVaR95", "spreadsheet");
        /* cost per accepted outcome: the ratio of totals with its SE; the
         * per-trial ratio's quantiles on the next line */
        fprintf(fp, "  %-26s %14s %10s %13s %13s %13s %13s %13s %13s\n", "cost per accepted outcome",
                report_fmt(b[0], 48, ra->cpo.value, 0), report_fmt(b[1], 48, ra->cpo.se, 0), "", "", "", "",
                "", report_fmt(b[7], 48, ra->sheet[M_COST_PER_OUTCOME], 0));
        for (size_t k = 0; k < sizeof table_rows / sizeof table_rows[0]; k++) {
            const row *rw = &table_rows[k];
            if ((rw->m == M_DELAY_COST || rw->m == M_BLENDED_COST) && !alt_has_delay(s))
                continue;
            const stats_summary *st = &ra->m[rw->m];
            fprintf(fp, "  %-26s %14s %10s %13s %13s %13s %13s %13s %13s\n", rw->label,
                    report_fmt(b[0], 48, st->mean, rw->dec), report_fmt(b[1], 48, st->se, rw->dec),
                    report_fmt(b[2], 48, st->p10, rw->dec), report_fmt(b[3], 48, st->p50, rw->dec),
                    report_fmt(b[4], 48, st->p90, rw->dec), report_fmt(b[5], 48, st->p95, rw->dec),
                    report_fmt(b[6], 48, st->cvar95, rw->dec),
                    report_fmt(b[7], 48, ra->sheet[rw->m], rw->dec));
        }
        const stats_summary *cpo = &ra->m[M_COST_PER_OUTCOME];
        if (cpo->n_inf)
            fprintf(fp, "  (in %.2f%% of trials nothing was accepted: the per-trial ratio is infinite there; "
                        "its mean is over the rest)\n",
                    100.0 * (double)cpo->n_inf / (double)cpo->n);
        if (alt->kind == ALT_BID)
            fprintf(fp, "  a fixed bid always delivers the scope (never cut at the horizon); "
                        "'capmix bid' weighs it against the mixes\n");
        else if (s->work.outcomes > 0)
            fprintf(fp, "  delivered by the horizon in %.2f%% of trials%s; flow efficiency %s%%, cycle %s days\n",
                    100 * ra->m[M_DELIVERED].mean,
                    ra->m[M_DELIVERED].mean < 1
                        ? " (blended cost is a lower bound: an undelivered trial counts delay only to the horizon)"
                        : "",
                    report_fmt(b[0], 48, 100 * ra->m[M_FLOW_EFFICIENCY].mean, 1),
                    report_fmt(b[1], 48, ra->m[M_CYCLE_DAYS].mean, 1));
        else
            fprintf(fp, "  flow efficiency %s%%, cycle %s days\n",
                    report_fmt(b[0], 48, 100 * ra->m[M_FLOW_EFFICIENCY].mean, 1),
                    report_fmt(b[1], 48, ra->m[M_CYCLE_DAYS].mean, 1));
        dates_delivery_line(fp, rep, a);
    }
    for (int k = 0; k < rep->meta.nabove; k++) {
        const report_threshold *th = &rep->meta.above[k];
        fprintf(fp, "\nP(%s > %s):", eng_metric_name(th->metric), report_fmt(b[0], 48, th->value, 2));
        for (size_t a = 0; a < s->nalts; a++)
            fprintf(fp, "%s %s %.4f", a ? ";" : "", s->alts[a].name, rep->alts[a].p_above[k]);
        fputc('\n', fp);
    }
    if (rep->meta.note[0])
        fprintf(fp, "\nnote: %s\n", rep->meta.note);
    if (s->nalts < 2) {
        answer_line(fp, rep);
        return;
    }
    eng_metric cmp = alt_has_delay(s) ? M_BLENDED_COST : M_COST_TOTAL;
    fprintf(fp, "\n== against the baseline '%s' (paired: same trials, same work draws)\n",
            s->alts[s->baseline].name);
    fprintf(fp, "  %-22s %16s %10s %16s %10s %12s %12s %16s\n", "alternative", "Δ total cost", "± se",
            cmp == M_BLENDED_COST ? "Δ blended cost" : "Δ accepted", "± se",
            cmp == M_BLENDED_COST ? "Δ delivery" : "", "P(cheaper)",
            cmp == M_BLENDED_COST ? "" : "incr. cost/outc.");
    for (size_t a = 0; a < s->nalts; a++) {
        if (a == s->baseline)
            continue;
        const report_alt *ra = &rep->alts[a];
        eng_metric second = cmp == M_BLENDED_COST ? M_BLENDED_COST : M_ACCEPTED;
        fprintf(fp, "  %-22s %16s %10s %16s %10s %12s %12.3f %16s\n", s->alts[a].name,
                report_fmt(b[0], 48, ra->vs[M_COST_TOTAL].mean_diff, 0),
                report_fmt(b[1], 48, ra->vs[M_COST_TOTAL].se, 0),
                report_fmt(b[2], 48, ra->vs[second].mean_diff, second == M_ACCEPTED ? 2 : 0),
                report_fmt(b[3], 48, ra->vs[second].se, second == M_ACCEPTED ? 2 : 0),
                cmp == M_BLENDED_COST ? report_fmt(b[4], 48, ra->vs[M_DELIVERY_DAY].mean_diff, 1) : "",
                ra->vs[cmp].p_lower,
                cmp == M_BLENDED_COST ? "" : isnan(ra->incr.value) ? "n/a" : report_fmt(b[5], 48, ra->incr.value, 0));
    }
    fprintf(fp, "  (P(cheaper): share of trials where the alternative's %s is below the baseline's)\n",
            cmp == M_BLENDED_COST ? "blended cost" : "total cost");
    if (cmp == M_COST_TOTAL) {
        fprintf(fp, "  incremental cost per incremental accepted outcome, spreadsheet view:");
        for (size_t a = 0; a < s->nalts; a++)
            if (a != s->baseline)
                fprintf(fp, " %s %s;", s->alts[a].name,
                        report_fmt(b[0], 48, rep->alts[a].sheet_incr_cost_per_outcome, 0));
        fputc('\n', fp);
    }
    answer_line(fp, rep);
}
