/*
 * ledger — the actuals of a running alternative (capmix track): one CSV
 * row per month and source, read with the calibrate reader (csv.h).
 *
 * Columns, found by name in any order:
 *   month       1, 2, … (required): the month the row's amounts belong to
 *   source      a source of the alternative (may be omitted, column and
 *               all, when the alternative has one source)
 *   spent       money spent that month (required), every cost component
 *   accepted    outcomes accepted that month (required, whole number)
 *   rework      verdicts sending an item back that month (required)
 *   superseded  items dropped that month (required)
 * Amounts are for the month, never cumulative.  Every other column is a
 * cost line (`tokens`, `licences`, …): a non-negative amount per row, an
 * empty cell counting as 0.  A column whose name looks like a typo of a
 * missing one is an error (csv_columns).
 *
 * Every month from 1 to the last must have at least one row; a source with
 * no row in a month had nothing that month.  A (month, source) pair may
 * appear once.
 *
 * Errors: every bad cell of every row is found in one pass and returned in
 * file order (at most `maxerrs`, the count of all in *nerrs), each an
 * input diag with file:line:col naming the column.  Nothing is returned
 * (out stays NULL) when any was found.
 */
#ifndef CAPMIX_LEDGER_H
#define CAPMIX_LEDGER_H

#include <stddef.h>
#include "diag.h"
#include "scenario.h"

#define LDG_NAME_MAX 64

typedef struct ldg_ledger {
    char *file;
    int months;                 /* the last month (all of 1..months present) */
    size_t nsources;            /* the alternative's, in scenario order */
    /* [source * months + month − 1]: that month's amounts */
    double *spent, *accepted, *rework, *superseded;
    size_t nlines;              /* extra cost lines, in header order */
    char (*line)[LDG_NAME_MAX];
    double *line_amount;        /* [line * months + month − 1], all sources */
    int verdicts_imputed;       /* 1: rework or superseded was not observed but
                                 * imputed (ldg_from_totals) */
    int totals_only;            /* 1: only month `months` was observed; the earlier
                                 * months are a straight line (ldg_from_totals) */
} ldg_ledger;

/* Read `path` as the ledger of alternative alt (a capacity mix).  Returns
 * 0, or -1 with errs[0..min(*nerrs, maxerrs)−1] set (maxerrs >= 1); a
 * runtime failure (I/O, memory) is one runtime diag. */
int ldg_load(const char *path, const scn_alternative *alt, ldg_ledger **out, diag *errs,
             size_t maxerrs, size_t *nerrs);

/* The same from a buffer; `name` is used in errors. */
int ldg_load_buffer(const char *name, const char *buf, size_t len, const scn_alternative *alt,
                    ldg_ledger **out, diag *errs, size_t maxerrs, size_t *nerrs);

/*
 * A ledger from cumulative totals at the end of month `months` (what
 * `envelope --actuals` gives): per source i, acc[i], rew[i] and sup[i],
 * and `spent` for the alternative, each spread evenly over months 1..months
 * (the month-by-month path is not known; spent is booked on the first
 * source).  `name` stands for the file in messages.  Returns 0, or -1 with
 * a runtime diag (memory).
 */
int ldg_from_totals(const char *name, const scn_alternative *alt, int months, double spent,
                    const double *acc, const double *rew, const double *sup, int imputed,
                    ldg_ledger **out, diag *d);

void ldg_free(ldg_ledger *l);

/* Cumulative figures of source i (or of every source, i == (size_t)-1)
 * through month m (1..months). */
double ldg_cum(const ldg_ledger *l, const double *field, size_t i, int m);

#endif
