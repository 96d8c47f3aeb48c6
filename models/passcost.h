/*
 * passcost — the costs a source books per pass (model §3, §18.8):
 * tokens per item, change orders, review hours.  The engine draws them
 * once per finished pass; the spreadsheet view books their means times the
 * expected number of passes.  Both call src_pass_costs, so a per-pass cost
 * added here reaches both and the two cannot disagree (the time-based and
 * one-off costs are shared the same way: src_time_costs, source.h).
 *
 * Static inline: the engine calls it once per pass, in its hottest loop,
 * and the mode is a constant at each call site, so each caller compiles
 * to its own branch-free body.  The operation order (what is added to
 * which account, and in which order the generator is drawn) is part of
 * the contract: published figures are bit-for-bit reproducible.
 */
#ifndef CAPMIX_PASSCOST_H
#define CAPMIX_PASSCOST_H

#include <gsl/gsl_rng.h>
#include "dist.h"
#include "rng.h"
#include "source.h"

typedef enum {
    SRC_PASS_DRAW, /* one pass: each cost drawn from r (a change order is
                    * drawn as a Bernoulli(probability) event) */
    SRC_PASS_MEAN  /* `passes` passes at the means of their costs; r unused */
} src_pass_mode;

/* Add the per-pass costs of source p to *direct (tokens, change orders)
 * and *internal (review hours at *senior_rate, per hour; read only when
 * the source books review hours, so the engine's hot loop loads it only
 * then).  SRC_PASS_DRAW
 * draws from r, in a fixed order, and ignores `passes`; SRC_PASS_MEAN
 * books `passes` times the expected cost and draws nothing (r may be
 * NULL).  Costs the source does not have (p->has) are skipped without a
 * draw. */
static inline void src_pass_costs(const src_params *p, src_pass_mode mode, gsl_rng *r, double passes,
                                  const double *senior_rate, double *direct, double *internal)
{
    /* most sources book none of them: one test instead of three */
    if (!(p->has & (SRC_HAS_TOKENS | SRC_HAS_CHANGE_ORDERS | SRC_HAS_REVIEW_HOURS)))
        return;
    if (p->has & SRC_HAS_TOKENS)
        *direct += mode == SRC_PASS_DRAW ? dist_sample(&p->tok_per_item, r)
                                         : passes * dist_mean(&p->tok_per_item);
    if (p->has & SRC_HAS_CHANGE_ORDERS) {
        if (mode == SRC_PASS_DRAW) {
            double prob = dist_sample(&p->co_probability, r);
            if (rng_uniform(r) < prob)
                *direct += dist_sample(&p->co_cost, r);
        } else {
            *direct += passes * dist_mean(&p->co_probability) * dist_mean(&p->co_cost);
        }
    }
    if (p->has & SRC_HAS_REVIEW_HOURS)
        *internal += (mode == SRC_PASS_DRAW ? dist_sample(&p->review_hours_per_item, r)
                                            : passes * dist_mean(&p->review_hours_per_item)) *
                     *senior_rate;
}

#endif
