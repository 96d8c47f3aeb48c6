/*
 * models — the table of capacity-source kinds (model §18.5, "Kinds") and the
 * one table of the keys they understand.
 *
 * Every key of a source, of its sub-mappings and of a fixed bid is one row
 * of models/keylist.h: its section, value type, domain, level, which kinds
 * take it, where a plain quantity goes, and a doc line.  Every kind is one
 * row of models/kinds.c: name, summary, help, pay basis, pay keys,
 * required sets (as data), defaults and an example.  The reader
 * (sim/input/kindread.h), validate, help, init, calibrate and tornado all
 * read these two tables, so adding a key or a kind is one row.  The engine
 * never names a kind.
 */
#ifndef CAPMIX_MODELS_H
#define CAPMIX_MODELS_H

#include <stddef.h>

#include "diag.h"
#include "dist.h"
#include "fixedbid.h"
#include "source.h"

/* Sections of keys: a source, its sub-mappings, a fixed bid and its own. */
typedef enum {
    MS_NONE = 0,
#define SECTION(S, name) MS_##S,
#define KEY(S, id, type, dom, level, scope, sub, field, has, doc)
#define END(S)
#include "keylist.h"
#undef SECTION
#undef KEY
#undef END
    MS_COUNT
} model_section;

/* Every key, as MK_SECTION_key (MK_SOURCE_headcount, MK_TOKENS_monthly);
 * MK_NONE (0) ends the lists of kinds.c.  The MK_BEGIN_ and MK_END_ ids
 * bracket each section and name no key. */
typedef enum {
    MK_NONE = 0,
#define SECTION(S, name) MK_BEGIN_##S,
#define KEY(S, id, type, dom, level, scope, sub, field, has, doc) MK_##S##_##id,
#define END(S) MK_END_##S,
#include "keylist.h"
#undef SECTION
#undef KEY
#undef END
    MK_COUNT
} model_key_id;

typedef enum {
    KT_NAME,    /* a name (one line, no control characters) */
    KT_KIND,    /* a kind's name */
    KT_DIST,    /* a number or a {dist: ...} (distparse.h) */
    KT_NUMBER,  /* a plain number */
    KT_INT,     /* a whole number */
    KT_BOOL,    /* true or false */
    KT_MAP      /* a mapping: the keys of section `sub` */
} model_key_type;

typedef enum { KL_NONE, KL_TRIAL, KL_ITEM } model_key_level;

typedef enum { KS_ALL, KS_PAY } model_key_scope;

/* No src_params field: the key is read by its own code. */
#define MODEL_NO_FIELD ((size_t)-1)

typedef struct model_key {
    const char *name;          /* NULL for the MK_BEGIN_/MK_END_ rows */
    model_section section;
    model_key_type type;
    dist_domain dom;
    model_key_level level;
    model_key_scope scope;
    model_section sub;         /* KT_MAP: the section it holds */
    size_t field;              /* offsetof(src_params, ...) or MODEL_NO_FIELD */
    unsigned has;              /* SRC_HAS_ flag set when given */
    const char *doc;
} model_key;

/* Every row of keylist.h, indexed by model_key_id. */
extern const model_key model_key_table[MK_COUNT];

/* The key names of a section in table order, NULL-terminated (for
 * yt_check_keys and "did you mean"). */
const char *const *model_section_keys(model_section s);

/* The first key id of a section (iterate while model_key_table[id].name). */
model_key_id model_section_first(model_section s);

/* The key of section s named `name`, or MK_NONE. */
model_key_id model_key_find(model_section s, const char *name);

/* How a kind is paid, stated by each kind: what its invoices are (calibrate
 * turns invoices into this form's pay keys). */
typedef enum {
    MODEL_PAY_SALARIED,  /* salaried: headcount x loaded_annual, no invoices */
    MODEL_PAY_METERED,   /* salaried, plus a metered bill (tokens): the
                          * invoices are the bill */
    MODEL_PAY_HOURLY,    /* time and materials: headcount x hourly_rate x hours */
    MODEL_PAY_RETAINER   /* a monthly_fee retainer (or rates): invoices read
                          * as the fee */
} model_pay_basis;

/* Required sets: a kind needs every one of its `required` entries; an
 * entry is met when all keys of one of its alternatives are given. */
#define MODEL_MAX_NEEDS 6
#define MODEL_MAX_ALTS 3
#define MODEL_MAX_ALL 3
#define MODEL_MAX_PAY 6
typedef model_key_id model_need[MODEL_MAX_ALTS][MODEL_MAX_ALL]; /* MK_NONE-terminated */

typedef struct model_kind {
    const char *name;          /* the YAML `kind:` value; NULL ends the table */
    const char *summary;       /* one line for listings */
    const char *help;          /* a paragraph: what it models, pay basis */
    model_pay_basis pay;
    model_key_id pay_keys[MODEL_MAX_PAY]; /* the KS_PAY keys it takes, MK_NONE-terminated */
    model_need required[MODEL_MAX_NEEDS]; /* MK_NONE-terminated */
    void (*defaults)(src_params *p); /* kind defaults; NULL for none */
    const char *example;       /* a commented YAML source entry (capmix init) */
} model_kind;

/* Every kind, in listing order; the row after the last has name NULL. */
extern const model_kind model_kinds[];

/* Kind by name, or NULL. */
const model_kind *model_find(const char *name);

/* NULL-terminated list of kind names (for "did you mean"). */
const char *const *model_kind_names(void);

/* The kind names joined by ", " into buf ("in_house, ai_team, ..."). */
const char *model_kind_list(char *buf, size_t n);

/* 1 when kind k takes key id (a KS_ALL key of its section, or one of its
 * pay keys). */
int model_kind_allows(const model_kind *k, model_key_id id);

/* 1 when key id alone is one of k's required entries. */
int model_kind_requires(const model_kind *k, model_key_id id);

/* Is required entry `need` met?  `has` answers whether a key is given. */
int model_need_met(const model_need *need, int (*has)(const char *key, void *ctx), void *ctx);

/* A required entry for messages, "'a' and 'b', or 'c'" (prose), or in the
 * notation of `capmix help KIND`, "a+b|c".  Returns buf. */
const char *model_need_describe(const model_need *need, int notation, char *buf, size_t n);

/* "salaried", "metered", "hourly", "retainer". */
const char *model_pay_name(model_pay_basis p);

/* The keys the source reader accepts in a section, NULL-terminated, from
 * the table it checks them against (for `capmix help TOPIC`): "source",
 * "outcomes", "outcomes.observed", "throughput", "throughput.observed",
 * "oversight", "tokens", "change_orders", "fixed_bid",
 * "fixed_bid.change_orders", "fixed_bid.oversight"; NULL otherwise. */
const char *const *model_keys(const char *section);

/* 1 when a source's (or a bid's) key, dotted below it ("tokens.per_item",
 * "change_orders.cost"), names an item-level quantity (level KL_ITEM). */
int model_key_item_level(const char *key);

#endif
