/*
 * backtest_out — the bytes of `capmix backtest`: the scores as a table on
 * a stream, and summary.json in the -o folder (bt_run.h has the scores).
 */
#ifndef CAPMIX_BACKTEST_OUT_H
#define CAPMIX_BACKTEST_OUT_H

#include <stdio.h>
#include "bt_run.h"
#include "diag.h"

/* The scores of R, read from the realised outcomes in `file`. */
void bto_print(FILE *fp, const bt_run *R, const char *file);

/* Write `out`/summary.json atomically, making `out` if needed (and
 * removing what was made on a failure).  Returns 0, or -1 with d set. */
int bto_write(const char *out, const bt_run *R, const char *file, diag *d);

#endif
