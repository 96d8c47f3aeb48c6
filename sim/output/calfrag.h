/*
 * calfrag — the YAML fragment `capmix calibrate` writes: one source entry
 * per source of a cal_result (calibrate.h), for a scenario's 'sources:'
 * list, each estimate with the observations behind it as comments, and
 * the warnings the fragment gives rise to (thin data, trends, caps, keys
 * still needed) as `capmix: warning: ...` lines.
 *
 * Both are rendered into memory, so the caller prints the warnings and
 * writes the fragment only once both are complete: a failure never leaves
 * half a fragment anywhere.
 */
#ifndef CAPMIX_CALFRAG_H
#define CAPMIX_CALFRAG_H

#include <stddef.h>
#include "calcheck.h"
#include "calibrate.h"
#include "csv.h"
#include "diag.h"
#include "models.h"

/* What the command line says about one source. */
typedef struct calfrag_spec {
    const model_kind *kind; /* NULL: not given */
    double headcount;       /* NaN: not given */
    double loaded_annual;   /* NaN: not given */
} calfrag_spec;

/*
 * Render the fragment of r (sp[i] for r->sources[i]; tickets and invoices
 * name the files read, either may be NULL) into *frag (*flen bytes) and
 * its warnings into *warn (*wlen bytes), both malloc'd and owned by the
 * caller.  Returns 0, or -1 with a runtime diag (memory), nothing
 * allocated.
 */
int calfrag_render(const cal_result *r, const calfrag_spec *sp, const cal_opts *o,
                   const csv_table *tickets, const csv_table *invoices, char **frag, size_t *flen,
                   char **warn, size_t *wlen, diag *d);

/*
 * The self-check's table (calcheck.h), one block per source, with a
 * `capmix: warning: self-check: ...` line under a source whose observed
 * mean pass time, mean cycle time, throughput or monthly cost lies outside
 * the simulated P5-P95, into *txt (*tlen bytes, malloc'd, the caller's).
 * Returns 0, or -1 with a runtime diag (memory).
 */
int calfrag_check_render(const cal_check *c, size_t n, uint64_t trials, char **txt, size_t *tlen,
                         diag *d);

#endif
