/*
 * models — the table of capacity-source kinds (model §5, "Kinds").
 *
 * A kind fixes which keys a source may carry, which are required, its
 * defaults and its documentation; sim/input/kindread.h reads a source's
 * YAML mapping into the engine's generic src_params from these tables.
 * The engine never names a kind.  Adding a kind means one file in models/
 * and one row in registry.c.
 */
#ifndef CAPMIX_MODELS_H
#define CAPMIX_MODELS_H

#include "diag.h"
#include "fixedbid.h"
#include "source.h"

typedef struct model_kind {
    const char *name;          /* the YAML `kind:` value */
    const char *summary;       /* one line for listings */
    const char *help;          /* a paragraph: what it models, pay basis */
    const char *const *pay_keys; /* NULL-terminated: the pay-basis keys it allows,
                                  * besides model_common_keys */
    const char *const *required; /* NULL-terminated; "a|b" means one of a, b */
    void (*defaults)(src_params *p); /* kind defaults; NULL for none */
    const char *example;       /* a commented YAML source entry (capmix init) */
} model_kind;

/* NULL-terminated table of every kind. */
extern const model_kind *const model_kinds[];

/* Kind by name, or NULL. */
const model_kind *model_find(const char *name);

/* NULL-terminated list of kind names (for "did you mean"). */
const char *const *model_kind_names(void);

/* Every key any kind understands, NULL-terminated (generic source keys). */
extern const char *const model_all_keys[];

/* The keys every kind allows (the work process, overheads of a source,
 * one-offs), NULL-terminated; pay keys differ by kind. */
extern const char *const model_common_keys[];

/* The keys of fixed_bid, fixed_bid.change_orders and of any oversight
 * mapping, NULL-terminated (the reader's own tables). */
extern const char *const model_bid_keys[];
extern const char *const model_bid_co_keys[];
extern const char *const model_oversight_keys[];

/* The keys of the sub-mappings of a source: outcomes (and
 * outcomes.observed), throughput, throughput.observed, tokens and
 * change_orders, NULL-terminated. */
extern const char *const model_outcome_keys[];
extern const char *const model_observed_key[];
extern const char *const model_tp_keys[];
extern const char *const model_tokens_keys[];
extern const char *const model_co_keys[];

/* The keys the source reader accepts in a section, NULL-terminated, from
 * the tables it checks them against (for `capmix help TOPIC`): "source",
 * "outcomes", "outcomes.observed", "throughput", "throughput.observed",
 * "oversight", "tokens", "change_orders", "fixed_bid",
 * "fixed_bid.change_orders", "fixed_bid.oversight"; NULL otherwise. */
const char *const *model_keys(const char *section);

/* The kinds, one per file. */
extern const model_kind model_in_house;
extern const model_kind model_ai_team;
extern const model_kind model_offshore_pod;
extern const model_kind model_staff_augmentation;
extern const model_kind model_consultants;

#endif
