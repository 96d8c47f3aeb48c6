/*
 * cmd_track — `capmix track SCENARIO --alternative NAME --actuals LEDGER.csv`:
 * re-forecast a running alternative from its ledger (track.h).
 */
#include <float.h>
#include <stddef.h>
#include <stdio.h>

#include "calibrate.h"
#include "cli.h"
#include "opts.h"
#include "ledger.h"
#include "scenario.h"
#include "scnload.h"
#include "track.h"
#include "track_out.h"
#include "track_run.h"

typedef struct track_args {
    const char *alternative, *actuals, *out, *start, *line, *above, *by;
    unsigned long long trials, threads;
    int quiet, no_plots;
} track_args;

static const opt_def track_opts[] = {
    {.name = "alternative", .kind = OPT_STR, .at = offsetof(track_args, alternative), .metavar = "NAME",
     .help = "the running alternative"},
    {.name = "actuals", .kind = OPT_STR, .at = offsetof(track_args, actuals), .metavar = "FILE",
     .help = "its ledger"},
    {.name = "out", .letter = 'o', .kind = OPT_STR, .at = offsetof(track_args, out), .metavar = "DIR",
     .help = "write summary.json, track.log, draws.csv (the forecast's draws,\nfor capmix backtest) and the "
             "cone chart (cone.png: the final cost\nre-forecast at each past month against the spend) "
             "there;\nnothing on an error"},
    {.name = "start", .kind = OPT_STR, .at = offsetof(track_args, start), .metavar = "YYYY-MM",
     .help = "the calendar month of the ledger's month 1 (dates, month names)"},
    {.name = "line", .kind = OPT_STR, .at = offsetof(track_args, line), .metavar = "NAME",
     .help = "the cost line --above asks about (default 'tokens', or the only one)"},
    {.name = "above", .kind = OPT_STR, .at = offsetof(track_args, above), .metavar = "AMOUNT",
     .help = "with --by: P(the line exceeds AMOUNT in that month), with its interval"},
    {.name = "by", .kind = OPT_STR, .at = offsetof(track_args, by), .metavar = "MONTH",
     .help = "a ledger month number after the last, or YYYY-MM with --start"},
    {.name = "no-plots", .kind = OPT_FLAG, .at = offsetof(track_args, no_plots),
     .help = "write the cone chart's data and script, do not run gnuplot"},
    {.name = "trials", .kind = OPT_U64, .at = offsetof(track_args, trials), .lo = 100, .hi = 10000000,
     .metavar = "N", .help = "re-forecast trials (default: the scenario's, at most 100000)"},
    {.name = "threads", .kind = OPT_U64, .at = offsetof(track_args, threads), .lo = 1, .hi = 256,
     .metavar = "N", .help = "threads for the model check (default 1; results do not depend on it)"},
    {.name = "quiet", .letter = 'q', .kind = OPT_FLAG, .at = offsetof(track_args, quiet),
     .help = "print nothing on success"},
    {.name = "help", .letter = 'h', .kind = OPT_HELP, .help = "this help"},
    {.name = NULL},
};

static const opts_cmd track_cmd = {
    .name = "track",
    .head = "usage: capmix track SCENARIO.yaml --alternative NAME --actuals LEDGER.csv [-o DIR]\n"
            "                    [--start YYYY-MM] [--line NAME] [--above AMOUNT --by MONTH]\n"
            "                    [--trials N] [--threads N] [-q]\n"
            "\n"
            "Re-forecast a running alternative from its actuals: the money already spent plus a\n"
            "simulation of the rest from the state at the ledger's last month, with each source's\n"
            "throughput and outcome mix updated by what the ledger observed (docs/model.md,\n"
            "\"Tracking actuals\").  Prints the final cost, blended cost and delivery day P10/P50/P90,\n"
            "P(finish within the envelope), the stop-loss rules on the actuals and the advice:\n"
            "continue, increase the envelope, cut, or transfer the rest at a break-even price.\n"
            "\n"
            "The ledger is a CSV file, one row per month and source:\n"
            "  month,source,spent,accepted,rework,superseded[,tokens,...]\n"
            "amounts for that month, not cumulative; 'source' may be left out for a one-source\n"
            "alternative; further columns are cost lines (tokens, ...): each is forecast by month\n"
            "with 80% prediction intervals (a log-linear trend, its uncertainty and the monthly noise).\n"
            "\n"
            "options:\n",
    .opts = track_opts,
    .width = 26,
    .flags = OPTS_SEE_UNKNOWN,
};

