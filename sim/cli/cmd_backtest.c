/*
 * cmd_backtest — `capmix backtest REALISED.csv`: score past forecasts of
 * capmix track against what was realised (backtest.h).
 */
#include <getopt.h>
#include <stdio.h>

#include "backtest_out.h"
#include "bt_run.h"
#include "cli.h"

static const char backtest_usage[] =
    "usage: capmix backtest REALISED.csv [-o DIR] [-q]\n"
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
    "options:\n"
    "  -o, --out DIR   write summary.json there (nothing on an error)\n"
    "  -q, --quiet     print nothing on success\n"
    "  -h, --help      this help\n";

int cmd_backtest(int argc, char **argv, diag *d)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int quiet = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        if (c == 'o') {
            out = optarg;
        } else if (c == 'q') {
            quiet = 1;
        } else if (c == 'h') {
            fputs(backtest_usage, stdout);
            return CM_EXIT_OK;
        } else {
            diag_input(d, NULL, 0, 0, "backtest: %s '%s' (see 'capmix backtest --help')",
                       c == ':' ? "option needs a value:" : "unknown option", argv[optind - 1]);
            return CM_EXIT_INPUT;
        }
    }
    if (argc - optind != 1) {
        diag_input(d, NULL, 0, 0, "backtest needs one REALISED.csv (see 'capmix backtest --help')");
        return CM_EXIT_INPUT;
    }
    const char *file = argv[optind];
    bt_run R;
    diag errs[BT_MAX_ERRS];
    size_t nprint = 0;
    int rc = CM_EXIT_OK;
    if (bt_run_score(file, &R, errs, &nprint, d)) {
        for (size_t i = 0; i < nprint; i++)
            fprintf(stderr, "capmix: %s:%d:%d: %s\n", errs[i].file, errs[i].line, errs[i].col, errs[i].msg);
        rc = d->kind == DIAG_RUNTIME ? CM_EXIT_RUNTIME : CM_EXIT_INPUT;
    } else if (out && bto_write(out, &R, file, d)) {
        rc = CM_EXIT_RUNTIME;
    } else if (!quiet) {
        bto_print(stdout, &R, file);
    }
    bt_run_release(&R);
    return rc;
}
