/*
 * runtable — the human table of a run: per alternative the figures a
 * decision turns on (mean ± SE, quantiles, CVaR95, the spreadsheet
 * point estimate), the paired differences against the baseline, and the
 * answer in a sentence.  Printed to stdout and into run.log.
 */
#ifndef CAPMIX_RUNTABLE_H
#define CAPMIX_RUNTABLE_H

#include <stdio.h>
#include "report.h"

/* The human table (stdout and run.log). */
void report_table(FILE *fp, const report *rep);

#endif
