/*
 * loader — private to the scenario loader's files (scenario.c, ruleread.c,
 * corrread.c): the context they share and the readers scenario.c calls.
 * Every function returns 0, or -1 with L->d set (a positioned input diag).
 */
#ifndef CAPMIX_LOADER_H
#define CAPMIX_LOADER_H

#include <stddef.h>

#include "diag.h"
#include "scenario.h"
#include "yamltree.h"

/* Loader context: the document plus the scenario being filled. */
typedef struct loader {
    const yt_doc *doc;
    scn_scenario *s;
    diag *d;
} loader;

/* A name (alternative, source, rule) into dst (cap bytes): 1 to cap - 1
 * characters of a safe alphabet, since names become stream seeds, file
 * names and parameter paths. */
int ld_check_name(loader *L, const yt_node *n, const char *what, char *dst, size_t cap);

/* `stop_loss:` of capacity mix a; then, with every alternative read, the
 * check that each rule's `then:` names another one (`alts` the list). */
int ld_read_rules(loader *L, const yt_node *n, scn_alternative *a);
int ld_resolve_fallbacks(loader *L, const yt_node *alts);

/* `correlations:` (n may be NULL: none), after every alternative. */
int ld_read_correlations(loader *L, const yt_node *n);

/* The keys of a rule, of its stop_if and of a correlation (scn_keys). */
extern const char *const ld_rule_keys[];
extern const char *const ld_stop_if_keys[];
extern const char *const ld_corr_keys[];

#endif
