/*
 * stoploss — when does a rule fire on a simulated path.
 */
#include <math.h>

#include "stoploss.h"

int sl_fire_month(const sl_rule *r, const sl_path *p, double days_per_month, double horizon,
                  long long outcomes, double envelope)
{
    for (int m = r->every; m <= p->months; m += r->every) {
        double t = m * days_per_month;
        /* reviews happen strictly before the horizon, and only while the
         * alternative is running: one delivered by the review is done */
        if (t >= horizon || (p->delivered && p->end_day <= t))
            break;
        double spent = p->spent[(size_t)(m - 1) * p->stride];
        double acc = p->accepted[(size_t)(m - 1) * p->stride];
        int fire = 1;
        if (r->has_spent)
            fire &= spent > r->spent_over;
        if (r->has_accepted)
            fire &= acc < r->accepted_under;
        if (r->has_forecast) {
            double eac = acc > 0 ? spent + ((double)outcomes - acc) * spent / acc : INFINITY;
            fire &= eac > (1 + r->forecast_over) * envelope;
        }
        if (fire)
            return m;
    }
    return 0;
}
