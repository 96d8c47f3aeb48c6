/*
 * yamltree — a scenario file as a small, immutable tree of nodes.
 *
 * libyaml's event stream is turned into maps, sequences and scalars, each
 * carrying the 1-based line and column where it starts, so that every
 * later error ("p90 must exceed median") can point at the right place.
 *
 * Only the YAML a scenario needs is accepted.  Rejected with a position:
 * anchors and aliases, explicit tags, merge keys (`<<`), a second
 * document, non-scalar or duplicate mapping keys (the message names both
 * positions).  Limits guard against hostile input (libyaml itself has no
 * nesting limit): file size, nesting depth, scalar length, node count.
 *
 * Ownership: yt_load_* return a yt_doc owned by the caller and released
 * with yt_free; every node and string inside lives until then.
 */
#ifndef CAPMIX_YAMLTREE_H
#define CAPMIX_YAMLTREE_H

#include <stddef.h>
#include "diag.h"

#define YT_MAX_FILE_BYTES (4u << 20) /* 4 MiB */
#define YT_MAX_DEPTH 64
#define YT_MAX_SCALAR 65536
#define YT_MAX_NODES 1000000

typedef enum { YT_SCALAR, YT_MAP, YT_SEQ } yt_kind;

typedef struct yt_node yt_node;
struct yt_node {
    yt_kind kind;
    int line, col;     /* 1-based start of the node */
    const char *str;   /* YT_SCALAR: NUL-terminated text, else NULL */
    int plain;         /* YT_SCALAR: 1 when unquoted (plain style) */
    size_t n;          /* YT_MAP: number of pairs; YT_SEQ: items */
    yt_node **keys;    /* YT_MAP: key scalars (n of them), else NULL */
    yt_node **items;   /* YT_MAP: values; YT_SEQ: items */
};

typedef struct yt_doc {
    char *file;        /* the name used in diagnostics (owned copy) */
    yt_node *root;     /* NULL for an empty document */
    void *arena_;      /* private */
} yt_doc;

/* Read and parse a file.  Returns 0, or -1 with d set (DIAG_INPUT for a
 * bad file, DIAG_RUNTIME for I/O or memory). */
int yt_load_file(const char *path, yt_doc **out, diag *d);

/* Parse a buffer (need not be NUL-terminated); `name` is used in errors. */
int yt_load_buffer(const char *name, const char *buf, size_t len, yt_doc **out, diag *d);

/* Free the document; NULL is a no-op. */
void yt_free(yt_doc *doc);

/* Value of key `key` in map `map`, or NULL (also when map is NULL or not a
 * map).  `key_out`, when non-NULL, receives the key node. */
const yt_node *yt_get(const yt_node *map, const char *key, const yt_node **key_out);

/* Human name of a node's kind for messages: "a mapping", "a list",
 * "a scalar". */
const char *yt_kind_name(const yt_node *n);

/*
 * Scalar conversions.  Each returns 0, or -1 with an input diag at the
 * node naming `what` (e.g. the key) and what was expected.
 *
 * yt_number: a plain decimal number, the whole scalar consumed,
 *   independent of the C locale: [+-]digits[.digits][e[+-]digits] or
 *   [+-].digits...; hex, octal-looking leading zeros ("0755"), NaN, Inf,
 *   empty and quoted scalars are rejected; the value must be finite.
 * yt_integer: as yt_number but integral, within [lo, hi].
 * yt_bool: plain true/false (any case).
 * yt_string: any scalar (plain or quoted); the pointer lives with the doc.
 */
int yt_number(const yt_doc *doc, const yt_node *n, const char *what, double *out, diag *d);
int yt_integer(const yt_doc *doc, const yt_node *n, const char *what, long long lo, long long hi,
               long long *out, diag *d);
int yt_bool(const yt_doc *doc, const yt_node *n, const char *what, int *out, diag *d);
int yt_string(const yt_doc *doc, const yt_node *n, const char *what, const char **out, diag *d);

/*
 * Check that every key of `map` is in the NULL-terminated `allowed` list;
 * on the first unknown key, set an input diag at that key:
 *   "unknown key 'thruput' in CONTEXT (did you mean 'throughput'?)"
 * `context` names the enclosing thing ("source 'pod'", "work").  Also
 * fails (with a diag at the node) when `map` is not a mapping.
 */
int yt_check_keys(const yt_doc *doc, const yt_node *map, const char *context,
                  const char *const *allowed, diag *d);

/*
 * The one mutation: make node n a plain scalar holding `text` (copied into
 * the document), whatever it was before — a number, or a whole {dist: ...}
 * mapping.  Used by sweeps to set a parameter before re-reading the
 * scenario.  Returns 0, or -1 (out of memory) with d set.
 */
int yt_set_scalar(yt_doc *doc, yt_node *n, const char *text, diag *d);

/* Quote at most this much of a user's text in a message, so that a huge
 * key cannot push the useful part (positions, hints) out of diag.msg. */
#define YT_ECHO_MAX 48

/* A printable, bounded copy of s (control characters as '?', cut on a
 * character with "..." past YT_ECHO_MAX bytes) for quoting in a message;
 * returns buf (size n). */
const char *yt_echo(char *buf, size_t n, const char *s);

/* Set an input diag positioned at node n (convenience, returns -1). */
int yt_error(const yt_doc *doc, const yt_node *n, diag *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
