/*
 * opts — the one option parser of the capmix commands.
 *
 * A command declares its options once, as a const table of opt_def rows
 * (long name, short letter, kind of argument, where the value goes, help
 * text, whether a replay records it).  From that table opts_parse runs
 * getopt_long and stores every value in the command's own struct (each
 * row names a field by its offset), opts_help prints the `--help` page,
 * and opts_recorded rebuilds the argument list a summary.json records for
 * `--replay`.  Numbers are parsed by opts_u64 and opts_double only.
 *
 * Usage errors are DIAG_INPUT diags with no position, worded as the
 * commands have always worded them:
 *
 *     CMD: option '--x' needs a value (see 'capmix CMD --help')
 *     CMD: unknown option '--x' (see 'capmix CMD --help')
 *     CMD: option '--x' belongs to 'capmix OTHER'
 *     --trials needs a whole number from 100 to 100000000, not 'x'
 *
 * (the "(see ...)" tails as the command's flags ask).  Nothing here
 * prints except opts_help.
 */
#ifndef CAPMIX_OPTS_H
#define CAPMIX_OPTS_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"

/* At most this many rows in one command's table. */
#define OPTS_MAX 40

typedef enum {
    OPT_FLAG,   /* no argument: the int at `at` becomes 1 */
    OPT_U64,    /* a whole number within [lo, hi] into an unsigned long long */
    OPT_DOUBLE, /* a finite decimal within [dlo, dhi] into a double */
    OPT_STR,    /* the argument itself (a const char *, pointing into argv) */
    OPT_DIR,    /* as OPT_STR, refusing "": "CMD: -o needs a folder name, ..." */
    OPT_FN,     /* the row's `fn` parses the argument */
    OPT_HELP    /* -h/--help; listed where the table puts it (always accepted) */
} opt_kind;

/* Row flags. */
enum {
    OPT_RECORDED = 1, /* kept in the arguments a summary.json records (it may
                       * change a number); output folder, threads, verbosity
                       * and plots are not */
    OPT_REPEAT = 2    /* may be given more than once, each occurrence adding
                       * (fn is called for each); without it the last wins */
};

struct opt_def;
struct opts_cmd;

/*
 * Parse `arg` (and, for a row with `extra`, the next argument `extra`, or
 * NULL when there is none) into `dst`, the command struct's field at `at`.
 * Returns 0, or -1 with a usage diag in d.
 */
typedef int (*opt_fn)(const struct opts_cmd *c, const struct opt_def *o, const char *arg,
                      const char *extra, void *dst, diag *d);

typedef struct opt_def {
    const char *name;   /* long name without "--"; NULL ends the table */
    char letter;        /* short letter, or 0 */
    opt_kind kind;
    unsigned flags;     /* OPT_RECORDED, OPT_REPEAT */
    size_t at;          /* offsetof the value in the command's struct */
    unsigned long long lo, hi; /* OPT_U64 */
    double dlo, dhi;    /* OPT_DOUBLE, both inclusive */
    opt_fn fn;          /* OPT_FN */
    int extra;          /* OPT_FN: 1 when it also takes the next argument
                         * (--between A B); taken only if it does not start
                         * with '-' */
    const char *metavar; /* "N", "DIR", ...: shown in the help; NULL for a flag */
    const char *help;   /* help text, lines separated by '\n'; NULL: not listed */
    const char *belongs; /* non-NULL: this command refuses the option, saying
                          * it belongs to 'capmix BELONGS' (run, bid and
                          * envelope share a table) */
} opt_def;

/* Command flags: which usage messages end in " (see 'capmix CMD --help')". */
enum { OPTS_SEE_MISSING = 1, OPTS_SEE_UNKNOWN = 2, OPTS_SEE = 3 };

typedef struct opts_cmd {
    const char *name;    /* "run": the prefix of every usage message */
    const char *head;    /* --help text before the options block */
    const opt_def *opts; /* the table */
    int width;           /* column where the help texts start */
    const char *foot;    /* --help text after the options block, or NULL */
    unsigned flags;      /* OPTS_SEE_* */
} opts_cmd;

/* What one parse saw: where the operands start and how often each row was
 * given (index as in the table). */
typedef struct opts_seen {
    int first;                   /* argv[first..argc) are the operands */
    unsigned char n[OPTS_MAX];   /* occurrences of each row, saturating */
} opts_seen;

/*
 * Parse argv[1..argc) (argv[0] is the command name) against c's table,
 * storing values in the struct at `dst`.  Fields of options not given are
 * left as the caller initialised them.  getopt_long permutes argv: the
 * options come first, then the operands, from seen->first on.
 * Returns 0; 1 when --help was asked (nothing printed, nothing else
 * checked after it); -1 with a usage diag in d.
 */
int opts_parse(const opts_cmd *c, int argc, char **argv, void *dst, opts_seen *seen, diag *d);

/* How often the row named `name` was given in `seen` (0 when the table has
 * no such row). */
int opts_given(const opts_cmd *c, const opts_seen *seen, const char *name);

/* c's --help page: head, the options block built from the table (rows
 * with help text, "  -o, --out DIR" then the text from column `width`),
 * foot.  Returns 0, or -1 when fp has an error. */
int opts_help(FILE *fp, const opts_cmd *c);

/*
 * The arguments a replay records, from argv as opts_parse left it: every
 * operand and every option whose row has OPT_RECORDED, with its value, in
 * order; options of other rows are dropped with their values.  `out` has
 * room for argc pointers (into argv).  Returns how many were stored, or
 * -1 (out of memory).
 */
int opts_recorded(const opts_cmd *c, int argc, char **argv, char **out);

/*
 * The one number parser of the command line.  opts_u64: a whole decimal
 * within [lo, hi] ("OPT needs a whole number from LO to HI, not 'S'").
 * opts_double: a finite decimal within [lo, hi] ("OPT needs a number from
 * LO to HI, not 'S'").  Return 0, or -1 with a usage diag (d may be NULL).
 */
int opts_u64(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
             unsigned long long *out, diag *d);
int opts_double(const char *opt, const char *s, double lo, double hi, double *out, diag *d);

#endif
