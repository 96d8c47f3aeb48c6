/*
 * compare_out — what `capmix compare` prints and writes: the lead
 * sentence, the changed keys, the headline figures with their paired SEs,
 * and the waterfall of one figure of one alternative (the terminal table
 * and compare.md); summary.json and waterfall.csv hold every figure of
 * every alternative; waterfall.dat/.gp draw the chosen one.
 */
#ifndef CAPMIX_COMPARE_OUT_H
#define CAPMIX_COMPARE_OUT_H

#include <stdio.h>
#include "compare.h"
#include "diag.h"

/* What the tables and the chart show. */
typedef struct cmp_view {
    size_t alt;        /* index into cmp_report.alts */
    cmp_fig fig;
} cmp_view;

/* The default view: NEW's baseline when both hold it (else the first
 * common alternative); cost per accepted outcome in run-rate mode, P90
 * blended cost in backlog mode. */
cmp_view cmp_default_view(const cmp_report *r);

/* The lead sentence (one line, no newline) into buf. */
char *cmp_sentence(const cmp_report *r, cmp_view v, char *buf, size_t n);

/* The report as text (terminal and compare.md share it; md adds the
 * Markdown table syntax). */
void cmp_print(FILE *f, const cmp_report *r, cmp_view v, int markdown);

/* Write summary.json, waterfall.csv, compare.md, waterfall.dat and
 * waterfall.gp into the folder dir (which exists: the caller's atomic
 * output set), the command line recorded as argv.  Returns 0, or -1 with
 * a runtime diag. */
int cmp_write(const char *dir, const cmp_report *r, cmp_view v, int argc, char *const *argv, diag *d);

#endif
