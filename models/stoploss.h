/*
 * stoploss — rules decided in advance that end an alternative at a
 * month-end review (model §5), and their effect trial by trial.
 *
 * A rule reviews every `review_every_months` months, strictly before the
 * horizon and only while the alternative is still running, and fires at the
 * first review where all its conditions hold:
 *   stop_if: {spent_over: X, accepted_under: Y}   spent > X and accepted < Y
 *   forecast_over_envelope: f                    estimate at completion >
 *                                                (1 + f) × the envelope
 * The estimate at completion is spent + (outcomes − accepted) × spent /
 * accepted (+Inf while nothing is accepted).  A stopped trial keeps what it
 * spent, books its end-of-contract costs (min_months top-up, exit_cost),
 * keeps the outcomes accepted so far and delivers nothing (delivered 0,
 * delivery day = horizon, delay cost counted to the horizon).
 *
 * Why this is exact without re-simulating: until a rule fires, the stopped
 * path and the unstopped one are the same path (same random numbers), so
 * the engine's month-end snapshots of the unstopped path — cumulative spend,
 * accepted count, and the cost of stopping right there — are all a rule
 * can see and all a stop costs.
 */
#ifndef CAPMIX_STOPLOSS_H
#define CAPMIX_STOPLOSS_H

#include <stddef.h>

#define SL_NAME_MAX 64

typedef struct sl_rule {
    char name[SL_NAME_MAX];
    int every;                /* review every this many months (>= 1) */
    int has_spent, has_accepted, has_forecast;
    double spent_over, accepted_under, forecast_over;
    /* then: the alternative that takes over the outcomes still required
     * from the stop day ("" = abandon them, the default) */
    char then_name[SL_NAME_MAX];
    int then_line, then_col;
    int line, col;
} sl_rule;

/* What a review sees of one trial: month-end m (1-based) values. */
typedef struct sl_path {
    int months;               /* snapshots available */
    const double *spent;      /* cumulative spend at month end m, stride `stride` */
    const double *accepted;
    size_t stride;            /* distance between consecutive months */
    double end_day;           /* the alternative's own end (delivery or horizon) */
    int delivered;
} sl_path;

/*
 * The first month at which rule r fires on this path (1-based), or 0 when
 * it never does.  days_per_month and horizon place the reviews; outcomes is
 * work.outcomes; envelope is the alternative's envelope (for
 * forecast_over_envelope).
 */
int sl_fire_month(const sl_rule *r, const sl_path *p, double days_per_month, double horizon,
                  long long outcomes, double envelope);

#endif
