/*
 * cmd_validate — `capmix validate SCENARIO`: check a file and print a
 * one-screen digest of what capmix understood, with the spreadsheet view
 * of each alternative (no simulation).
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "models.h"
#include "opts.h"
#include "report.h"
#include "scenario.h"
#include "scnload.h"
#include "spreadsheet.h"
#include "textesc.h"
#include "warn.h"

typedef struct validate_args {
    int quiet;
} validate_args;

static const opt_def validate_opts[] = {
    {.name = "quiet", .letter = 'q', .kind = OPT_FLAG, .at = offsetof(validate_args, quiet),
     .help = "print nothing; only the exit status tells"},
    {.name = "help", .letter = 'h', .kind = OPT_HELP, .help = "this help"},
    {.name = NULL},
};

static const opts_cmd validate_cmd = {
    .name = "validate",
    .head = "usage: capmix validate SCENARIO.yaml [-q]\n"
            "\n"
            "Check a scenario file: every error is reported as FILE:LINE:COL: MESSAGE with exit\n"
            "status 2.  On success, print what capmix understood: the work, each alternative's\n"
            "sources with their key figures, and the spreadsheet view of each alternative.\n"
            "\n"
            "options:\n",
    .opts = validate_opts,
    .width = 16,
    .flags = OPTS_SEE_UNKNOWN,
};

static void digest_source(const src_params *p, const src_calendar *cal)
{
    char b[6][48], d1[64];
    src_draw m;
    src_draw_means(p, cal, &m);
    printf("    - %s (%s): %d lane%s, ", p->name, p->kind, m.lanes, m.lanes == 1 ? "" : "s");
    if (p->tp == TP_OBSERVED)
        printf("throughput observed %g items in %g days (%s/month)", p->tp_items, p->tp_days,
               report_fmt(b[0], 48, m.lambda * cal->days_per_month, 2));
    else {
        dist_describe(&p->tp_per_month, d1, sizeof d1);
        printf("throughput %s/month", d1);
    }
    printf("\n      outcomes%s: accepted %.3f, rework %.3f, superseded %.3f\n",
           p->outcomes.observed ? " (observed proportions)" : "", m.p1[0], m.p1[1], m.p1[2]);
    src_costs c = src_time_costs(&m, 0, cal, 0, 0, m.start + cal->days_per_month);
    printf("      labour and fees %s/month (mean), start day %s",
           report_fmt(b[1], 48, c.direct - m.onboarding_cost - m.exit_cost, 0),
           report_fmt(b[2], 48, m.start, 1));
    if (p->has & SRC_HAS_RAMP)
        printf(", ramp from %.2f over %s days", m.ramp_from, report_fmt(b[3], 48, m.ramp_days, 0));
    if (p->has & SRC_HAS_REVIEW_WAIT) {
        dist_describe(&p->review_wait_days, d1, sizeof d1);
        printf(", review wait %s days", d1);
    }
    if (p->has & SRC_HAS_OVERSIGHT)
        printf(", oversight %g senior + %g PM h/week", m.senior_hours_per_week, m.pm_hours_per_week);
    if (p->has & SRC_HAS_TOKENS)
        printf(", tokens %s/month growing %.1f%%/month", report_fmt(b[4], 48, m.tok_monthly, 0),
               100 * m.tok_growth);
    printf("\n");
}

int cmd_validate(int argc, char **argv, diag *d)
{
    validate_args va = {0};
    opts_seen seen;
    int prc = opts_parse(&validate_cmd, argc, argv, &va, &seen, d);
    if (prc < 0)
        return -1;
    if (prc > 0) {
        opts_help(stdout, &validate_cmd);
        return CM_EXIT_OK;
    }
    int quiet = va.quiet;
    if (argc - seen.first != 1) {
        return diag_input(d, NULL, 0, 0, "validate: give exactly one scenario file");
    }
    scn_scenario *s;
    if (scn_load(argv[seen.first], &s, d))
        return -1;
    if (quiet) {
        scn_free(s);
        return CM_EXIT_OK;
    }
    char b[8][48], d1[64];
    char shown[600];
    printf("%s: ok  (capmix format 1, sha256 %.12s)\n", txt_term(shown, sizeof shown, s->file), s->sha256);
    printf("scenario '%s'; seed %llu, %llu trials; money in %s\n", s->name,
           (unsigned long long)s->seed, (unsigned long long)s->trials, s->currency);
    if (isfinite(s->decision.risk_tolerance) || !isnan(s->decision.partner_margin) ||
        s->decision.measure == RISK_CVAR || s->decision.confidence != 0.9)
        printf("decision: risk %s, tolerance %s, partner margin %s, envelope confidence %.3g\n",
               s->decision.measure == RISK_CVAR ? "measure CVaR" : "measure CE",
               report_fmt(b[6], 48, s->decision.risk_tolerance, 0),
               report_fmt(b[7], 48, s->decision.partner_margin, 2), s->decision.confidence);
    if (s->work.outcomes > 0) {
        dist_describe(&s->work.cod, d1, sizeof d1);
        printf("work: %lld accepted outcomes needed by day %s (horizon %s days); cost of delay %s%s; "
               "superseded items %s\n",
               s->work.outcomes, report_fmt(b[0], 48, dist_mean(&s->work.target_day), 0),
               report_fmt(b[1], 48, s->work.horizon_days, 1), d1,
               s->work.cod_annual ? " a year" : " a day",
               s->work.replace_superseded ? "are replaced" : "reduce the scope");
    } else {
        printf("work: run-rate mode over %s days (%.2f months)\n",
               report_fmt(b[0], 48, s->work.horizon_days, 2),
               s->work.horizon_days / s->cal.days_per_month);
    }
    for (size_t i = 0; i < s->corr.npairs; i++) {
        const cop_pair *q = &s->corr.pairs[i];
        printf("%s %s ~ %s: rank %+.2f (normal copula %+.4f)\n", i ? "            " : "correlated:",
               s->corr.path[q->i], s->corr.path[q->j], q->rank, q->pearson);
    }
    warn_print(stdout, &s->warnings);
    char heavy[512];
    scn_heavy_tail_warning(s, s->decision.risk_tolerance, heavy, sizeof heavy);
    if (heavy[0])
        warn_line(stdout, heavy);
    for (size_t a = 0; a < s->nalts; a++) {
        const scn_alternative *alt = &s->alts[a];
        printf("\n%s%s\n", alt->name, a == s->baseline ? "  [baseline]" : "");
        if (alt->kind == ALT_BID) {
            const bid_params *bp = &alt->bid;
            char d2[64];
            dist_describe(&bp->price, d1, sizeof d1);
            dist_describe(&bp->delivery_days, d2, sizeof d2);
            printf("    fixed bid: price %s, delivery in %s days", d1, d2);
            if (bp->has_due_day) {
                dist_describe(&bp->late_penalty_per_day, d1, sizeof d1);
                printf(", late penalty %s/day after day %g (cap %s)", d1, bp->due_day,
                       report_fmt(b[5], 48, bp->penalty_cap, 0));
            }
            printf("%s\n", bp->warranty_covers_defects ? ", defects under warranty" : "");
        }
        for (size_t i = 0; i < alt->nsources; i++)
            digest_source(&alt->sources[i], &s->cal);
        for (size_t i = 0; i < alt->nrules; i++) {
            const sl_rule *r = &alt->rules[i];
            printf("    stop-loss '%s' (reviewed every %d month%s):", r->name, r->every,
                   r->every == 1 ? "" : "s");
            if (r->has_spent)
                printf(" spent over %s", report_fmt(b[0], 48, r->spent_over, 0));
            if (r->has_accepted)
                printf("%s accepted under %g", r->has_spent ? " and" : "", r->accepted_under);
            if (r->has_forecast)
                printf("%s forecast over the envelope by %.0f%%",
                       r->has_spent || r->has_accepted ? " and" : "", 100 * r->forecast_over);
            printf("\n");
        }
        for (size_t i = 0; i < alt->noverheads; i++) {
            dist_describe(&alt->overheads[i].monthly_cost, d1, sizeof d1);
            printf("    + overhead %s: %s/month, review waits x%g\n", alt->overheads[i].name, d1,
                   dist_mean(&alt->overheads[i].wait_factor));
        }
        double sh[M_COUNT];
        if (sheet_alternative(s, a, sh)) {
            scn_free(s);
            return diag_runtime(d, "out of memory");
        }
        printf("    spreadsheet view: total cost %s, %s accepted, %s per accepted outcome, "
               "delivery day %s%s\n",
               report_fmt(b[0], 48, sh[M_COST_TOTAL], 0), report_fmt(b[1], 48, sh[M_ACCEPTED], 2),
               report_fmt(b[2], 48, sh[M_COST_PER_OUTCOME], 0),
               report_fmt(b[3], 48, sh[M_DELIVERY_DAY], 1),
               sh[M_DELIVERED] ? "" : " (not delivered by the horizon)");
    }
    scn_free(s);
    return CM_EXIT_OK;
}
