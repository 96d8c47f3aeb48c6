/*
 * converge — the --precision doubling loop (see converge.h).
 */
#include <math.h>
#include <stdlib.h>

#include "budget.h"
#include "converge.h"
#include "stats.h"

int eng_conv_check(const eng_results *r, eng_conv *cv, diag *d)
{
    size_t n = (size_t)r->trials;
    double *x = malloc(n * sizeof *x);
    if (!x) /* not "target not met": that would double the trials for nothing */
        return diag_runtime(d, "out of memory");
    cv->rse = cv->p90 = 0;
    cv->met = 1;
    for (size_t a = 0; a < r->nalts; a++) {
        stats_summary st;
        stats_summarise(eng_metric_data(r, a, cv->metric), n, x, &st);
        double lo, hi;
        stats_quantile_ci(x, st.n, 0.9, 0.9, &lo, &hi);
        double rse = st.mean != 0 && isfinite(st.se) ? st.se / fabs(st.mean) : (st.se == 0 ? 0 : INFINITY);
        double rq = st.p90 != 0 && isfinite(hi - lo) ? (hi - lo) / 2 / fabs(st.p90) : (hi == lo ? 0 : INFINITY);
        if (!(rse <= cv->rse))
            cv->rse = rse;
        if (!(rq <= cv->p90))
            cv->p90 = rq;
    }
    if (!(cv->rse <= cv->target && cv->p90 <= cv->target))
        cv->met = 0;
    free(x);
    return 0;
}

int eng_converge(scn_scenario *s, eng_opts *eo, int monthly, eng_conv *cv, eng_results **res, diag *d)
{
    uint64_t n = 4 * ENG_BLOCK;
    *res = NULL;
    for (;;) {
        if (n > cv->max)
            n = cv->max;
        s->trials = n;
        eo->trials = n;
        eo->monthly = monthly || eng_monthly_fits(s, n);
        if (eng_run(s, eo, res, d))
            return -1;
        if (eng_conv_check(*res, cv, d)) {
            eng_results_free(*res);
            *res = NULL;
            return -1;
        }
        if (cv->met || n >= cv->max)
            return 0;
        eng_results_free(*res);
        *res = NULL;
        n *= 2;
    }
}
