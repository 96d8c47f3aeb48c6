/*
 * cmd_bid — `capmix bid SCENARIO`: weigh a partner's fixed bid against
 * the capacity mixes.  The pipeline is run's (runpipe.c) with the
 * decision figures on the screen.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "param.h"
#include "runcmd.h"

/* A positive amount, or "infinity", for --risk-tolerance. */
int bid_opt_tolerance(const opts_cmd *c, const opt_def *o, const char *s, const char *extra, void *dst,
                      diag *d)
{
    (void)c, (void)o, (void)extra;
    double *out = dst;
    if (!strcmp(s, "infinity")) {
        *out = INFINITY;
        return 0;
    }
    double v;
    if (prm_decimal(s, &v) || !(v > 0))
        return diag_input(d, NULL, 0, 0,
                          "--risk-tolerance needs a positive amount of money or 'infinity', not '%s'", s);
    *out = v;
    return 0;
}

int bid_opt_margin(const opts_cmd *c, const opt_def *o, const char *s, const char *extra, void *dst, diag *d)
{
    (void)c, (void)o, (void)extra;
    double *out = dst;
    double v;
    if (prm_decimal(s, &v) || !(v >= 0 && v < 10))
        return diag_input(d, NULL, 0, 0,
                          "--partner-margin needs a fraction from 0 to 10 (0.15 for 15%%), not '%s'", s);
    *out = v == 0 ? 0 : v; /* no "-0 %" */
    return 0;
}

static const opt_def bid_opts[] = {
    BID_ROWS(NULL),
    RUN_ROWS(RUN_HELP_HIDDEN, "run"),
    ENVELOPE_ROWS("envelope"),
    {.name = NULL},
};

const opts_cmd bid_cmd = {
    .name = "bid",
    .head = "usage: capmix bid SCENARIO.yaml [-o DIR] [--risk-tolerance R] [--partner-margin M] [options]\n"
            "\n"
            "Weigh each fixed_bid alternative (a partner's price for the whole scope) against every\n"
            "capacity mix, on total cost and on blended cost: mean, P50, P90, P95, CVaR95, P(mix\n"
            "cheaper), the risk premium (what certainty costs), the certainty equivalent of each\n"
            "at the risk tolerance, the break-even price (the highest price worth signing, at that\n"
            "tolerance and at risk neutrality), the market's answer (the partner's implied cost at\n"
            "its margin) and a verdict in a sentence.\n"
            "\n"
            "options:\n",
    .opts = bid_opts,
    .width = 27,
    .foot = "  plus every option of 'capmix run' (-o, --trials, --seed, --threads, --export-trials,\n"
            "  --no-plots, --above, --quiet)\n",
    .flags = OPTS_SEE,
};

int cmd_bid(int argc, char **argv, diag *d)
{
    return run_pipeline(&bid_cmd, MODE_BID, argc, argv, NULL, d);
}
