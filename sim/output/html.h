/*
 * html — report.html and report.md: the page a CFO forwards.
 *
 * One self-contained page (inline SVG charts drawn by gnuplot's svg
 * terminal, inline CSS, no external asset, prints cleanly) that leads with
 * the answer in a sentence, then the comparison table, the charts, the bid
 * verdict and the envelope where present, then the assumptions — the
 * scenario file as written, line by line — and the provenance.  report.md
 * carries the same text for git and wikis, with the PNGs as images.  All
 * user text is HTML-escaped.  Nothing in either depends on the clock, so a
 * rerun with the same seed gives the same bytes (but for the timing line).
 */
#ifndef CAPMIX_HTML_H
#define CAPMIX_HTML_H

#include <stdio.h>
#include "decision.h"
#include "envelope.h"
#include "report.h"

typedef struct html_figure {
    const char *name;      /* file stem: cost_cdf → cost_cdf.png */
    const char *caption;
    char *svg;             /* inline SVG text, or NULL when not drawn */
    size_t svg_len;
} html_figure;

/* Write the HTML page.  `scenario_text` is the scenario file's bytes (NULL
 * when it could not be read again or no longer matches its digest). */
int html_write(FILE *fp, const report *rep, const dec_report *dr, const env_report *er,
               const html_figure *figs, int nfigs, const char *scenario_text, size_t text_len);

/* Write the Markdown twin. */
int html_write_md(FILE *fp, const report *rep, const dec_report *dr, const env_report *er,
                  const html_figure *figs, int nfigs, const char *scenario_text, size_t text_len);

/* The leading sentence of a run: which alternative is cheapest, against
 * the baseline, on blended cost (total cost without a cost of delay). */
void html_answer(const report *rep, char *buf, size_t n);

#endif
