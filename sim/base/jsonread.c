/*
 * jsonread — recursive descent over a buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"

#define JR_MAX_DEPTH 64

typedef struct jr {
    const char *begin, *s, *end, *name;
    diag *d;
    int depth;
} jr;

static int fail(jr *p, const char *what)
{
    return diag_input(p->d, p->name, 0, 0, "not valid JSON at byte %ld: %s", (long)(p->s - p->begin),
                      what);
}

static void ws(jr *p)
{
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
        p->s++;
}

static int value(jr *p, jr_value *v);

static int hex4(const char *s, unsigned *out)
{
    unsigned x = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        x <<= 4;
        if (c >= '0' && c <= '9')
            x |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            x |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            x |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = x;
    return 0;
}

static int string(jr *p, char **out)
{
    if (p->s >= p->end || *p->s != '"')
        return fail(p, "expected a string");
    p->s++;
    size_t cap = 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return diag_runtime(p->d, "out of memory");
    for (;;) {
        if (p->s >= p->end) {
            free(buf);
            return fail(p, "unterminated string");
        }
        unsigned char c = (unsigned char)*p->s++;
        char tmp[4];
        size_t k = 1;
        if (c == '"')
            break;
        if (c < 0x20) {
            free(buf);
            return fail(p, "control character in a string");
        }
        tmp[0] = (char)c;
        if (c == '\\') {
            if (p->s >= p->end) {
                free(buf);
                return fail(p, "unterminated escape");
            }
            char e = *p->s++;
            const char *map = strchr("\"\\/bfnrt", e);
            if (map) {
                static const char rep[] = "\"\\/\b\f\n\r\t";
                tmp[0] = rep[map - "\"\\/bfnrt"];
            } else if (e == 'u' && p->end - p->s >= 4) {
                unsigned u;
                if (hex4(p->s, &u)) {
                    free(buf);
                    return fail(p, "bad \\u escape");
                }
                p->s += 4;
                if (u < 0x80) {
                    tmp[0] = (char)u;
                } else if (u < 0x800) {
                    tmp[0] = (char)(0xC0 | (u >> 6));
                    tmp[1] = (char)(0x80 | (u & 0x3F));
                    k = 2;
                } else {
                    tmp[0] = (char)(0xE0 | (u >> 12));
                    tmp[1] = (char)(0x80 | ((u >> 6) & 0x3F));
                    tmp[2] = (char)(0x80 | (u & 0x3F));
                    k = 3;
                }
            } else {
                free(buf);
                return fail(p, "bad escape");
            }
        }
        if (n + k + 1 > cap) {
            cap = 2 * cap + k;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                return diag_runtime(p->d, "out of memory");
            }
            buf = nb;
        }
        memcpy(buf + n, tmp, k);
        n += k;
    }
    buf[n] = '\0';
    *out = buf;
    return 0;
}

static int literal(jr *p, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(p->end - p->s) < n || memcmp(p->s, word, n))
        return -1;
    p->s += n;
    return 0;
}

static int number(jr *p, jr_value *v)
{
    const char *start = p->s;
    if (p->s < p->end && *p->s == '-')
        p->s++;
    while (p->s < p->end && strchr("0123456789.eE+-", *p->s))
        p->s++;
    char tmp[64];
    size_t n = (size_t)(p->s - start);
    if (n == 0 || n >= sizeof tmp)
        return fail(p, "bad number");
    memcpy(tmp, start, n);
    tmp[n] = '\0';
    char *end;
    errno = 0;
    v->num = strtod(tmp, &end);
    if (*end || errno)
        return fail(p, "bad number");
    v->kind = JR_NUM;
    return 0;
}

/* Items of an array or members of an object, into growable arrays. */
static int container(jr *p, jr_value *v, int obj)
{
    if (++p->depth > JR_MAX_DEPTH)
        return fail(p, "nesting too deep");
    p->s++;
    v->kind = obj ? JR_OBJ : JR_ARR;
    size_t cap = 0;
    ws(p);
    if (p->s < p->end && *p->s == (obj ? '}' : ']')) {
        p->s++;
        p->depth--;
        return 0;
    }
    for (;;) {
        if (v->n == cap) {
            cap = cap ? 2 * cap : 8;
            jr_value *ni = realloc(v->items, cap * sizeof *ni);
            if (!ni)
                return diag_runtime(p->d, "out of memory");
            v->items = ni;
            if (obj) {
                char **nk = realloc(v->keys, cap * sizeof *nk);
                if (!nk)
                    return diag_runtime(p->d, "out of memory");
                v->keys = nk;
            }
        }
        memset(&v->items[v->n], 0, sizeof v->items[0]);
        if (obj) {
            ws(p);
            v->keys[v->n] = NULL;
            if (string(p, &v->keys[v->n]))
                return -1;
            ws(p);
            if (p->s >= p->end || *p->s != ':') {
                v->n++;
                return fail(p, "expected ':'");
            }
            p->s++;
        }
        int rc = value(p, &v->items[v->n]);
        v->n++;
        if (rc)
            return -1;
        ws(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == (obj ? '}' : ']')) {
            p->s++;
            p->depth--;
            return 0;
        }
        return fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int value(jr *p, jr_value *v)
{
    ws(p);
    if (p->s >= p->end)
        return fail(p, "unexpected end");
    switch (*p->s) {
    case '{':
        return container(p, v, 1);
    case '[':
        return container(p, v, 0);
    case '"':
        v->kind = JR_STR;
        return string(p, &v->str);
    case 't':
        v->kind = JR_BOOL;
        v->num = 1;
        return literal(p, "true") ? fail(p, "bad literal") : 0;
    case 'f':
        v->kind = JR_BOOL;
        return literal(p, "false") ? fail(p, "bad literal") : 0;
    case 'n':
        v->kind = JR_NULL;
        return literal(p, "null") ? fail(p, "bad literal") : 0;
    default:
        return number(p, v);
    }
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
    jr p = {buf, buf, buf + len, name, d, 0};
    jr_value *v = calloc(1, sizeof *v);
    if (!v) {
        diag_runtime(d, "out of memory");
        return NULL;
    }
    if (value(&p, v)) {
        jr_free(v);
        return NULL;
    }
    ws(&p);
    if (p.s != p.end) {
        fail(&p, "trailing characters");
        jr_free(v);
        return NULL;
    }
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
