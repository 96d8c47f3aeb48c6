/*
 * cmd_track — `capmix track SCENARIO --alternative NAME --actuals LEDGER.csv`:
 * re-forecast a running alternative from its ledger (track.h).
 */
#include <getopt.h>
#include <math.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "cancel.h"
#include "calibrate.h"
#include "cli.h"
#include "json.h"
#include "plot.h"
#include "ledger.h"
#include "scenario.h"
#include "scnload.h"
#include "track.h"

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

static int write_out(const char *dir, const trk_report *r, char *const *argv, int argc, int plots, diag *d);

/* The -o folder replaced as a whole (atomic.h): built in a sibling, swapped
 * in when complete; a signal leaves the previous folder. */
static int write_folder(const char *out, const trk_report *r, char *const *argv, int argc, int plots,
                        diag *d)
{
    atomic_dir od;
    cancel_signal = 0;
    cancel_install();
    int rc = atomic_dir_begin(&od, out, d);
    if (!rc) {
        rc = write_out(od.tmp, r, argv, argc, plots, d);
        if (!rc)
            rc = atomic_dir_commit(&od, d);
    }
    atomic_dir_abort(&od);
    cancel_restore();
    return rc;
}

static int write_out(const char *dir, const trk_report *r, char *const *argv, int argc, int plots, diag *d)
{
    char made[1024], path[1200];
    atomic_file f[5];
    memset(f, 0, sizeof f);
    if (atomic_mkdirs_made(dir, made, sizeof made, d))
        return -1;
    snprintf(path, sizeof path, "%s/summary.json", dir);
    if (atomic_open(&f[0], path, d))
        goto fail;
    snprintf(path, sizeof path, "%s/track.log", dir);
    if (atomic_open(&f[1], path, d))
        goto fail;
    snprintf(path, sizeof path, "%s/draws.csv", dir);
    if (atomic_open(&f[2], path, d))
        goto fail;
    /* each column sorted on its own: the forecast's marginal distributions,
     * what capmix backtest scores (CRPS, PIT, any quantile) */
    fprintf(f[2].fp, "cost_total_sorted,blended_cost_sorted,delivery_day_sorted\n");
    for (size_t t = 0; t < r->draws.n; t++)
        fprintf(f[2].fp, "%.17g,%.17g,%.17g\n", r->draws.cost[t], r->draws.blended[t], r->draws.day[t]);
    json_writer w;
    json_init(&w, f[0].fp);
    json_obj_begin(&w);
    json_key(&w, "capmix"), json_str(&w, CAPMIX_VERSION);
    json_key(&w, "command"), json_str(&w, "track");
    json_key(&w, "scenario"), json_obj_begin(&w);
    json_key(&w, "file"), json_str(&w, r->s->file);
    json_key(&w, "sha256"), json_str(&w, r->s->sha256);
    json_key(&w, "name"), json_str(&w, r->s->name);
    json_obj_end(&w);
    json_key(&w, "seed"), json_u64(&w, r->s->seed);
    json_key(&w, "currency"), json_str(&w, r->s->currency);
    /* provenance, so a backtest can find what was asked */
    json_key(&w, "args"), json_arr_begin(&w);
    for (int i = 0; i < argc; i++)
        json_str(&w, argv[i]);
    json_arr_end(&w);
    trk_json(&w, r);
    json_obj_end(&w);
    if (json_finish(&w)) {
        diag_runtime(d, "cannot write %s/summary.json", dir);
        goto fail;
    }
    trk_print(f[1].fp, r);
    /* the cone chart: data and a self-contained gnuplot script */
    const char *tpl = plot_template("track_cone");
    if (!tpl) {
        diag_runtime(d, "internal error: a plot template is missing from the build");
        goto fail;
    }
    snprintf(path, sizeof path, "%s/cone.dat", dir);
    if (atomic_open(&f[3], path, d))
        goto fail;
    fprintf(f[3].fp, "\"month\" \"cost_p10\" \"cost_p50\" \"cost_p90\" \"spent\"\n");
    for (int m = 0; m < r->ncone; m++)
        fprintf(f[3].fp, "%d %.17g %.17g %.17g %.17g\n", m + 1, r->cone[m][0], r->cone[m][1], r->cone[m][2],
                r->cone[m][3]);
    snprintf(path, sizeof path, "%s/cone.gp", dir);
    if (atomic_open(&f[4], path, d))
        goto fail;
    char q[600];
    fprintf(f[4].fp, "# redraw with: gnuplot cone.gp (from this folder)\n");
    fprintf(f[4].fp, "datafile = 'cone.dat'\nscenario = %s\n", plot_quote(q, sizeof q, r->s->name));
    fprintf(f[4].fp, "alt = %s\n", plot_quote(q, sizeof q, r->s->alts[r->a].name));
    fprintf(f[4].fp, "currency = %s\nenvelope = %.17g\n%s", plot_quote(q, sizeof q, r->s->currency), r->envelope, tpl);
    if (atomic_commit_all(f, 5, d))
        goto fail;
    atomic_keep(f, 5);
    if (plots)
        plot_draw_one(dir, dir, "cone", stderr);
    return 0;
fail:
    for (int i = 0; i < 5; i++)
        atomic_abort(&f[i]);
    atomic_rmdirs(dir, made);
    return -1;
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
    int start_month = -1;
    if (start) {
        size_t at;
        char why[64];
        if (cal_parse_month(start, &start_month, &at, why, sizeof why)) {
            diag_input(d, NULL, 0, 0, "--start: '%s': %s (give YYYY-MM)", start, why);
            return CM_EXIT_INPUT;
        }
    }
    double amount = 0;
    if (above) {
        char *end;
        amount = strtod(above, &end);
        if (end == above || *end || !(amount > 0) || !isfinite(amount)) {
            diag_input(d, NULL, 0, 0, "--above: '%s' is not a positive amount", above);
            return CM_EXIT_INPUT;
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
                return CM_EXIT_INPUT;
            }
            by_month = cm - start_month + 1;
            if (by_month < 1) {
                diag_input(d, NULL, 0, 0, "--by %s is before --start %s", by, start);
                return CM_EXIT_INPUT;
            }
        } else {
            diag_input(d, NULL, 0, 0, "--by: '%s' is neither a month number nor YYYY-MM", by);
            return CM_EXIT_INPUT;
        }
    }
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
    int line = -1;
    if (linename || above) {
        const char *want = linename ? linename : "tokens";
        for (size_t k = 0; k < l->nlines; k++)
            if (!strcasecmp(l->line[k], want))
                line = (int)k;
        if (line < 0 && !linename && l->nlines == 1)
            line = 0;
        if (line < 0) {
            const char *names[65];
            size_t n = 0;
            for (; n < l->nlines && n < 64; n++)
                names[n] = l->line[n];
            names[n] = NULL;
            char hint[96] = "";
            diag_hint(hint, sizeof hint, want, names);
            diag_input(d, ledger, 1, 1, "the ledger has no cost line '%s'%s%s", want, hint,
                       l->nlines ? "" : " (a cost line is a column besides month, source, spent, accepted, rework, superseded)");
            ldg_free(l);
            scn_free(s);
            return CM_EXIT_INPUT;
        }
    }
    if (!trials)
        trials = s->trials < 100000 ? s->trials : 100000;
    trk_report r;
    int rc = CM_EXIT_OK;
    if (trk_build(s, (size_t)a, l, trials, (int)threads, &r, d) ||
        (trk_cone(&r, l, trials < 4000 ? trials : 4000, d) && (trk_report_release(&r), 1)) ||
        (trk_lines(&r, l, start_month, line, amount, by_month, d) && (trk_report_release(&r), 1))) {
        rc = d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
    } else {
        if (out && write_folder(out, &r, argv, argc, plots, d))
            rc = cancel_signal ? cancel_exit_code() : CM_EXIT_RUNTIME;
        else if (!quiet)
            trk_print(stdout, &r);
        trk_report_release(&r);
    }
    ldg_free(l);
    scn_free(s);
    return rc;
}
