/*
 * help — the topic pages (see help.h).  Examples are built from a few
 * shared pieces so that each stays a complete, valid scenario.
 */
#include <string.h>

#include "engine.h"
#include "help.h"
#include "models.h"
#include "param.h"
#include "scenario.h"
#include "scnload.h"

#define EX_HEAD "capmix: 1\nname: example\nseed: 1\ntrials: 2000\n\n"
#define EX_PEOPLE                                                                                 \
    "people:\n"                                                                                   \
    "  senior_engineer: {loaded_annual: 280000}\n"                                                \
    "  product_manager: {loaded_annual: 208000}\n\n"
#define EX_WORK                                                                                   \
    "work:\n"                                                                                     \
    "  outcomes: 24\n"                                                                            \
    "  horizon_days: 730\n"                                                                       \
    "  target_day: 120\n"                                                                         \
    "  cost_of_delay: {annual_value: 320000}\n\n"
#define EX_POD_SOURCE                                                                             \
    "      - kind: offshore_pod\n"                                                                \
    "        name: pod\n"                                                                         \
    "        headcount: 6\n"                                                                      \
    "        hourly_rate: 85\n"                                                                   \
    "        throughput: {observed: {items: 24, days: 90}}\n"                                     \
    "        outcomes: {observed: {accepted: 14, rework: 6, superseded: 4}}\n"
#define EX_POD "  - name: offshore\n    baseline: true\n    sources:\n" EX_POD_SOURCE
#define EX_AI_SOURCE                                                                              \
    "      - kind: ai_team\n"                                                                     \
    "        name: team\n"                                                                        \
    "        headcount: 4\n"                                                                      \
    "        loaded_annual: 280000\n"                                                             \
    "        throughput_per_month: 5\n"                                                           \
    "        outcomes: {accepted: 0.85, rework: 0.12, superseded: 0.03}\n"                        \
    "        tokens: {monthly: 22000, growth_per_month: 0.05, per_item: 300}\n"
#define EX_AI "  - name: ai-team\n    sources:\n" EX_AI_SOURCE
#define EX_ALTS "alternatives:\n" EX_POD EX_AI
#define EX_BASIC EX_HEAD EX_PEOPLE EX_WORK EX_ALTS

typedef struct help_page {
    const char *name;
    const char *summary;
    const char *text;
    const char *tables[4]; /* "scn:SECTION", "model:SECTION" or "metrics" */
    const char *example;
} help_page;

