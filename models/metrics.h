/*
 * metrics — the list of per-trial metrics (model §3) and the formulas of
 * the derived ones: total cost, delay cost, blended cost and cost per
 * accepted outcome.
 *
 * The engine (each simulated trial, a stop-loss takeover) and the
 * spreadsheet view (the point estimate) fill the same out[M_COUNT] rows;
 * they compute the derived rows here so the definitions cannot drift
 * apart.  The formulas are static inline: they run once per
 * alternative-trial in the hot loop.  Their floating-point operation
 * order is part of the contract (published figures are bit-for-bit
 * reproducible, tests/golden).
 *
 * The names keep their historical eng_ prefix: every layer above names
 * them, and the metric list moved here (from the engine) only so that the
 * input layer can parse "METRIC.STAT" without including the engine.
 */
#ifndef CAPMIX_METRICS_H
#define CAPMIX_METRICS_H

#include <math.h>

typedef enum {
    M_COST_DIRECT = 0,
    M_COST_INTERNAL,
    M_COST_SUPPORT,
    M_COST_TOTAL,
    M_ACCEPTED,
    M_PASSES,
    M_REWORK_PASSES,
    M_SUPERSEDED,
    M_DELIVERY_DAY,
    M_DELIVERED,
    M_DELAY_COST,
    M_BLENDED_COST,
    M_COST_PER_OUTCOME,
    M_CYCLE_DAYS,
    M_FLOW_EFFICIENCY,
    M_COUNT
} eng_metric;

/* The metric's name in summary.json and trials.csv (model §3); "?" out of
 * range. */
const char *eng_metric_name(eng_metric m);

/* Every metric's name, NULL-terminated (for "did you mean"). */
const char *const *eng_metric_names(void);

/* Index of a metric by name, or -1. */
int eng_metric_find(const char *name);

/* Total cost: direct + internal + support, in that order. */
static inline double met_total(double direct, double internal, double support)
{
    return direct + internal + support;
}

/* Delay cost of delivering on `day` against `target_day` at cod_per_day a
 * day late; 0 when on time.  Callers without a backlog (run-rate mode, no
 * delivery to be late for) pass no delay at all. */
static inline double met_delay(double day, double target_day, double cod_per_day)
{
    return day > target_day ? cod_per_day * (day - target_day) : 0;
}

/* Fill the derived rows of out[] from its M_COST_TOTAL and M_ACCEPTED rows
 * and the delay cost: M_DELAY_COST, M_BLENDED_COST (total + delay) and
 * M_COST_PER_OUTCOME (total / accepted; +Inf when nothing was accepted). */
static inline void met_derive(double out[M_COUNT], double delay)
{
    out[M_DELAY_COST] = delay;
    out[M_BLENDED_COST] = out[M_COST_TOTAL] + delay;
    out[M_COST_PER_OUTCOME] = out[M_ACCEPTED] > 0 ? out[M_COST_TOTAL] / out[M_ACCEPTED] : INFINITY;
}

#endif
