/*
 * scenario — a scenario file (format version 1) as typed, validated data.
 *
 * The loader (sim/input/scnload.h) builds one from a file and checks
 * everything the model's contract says must be rejected at load time, so
 * that the engine never meets an invalid parameter.  This header is the
 * type and the operations on it that need no file.
 *
 * Ownership: a loaded scenario is owned by the caller, released by
 * scn_free (NULL-safe).  The scenario keeps no pointer into the YAML tree.
 */
#ifndef CAPMIX_SCENARIO_H
#define CAPMIX_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include "copula.h"
#include "diag.h"
#include "dist.h"
#include "fixedbid.h"
#include "source.h"
#include "stoploss.h"
#include "textesc.h"
#include "warn.h"

#define SCN_NAME_MAX 64
#define SCN_MAX_TRIALS 100000000ULL
/* Fewer than two trials leave the standard error, the intervals and every
 * "±" undefined (a sample variance needs n - 1 > 0): refused, not printed
 * as a zero-width interval. */
#define SCN_MIN_TRIALS 2ULL
/* A century: the run-rate event loop takes time in proportion to the
 * horizon, and month counts and snapshot arrays are sized by it; no
 * capacity decision looks further (docs/model.md "Limits"). */
#define SCN_MAX_HORIZON_DAYS 36500.0
/* A minimum term of a century at most, for the same reason: beyond it a
 * term's cost is no longer a sum the run can hold (model §18.39). */
#define SCN_MAX_MIN_MONTHS 1200

typedef struct scn_overhead {
    char name[SCN_NAME_MAX];
    dist monthly_cost;   /* trial level, cost_direct from day 0 */
    dist wait_factor;    /* trial level, multiplies review waits */
} scn_overhead;

typedef enum { ALT_MIX = 0, ALT_BID = 1 } scn_alt_kind;

typedef struct scn_alternative {
    char name[SCN_NAME_MAX];
    scn_alt_kind kind;
    int baseline;        /* marked `baseline: true` */
    int line, col;
    src_params *sources;
    size_t nsources;
    scn_overhead *overheads;
    size_t noverheads;
    bid_params bid;      /* ALT_BID only */
    sl_rule *rules;      /* stop-loss rules (capacity mixes only) */
    size_t nrules;
} scn_alternative;

/* How a sponsor weighs risk (model §4, §18.16). */
typedef enum { RISK_CE = 0, RISK_CVAR } scn_risk_measure;

typedef struct scn_decision {
    double risk_tolerance;   /* R (money); +Inf = risk neutral (the default) */
    double partner_margin;   /* NaN when not given */
    scn_risk_measure measure;
    double cvar_level;       /* default 0.95 */
    double confidence;       /* envelope confidence c, default 0.9 */
    double min_delivery;     /* least P(delivered by the horizon) of an answer, default 0.9 */
} scn_decision;

/* An internal role's rate: loaded_annual / hours_per_year, or hourly. */
typedef struct scn_person {
    int present;
    int hourly;          /* 1: `rate` is an hourly_rate, else loaded_annual */
    dist rate;
} scn_person;

/* Work-level trial quantities that `correlations:` may name (work.KEY). */
typedef enum { WQ_COST_OF_DELAY = 0, WQ_TARGET_DAY, WQ_COUNT } scn_work_quantity;

typedef struct scn_work {
    long long outcomes;       /* 0: run-rate mode */
    double horizon_days;
    dist target_day;
    int cod_annual;           /* cost_of_delay given as annual_value */
    dist cod;                 /* per_day, or annual_value */
    double cod_days_per_year; /* with annual_value, default 365 */
    int replace_superseded;   /* default 1 */
    unsigned short cslot[WQ_COUNT]; /* copula coordinate + 1, or 0 (source.h) */
    int has_start_date;       /* `start_date` given: day d is start_date + floor(d) */
    long start_date;          /* day number (caldate.h) */
} scn_work;

/* The question a `sweep:` or `breakeven:` section asks, as written: the
 * defaults of `capmix sweep` and `capmix breakeven` (validated at load:
 * strings, `between` two different alternatives of the scenario).  Each
 * string is owned by the scenario; NULL when not given. */
typedef struct scn_question {
    int present;              /* the section is in the file */
    char *set;                /* sweep: PATH=LO:HI:N */
    char *x, *y;              /* breakeven: PATH=LO:HI:N, PATH=LO:HI */
    char *metric;             /* METRIC.STAT */
    char *between[2];         /* two alternatives' names */
} scn_question;

typedef struct scn_scenario {
    char *file;               /* path as given */
    char *path;               /* absolute (realpath at load), NULL when it has
                                 none (/dev/stdin, a buffer): what a replay
                                 reads again, from any working directory */
    char sha256[65];          /* of the file's bytes */
    char *text;               /* those bytes as read, once (NUL-terminated;
                                 NULL from scn_load_doc): a second read
                                 could differ, or block on a FIFO */
    size_t text_len;
    char name[TXT_NAME_MAX + 1];               /* one line, no control (textesc.h) */
    char description[TXT_DESCRIPTION_MAX + 1]; /* may hold TAB and LF */
    char currency[16];
    uint64_t seed;
    uint64_t trials;
    src_calendar cal;
    scn_person senior, pm;
    scn_work work;
    scn_alternative *alts;
    size_t nalts;
    size_t baseline;          /* index: the one marked, else the first capacity mix */
    scn_decision decision;
    cop_model corr;           /* `correlations:`; corr.k == 0 when none */
    int fy_month, fy_day;     /* calendar.fiscal_year_start, default 01-01 */
    scn_question sweep, breakeven;
    /* warnings worth a line in the digest and the log (not errors) */
    warn_list warnings;
} scn_scenario;

/* Release a scenario and all it owns; NULL is a no-op. */
void scn_free(scn_scenario *s);

/* Index of the alternative named `name`, or -1. */
int scn_find_alt(const scn_scenario *s, const char *name);

/* " (did you mean 'NAME'?)" for the alternative nearest `name`, or "",
 * into buf (for "not an alternative" messages). */
char *scn_alt_hint(const scn_scenario *s, const char *name, char *buf, size_t n);

/* Remove alternative i (used by `run --only` and tests: removing an
 * alternative must not change the others' numbers). */
void scn_remove_alt(scn_scenario *s, size_t i);

/* Model §18.16: the cost inputs under which E[exp(C/R)] is infinite at
 * risk tolerance R (lognormal; gamma with scale >= R), by name into `names`
 * (the first three); returns their number (0 when R is infinite). */
int scn_heavy_tails(const scn_scenario *s, double R, char *names, size_t nnames);

/* The warning line for them at tolerance R, or "" (also with CVaR). */
void scn_heavy_tail_warning(const scn_scenario *s, double R, char *buf, size_t n);

/* Per-day cost of delay from a drawn cost_of_delay value. */
double scn_cod_per_day(const scn_work *w, double drawn);

#endif
