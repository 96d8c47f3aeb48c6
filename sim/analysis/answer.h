/*
 * answer — the one sentence a run leads with (model §6).
 *
 * The rule: options that deliver different amounts are compared per
 * accepted outcome (a ratio of totals) or with non-delivery priced
 * explicitly, never on raw totals.
 *   - Run-rate mode: every alternative works the same period and delivers
 *     what it delivers, so the answer ranks cost per accepted outcome,
 *     E[cost_total] / E[accepted] (report_alt.cpo), and states the
 *     incremental cost per incremental accepted outcome against the
 *     baseline.
 *   - Backlog mode: every delivered trial has the same scope, so the answer
 *     ranks expected blended cost (total cost plus cost of delay; total
 *     cost when there is no cost of delay) among the alternatives that
 *     deliver by the horizon in at least decision.min_delivery of trials;
 *     one that delivers less often is never the answer, and the sentence
 *     says why it was left out.  An undelivered trial's blended cost counts
 *     delay only to the horizon: a lower bound, said so when the answer has
 *     such trials.
 * Every sentence names its metric, the runner-up, P(delivered) where it
 * matters, and what would change the answer.
 */
#ifndef CAPMIX_ANSWER_H
#define CAPMIX_ANSWER_H

#include <stddef.h>
#include "report.h"

typedef struct ans_answer {
    int alt;             /* the answer's index, or -1 when no alternative qualifies */
    int runner_up;       /* -1 when there is none */
    const char *metric;  /* "cost_per_accepted_outcome", "blended_cost" or "cost_total" */
    char sentence[1400];
    char reason[400];    /* why that metric, and what was left out */
} ans_answer;

/* The answer of a run (rep built by report_build or report_build_stream). */
void ans_run(const report *rep, ans_answer *out);

/* `answer` in summary.json: {alternative, runner_up, metric, sentence, reason}. */
struct json_writer;
void ans_json(struct json_writer *w, const ans_answer *a, const scn_scenario *s);

#endif
