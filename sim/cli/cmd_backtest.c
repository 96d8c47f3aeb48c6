/*
 * cmd_backtest — `capmix backtest REALISED.csv`: score past forecasts of
 * capmix track against what was realised (backtest.h).
 */
#include <stddef.h>
#include <stdio.h>

#include "backtest_out.h"
#include "bt_run.h"
#include "cli.h"
#include "opts.h"

typedef struct backtest_args {
    const char *out;
    int quiet;
} backtest_args;

static const opt_def backtest_opts[] = {
    {.name = "out", .letter = 'o', .kind = OPT_STR, .at = offsetof(backtest_args, out), .metavar = "DIR",
     .help = "write summary.json there (nothing on an error)"},
    {.name = "quiet", .letter = 'q', .kind = OPT_FLAG, .at = offsetof(backtest_args, quiet),
     .help = "print nothing on success"},
    {.name = "help", .letter = 'h', .kind = OPT_HELP, .help = "this help"},
    {.name = NULL},
};

static const opts_cmd backtest_cmd = {
    .name = "backtest",
    .head = "usage: capmix backtest REALISED.csv [-o DIR] [-q]\n"
            "\n"
            "Score past forecasts against what happened.  REALISED.csv has one row per forecast:\n"
            "  forecast         a folder written by 'capmix track -o' (relative to the CSV's folder)\n"
            "  cost_total       the realised final cost (required)\n"
            "  delivery_day     the realised delivery day (optional)\n"
            "  within_envelope  1 if the final cost stayed within the envelope, else 0 (optional)\n"
            "  delivered        1 if the scope was delivered by the horizon, else 0 (optional)\n"
            "For cost and delivery day: the share of outcomes at or below the forecast's P10, P50,\n"
            "P80 and P90 with 95% Wilson intervals (calibrated when the level lies inside), the mean\n"
            "pinball loss of each, the mean CRPS of the forecast's draws, and a PIT histogram (flat\n"
            "when calibrated).  For the binary forecasts: Brier scores.\n"
            "\n"
            "options:\n",
    .opts = backtest_opts,
    .width = 18,
    .flags = OPTS_SEE,
};

int cmd_backtest(int argc, char **argv, diag *d)
{
    backtest_args ba = {0};
    opts_seen seen;
    int prc = opts_parse(&backtest_cmd, argc, argv, &ba, &seen, d);
    if (prc < 0)
        return -1;
    if (prc > 0) {
        opts_help(stdout, &backtest_cmd);
        return CM_EXIT_OK;
    }
    const char *out = ba.out;
    int quiet = ba.quiet;
    if (argc - seen.first != 1) {
        diag_input(d, NULL, 0, 0, "backtest needs one REALISED.csv (see 'capmix backtest --help')");
        return -1;
    }
    const char *file = argv[seen.first];
    bt_run R;
    diag errs[BT_MAX_ERRS];
    size_t nprint = 0;
    int rc = CM_EXIT_OK;
    if (bt_run_score(file, &R, errs, &nprint, d)) {
        for (size_t i = 0; i < nprint; i++)
            fprintf(stderr, "capmix: %s:%d:%d: %s\n", errs[i].file, errs[i].line, errs[i].col, errs[i].msg);
        rc = -1;
    } else if (out && bto_write(out, &R, file, d)) {
        rc = -1;
    } else if (!quiet) {
        bto_print(stdout, &R, file);
    }
    bt_run_release(&R);
    return rc;
}
