/*
 * warn — the one way capmix keeps and spells a warning: something the user
 * should read that is not an error (the run goes on, exit status 0).
 *
 * Library code that finds one adds it to a warn_list it owns (the
 * scenario's, a track report's); whoever prints the result prints the list
 * with warn_print.  A warning spells the same everywhere:
 *
 *     warning: MSG            in a table, a log or a report (warn_print,
 *                             warn_line, warn_text)
 *     capmix: warning: MSG    alone on stderr beside a command's output
 *                             (warn_emit)
 *
 * MSG is lowercase with no final full stop, like a diag's message.  A list
 * never allocates: it holds WARN_MAX messages of up to WARN_LEN - 1 bytes;
 * more are dropped and a longer one is cut (at a byte, as vsnprintf cuts).
 */
#ifndef CAPMIX_WARN_H
#define CAPMIX_WARN_H

#include <stdarg.h>
#include <stdio.h>

#define WARN_MAX 4
#define WARN_LEN 512

typedef struct warn_list {
    char msg[WARN_MAX][WARN_LEN];
    int n; /* messages held, 0..WARN_MAX */
} warn_list;

/* Add a message (printf format).  Past WARN_MAX it is dropped. */
void warn_add(warn_list *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void warn_vadd(warn_list *w, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* "warning: MSG\n" for each message of the list, in order. */
void warn_print(FILE *fp, const warn_list *w);

/* "warning: MSG\n" for one message computed at print time. */
void warn_line(FILE *fp, const char *msg);

/* "warning: MSG" into buf (n bytes, cut, never overflowed): a report cell.
 * Returns buf. */
char *warn_text(char *buf, size_t n, const char *msg);

/* "capmix: warning: MSG\n" on fp (printf format).  fp NULL: nothing. */
void warn_emit(FILE *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
