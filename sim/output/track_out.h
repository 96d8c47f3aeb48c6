/*
 * track_out — the -o folder of `capmix track`: summary.json (with the
 * command line, so a backtest can find what was asked), track.log,
 * draws.csv (the forecast's draws, each column sorted: what `capmix
 * backtest` scores) and the cone chart's data and gnuplot script.
 */
#ifndef CAPMIX_TRACK_OUT_H
#define CAPMIX_TRACK_OUT_H

#include "diag.h"
#include "track.h"

/*
 * Write the folder `out` for report r, replaced as a whole (atomic.h):
 * built in a sibling, swapped in when complete; a signal (cancel.h) leaves
 * the previous folder and cancel_signal set.  argv[0..argc) is recorded as
 * given.  With `plots`, gnuplot draws cone.png.  Returns 0, or -1 with d
 * set.
 */
int trko_write_folder(const char *out, const trk_report *r, char *const *argv, int argc, int plots,
                      diag *d);

#endif
