/*
 * cmd_compare — `capmix compare OLD NEW`: the keys that changed between
 * two scenario files, the change of each headline figure with its paired
 * SE, and a waterfall that switches the changes on one at a time on common
 * random numbers (sim/analysis/compare.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "cancel.h"
#include "cli.h"
#include "compare.h"
#include "compare_out.h"
#include "plot.h"

static const char compare_usage[] =
    "usage: capmix compare OLD NEW [-o DIR] [options]\n"
    "\n"
    "What changed between two scenario files and what each change did: the keys that\n"
    "differ (path, old, new), each headline figure of every alternative both files\n"
    "hold (mean and P90 of total and blended cost, cost per accepted outcome,\n"
    "P(delivered)) in OLD and NEW with the change and its paired SE, and a waterfall\n"
    "that switches the changes on one at a time, in file order, on the same trials:\n"
    "the contributions add up to the total change.  Both files run with the same\n"
    "trials and seed (NEW's, unless given), whatever their own keys say.\n"
    "OLD and NEW are scenario files, or the -o folders of two runs: the scenario a\n"
    "run read (at the path it recorded, unchanged) and, for NEW, its trials and seed.\n"
    "\n"
    "options:\n"
    "  -o, --out DIR          write summary.json, waterfall.csv, compare.md and the\n"
    "                         waterfall chart to DIR (replaced as a whole)\n"
    "      --trials N         trials for every step (default: NEW's 'trials')\n"
    "      --seed N           seed for every step (default: NEW's 'seed')\n"
    "      --threads N        worker threads (default: online CPUs); no effect on figures\n"
    "      --alternative A    the alternative of the waterfall (default: NEW's baseline)\n"
    "      --figure F         the figure of the waterfall: mean_total, p90_total,\n"
    "                         mean_blended, p90_blended, cost_per_outcome, p_delivered\n"
    "                         (default: p90_blended in backlog mode, cost_per_outcome\n"
    "                         in run-rate mode)\n"
    "      --no-plots         do not draw the chart (its data and script are written)\n"
    "  -q, --quiet            print nothing on success\n"
    "  -h, --help             this help\n";

typedef struct cmp_cli {
    const char *out, *alt, *fig;
    cmp_opts o;
    int quiet, plots;
} cmp_cli;

static void progress(void *ctx, size_t k, size_t n)
{
    (void)n;
    const cmp_report *unused = ctx;
    (void)unused;
    fprintf(stderr, "\rcapmix: compare: simulating step %zu", k);
    fflush(stderr);
}

static int parse(int argc, char **argv, cmp_cli *c, diag *d)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},   {"trials", required_argument, NULL, 't'},
        {"seed", required_argument, NULL, 's'},  {"threads", required_argument, NULL, 'j'},
        {"alternative", required_argument, NULL, 'a'}, {"figure", required_argument, NULL, 'f'},
        {"no-plots", no_argument, NULL, 'P'},    {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    unsigned long long v;
    int ch;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            c->out = optarg;
            break;
        case 't':
            if (cli_parse_u64("--trials", optarg, 2, 100000000ULL, &v, d))
                return -1;
            c->o.trials = v;
            break;
        case 's':
            if (cli_parse_u64("--seed", optarg, 0, UINT64_MAX, &v, d))
                return -1;
            c->o.seed = v;
            c->o.have_seed = 1;
            break;
        case 'j':
            if (cli_parse_u64("--threads", optarg, 1, 1024, &v, d))
                return -1;
            c->o.threads = (int)v;
            break;
        case 'a':
            c->alt = optarg;
            break;
        case 'f':
            c->fig = optarg;
            break;
        case 'P':
            c->plots = 0;
            break;
        case 'q':
            c->quiet = 1;
            break;
        case 'h':
            fputs(compare_usage, stdout);
            return 1;
        case ':':
            return diag_input(d, NULL, 0, 0, "compare: option '%s' needs a value (see 'capmix compare --help')",
                              argv[optind - 1]);
        default:
            return diag_input(d, NULL, 0, 0, "compare: unknown option '%s' (see 'capmix compare --help')",
                              argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return diag_input(d, NULL, 0, 0, "compare: give two scenario files or run folders, OLD and NEW (see 'capmix compare --help')");
    if (c->fig && cmp_fig_find(c->fig) < 0)
        return diag_input(d, NULL, 0, 0, "compare: unknown figure '%s' for --figure (one of mean_total, p90_total, "
                          "mean_blended, p90_blended, cost_per_outcome, p_delivered)", c->fig);
    if (!c->o.threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        c->o.threads = n > 0 ? (int)(n > 1024 ? 1024 : n) : 1;
    }
    return 0;
}

static int choose_view(const cmp_report *r, const cmp_cli *c, cmp_view *v, diag *d)
{
    *v = cmp_default_view(r);
    if (c->fig)
        v->fig = (cmp_fig)cmp_fig_find(c->fig);
    if (!c->alt)
        return 0;
    for (size_t a = 0; a < r->nalts; a++)
        if (!strcmp(r->alts[a], c->alt)) {
            v->alt = a;
            return 0;
        }
    return diag_input(d, NULL, 0, 0, "compare: --alternative '%s' is not an alternative both files hold", c->alt);
}

/* The -o folder replaced as a whole: built in a sibling, swapped in when
 * complete; a signal or a failure leaves the previous folder. */
static int write_folder(const cmp_cli *c, const cmp_report *r, cmp_view v, int argc, char **argv, diag *d)
{
    atomic_dir od;
    int rc = atomic_dir_begin(&od, c->out, d);
    if (!rc) {
        rc = cmp_write(od.tmp, r, v, argc, argv, d);
        if (!rc && c->plots && r->nalts)
            plot_draw_one(od.tmp, c->out, "waterfall", stderr);
        if (!rc)
            rc = atomic_dir_commit(&od, d);
    }
    atomic_dir_abort(&od);
    return rc;
}

int cmd_compare(int argc, char **argv, diag *d)
{
    cmp_cli c = {.plots = 1};
    int pr = parse(argc, argv, &c, d);
    if (pr)
        return pr > 0 ? CM_EXIT_OK : CM_EXIT_INPUT;
    cancel_signal = 0;
    cancel_install();
    c.o.cancel = &cancel_signal;
    if (!c.quiet && isatty(STDERR_FILENO))
        c.o.progress = progress;
    cmp_report *r = NULL;
    int rc = cmp_run(argv[optind], argv[optind + 1], &c.o, &r, d);
    if (c.o.progress)
        fputs("\r\033[K", stderr);
    cmp_view v;
    if (!rc)
        rc = choose_view(r, &c, &v, d);
    if (!rc && c.out)
        rc = write_folder(&c, r, v, argc, argv, d);
    if (!rc && !c.quiet)
        cmp_print(stdout, r, v, 0);
    cmp_free(r);
    cancel_restore();
    if (!rc)
        return CM_EXIT_OK;
    if (cancel_signal)
        return cancel_exit_code();
    return d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
}
