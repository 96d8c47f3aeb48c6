/*
 * bt_run — one `capmix backtest`: read the realised outcomes (one CSV row
 * per past forecast, each naming a folder written by `capmix track -o`),
 * read each forecast's draws and probabilities, and score them
 * (backtest.h has the scores): coverage of P10/P50/P80/P90 with Wilson
 * intervals, pinball losses, mean CRPS and a PIT histogram for cost and
 * delivery day, Brier scores for the binary forecasts.
 *
 * Ownership: bt_run_score fills a caller's bt_run, released by
 * bt_run_release (also after a failure, and on a zeroed bt_run).
 */
#ifndef CAPMIX_BT_RUN_H
#define CAPMIX_BT_RUN_H

#include <stddef.h>
#include "backtest.h"
#include "diag.h"

/* Most row errors kept; more are counted. */
#define BT_MAX_ERRS 50

typedef struct bt_metric {
    const char *name;
    size_t n;
    double *q[4], *y;
    double crps;
    size_t pit[10];
    bt_cover cov[4];
} bt_metric;

typedef struct bt_binary {
    const char *name;
    size_t n;
    double *p, *o;
    double brier, mean_p, rate;
} bt_binary;

typedef struct bt_run {
    size_t n;
    bt_metric m[2];
    bt_binary b[2];
    char (*scenario)[80];   /* per forecast: scenario sha256 (provenance) */
    char currency[16];      /* the first forecast's */
    double *mem;            /* the arrays of m and b */
} bt_run;

/*
 * Score the realised outcomes in `file` (forecast folders relative to its
 * folder).  Returns 0 with R filled; or -1 with d set: the file's or
 * memory's error, or the last of the bad rows, the earlier ones in
 * errs[0 .. *nprint) (errs holds BT_MAX_ERRS) for the caller to show
 * first.
 */
int bt_run_score(const char *file, bt_run *R, diag *errs, size_t *nprint, diag *d);

void bt_run_release(bt_run *R);

#endif
