/*
 * calibrate — from a ticket export and invoices to per-source estimates
 * (`capmix calibrate`, docs/model.md "Calibrating from history" and
 * decisions 31–36).  Pure computation: nothing here prints; the command
 * (cmd_calibrate.c) writes the scenario fragment and the warnings.
 *
 * Ticket schema (csv.h; columns by name, any order, others ignored):
 *   id            the ticket; one row per PASS of work on it, so a ticket
 *                 sent back for rework has one row per pass
 *   source        the capacity source that did the pass (a scenario name:
 *                 letters, digits, '-', '_')
 *   started       when the pass started        } ISO 8601: YYYY-MM-DD,
 *   finished      when it was handed to review } optionally THH:MM[:SS]
 *   outcome       the review verdict on the pass: accepted, rework or
 *                 superseded
 *   review_hours  (optional) senior hours spent reviewing the pass
 *   reviewed      (optional) when the verdict was given
 * A date without a time means the start of that day for `started` and the
 * end of it for `finished` and `reviewed`: days are counted inclusively.
 * A ticket's passes are ordered by `started`; only a rework verdict may
 * be followed by another pass, by the same source.
 *
 * Invoice schema: month (YYYY-MM), source, amount (a plain number >= 0,
 * in the scenario's currency); rows of the same source and month add up.
 *
 * Errors are input diags at file:line:col naming the column.  Every row
 * of both files is checked before any is refused: without skip_bad the
 * bad rows are all the error (tickets first, each file in line order);
 * with it every bad row is recorded in the result and left out.
 */
#ifndef CAPMIX_CALIBRATE_H
#define CAPMIX_CALIBRATE_H

#include <stddef.h>

#include "callanes.h"
#include "csv.h"
#include "diag.h"
#include "source.h"
#include "stats.h"

#define CAL_THIN 10          /* fewer tickets than this: a thin-data warning */
#define CAL_REWORK_MIN 10    /* rework passes needed for their own outcome counts */
#define CAL_TREND_MIN 3      /* months needed for a trend with an uncertainty */
#define CAL_NAME_MAX 64      /* as a scenario's source names */

typedef struct cal_opts {
    int skip_bad;           /* 1: leave bad rows out (recorded), else fail on the first */
    double rework_effort;   /* a rework pass's effort, as counted in throughput (0.5) */
} cal_opts;

typedef struct cal_source {
    char name[CAL_NAME_MAX];

    /* ---- tickets (has_tickets) ---- */
    int has_tickets;
    size_t tickets;              /* distinct ids */
    size_t passes, rework_passes; /* rows; of which not a ticket's first */
    double first[OC_COUNT];      /* verdicts on first passes */
    double later[OC_COUNT];      /* verdicts on rework passes */
    double items;                /* throughput.observed.items: first + effort x rework passes */
    double days;                 /* throughput.observed.days: first start to last finish */
    long long t_first, t_last;   /* those instants, seconds since 1970 (UTC) */
    double busy_share;           /* share of the span with a pass in progress */
    int has_lanes;               /* lanes below is set (the span is not empty) */
    cal_lanes lanes;             /* passes in progress, time-averaged over the span */
    size_t max_passes;           /* most passes of one ticket */
    size_t open_rework;          /* tickets whose last verdict is rework */
    /* sorted ascending, owned; n may be 0 (pointer then NULL) */
    double *review_hours;        size_t n_review_hours;  /* per pass with review_hours */
    double *review_wait;         size_t n_review_wait;   /* reviewed - finished, days */
    double *cycle;               size_t n_cycle;         /* first start to acceptance, days */
    stats_summary pass_first, pass_rework; /* pass durations, days */
    stats_summary cycle_summary;
    double effort_ratio, effort_ratio_se; /* mean rework / mean first pass duration; NaN if unknown */

    /* ---- invoices (has_invoices) ---- */
    int has_invoices;
    size_t invoice_rows, months; /* rows; distinct months */
    int month_first, month_last; /* 12 * year + month - 1 */
    size_t month_gaps;           /* months without a row between first and last */
    double cost_mean, cost_sd, cost_se; /* of the monthly totals (sd, se NaN for one month) */
    double cost_last;            /* the last month's total */
    /* log-linear trend: log(total) = a + b * (month - month_first), over
     * the months with a positive total (trend_n >= CAL_TREND_MIN) */
    int has_trend;
    size_t trend_n;
    double trend_b, trend_b_se, trend_t, trend_tcrit;
    double growth, growth_se;    /* e^b - 1 and its delta-method SE */
    double resid_sd;             /* s, the residual sd of log(total) */
    double level_next, level_next_se; /* fitted log total for month_last + 1 */
    double monthly_next;         /* expected bill next month: exp(level + s^2 / 2) */
    int trend_significant;       /* |t| > the 97.5 % quantile of Student t(n - 2) */
} cal_source;

