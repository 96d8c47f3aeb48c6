/*
 * jsonread — reads back capmix's own summary.json (replays, report
 * rebuilds, backtests) through jansson, into a plain tree.  Strict RFC 8259
 * syntax; strings may carry \uXXXX escapes (kept as UTF-8; \u0000 is
 * refused); a key given twice in one object is refused; every number is a
 * double.  Nesting is bounded (64 levels).  Errors are returned, never
 * printed: a syntax error as `name:line:col: not valid JSON: <jansson's
 * text>` (line and column 1-based, as jansson counts them: lines end at
 * LF, columns count characters), running out of memory as a runtime diag.
 *
 * Ownership: jr_parse returns a tree owned by the caller, freed by jr_free.
 */
#ifndef CAPMIX_JSONREAD_H
#define CAPMIX_JSONREAD_H

#include <stddef.h>
#include "diag.h"

typedef enum { JR_NULL, JR_BOOL, JR_NUM, JR_STR, JR_ARR, JR_OBJ } jr_kind;

typedef struct jr_value jr_value;
struct jr_value {
    jr_kind kind;
    double num;       /* JR_NUM, JR_BOOL (0/1) */
    char *str;        /* JR_STR; object member keys are in `keys` */
    size_t n;         /* JR_ARR, JR_OBJ */
    jr_value *items;  /* n values */
    char **keys;      /* JR_OBJ: n keys */
};

/* Parse a buffer; `name` is used in messages.  Returns NULL with d set. */
jr_value *jr_parse(const char *name, const char *buf, size_t len, diag *d);
void jr_free(jr_value *v);

/* Member `key` of object v, or NULL. */
const jr_value *jr_get(const jr_value *v, const char *key);

#endif
