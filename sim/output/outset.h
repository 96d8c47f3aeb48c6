/*
 * outset — the output folder of a run, bid or envelope: summary.json,
 * run.log, report.xlsx, comparison.csv, trials.csv on request, the plots'
 * data and scripts, the charts, report.html and report.md.
 *
 * Every file is built in a sibling of the folder and the folder is
 * swapped in whole (atomic_dir): no file of an earlier run stays beside
 * the new ones, a concurrent writer waits, and a failure or a signal at
 * any step leaves the previous folder as it was.
 */
#ifndef CAPMIX_OUTSET_H
#define CAPMIX_OUTSET_H

#include <stdio.h>

#include "decision.h"
#include "diag.h"
#include "envelope.h"
#include "report.h"

/* The optional sections of a run: the bid figures, the envelope. */
typedef struct out_sections {
    const report *rep;
    const dec_report *dr;  /* NULL: no bid section */
    const env_report *er;  /* NULL: no envelope section */
} out_sections;

/*
 * Write the folder `out` from sc: trials.csv when want_trials, charts when
 * plots (gnuplot's complaints go to `warn`, NULL for silence).  Returns 0,
 * or -1 with d set; on failure the previous folder is left as it was.
 */
int out_write_run(const char *out, const out_sections *sc, int want_trials, int plots, FILE *warn,
                  diag *d);

#endif
