/*
 * models — the table of capacity-source kinds (model §5, "Kinds").
 *
 * A kind fixes which keys a source may carry, which are required, its
 * defaults and its documentation; it reads its YAML mapping into the
 * engine's generic src_params.  The engine never names a kind.  Adding a
 * kind means one file in models/ and one row in registry.c.
 */
#ifndef CAPMIX_MODELS_H
#define CAPMIX_MODELS_H

#include "diag.h"
#include "fixedbid.h"
#include "source.h"
#include "yamltree.h"

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

/*
 * Read one source mapping `map` of kind `k` into p (zeroed by the caller,
 * then given src_params_defaults and the kind's defaults here).  Checks
 * unknown keys (with a suggestion), required keys, every value's domain.
 * Returns 0, or -1 with d set; on failure p may own memory: the caller
 * releases it with src_params_release.
 */
int model_read_source(const model_kind *k, const yt_doc *doc, const yt_node *map,
                      src_params *p, diag *d);

/* One dist-valued key of a sub-mapping such as tokens: {monthly, ...}. */
typedef struct model_subkey {
    const char *key;
    dist *dst;
    dist_domain dom;
} model_subkey;

/*
 * Read the sub-mapping n of key `what` ("tokens", "fixed_bid.oversight"):
 * unknown keys are errors with a suggestion, every value is parsed as a
 * dist of its domain; with need_all every key is required, else at least
 * one.  Returns 0, or -1 with d set.
 */
int model_read_subkeys(const yt_doc *doc, const yt_node *n, const char *what,
                       const model_subkey *sk, size_t nk, int need_all, diag *d);

/*
 * Read a `fixed_bid:` mapping into b (zeroed by the caller).  Returns 0, or
 * -1 with d set; b may then own memory (bid_params_release).
 */
int model_read_fixed_bid(const yt_doc *doc, const yt_node *map, bid_params *b, diag *d);

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
