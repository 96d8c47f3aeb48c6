/*
 * registry — the key table built from models/keylist.h, and the lookups
 * every reader of the kinds shares (kinds.c holds the kinds' rows).  The
 * one reader that turns a source's YAML mapping into src_params is
 * sim/input/kindread.c.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "models.h"

#define F(m) offsetof(src_params, m)
#define NOF MODEL_NO_FIELD
#define MS_NONE_ MS_NONE

const model_key model_key_table[MK_COUNT] = {
#define SECTION(S, name)
#define KEY(S, id, type, dom, level, scope, sub, field, has, doc) \
    [MK_##S##_##id] = {#id, MS_##S, type, dom, level, scope, MS_##sub, field, has, doc},
#define END(S)
#include "keylist.h"
#undef SECTION
#undef KEY
#undef END
};

/* The names alone, each section's run ended by the NULL of its MK_END_ row
 * (and preceded by that of its MK_BEGIN_ row): a section's list for
 * yt_check_keys is a pointer into this array. */
static const char *const key_names[MK_COUNT] = {
#define SECTION(S, name)
#define KEY(S, id, type, dom, level, scope, sub, field, has, doc) [MK_##S##_##id] = #id,
#define END(S)
#include "keylist.h"
#undef SECTION
#undef KEY
#undef END
};

static const struct {
    const char *name;
    model_key_id first;
} sections[MS_COUNT] = {
#define SECTION(S, name) [MS_##S] = {name, MK_BEGIN_##S + 1},
#define KEY(S, id, type, dom, level, scope, sub, field, has, doc)
#define END(S)
#include "keylist.h"
#undef SECTION
#undef KEY
#undef END
};

model_key_id model_section_first(model_section s)
{
    return s > MS_NONE && s < MS_COUNT ? sections[s].first : MK_NONE;
}

const char *const *model_section_keys(model_section s)
{
    return &key_names[model_section_first(s)];
}

model_key_id model_key_find(model_section s, const char *name)
{
    if (s <= MS_NONE || s >= MS_COUNT)
        return MK_NONE;
    for (model_key_id id = sections[s].first; model_key_table[id].name; id++)
        if (!strcmp(model_key_table[id].name, name))
            return id;
    return MK_NONE;
}

const char *const *model_keys(const char *section)
{
    /* help topics that show a section under another name */
    static const struct {
        const char *topic;
        model_section s;
    } aliases[] = {
        {"outcomes.observed", MS_OUTCOMES},
        {"fixed_bid.oversight", MS_OVERSIGHT},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcmp(aliases[i].topic, section))
            return model_section_keys(aliases[i].s);
    for (int s = MS_NONE + 1; s < MS_COUNT; s++)
        if (!strcmp(sections[s].name, section))
            return model_section_keys((model_section)s);
    return NULL;
}

int model_key_item_level(const char *key)
{
    static const model_section owners[] = {MS_SOURCE, MS_FIXED_BID};
    const char *dot = strchr(key, '.');
    size_t len = dot ? (size_t)(dot - key) : strlen(key);
    for (size_t o = 0; o < sizeof owners / sizeof owners[0]; o++) {
        for (model_key_id id = sections[owners[o]].first; model_key_table[id].name; id++) {
            const model_key *k = &model_key_table[id];
            if (strlen(k->name) != len || strncmp(k->name, key, len))
                continue;
            if (!dot && k->type != KT_MAP && k->level == KL_ITEM)
                return 1;
            if (dot && k->type == KT_MAP) {
                model_key_id sub = model_key_find(k->sub, dot + 1);
                if (sub && model_key_table[sub].level == KL_ITEM)
                    return 1;
            }
        }
    }
    return 0;
}

const model_kind *model_find(const char *name)
{
    for (size_t i = 0; model_kinds[i].name; i++)
        if (strcmp(model_kinds[i].name, name) == 0)
            return &model_kinds[i];
    return NULL;
}

static const char *kind_names[32];

static void fill_kind_names(void)
{
    for (size_t i = 0; model_kinds[i].name && i + 1 < sizeof kind_names / sizeof kind_names[0]; i++)
        kind_names[i] = model_kinds[i].name;
}

const char *const *model_kind_names(void)
{
    /* filled once from the table (loaders may run on several threads) */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, fill_kind_names);
    return kind_names;
}

const char *model_kind_list(char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; model_kinds[i].name && o < n; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : "", model_kinds[i].name);
    return buf;
}

int model_kind_allows(const model_kind *k, model_key_id id)
{
    if (id <= MK_NONE || id >= MK_COUNT || !model_key_table[id].name)
        return 0;
    if (model_key_table[id].scope == KS_ALL)
        return 1;
    for (size_t i = 0; i < MODEL_MAX_PAY && k->pay_keys[i]; i++)
        if (k->pay_keys[i] == id)
            return 1;
    return 0;
}

int model_kind_requires(const model_kind *k, model_key_id id)
{
    for (size_t i = 0; i < MODEL_MAX_NEEDS && k->required[i][0][0]; i++)
        if (k->required[i][0][0] == id && !k->required[i][0][1] && !k->required[i][1][0])
            return 1;
    return 0;
}

int model_need_met(const model_need *need, int (*has)(const char *key, void *ctx), void *ctx)
{
    for (size_t a = 0; a < MODEL_MAX_ALTS && (*need)[a][0]; a++) {
        int all = 1;
        for (size_t j = 0; j < MODEL_MAX_ALL && (*need)[a][j]; j++)
            if (!has(model_key_table[(*need)[a][j]].name, ctx))
                all = 0;
        if (all)
            return 1;
    }
    return 0;
}

const char *model_need_describe(const model_need *need, int notation, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t a = 0; a < MODEL_MAX_ALTS && (*need)[a][0] && o < n; a++) {
        if (a)
            o += (size_t)snprintf(buf + o, n - o, "%s", notation ? "|" : ", or ");
        for (size_t j = 0; j < MODEL_MAX_ALL && (*need)[a][j] && o < n; j++) {
            const char *k = model_key_table[(*need)[a][j]].name;
            if (notation)
                o += (size_t)snprintf(buf + o, n - o, "%s%s", j ? "+" : "", k);
            else
                o += (size_t)snprintf(buf + o, n - o, "%s'%s'", j ? " and " : "", k);
        }
    }
    return buf;
}

const char *model_pay_name(model_pay_basis p)
{
    switch (p) {
    case MODEL_PAY_SALARIED: return "salaried";
    case MODEL_PAY_METERED: return "metered";
    case MODEL_PAY_HOURLY: return "hourly";
    case MODEL_PAY_RETAINER: return "retainer";
    }
    return "?";
}
