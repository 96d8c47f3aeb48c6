/*
 * diag — the one structured error every layer of capmix returns.
 *
 * Library code never prints: a function that fails fills a `diag` and
 * returns a non-zero status (by convention -1).  Only sim/cli/main.c formats a
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
    int csv_lines;  /* 1: the file's lines end at CR, LF or CRLF only (a CSV);
                     * 0: also at NEL, LS and PS, as libyaml counts them */
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

/*
 * Width in bytes of the line break that starts at p (n bytes readable), or
 * 0 when none does.  Breaks as libyaml counts lines: CRLF (2), CR, LF, and
 * in UTF-8 NEL U+0085 (2), LS U+2028 and PS U+2029 (3); with `csv` only
 * CRLF, CR and LF (RFC 4180, csv.h).
 */
size_t diag_break_len(const char *p, size_t n, int csv);

/* A line up to DIAG_ECHO_WIDTH characters is echoed whole; a longer one as
 * DIAG_ECHO_SIDE characters either side of the column, "…" marking what
 * is cut.  DIAG_ECHO_MAX bytes hold any echo. */
#define DIAG_ECHO_WIDTH 160
#define DIAG_ECHO_SIDE 60
#define DIAG_ECHO_MAX 1024

/*
 * The echo of line `line` (1-based, counted by diag_break_len) of the file
 * text[0..len), for a caret under column `col` (1-based, in characters:
 * a UTF-8 sequence counts once, a byte that is not one counts once, a
 * leading byte-order mark not at all).  Writes into out (n >= DIAG_ECHO_MAX)
 * the line, clipped as above, with control characters (C0, DEL, C1) as
 * spaces so that each character takes one column, and sets *caret to the
 * columns before the caret.  Returns 0, or -1 when the text has no such
 * line (out is then "").  Never allocates; reads at most len bytes.
 */
int diag_echo(const char *text, size_t len, int line, int col, int csv, char *out, size_t n,
              int *caret);

#endif