static const help_page pages[] = {
    {"scenario", "the top level of a scenario file",
     "A scenario is one YAML file: format version ('capmix: 1'), a name (free text) and\n"
     "description, the currency money is in (a code such as USD, EUR, GBP; default USD), the\n"
     "seed and trial count, then the sections below.  Any number may be a distribution:\n"
     "{dist: pert, min: 3, mode: 5, max: 9}, {dist: lognormal, median: 2500, p90: 9000},\n"
     "{dist: triangular, ...}, {dist: uniform, min, max}, {dist: normal, mean, sd}, gamma,\n"
     "beta, discrete, empirical.",
     {"scn:scenario"},
     "description: a pod against an AI-augmented team\ncurrency: USD\n" EX_BASIC},
    {"calendar", "days, weeks and hours a month, hours a year",
     "How time converts: days_per_month (default 365/12), weeks_per_month (52/12),\n"
     "hours_per_year (2080, turns loaded_annual into an hourly rate for oversight and\n"
     "review hours), hours_per_month (160, billed hours of a time-and-materials source),\n"
     "fiscal_year_start (MM-DD, default 01-01; a fiscal year is named by the calendar\n"
     "year it ends in) for the quarters shown when work.start_date is given.",
     {"scn:calendar"},
     EX_HEAD "calendar:\n  days_per_month: 30.4\n  hours_per_year: 1800\n  hours_per_month: 150\n"
              "  fiscal_year_start: 07-01\n\n" EX_PEOPLE
         EX_WORK EX_ALTS},
    {"people", "internal rates of the people who oversee and review",
     "The senior engineer's and the product manager's rates, charged for oversight hours\n"
     "and review hours (internal cost).  Each role takes loaded_annual (a year's loaded\n"
     "cost, divided by calendar.hours_per_year) or hourly_rate, not both.",
     {"scn:people", "scn:people.ROLE"},
     EX_HEAD "people:\n  senior_engineer: {loaded_annual: {dist: triangular, min: 250000, mode: 280000, max: 360000}}\n"
             "  product_manager: {hourly_rate: 100}\n\n" EX_WORK EX_ALTS},
    {"work", "what must be delivered, by when, and what delay costs",
     "Backlog mode: 'outcomes' accepted production outcomes are needed; an alternative\n"
     "works until they are accepted (its delivery day) or the horizon.  Without\n"
     "'outcomes', run-rate mode: every source works until the horizon and there is no\n"
     "delay cost.  horizon_days (or horizon_months) bounds the simulation; after\n"
     "target_day each day costs cost_of_delay: {per_day: X} or {annual_value: Y,\n"
     "days_per_year: 365}.  replace_superseded (default true) replaces a superseded item\n"
     "with a new one.  start_date (YYYY-MM-DD) is day 0: delivery days are then also\n"
     "shown as dates, and month ends by fiscal quarter (see 'capmix help calendar').",
     {"scn:work", "scn:work.cost_of_delay"},
     EX_HEAD EX_PEOPLE
     "work:\n  outcomes: 24\n  horizon_days: 730\n  target_day: {dist: triangular, min: 100, mode: 120, max: 150}\n"
     "  cost_of_delay: {per_day: 877}\n  replace_superseded: true\n  start_date: 2026-01-05\n\n" EX_ALTS},
    {"alternatives", "the ways to get the work done, one of them the baseline",
     "A list; each alternative has a name (letters, digits, '-', '_') and either\n"
     "'sources' (a capacity mix: see 'capmix help KIND' for in_house, ai_team,\n"
     "offshore_pod, staff_augmentation, consultants) or 'fixed_bid' (a partner's price).\n"
     "'baseline: true' marks the one the others are compared with (default: the first\n"
     "capacity mix).  A mix may carry 'overheads' and 'stop_loss' rules.",
     {"scn:alternatives"}, EX_BASIC},
    {"sources", "the keys a capacity source may carry (by kind: capmix help KIND)",
     "A source is one team or vendor inside a capacity mix.  Its kind decides which pay\n"
     "keys it takes and which keys it needs; the work-process keys are the same for all.\n"
     "'capmix help KIND' lists them per kind.",
     {"model:source"}, EX_BASIC},
    {"outcomes", "how a pass ends: accepted, rework or superseded",
     "Per pass, probabilities that sum to 1 ({accepted: 0.85, rework: 0.12, superseded:\n"
     "0.03}), or counts you observed ({observed: {accepted: 14, rework: 6, superseded:\n"
     "4}}), which capmix turns into a posterior so their uncertainty is carried.\n"
     "rework_outcomes, the same shape, applies to passes of reworked items.",
     {"model:outcomes", "model:outcomes.observed"},
     EX_HEAD EX_PEOPLE EX_WORK "alternatives:\n" EX_POD
     "  - name: ai-team\n    sources:\n      - kind: ai_team\n        name: team\n        headcount: 4\n"
     "        loaded_annual: 280000\n        throughput_per_month: 5\n"
     "        outcomes: {accepted: 0.85, rework: 0.12, superseded: 0.03}\n"
     "        rework_outcomes: {accepted: 0.95, rework: 0.05, superseded: 0}\n"
     "        tokens: {monthly: 22000}\n"},
    {"throughput", "how fast a source completes passes",
     "Either throughput_per_month (passes a month with every lane busy; any number or\n"
     "distribution) or throughput: {observed: {items: N, days: D}} (N passes seen in D\n"
     "days; capmix carries the uncertainty of so few observations).",
     {"model:throughput", "model:throughput.observed"}, EX_BASIC},
    {"tokens", "an AI team's inference bill",
     "tokens: {monthly: M, growth_per_month: g, per_item: c}: a monthly bill growing by\n"
     "g a month (compounded; above -1, at most 10), plus c per pass.  At least one key.",
     {"model:tokens"}, EX_BASIC},
    {"oversight", "senior and PM hours a week spent steering a source or a bid",
     "oversight: {senior_hours_per_week: S, pm_hours_per_week: P}, charged at the\n"
     "people's rates (internal cost) for as long as the source works; on a fixed bid,\n"
     "for the delivery period.",
     {"model:oversight"},
     EX_HEAD EX_PEOPLE EX_WORK "alternatives:\n  - name: offshore\n    baseline: true\n    sources:\n" EX_POD_SOURCE
     "        oversight: {senior_hours_per_week: 8, pm_hours_per_week: 4}\n" EX_AI},
    {"change_orders", "a source's change orders: a chance per pass and a cost",
     "change_orders: {probability_per_item: p, cost: C}: after each pass, with\n"
     "probability p, a change order costing C (direct cost).  Both keys are required.",
     {"model:change_orders"},
     EX_HEAD EX_PEOPLE EX_WORK "alternatives:\n  - name: offshore\n    baseline: true\n    sources:\n" EX_POD_SOURCE
     "        change_orders: {probability_per_item: 0.1, cost: {dist: gamma, mean: 8000, sd: 6000}}\n" EX_AI},
    {"overheads", "costs of an alternative beyond its sources",
     "overheads: a list on a capacity mix, each {name, monthly_cost, wait_factor}:\n"
     "monthly_cost accrues from day 0 to the alternative's end; wait_factor multiplies\n"
     "every review wait (a delivery coach who shortens them: below 1).",
     {"scn:overheads"},
     EX_HEAD EX_PEOPLE EX_WORK EX_ALTS
     "    overheads:\n      - name: delivery-coach\n        monthly_cost: 18000\n"
     "        wait_factor: {dist: triangular, min: 0.5, mode: 0.7, max: 1.0}\n"},
    {"fixed_bid", "a partner's fixed price for the whole scope",
     "An alternative with 'fixed_bid' instead of 'sources' (backlog mode only): price and\n"
     "delivery_days (required), late_penalty_per_day from due_day (paid back to us),\n"
     "capped at penalty_cap, change_orders {count_mean, cost}, oversight, escaped\n"
     "defects unless warranty_covers_defects.  'capmix bid' weighs it against each mix.",
     {"model:fixed_bid", "model:fixed_bid.change_orders", "model:fixed_bid.oversight"},
     EX_HEAD EX_PEOPLE EX_WORK EX_ALTS
     "  - name: partner-fixed-bid\n    fixed_bid:\n      price: 780000\n"
     "      delivery_days: {dist: pert, min: 150, mode: 180, max: 260}\n"
     "      late_penalty_per_day: 2000\n      due_day: 180\n      penalty_cap: 150000\n"
     "      change_orders: {count_mean: 3, cost: {dist: gamma, mean: 35000, sd: 30000}}\n"
     "      oversight: {senior_hours_per_week: 4, pm_hours_per_week: 6}\n"},
    {"stop_loss", "rules, decided in advance, for stopping a capacity mix",
     "stop_loss: a list on a capacity mix, each {name, review_every_months, stop_if:\n"
     "{spent_over, accepted_under}, forecast_over_envelope: f}.  At each review the rule\n"
     "fires when all its conditions hold; forecast_over_envelope fires when the estimate\n"
     "at completion exceeds (1 + f) times the envelope.  'capmix envelope' reports each\n"
     "rule's P(stop), spend with and without it, and its false stops.",
     {"scn:stop_loss", "scn:stop_loss.stop_if"},
     EX_HEAD EX_PEOPLE EX_WORK EX_ALTS
     "    stop_loss:\n      - name: burn-without-output\n        review_every_months: 1\n"
     "        stop_if: {spent_over: 400000, accepted_under: 10}\n"
     "      - name: forecast-overrun\n        review_every_months: 2\n        forecast_over_envelope: 0.2\n"},
    {"decision", "how the sponsor weighs risk, and the envelope's confidence",
     "risk_tolerance R (money; default infinite: risk neutral) for certainty\n"
     "equivalents, or risk_measure: cvar with cvar_level (default 0.95) instead of ce;\n"
     "partner_margin m (a share, e.g. 0.15) for a bid's implied cost; confidence\n"
     "(default 0.9) for budget envelopes.",
     {"scn:decision"},
     EX_HEAD EX_PEOPLE EX_WORK
     "decision:\n  risk_tolerance: 2000000\n  partner_margin: 0.15\n  risk_measure: ce\n  confidence: 0.9\n\n" EX_ALTS},
    {"correlations", "rank correlations between uncertain inputs",
     "A list of {between: [A, B], rank: r}: A and B name trial-level inputs,\n"
     "ALT/SOURCE.KEY (e.g. offshore/pod.throughput), ALT.fixed_bid.KEY, work.cost_of_delay\n"
     "or work.target_day; r is the Spearman rank correlation, strictly between -1 and 1,\n"
     "induced by a Gaussian copula that keeps every input's distribution as written.",
     {"scn:correlations"},
     EX_HEAD EX_PEOPLE EX_WORK EX_ALTS
     "\ncorrelations:\n  - between: [offshore/pod.throughput, offshore/pod.outcomes.accepted]\n    rank: -0.4\n"},
    {"sweep", "the question 'capmix sweep FILE' answers without options",
     "sweep: {set: PATH=LO:HI:N, metric: METRIC.STAT, between: [A, B]}: every\n"
     "alternative's statistic at N values of one input (same random numbers at each),\n"
     "with the crossing of A and B solved.  See 'capmix help metrics' for METRIC.STAT.",
     {"scn:sweep"},
     EX_BASIC "\nsweep:\n  set: ai-team/team.tokens.monthly=10000:120000:12\n  metric: cost_per_outcome.p50\n"
              "  between: [ai-team, offshore]\n"},
    {"breakeven", "the question 'capmix breakeven FILE' answers without options",
     "breakeven: {x: PATH=LO:HI:N, y: PATH=LO:HI, metric: METRIC.STAT, between: [A, B]}:\n"
     "for each x, the y at which A and B are equal on the statistic.",
     {"scn:breakeven"},
     EX_BASIC "\nbreakeven:\n  x: ai-team/team.tokens.monthly=10000:120000:23\n"
              "  y: ai-team/team.throughput_per_month=2:12\n  metric: cost_per_outcome.p50\n"
              "  between: [ai-team, offshore]\n"},
    {"metrics", "the figures per trial, and the statistics of them",
     "Per trial and alternative: costs by component and in total, outcomes accepted,\n"
     "passes, rework passes, superseded items, delivery day, whether delivered by the\n"
     "horizon, delay cost, blended cost (total + delay), cost per accepted outcome, cycle\n"
     "days, flow efficiency.  sweep, breakeven and tornado take METRIC.STAT, a metric\n"
     "and a statistic (e.g. blended_cost.p90); --above METRIC=VALUE and\n"
     "--precision-metric take a metric.",
     {"metrics"}, EX_BASIC},
};
#define NPAGES (sizeof pages / sizeof pages[0])

