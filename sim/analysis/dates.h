/*
 * dates — a run's days as calendar dates and fiscal quarters, for a
 * scenario with `work.start_date` (caldate.h).  Without a start date every
 * function here prints nothing, so outputs are unchanged.
 *
 * Day d of the simulation is the date start_date + floor(d).  The month
 * ends of the burn fan (days_per_month apart) are placed in the fiscal
 * quarter their date falls in; a quarter's cumulative figures are those at
 * its last month end, and its spend the difference of the mean cumulative
 * cost from the previous quarter's (the first from zero).
 */
#ifndef CAPMIX_DATES_H
#define CAPMIX_DATES_H

#include <stdio.h>
#include "report.h"

/* "  delivery P50 2026-08-09 (FY2026 Q3), P90 2026-11-30 (FY2026 Q4)\n"
 * for alternative a, under its table in run.log and on stdout. */
void dates_delivery_line(FILE *fp, const report *rep, size_t a);

/* The envelope's quarter table: per alternative, each fiscal quarter with
 * its last month end, the spend in the quarter (mean) and the cumulative
 * cost P50 and P90 at its end.  Needs month-end snapshots. */
void dates_quarter_table(FILE *fp, const report *rep);

/* The fiscal quarter label of day d ("FY2026 Q3") into buf. */
char *dates_quarter(const report *rep, double day, char *buf, size_t n);

#endif
