/*
 * xlsx — report.xlsx, the workbook a finance desk opens, and
 * comparison.csv, its first sheet as CSV; plus the one CSV text-field
 * writer every CSV output of capmix uses.
 *
 * Sheets: Comparison (one row per alternative: the headline figures and
 * the paired difference against the baseline), Answer (the run's sentence,
 * the bid verdicts and envelope sentences), Bid (when the run weighed a
 * fixed bid), Envelope and Stop-loss (capmix envelope), Burn (the monthly
 * fan of cumulative cost, when month-end snapshots were kept), Provenance
 * (version, scenario, SHA-256, seed, trials, command).  Numbers are
 * number cells with money, percent or day formats; NaN is an empty cell
 * and ±Inf the text "inf"/"-inf" (a workbook has neither).  Every user
 * text — scenario name and description, alternative, source and rule
 * names — is written as a string cell, never as a formula, whatever it
 * starts with.  The writers only format: every figure comes from the
 * report, the bid and the envelope already built.
 */
#ifndef CAPMIX_XLSX_H
#define CAPMIX_XLSX_H

#include <stdio.h>
#include "decision.h"
#include "diag.h"
#include "envelope.h"
#include "report.h"

/*
 * Write the workbook to the file `path` (created or truncated: the caller
 * passes an atomic_file's temporary, so the workbook lands with the rest of
 * the run).  dr and er may be NULL.  Returns 0, or -1 with a runtime diag
 * naming `shown` (the final path) when the library could not write it.
 */
int xlsx_write(const char *path, const char *shown, const report *rep, const dec_report *dr,
               const env_report *er, diag *d);

/* comparison.csv: the Comparison sheet's rows as CSV.  Returns 0 or -1. */
int xlsx_comparison_csv(FILE *fp, const report *rep);

/*
 * Write s as one CSV field (RFC 4180: quoted when it holds a comma, quote
 * or line break, quotes doubled).  A spreadsheet opening the CSV would run
 * a field that starts with '=', '+', '-', '@', a tab or a carriage return
 * as a formula (CSV injection): such a field gets a leading apostrophe,
 * which spreadsheets show as text and which a reader of the raw file can
 * see and strip.  Only text fields go through here; numbers are written
 * as numbers (a negative number is not a formula).
 */
void xlsx_csv_text(FILE *fp, const char *s);

/* 1 when s would be taken for a formula by a spreadsheet (see above). */
int xlsx_formula_like(const char *s);

#endif
