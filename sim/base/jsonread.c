/*
 * jsonread — jansson parses (the files read here may have been edited by
 * hand or tampered with, and a well-kept parser is the safer reader);
 * this file only copies jansson's tree into the plain jr_value tree the
 * callers walk, and turns jansson's json_error_t into a diag.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"

/* Deeper than any summary.json: a bound on the copy's recursion. */
#define JR_MAX_DEPTH 64

/* Our own malloc/free, so that tests/faults/shim.c (ld --wrap, which sees
 * only our objects' calls) also reaches the allocations made inside
 * jansson.  jansson does not always say that an allocation failed (some
 * paths report an empty syntax error instead), so the failure is noted
 * here: a parse that ran out of memory is the system's failure, never the
 * user's file's. */
static _Thread_local int jr_oom;

static void *jr_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        jr_oom = 1;
    return p;
}

static void jr_freefn(void *p) { free(p); }

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    return c ? memcpy(c, s, n) : NULL;
}

static int copy(const char *name, const json_t *j, jr_value *v, int depth, diag *d)
{
    size_t n = 0;
    memset(v, 0, sizeof *v);
    switch (json_typeof(j)) {
    case JSON_NULL:
        v->kind = JR_NULL;
        return 0;
    case JSON_TRUE:
    case JSON_FALSE:
        v->kind = JR_BOOL;
        v->num = json_is_true(j);
        return 0;
    case JSON_INTEGER: /* not with JSON_DECODE_INT_AS_REAL; kept for completeness */
    case JSON_REAL:
        v->kind = JR_NUM;
        v->num = json_number_value(j);
        return 0;
    case JSON_STRING:
        v->kind = JR_STR;
        v->str = dup_str(json_string_value(j));
        return v->str ? 0 : diag_runtime(d, "out of memory");
    case JSON_ARRAY:
        v->kind = JR_ARR;
        n = json_array_size(j);
        break;
    case JSON_OBJECT:
        v->kind = JR_OBJ;
        n = json_object_size(j);
        break;
    }
    if (depth >= JR_MAX_DEPTH)
        return diag_input(d, name, 0, 0, "not valid JSON: nesting deeper than %d", JR_MAX_DEPTH);
    if (n == 0)
        return 0;
    v->items = calloc(n, sizeof *v->items);
    if (v->kind == JR_OBJ)
        v->keys = calloc(n, sizeof *v->keys);
    if (!v->items || (v->kind == JR_OBJ && !v->keys))
        return diag_runtime(d, "out of memory");
    if (v->kind == JR_ARR) {
        for (size_t i = 0; i < n; i++) {
            int rc = copy(name, json_array_get(j, i), &v->items[i], depth + 1, d);
            v->n++; /* a half-built item is released with the rest */
            if (rc)
                return -1;
        }
        return 0;
    }
    const char *key;
    json_t *m;
    /* jansson keeps an object's members in the order of the file */
    json_object_foreach((json_t *)j, key, m) {
        v->keys[v->n] = dup_str(key);
        int rc = v->keys[v->n] ? copy(name, m, &v->items[v->n], depth + 1, d)
                               : diag_runtime(d, "out of memory");
        v->n++;
        if (rc)
            return -1;
    }
    return 0;
}

static void release(jr_value *v)
{
    free(v->str);
    for (size_t i = 0; i < v->n; i++) {
        release(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
}

void jr_free(jr_value *v)
{
    if (!v)
        return;
    release(v);
    free(v);
}

jr_value *jr_parse(const char *name, const char *buf, size_t len, diag *d)
{
    json_error_t err;
    json_set_alloc_funcs(jr_malloc, jr_freefn);
    jr_oom = 0;
    /* Numbers as doubles, as the callers read them; a key given twice is
     * refused rather than silently resolved one way or the other. */
    json_t *j = json_loadb(buf, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_REJECT_DUPLICATES,
                           &err);
    if (!j) {
        if (jr_oom || json_error_code(&err) == json_error_out_of_memory)
            diag_runtime(d, "out of memory");
        else
            diag_input(d, name, err.line > 0 ? err.line : 0, err.column > 0 ? err.column : 0,
                       "not valid JSON: %s", err.text);
        return NULL;
    }
    if (jr_oom) {
        /* jansson can absorb a failed allocation and return a tree that
         * lacks what it could not store (seen under fault injection: a
         * backtest then scored a forecast without its probabilities) */
        json_decref(j);
        diag_runtime(d, "out of memory");
        return NULL;
    }
    jr_value *v = calloc(1, sizeof *v);
    if (!v)
        diag_runtime(d, "out of memory");
    else if (copy(name, j, v, 0, d)) {
        jr_free(v);
        v = NULL;
    }
    json_decref(j);
    return v;
}

const jr_value *jr_get(const jr_value *v, const char *key)
{
    if (!v || v->kind != JR_OBJ)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (v->keys[i] && !strcmp(v->keys[i], key))
            return &v->items[i];
    return NULL;
}
