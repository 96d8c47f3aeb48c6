/*
 * cmd_merge — `capmix merge DIR... [-o OUT]`: report a run from the shard
 * files that `capmix run --shard I/N` wrote, as the whole run would.
 *
 * The shards carry the run's arguments; merge checks the set (shard.h),
 * then replays those arguments through `capmix run` with the results read
 * from the files instead of simulated, so every figure, file and check of
 * a run (atomic outputs included) is the same code.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "shard.h"
#include "shardfiles.h"

typedef struct merge_args {
    const char *out, *threads; /* passed on to run as given */
    int quiet, no_plots;
} merge_args;

static const opt_def merge_opts[] = {
    {.name = "out", .letter = 'o', .kind = OPT_STR, .at = offsetof(merge_args, out), .metavar = "DIR",
     .help = "write summary.json, run.log and plots to DIR"},
    {.name = "threads", .kind = OPT_STR, .at = offsetof(merge_args, threads), .metavar = "N",
     .help = "threads for the report (no effect on any figure)"},
    {.name = "no-plots", .kind = OPT_FLAG, .at = offsetof(merge_args, no_plots), .help = "do not draw plots"},
    {.name = "quiet", .letter = 'q', .kind = OPT_FLAG, .at = offsetof(merge_args, quiet),
     .help = "print nothing on success"},
    {.name = "help", .letter = 'h', .kind = OPT_HELP, .help = "this help"},
    {.name = NULL},
};

static const opts_cmd merge_cmd = {
    .name = "merge",
    .head = "usage: capmix merge DIR|FILE... [-o OUT] [options]\n"
            "\n"
            "Report a run split with 'capmix run --shard I/N -o DIR': reads every\n"
            "*" SHARD_SUFFIX " file in each DIR (or each FILE given), checks they are one\n"
            "complete set (every shard once; the same scenario bytes, seed, trials, arguments\n"
            "and capmix version), and prints and writes what 'capmix run' with the shards'\n"
            "arguments would, byte for byte but for the timing.  The scenario file must still\n"
            "be at the path the shards were run with, unchanged.\n"
            "\n"
            "options:\n",
    .opts = merge_opts,
    .width = 23,
    .flags = OPTS_SEE,
};

int cmd_merge(int argc, char **argv, diag *d)
{
    merge_args ma = {0};
    opts_seen seen;
    int prc = opts_parse(&merge_cmd, argc, argv, &ma, &seen, d);
    if (prc < 0)
        return -1;
    if (prc > 0) {
        opts_help(stdout, &merge_cmd);
        return CM_EXIT_OK;
    }
    const char *out = ma.out, *threads = ma.threads;
    int quiet = ma.quiet, plots = !ma.no_plots;
    if (seen.first == argc) {
        diag_input(d, NULL, 0, 0, "merge: give the shards' folders or files (see 'capmix merge --help')");
        return -1;
    }
    char **files = NULL, **args = NULL, **rargv = NULL;
    size_t n = 0, cap = 0;
    int nargs = 0, rc = -1;
    for (int i = seen.first; i < argc; i++)
        if (shard_collect(argv[i], &files, &n, &cap, d))
            goto out;
    if (shard_check_set(files, n, &args, &nargs, d))
        goto out;
    /* "run", the shards' arguments, then this merge's output options */
    rargv = calloc((size_t)nargs + 8, sizeof *rargv);
    if (!rargv) {
        diag_runtime(d, "out of memory");
        goto out;
    }
    int k = 0;
    rargv[k++] = "run";
    for (int i = 0; i < nargs; i++)
        rargv[k++] = args[i];
    if (out) {
        rargv[k++] = "-o";
        rargv[k++] = (char *)out;
    }
    if (threads) {
        rargv[k++] = "--threads";
        rargv[k++] = (char *)threads;
    }
    if (quiet)
        rargv[k++] = "-q";
    if (!plots)
        rargv[k++] = "--no-plots";
    shard_set_merge(files, n);
    rc = cmd_run(k, rargv, d);
    shard_reset();
out:
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
    free(args);
    free(rargv);
    return rc;
}
