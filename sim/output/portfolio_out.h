/*
 * portfolio_out — the bytes of `capmix portfolio`: the table on a stream,
 * and the -o folder (summary.json, portfolio.log, report.html and the burn
 * fan chart's data and script), from a computed pf_result (pf_result.h).
 */
#ifndef CAPMIX_PORTFOLIO_OUT_H
#define CAPMIX_PORTFOLIO_OUT_H

#include <stdio.h>
#include "diag.h"
#include "pf_result.h"

/* The table, the search, the envelope, the cuts, the pools, the burn fan
 * and the answer, as printed and as portfolio.log holds them. */
void pfo_print(FILE *fp, const pf_result *R);

/*
 * Write the folder `out`, replaced as a whole (atomic.h): built in a
 * sibling, swapped in when complete; a signal (cancel.h) leaves the
 * previous folder and cancel_signal set.  With `plots`, gnuplot draws the
 * burn fan and report.html embeds it.  Returns 0, or -1 with d set.
 */
int pfo_write_folder(const char *out, const pf_result *R, int plots, diag *d);

#endif
