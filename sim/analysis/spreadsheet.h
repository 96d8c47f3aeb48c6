/*
 * spreadsheet — the single number a spreadsheet would have given (model §18.11), to print beside the distribution it hides.
 *
 * The same cost formulas as the engine (source.h, passcost.h, metrics.h),
 * with every dist replaced by its mean, observed counts by observed
 * proportions and rates, and every random process by its steady-state
 * expectation:
 *   per source, with first-pass outcome probabilities (a, r, s), later ones
 *   (a', r', s'), K = max_rework_cycles, G = Σ_{j<K} r'^j:
 *     passes per item      1 + r·G
 *     P(item accepted)     a + r·a'·G
 *     effort per item      1 + e·r·G            (e = mean rework_effort)
 *     items resolved/day   λ / (effort per item · mean item size)
 *   accrued over the source's effective (ramped) time.
 * Run-rate mode is then exact arithmetic over the horizon; backlog mode is
 * the fluid approximation: delivery is the day the expected accepted count
 * reaches `outcomes` (found with GSL's Brent solver), capped at the
 * horizon.  Metrics without a spreadsheet counterpart (cycle_days,
 * flow_efficiency) are NaN.
 */
#ifndef CAPMIX_SPREADSHEET_H
#define CAPMIX_SPREADSHEET_H

#include "engine.h"
#include "scenario.h"

/* Fill out[M_COUNT] for alternative a.  Returns 0, or -1 when the root
 * solver cannot be allocated (out of memory; out[] is then all NaN). */
int sheet_alternative(const scn_scenario *s, size_t a, double out[M_COUNT]);

#endif
