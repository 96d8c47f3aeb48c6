/*
 * ydiff — what changed between two scenario files, key by key, and the
 * scenario in between: the first file with any chosen subset of the
 * changes switched to the second's values (for `capmix compare`).
 *
 * A change is the smallest piece of the tree that differs:
 *   - mappings are compared key by key ("work.outcomes");
 *   - a list whose items are all mappings with distinct `name`s, in the
 *     same relative order in both files, is compared item by item
 *     ("alternatives[offshore].sources[pod].hourly_rate"); an item only in
 *     one file is one change (added or removed);
 *   - a distribution (a mapping with a `dist` key), any other list, and a
 *     scalar are compared whole.
 * Changes are numbered in the order of the walk: the first file's key
 * order, then keys only the second file has.  Equality is structural: key
 * order inside a mapping does not matter, the quoting of a scalar does
 * (a quoted "5" is a string, a plain 5 a number).
 *
 * Ownership: a ydiff borrows both documents, which must outlive it;
 * ydiff_release frees what ydiff_compute allocated.
 */
#ifndef CAPMIX_YDIFF_H
#define CAPMIX_YDIFF_H

#include <stddef.h>
#include "diag.h"
#include "yamltree.h"

typedef struct ydiff_change {
    char *path;            /* "alternatives[pod].sources[pod].hourly_rate" */
    const yt_node *old;    /* NULL when the key was added */
    const yt_node *new_;   /* NULL when the key was removed */
} ydiff_change;

typedef struct ydiff {
    const yt_doc *a, *b;
    ydiff_change *ch;
    size_t n;
} ydiff;

/* The changes from a to b (both parsed scenario files; x zeroed by the
 * caller).  Returns 0, or -1 with a runtime diag (out of memory). */
int ydiff_compute(const yt_doc *a, const yt_doc *b, ydiff *x, diag *d);

void ydiff_release(ydiff *x);

/*
 * The YAML text (flow style, one line) of a with change i switched to b's
 * value wherever on[i] is non-zero: with every on[i] zero it states what a
 * states, with every one set what b states.  Mapping keys keep a's order,
 * keys only b has follow; an item only b has goes after a's items.
 * Returns 0 with *text malloc'd (NUL-terminated, length *len), or -1 with
 * a runtime diag.
 */
int ydiff_emit(const ydiff *x, const unsigned char *on, char **text, size_t *len, diag *d);

/* A node as short flow-style text for a listing, at most n-1 bytes
 * ("..." at the end when cut); "(absent)" for NULL.  Returns buf. */
char *ydiff_show(const yt_node *v, char *buf, size_t n);

#endif
