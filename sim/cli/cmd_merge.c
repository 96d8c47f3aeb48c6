/*
 * cmd_merge — `capmix merge DIR... [-o OUT]`: report a run from the shard
 * files that `capmix run --shard I/N` wrote, as the whole run would.
 *
 * The shards carry the run's arguments; merge checks the set (shard.h),
 * then replays those arguments through `capmix run` with the results read
 * from the files instead of simulated, so every figure, file and check of
 * a run (atomic outputs included) is the same code.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "shard.h"
#include "shardfiles.h"

static const char merge_usage[] =
    "usage: capmix merge DIR|FILE... [-o OUT] [options]\n"
    "\n"
    "Report a run split with 'capmix run --shard I/N -o DIR': reads every\n"
    "*" SHARD_SUFFIX " file in each DIR (or each FILE given), checks they are one\n"
    "complete set (every shard once; the same scenario bytes, seed, trials, arguments\n"
    "and capmix version), and prints and writes what 'capmix run' with the shards'\n"
    "arguments would, byte for byte but for the timing.  The scenario file must still\n"
    "be at the path the shards were run with, unchanged.\n"
    "\n"
    "options:\n"
    "  -o, --out DIR        write summary.json, run.log and plots to DIR\n"
    "      --threads N      threads for the report (no effect on any figure)\n"
    "      --no-plots       do not draw plots\n"
    "  -q, --quiet          print nothing on success\n"
    "  -h, --help           this help\n";

int cmd_merge(int argc, char **argv, diag *d)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},     {"no-plots", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *threads = NULL;
    int quiet = 0, plots = 1, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'j':
            threads = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'P':
            plots = 0;
            break;
        case 'h':
            fputs(merge_usage, stdout);
            return CM_EXIT_OK;
        case ':':
            diag_input(d, NULL, 0, 0, "merge: option '%s' needs a value (see 'capmix merge --help')",
                       argv[optind - 1]);
            return CM_EXIT_INPUT;
        default:
            diag_input(d, NULL, 0, 0, "merge: unknown option '%s' (see 'capmix merge --help')",
                       argv[optind - 1]);
            return CM_EXIT_INPUT;
        }
    }
    if (optind == argc) {
        diag_input(d, NULL, 0, 0, "merge: give the shards' folders or files (see 'capmix merge --help')");
        return CM_EXIT_INPUT;
    }
    char **files = NULL, **args = NULL, **rargv = NULL;
    size_t n = 0, cap = 0;
    int nargs = 0, rc = CM_EXIT_INPUT;
    for (int i = optind; i < argc; i++)
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
    return d->kind == DIAG_RUNTIME && rc == CM_EXIT_INPUT ? CM_EXIT_RUNTIME : rc;
}
