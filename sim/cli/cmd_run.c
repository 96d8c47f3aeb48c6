/*
 * cmd_run — `capmix run SCENARIO [-o DIR]`: simulate, print the table,
 * write summary.json, run.log (and trials.csv, plots) atomically.  The
 * pipeline is shared with bid and envelope (runpipe.c).
 */
#include <stdint.h>

#include "cli.h"
#include "runcmd.h"

static const opt_def run_opts[] = {
    RUN_ROWS(RUN_HELP_SHOWN, NULL),
    BID_ROWS("bid"),
    ENVELOPE_ROWS("envelope"),
    {.name = NULL},
};

const opts_cmd run_cmd = {
    .name = "run",
    .head = "usage: capmix run SCENARIO.yaml [-o DIR] [options]\n"
            "\n"
            "Simulate every alternative of the scenario and print, per alternative, cost per\n"
            "accepted outcome, total cost, delivery day, delay cost and blended cost (mean ± SE,\n"
            "P10/P50/P90/P95, CVaR95, and the spreadsheet point estimate), then the paired\n"
            "difference of each alternative against the baseline.\n"
            "\n"
            "options:\n",
    .opts = run_opts,
    .width = 23,
    .flags = OPTS_SEE,
};

int cmd_run(int argc, char **argv, diag *d)
{
    return run_pipeline(&run_cmd, MODE_RUN, argc, argv, NULL, d);
}
