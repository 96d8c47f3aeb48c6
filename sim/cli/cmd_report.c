/*
 * cmd_report — `capmix report DIR`: rebuild a finished run's reports by
 * replaying it (replay.c) into its own folder.
 */
#include <stdio.h>

#include "cli.h"
#include "runcmd.h"
#include "textesc.h"

static const opt_def report_opts[] = {
    {.name = NULL},
};

static const opts_cmd report_cmd = {
    .name = "report",
    .head = "usage: capmix report DIR\n\nRebuild DIR/report.html and DIR/report.md (and the other outputs) "
            "from a finished run:\nthe command recorded in DIR/summary.json is run again on its scenario, "
            "whose SHA-256 must\nstill match; the same seed gives the same numbers.\n",
    .opts = report_opts,
    .flags = OPTS_SEE,
};

int cmd_report(int argc, char **argv, diag *d)
{
    opts_seen seen;
    int prc = opts_parse(&report_cmd, argc, argv, NULL, &seen, d);
    if (prc)
        return prc < 0 ? -1 : (opts_help(stdout, &report_cmd), CM_EXIT_OK);
    if (argc - seen.first != 1)
        return diag_input(d, NULL, 0, 0, "report: give the output folder of a run (see 'capmix report --help')");
    const char *dir = argv[seen.first];
    char path[1200];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    int rc = replay_run(path, dir, 0, 1, d);
    if (rc == CM_EXIT_OK)
        printf("rebuilt %s/report.html and %s/report.md\n", txt_term(path, sizeof path, dir), path);
    return rc;
}
