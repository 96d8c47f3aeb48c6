/*
 * track_run — one `capmix track` re-forecast from a loaded scenario and
 * ledger: the forecast (trk_build), its cone (trk_cone) and its cost lines
 * (trk_lines) in one call, asked for with one request (track.h has the
 * method).
 */
#ifndef CAPMIX_TRACK_RUN_H
#define CAPMIX_TRACK_RUN_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "ledger.h"
#include "scenario.h"
#include "track.h"

/* What a re-forecast is asked. */
typedef struct trk_request {
    size_t alt;           /* the running alternative */
    uint64_t trials;      /* of the forecast; the cone takes at most 4000 */
    int threads;          /* for the model check; no figure depends on it */
    int start_month;      /* 12·year + month − 1 of ledger month 1, or -1 */
    int line;             /* the cost line the --above question asks about, or -1 */
    double above;         /* its amount (0: no question) */
    int by;               /* the ledger month it asks about (0: none) */
} trk_request;

/*
 * The cost line of ledger l named `name` (any case), or with name NULL
 * 'tokens' or the ledger's only line.  Returns 0 with *line set, or -1
 * with an input diag at the ledger's header naming the lines it has.
 */
int trk_find_line(const ldg_ledger *l, const char *name, int *line, diag *d);

/* Re-forecast: on 0, *r is the report (released by trk_report_release);
 * on -1, d is set and nothing is left to release. */
int trk_forecast(const scn_scenario *s, const ldg_ledger *l, const trk_request *q, trk_report *r,
                 diag *d);

#endif
