/*
 * bounds — the bounds a run needs, checked when a scenario is loaded
 * (issue 14, class 4): whatever `validate` accepts, `run` can finish in
 * bounded time and with finite metrics, and what it cannot is refused
 * with the file, line and column of the key that breaks it.
 *
 * Bounds (docs/model.md "Limits"):
 *   - passes a trial: an alternative's sources together, at their mean
 *     throughput over the horizon and mean item size, simulate at most
 *     SCN_MAX_PASSES passes per trial (as many as work.outcomes allows);
 *   - the token bill: tokens.monthly compounded by growth_per_month over
 *     the horizon, both at their 1 - 1e-12 quantile, stays below
 *     SCN_MAX_COST, where the sums of squares behind an SD of 10^8 trials
 *     still fit a double.
 * The horizon itself (SCN_MAX_HORIZON_DAYS) is checked where it is read.
 */
#ifndef CAPMIX_BOUNDS_H
#define CAPMIX_BOUNDS_H

#include "diag.h"

struct scn_scenario;

/* Passes one alternative may simulate in one trial. */
#define SCN_MAX_PASSES 1e7
/* Largest cost one input may reach: 1e150^2 x 1e8 trials < DBL_MAX. */
#define SCN_MAX_COST 1e150

/*
 * Check `s` (fully loaded) against the bounds above.  Returns 0, or -1
 * with d set to an input error at the offending key (s->file).
 */
int scn_check_limits(const struct scn_scenario *s, diag *d);

#endif
