/*
 * diag — the one structured error every layer of capmix returns.
 *
 * Library code never prints: a function that fails fills a `diag` and
 * returns a non-zero status (by convention -1).  Only sim/main.c formats a
 * diag for the user, as
 *
 *     capmix: FILE:LINE:COL: MESSAGE
 *
 * followed, when the file can be read, by the offending source line and a
 * caret under the column.  Lines and columns are 1-based everywhere in
 * capmix (libyaml's zero-based marks are converted once, in yamltree.c);
 * 0 means "no position" (e.g. a command-line error).
 */
#ifndef CAPMIX_DIAG_H
#define CAPMIX_DIAG_H

#include <stddef.h>

/* Exit codes of the binary (brief: 0 ok, 1 runtime failure, 2 bad input). */
enum { CM_EXIT_OK = 0, CM_EXIT_RUNTIME = 1, CM_EXIT_INPUT = 2 };

/* What kind of failure a diag describes; main maps it to an exit code. */
typedef enum {
    DIAG_NONE = 0,
    DIAG_INPUT,   /* the user's file or arguments are wrong: exit 2 */
    DIAG_RUNTIME  /* I/O, memory, numerical failure: exit 1 */
} diag_kind;

typedef struct diag {
    diag_kind kind;
    char file[512]; /* path as the user gave it; "" when none */
    int line, col;  /* 1-based; 0 when unknown */
    char msg[768];  /* lowercase, no final full stop, subject quoted */
} diag;

/* Reset to "no error". */
void diag_clear(diag *d);

/*
 * Record an input error at file:line:col and return -1 so callers can
 * write `return diag_input(d, ...);`.  `file` may be NULL.  A NULL `d` is
 * allowed (the error is then dropped).  The message is truncated, never
 * overflowed.
 */
int diag_input(diag *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Record a runtime error (no position) and return -1. */
int diag_runtime(diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Nearest valid word to `word` among the NULL-terminated `candidates`
 * (Damerau–Levenshtein, case-insensitive), or NULL when none is close
 * enough to be a plausible typo (distance <= max(1, len/3), at most 3).
 */
const char *diag_suggest(const char *word, const char *const *candidates);

/*
 * Append " (did you mean 'X'?)" to buf (size n) when diag_suggest finds X;
 * returns buf.  Convenience for "unknown key" messages.
 */
char *diag_hint(char *buf, size_t n, const char *word, const char *const *candidates);

#endif
