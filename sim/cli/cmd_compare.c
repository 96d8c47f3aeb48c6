/*
 * cmd_compare — `capmix compare OLD NEW`: the keys that changed between
 * two scenario files, the change of each headline figure with its paired
 * SE, and a waterfall that switches the changes on one at a time on common
 * random numbers (sim/analysis/compare.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "cancel.h"
#include "cli.h"
#include "compare.h"
#include "compare_out.h"
#include "opts.h"
#include "plot.h"

typedef struct cmp_cli {
    const char *out, *alt, *fig;
    unsigned long long trials, seed, threads;
    int quiet, no_plots;
} cmp_cli;

static const opt_def compare_opts[] = {
    {.name = "out", .letter = 'o', .kind = OPT_DIR, .at = offsetof(cmp_cli, out), .metavar = "DIR",
     .help = "write summary.json, waterfall.csv, compare.md and the\nwaterfall chart to DIR (replaced as a whole)"},
    {.name = "trials", .kind = OPT_U64, .flags = OPT_RECORDED, .at = offsetof(cmp_cli, trials), .lo = 2,
     .hi = 100000000ULL, .metavar = "N", .help = "trials for every step (default: NEW's 'trials')"},
    {.name = "seed", .kind = OPT_U64, .flags = OPT_RECORDED, .at = offsetof(cmp_cli, seed), .lo = 0,
     .hi = UINT64_MAX, .metavar = "N", .help = "seed for every step (default: NEW's 'seed')"},
    {.name = "threads", .kind = OPT_U64, .at = offsetof(cmp_cli, threads), .lo = 1, .hi = 1024, .metavar = "N",
     .help = "worker threads (default: online CPUs); no effect on figures"},
    {.name = "alternative", .kind = OPT_STR, .flags = OPT_RECORDED, .at = offsetof(cmp_cli, alt), .metavar = "A",
     .help = "the alternative of the waterfall (default: NEW's baseline)"},
    {.name = "figure", .kind = OPT_STR, .flags = OPT_RECORDED, .at = offsetof(cmp_cli, fig), .metavar = "F",
     .help = "the figure of the waterfall: mean_total, p90_total,\nmean_blended, p90_blended, cost_per_outcome, "
             "p_delivered\n(default: p90_blended in backlog mode, cost_per_outcome\nin run-rate mode)"},
    {.name = "no-plots", .kind = OPT_FLAG, .at = offsetof(cmp_cli, no_plots),
     .help = "do not draw the chart (its data and script are written)"},
    {.name = "quiet", .letter = 'q', .kind = OPT_FLAG, .at = offsetof(cmp_cli, quiet),
     .help = "print nothing on success"},
    {.name = "help", .letter = 'h', .kind = OPT_HELP, .help = "this help"},
    {.name = NULL},
};

static const opts_cmd compare_cmd = {
    .name = "compare",
    .head = "usage: capmix compare OLD NEW [-o DIR] [options]\n"
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
            "options:\n",
    .opts = compare_opts,
    .width = 25,
    .flags = OPTS_SEE,
};

static void progress(void *ctx, size_t k, size_t n)
{
    (void)ctx;
    (void)n;
    fprintf(stderr, "\rcapmix: compare: simulating step %zu", k);
    fflush(stderr);
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
        if (!rc && !c->no_plots && r->nalts)
            plot_draw_one(od.tmp, c->out, "waterfall", stderr);
        if (!rc)
            rc = atomic_dir_commit(&od, d);
    }
    atomic_dir_abort(&od);
    return rc;
}

static int out_ready(void *ctx, diag *d)
{
    return cli_out_check(ctx, d);
}

int cmd_compare(int argc, char **argv, diag *d)
{
    cmp_cli c = {0};
    opts_seen seen;
    int prc = opts_parse(&compare_cmd, argc, argv, &c, &seen, d);
    if (prc < 0)
        return -1;
    if (prc > 0) {
        opts_help(stdout, &compare_cmd);
        return CM_EXIT_OK;
    }
    if (argc - seen.first != 2) {
        diag_input(d, NULL, 0, 0,
                   "compare: give two scenario files or run folders, OLD and NEW (see 'capmix compare --help')");
        return -1;
    }
    if (c.fig && cmp_fig_find(c.fig) < 0) {
        diag_input(d, NULL, 0, 0, "compare: unknown figure '%s' for --figure (one of mean_total, p90_total, "
                   "mean_blended, p90_blended, cost_per_outcome, p_delivered)", c.fig);
        return -1;
    }
    cmp_opts o = {.trials = c.trials, .seed = c.seed, .have_seed = opts_given(&compare_cmd, &seen, "seed") > 0};
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = c.threads ? (int)c.threads : ncpu > 0 ? (int)(ncpu > 1024 ? 1024 : ncpu) : 1;
    cancel_signal = 0;
    cancel_install();
    o.cancel = &cancel_signal;
    if (!c.quiet && isatty(STDERR_FILENO))
        o.progress = progress;
    cmp_report *r = NULL;
    o.ready = out_ready; /* input errors first, then the folder */
    o.ready_ctx = (void *)c.out;
    int rc = cmp_run(argv[seen.first], argv[seen.first + 1], &o, &r, d);
    if (o.progress)
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
    return rc ? -1 : CM_EXIT_OK;
}
