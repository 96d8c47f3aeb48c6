/*
 * bounds — load-time bounds that keep a run finite (bounds.h).
 */
#include "bounds.h"

#include <math.h>

#include "scenario.h"
#include "source.h"

/* Beyond this quantile a draw is not expected in any run (10^8 trials
 * draw a trial-level input 10^8 times: a 1e-4 chance in the largest run). */
#define TAIL_Q (1 - 1e-12)

static double high(const dist *x)
{
    double lo, hi;
    dist_support(x, &lo, &hi);
    return isfinite(hi) ? hi : dist_quantile(x, TAIL_Q);
}

/* Mean passes a trial of source p over the horizon. */
static double passes(const scn_scenario *s, const src_params *p)
{
    double rate = p->tp == TP_OBSERVED ? p->tp_items / p->tp_days
                                       : dist_mean(&p->tp_per_month) / s->cal.days_per_month;
    double size = p->has_item_size ? dist_mean(&p->item_size) : 1;
    return rate * s->work.horizon_days / size;
}

static int check_passes(const scn_scenario *s, const scn_alternative *alt, diag *d)
{
    double total = 0;
    const src_params *worst = NULL;
    double most = -1;
    for (size_t i = 0; i < alt->nsources; i++) {
        double n = passes(s, &alt->sources[i]);
        total += n;
        if (n > most) {
            most = n;
            worst = &alt->sources[i];
        }
    }
    if (!worst || total <= SCN_MAX_PASSES)
        return 0;
    /* NaN (a size of mean 0 cannot be written) and Inf fail here too */
    return diag_input(d, s->file, worst->line, worst->col,
                      "alternative '%s' would simulate about %.3g passes a trial (throughput x "
                      "horizon / item size; source '%s' %.3g); at most %.0g are supported: shorten "
                      "the horizon or count the work in larger items",
                      alt->name, total, worst->name, most, SCN_MAX_PASSES);
}

static int check_tokens(const scn_scenario *s, const scn_alternative *alt, diag *d)
{
    double months = s->work.horizon_days / s->cal.days_per_month;
    for (size_t i = 0; i < alt->nsources; i++) {
        const src_params *p = &alt->sources[i];
        if (!(p->has & SRC_HAS_TOKENS) || (dist_is_const(&p->tok_monthly) && p->tok_monthly.a == 0))
            continue;
        double m = high(&p->tok_monthly), g = high(&p->tok_growth);
        double bill = src_token_cost(m, g, months);
        if (bill <= SCN_MAX_COST)
            continue;
        const dist *at = p->tok_growth.line ? &p->tok_growth : &p->tok_monthly;
        return diag_input(d, s->file, at->line ? at->line : p->line, at->line ? at->col : p->col,
                          "'tokens.growth_per_month' of source '%s' in '%s': at %.3g a month "
                          "over %.4g months the token bill reaches %.3g, beyond the %.0g a run "
                          "can add up; lower the growth or shorten the horizon",
                          p->name, alt->name, g, months, bill, SCN_MAX_COST);
    }
    return 0;
}

int scn_check_limits(const scn_scenario *s, diag *d)
{
    for (size_t a = 0; a < s->nalts; a++) {
        const scn_alternative *alt = &s->alts[a];
        if (alt->kind == ALT_BID)
            continue;
        if (check_passes(s, alt, d) || check_tokens(s, alt, d))
            return -1;
    }
    return 0;
}