const char *const *help_topic_names(void)
{
    static const char *names[NPAGES + 1];
    for (size_t i = 0; i < NPAGES; i++)
        names[i] = pages[i].name;
    names[NPAGES] = NULL;
    return names;
}

void help_list(FILE *fp)
{
    for (size_t i = 0; i < NPAGES; i++)
        fprintf(fp, "  %-20s %s\n", pages[i].name, pages[i].summary);
}

static void keys_line(FILE *fp, const char *label, const char *const *keys)
{
    fprintf(fp, "%s:", label);
    for (size_t i = 0; keys && keys[i]; i++)
        fprintf(fp, "%s %s", i ? "," : "", keys[i]);
    fputc('\n', fp);
}

int help_topic(FILE *fp, const char *topic, int example_only)
{
    const help_page *p = NULL;
    for (size_t i = 0; i < NPAGES && !p; i++)
        if (!strcmp(pages[i].name, topic))
            p = &pages[i];
    if (!p)
        return -1;
    if (example_only) {
        fputs(p->example, fp);
        return 0;
    }
    fprintf(fp, "%s — %s\n\n%s\n\n", p->name, p->summary, p->text);
    for (int t = 0; t < 4 && p->tables[t]; t++) {
        const char *tb = p->tables[t];
        char label[64];
        if (!strcmp(tb, "metrics")) {
            keys_line(fp, "metrics", eng_metric_names());
            fputs("statistics:", fp);
            for (int s = 0; s < PS_COUNT; s++)
                fprintf(fp, "%s %s", s ? "," : "", prm_stat_name((prm_stat)s));
            fputc('\n', fp);
        } else if (!strncmp(tb, "scn:", 4)) {
            snprintf(label, sizeof label, "keys of %s", tb + 4);
            keys_line(fp, label, scn_keys(tb + 4));
        } else {
            snprintf(label, sizeof label, "keys of %s", tb + 6);
            keys_line(fp, label, model_keys(tb + 6));
        }
    }
    fprintf(fp, "\nexample (a complete scenario: capmix help %s --example > s.yaml; capmix validate s.yaml):\n\n",
            p->name);
    fputs(p->example, fp);
    return 0;
}