#define MAX_ERRS 50

/* --start, --above and --by into the request. */
static int parse_when(const char *start, const char *above, const char *by, trk_request *q, diag *d)
{
    int start_month = -1;
    if (start) {
        size_t at;
        char why[64];
        if (cal_parse_month(start, &start_month, &at, why, sizeof why)) {
            diag_input(d, NULL, 0, 0, "--start: '%s': %s (give YYYY-MM)", start, why);
            return -1;
        }
    }
    double amount = 0;
    if (above && (opts_double("--above", above, 0, DBL_MAX, &amount, NULL) || !(amount > 0))) {
        diag_input(d, NULL, 0, 0, "--above: '%s' is not a positive amount", above);
        return -1;
    }
    int by_month = 0;
    if (by) {
        unsigned long long v;
        int cm;
        size_t at;
        char why[64];
        if (opts_u64("--by", by, 1, 1200, &v, NULL) == 0) {
            by_month = (int)v;
        } else if (cal_parse_month(by, &cm, &at, why, sizeof why) == 0) {
            if (start_month < 0) {
                diag_input(d, NULL, 0, 0, "--by %s: a calendar month needs --start (the month of the ledger's month 1)", by);
                return -1;
            }
            by_month = cm - start_month + 1;
            if (by_month < 1) {
                diag_input(d, NULL, 0, 0, "--by %s is before --start %s", by, start);
                return -1;
            }
        } else {
            diag_input(d, NULL, 0, 0, "--by: '%s' is neither a month number nor YYYY-MM", by);
            return -1;
        }
    }
    q->start_month = start_month;
    q->above = amount;
    q->by = by_month;
    return 0;
}

int cmd_track(int argc, char **argv, diag *d)
{
    track_args ta = {.threads = 1};
    opts_seen seen;
    int prc = opts_parse(&track_cmd, argc, argv, &ta, &seen, d);
    if (prc < 0)
        return -1;
    if (prc > 0) {
        opts_help(stdout, &track_cmd);
        return CM_EXIT_OK;
    }
    const char *start = ta.start, *linename = ta.line, *above = ta.above, *by = ta.by;
    const char *altname = ta.alternative, *ledger = ta.actuals, *out = ta.out;
    unsigned long long trials = ta.trials, threads = ta.threads;
    int quiet = ta.quiet, plots = !ta.no_plots;
    if (argc - seen.first != 1) {
        diag_input(d, NULL, 0, 0, "track needs one scenario file (see 'capmix track --help')");
        return -1;
    }
    if (!altname || !ledger) {
        diag_input(d, NULL, 0, 0, "track needs --alternative NAME and --actuals LEDGER.csv");
        return -1;
    }
    if (!above != !by) {
        diag_input(d, NULL, 0, 0, "--above AMOUNT and --by MONTH go together");
        return -1;
    }
    trk_request q = {0, 0, (int)threads, -1, -1, 0, 0};
    if (parse_when(start, above, by, &q, d))
        return -1;
    scn_scenario *s = NULL;
    if (scn_load(argv[seen.first], &s, d))
        return -1;
    int a = scn_find_alt(s, altname);
    if (a < 0) {
        char hint[96];
        diag_input(d, NULL, 0, 0, "--alternative: '%s' is not an alternative of %s%s", altname, s->file,
                   scn_alt_hint(s, altname, hint, sizeof hint));
        scn_free(s);
        return -1;
    }
    diag errs[MAX_ERRS];
    size_t nerr = 0;
    ldg_ledger *l = NULL;
    if (ldg_load(ledger, &s->alts[a], &l, errs, MAX_ERRS, &nerr)) {
        cli_errs(errs, nerr < MAX_ERRS ? nerr : MAX_ERRS, nerr, d);
        scn_free(s);
        return -1;
    }
    if ((linename || above) && trk_find_line(l, linename, &q.line, d)) {
        ldg_free(l);
        scn_free(s);
        return -1;
    }
    if (!trials)
        trials = s->trials < 100000 ? s->trials : 100000;
    q.alt = (size_t)a;
    q.trials = trials;
    trk_report r;
    int rc = CM_EXIT_OK;
    if (cli_out_check(out, d) || trk_forecast(s, l, &q, &r, d)) {
        rc = -1;
    } else {
        if (out && trko_write_folder(out, &r, argv, argc, plots, d))
            rc = -1;
        else if (!quiet)
            trk_print(stdout, &r);
        trk_report_release(&r);
    }
    ldg_free(l);
    scn_free(s);
    return rc;
}
