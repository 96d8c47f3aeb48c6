/*
 * cmd_track — `capmix track SCENARIO --alternative NAME --actuals LEDGER.csv`:
 * re-forecast a running alternative from its ledger (track.h).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "calibrate.h"
#include "cancel.h"
#include "cli.h"
#include "ledger.h"
#include "scenario.h"
#include "track.h"
#include "track_out.h"
#include "track_run.h"

static const char track_usage[] =
    "usage: capmix track SCENARIO.yaml --alternative NAME --actuals LEDGER.csv [-o DIR]\n"
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
    "options:\n"
    "  --alternative NAME  the running alternative\n"
    "  --actuals FILE      its ledger\n"
    "  -o, --out DIR       write summary.json, track.log, draws.csv (the forecast's draws,\n"
    "                      for capmix backtest) and the cone chart (cone.png: the final cost\n"
    "                      re-forecast at each past month against the spend) there;\n"
    "                      nothing on an error\n"
    "  --start YYYY-MM     the calendar month of the ledger's month 1 (dates, month names)\n"
    "  --line NAME         the cost line --above asks about (default 'tokens', or the only one)\n"
    "  --above AMOUNT      with --by: P(the line exceeds AMOUNT in that month), with its interval\n"
    "  --by MONTH          a ledger month number after the last, or YYYY-MM with --start\n"
    "  --no-plots          write the cone chart's data and script, do not run gnuplot\n"
    "  --trials N          re-forecast trials (default: the scenario's, at most 100000)\n"
    "  --threads N         threads for the model check (default 1; results do not depend on it)\n"
    "  -q, --quiet         print nothing on success\n"
    "  -h, --help          this help\n";

#define MAX_ERRS 50

static void print_errs(const diag *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "capmix: %s:%d:%d: %s\n", e[i].file, e[i].line, e[i].col, e[i].msg);
}

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
    if (above) {
        char *end;
        amount = strtod(above, &end);
        if (end == above || *end || !(amount > 0) || !isfinite(amount)) {
            diag_input(d, NULL, 0, 0, "--above: '%s' is not a positive amount", above);
            return -1;
        }
    }
    int by_month = 0;
    if (by) {
        char *end;
        long v = strtol(by, &end, 10);
        int cm;
        size_t at;
        char why[64];
        if (!*end && end != by && v >= 1 && v <= 1200) {
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
    enum { O_ALT = 256, O_ACTUALS, O_TRIALS, O_THREADS, O_START, O_LINE, O_ABOVE, O_BY, O_NOPLOTS };
    static const struct option opts[] = {
        {"alternative", required_argument, NULL, O_ALT}, {"actuals", required_argument, NULL, O_ACTUALS},
        {"out", required_argument, NULL, 'o'},          {"trials", required_argument, NULL, O_TRIALS},
        {"threads", required_argument, NULL, O_THREADS}, {"quiet", no_argument, NULL, 'q'},
        {"no-plots", no_argument, NULL, O_NOPLOTS},      {"start", required_argument, NULL, O_START},    {"line", required_argument, NULL, O_LINE},
        {"above", required_argument, NULL, O_ABOVE},    {"by", required_argument, NULL, O_BY},
        {"help", no_argument, NULL, 'h'},                {NULL, 0, NULL, 0}};
    const char *start = NULL, *linename = NULL, *above = NULL, *by = NULL;
    const char *altname = NULL, *ledger = NULL, *out = NULL;
    unsigned long long trials = 0, threads = 1;
    int quiet = 0, plots = 1, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (c) {
        case O_ALT: altname = optarg; break;
        case O_ACTUALS: ledger = optarg; break;
        case 'o': out = optarg; break;
        case O_TRIALS:
            if (cli_parse_u64("--trials", optarg, 100, 10000000, &trials, d))
                return CM_EXIT_INPUT;
            break;
        case O_THREADS:
            if (cli_parse_u64("--threads", optarg, 1, 256, &threads, d))
                return CM_EXIT_INPUT;
            break;
        case O_START: start = optarg; break;
        case O_NOPLOTS: plots = 0; break;
        case O_LINE: linename = optarg; break;
        case O_ABOVE: above = optarg; break;
        case O_BY: by = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(track_usage, stdout); return CM_EXIT_OK;
        case ':':
            diag_input(d, NULL, 0, 0, "track: option '%s' needs a value", argv[optind - 1]);
            return CM_EXIT_INPUT;
        default:
            diag_input(d, NULL, 0, 0, "track: unknown option '%s' (see 'capmix track --help')", argv[optind - 1]);
            return CM_EXIT_INPUT;
        }
    }
    if (argc - optind != 1) {
        diag_input(d, NULL, 0, 0, "track needs one scenario file (see 'capmix track --help')");
        return CM_EXIT_INPUT;
    }
    if (!altname || !ledger) {
        diag_input(d, NULL, 0, 0, "track needs --alternative NAME and --actuals LEDGER.csv");
        return CM_EXIT_INPUT;
    }
    if (!above != !by) {
        diag_input(d, NULL, 0, 0, "--above AMOUNT and --by MONTH go together");
        return CM_EXIT_INPUT;
    }
    trk_request q = {0, 0, (int)threads, -1, -1, 0, 0};
    if (parse_when(start, above, by, &q, d))
        return CM_EXIT_INPUT;
    scn_scenario *s = NULL;
    if (scn_load(argv[optind], &s, d))
        return d->kind == DIAG_RUNTIME ? CM_EXIT_RUNTIME : CM_EXIT_INPUT;
    int a = scn_find_alt(s, altname);
    if (a < 0) {
        const char *names[65];
        size_t n = 0;
        for (; n < s->nalts && n < 64; n++)
            names[n] = s->alts[n].name;
        names[n] = NULL;
        char hint[96];
        diag_hint(hint, sizeof hint, altname, names);
        diag_input(d, NULL, 0, 0, "--alternative: '%s' is not an alternative of %s%s", altname, s->file, hint);
        scn_free(s);
        return CM_EXIT_INPUT;
    }
    diag errs[MAX_ERRS];
    size_t nerr = 0;
    ldg_ledger *l = NULL;
    if (ldg_load(ledger, &s->alts[a], &l, errs, MAX_ERRS, &nerr)) {
        size_t shown = nerr < MAX_ERRS ? nerr : MAX_ERRS;
        print_errs(errs, shown - 1);
        *d = errs[shown - 1];
        if (nerr > MAX_ERRS)
            fprintf(stderr, "capmix: %s: %zu more errors not shown\n", ledger, nerr - MAX_ERRS);
        scn_free(s);
        return d->kind == DIAG_RUNTIME ? CM_EXIT_RUNTIME : CM_EXIT_INPUT;
    }
    if ((linename || above) && trk_find_line(l, linename, &q.line, d)) {
        ldg_free(l);
        scn_free(s);
        return CM_EXIT_INPUT;
    }
    if (!trials)
        trials = s->trials < 100000 ? s->trials : 100000;
    q.alt = (size_t)a;
    q.trials = trials;
    trk_report r;
    int rc = CM_EXIT_OK;
    if (trk_forecast(s, l, &q, &r, d)) {
        rc = d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
    } else {
        if (out && trko_write_folder(out, &r, argv, argc, plots, d))
            rc = cancel_signal ? cancel_exit_code() : CM_EXIT_RUNTIME;
        else if (!quiet)
            trk_print(stdout, &r);
        trk_report_release(&r);
    }
    ldg_free(l);
    scn_free(s);
    return rc;
}