/* A bad row left out under skip_bad. */
typedef struct cal_bad {
    int invoices;    /* 0: a row of the ticket file, 1: of the invoice file */
    int line, col;
    char *msg;       /* owned; as an input diag's message */
} cal_bad;

typedef struct cal_result {
    cal_source *sources;         /* in order of first appearance: tickets, then invoices */
    size_t nsources;
    size_t ticket_rows, invoice_rows;       /* data rows read */
    size_t ticket_skipped, invoice_skipped; /* bad rows left out (skip_bad) */
    cal_bad *skipped;            /* one per skipped row: tickets first, each in line order */
    size_t nskipped;
} cal_result;

/*
 * Calibrate from `tickets` and/or `invoices` (either may be NULL, not
 * both).  Returns 0 with *out owned by the caller (cal_result_free), or -1
 * with d set: DIAG_INPUT for a bad file (missing column, bad row without
 * skip_bad, no usable row), DIAG_RUNTIME for memory.
 */
int cal_estimate(const csv_table *tickets, const csv_table *invoices, const cal_opts *o,
                 cal_result **out, diag *d);

/* The same, and on bad rows (without skip_bad) every one of them:
 * errs[0 .. min(*nerrs, maxerrs) − 1] with the count of all in *nerrs
 * (0 for any other failure), the first also in d.  errs may be NULL. */
int cal_estimate_all(const csv_table *tickets, const csv_table *invoices, const cal_opts *o,
                     cal_result **out, diag *d, diag *errs, size_t maxerrs, size_t *nerrs);

/* Free a result; NULL is a no-op. */
void cal_result_free(cal_result *r);

/* Source by name, or NULL. */
const cal_source *cal_find(const cal_result *r, const char *name);

/*
 * Parse an ISO 8601 date or date-time: YYYY-MM-DD, optionally followed by
 * 'T' (or 't', or one space) HH:MM[:SS[.fff]] and 'Z' or +HH:MM / +HHMM /
 * +HH.  A date alone is 00:00 of that day, or with end_of_day 24:00.  A
 * time without a zone is taken as UTC.  Returns 0 with *sec (seconds since
 * 1970-01-01 UTC), or -1 with *bad_at the byte offset of the offending
 * part and `why` (size nwhy) saying what is wrong.
 */
int cal_parse_time(const char *s, int end_of_day, long long *sec, size_t *bad_at, char *why,
                   size_t nwhy);

/* The forms cal_parse_time accepts, as its messages state them. */
#define CAL_ISO_FORMS "expected ISO 8601: YYYY-MM-DD, optionally with THH:MM[:SS] and Z or +HH:MM"

/* Parse YYYY-MM into 12 * year + month - 1; same failure contract. */
int cal_parse_month(const char *s, int *month, size_t *bad_at, char *why, size_t nwhy);

/* "YYYY-MM-DD" of an instant (UTC) into buf (size >= 11); an end-of-day
 * instant (exactly midnight) with end_of_day prints the day before. */
char *cal_format_day(long long sec, int end_of_day, char *buf, size_t n);

#endif
