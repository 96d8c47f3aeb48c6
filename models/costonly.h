/*
 * costonly — which changes to a scenario leave every timeline of an
 * alternative alone, so that its results at the changed values can be
 * had by re-costing the timelines already simulated (model §18.46).
 *
 * A change is cost-only when every figure it moves is booked after the
 * timeline (src_time_costs, the overheads' monthly cost, a per-pass
 * token charge summed at the end) and it changes no draw count of any
 * stream: the trial stream draws each trial-level quantity in a fixed
 * order, so a quantity may change only from one constant to another (a
 * constant draws nothing); anything else must be the same bits.  The
 * decision is made on the loaded scenarios, field by field, never on how
 * a swept path is spelt, so a key that feeds a timeline quantity under
 * some kind (or a path that reaches more than it names) is simply not
 * cost-only.
 */
#ifndef CAPMIX_COSTONLY_H
#define CAPMIX_COSTONLY_H

#include <stddef.h>
#include "scenario.h"

/*
 * 1 when alternative ib of b is alternative ia of a up to cost-only
 * changes, and both scenarios draw the same streams for it: the same
 * seed, trial count, calendar, work, people (the work stream), no
 * correlations, the same name, a capacity mix with no stop-loss rule in
 * either, and its sources and overheads alike but for these, each either
 * the same or a constant in both:
 *   hourly_rate, hours_per_month, monthly_fee, loaded_annual,
 *   oversight.senior_hours_per_week and pm_hours_per_week,
 *   tokens.monthly and growth_per_month, onboarding_cost, exit_cost,
 *   an overhead's monthly_cost,
 * min_months (any value), and tokens.per_item of a source without
 * change orders (its per-pass charge is then the only thing it adds to
 * its per-pass direct cost, so the sum can be re-added pass by pass).
 * 0 otherwise, including every case not listed (be conservative: a
 * simulation is always right).
 */
int scn_cost_only_change(const scn_scenario *a, size_t ia, const scn_scenario *b, size_t ib);

#endif
