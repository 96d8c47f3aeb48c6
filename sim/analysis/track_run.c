/*
 * track_run — one `capmix track` re-forecast (track_run.h).
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "track_run.h"

int trk_find_line(const ldg_ledger *l, const char *linename, int *line, diag *d)
{
    const char *want = linename ? linename : "tokens";
    *line = -1;
    for (size_t k = 0; k < l->nlines; k++)
        if (!strcasecmp(l->line[k], want))
            *line = (int)k;
    if (*line < 0 && !linename && l->nlines == 1)
        *line = 0;
    if (*line >= 0)
        return 0;
    const char *names[65];
    size_t n = 0;
    for (; n < l->nlines && n < 64; n++)
        names[n] = l->line[n];
    names[n] = NULL;
    char hint[96] = "";
    diag_hint(hint, sizeof hint, want, names);
    return diag_input(d, l->file, 1, 1, "the ledger has no cost line '%s'%s%s", want, hint,
                      l->nlines ? "" : " (a cost line is a column besides month, source, spent, accepted, rework, superseded)");
}

int trk_forecast(const scn_scenario *s, const ldg_ledger *l, const trk_request *q, trk_report *r,
                 diag *d)
{
    if (trk_build(s, q->alt, l, q->trials, q->threads, NAN, r, d))
        return -1;
    if (trk_cone(r, l, q->trials < 4000 ? q->trials : 4000, d) ||
        trk_lines(r, l, q->start_month, q->line, q->above, q->by, d)) {
        trk_report_release(r);
        return -1;
    }
    return 0;
}
