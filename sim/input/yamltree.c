/*
 * yamltree — libyaml events turned into a positioned node tree.
 *
 * The tree is built in one pass over yaml_parser_parse()'s events, so the
 * nesting limit is enforced as soon as the offending collection opens
 * (libyaml has no limit of its own and would otherwise happily open
 * 100,000 levels).  Every node and string lives in an arena owned by the
 * document: yt_free is a walk over a few big chunks, and an error at any
 * point releases everything with the same walk.
 *
 * This is the one place where libyaml's zero-based marks become capmix's
 * one-based lines and columns.  Columns count characters, as libyaml
 * does, not bytes.
 */
#include "readfile.h"
#include "textesc.h"
#include "yamltree.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---------------------------------------------------------------- arena */

/* Small first chunk so a tiny scenario costs little; doubling bounds the
 * number of chunks for a large one. */
#define ARENA_FIRST_CHUNK 4096u
#define ARENA_MAX_CHUNK (256u * 1024u)

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[]; /* max_align_t so every carved block is aligned */
} chunk;

typedef struct arena {
    chunk *head;     /* chunk being filled; older chunks follow */
    size_t next_cap; /* size of the next ordinary chunk */
} arena;

static size_t align_up(size_t n)
{
    const size_t al = _Alignof(max_align_t);
    return (n + al - 1) / al * al;
}

static chunk *chunk_new(size_t cap)
{
    chunk *c;

    if (cap > SIZE_MAX - sizeof(chunk))
        return NULL;
    c = malloc(sizeof(chunk) + cap);
    if (!c)
        return NULL;
    c->next = NULL;
    c->used = 0;
    c->cap = cap;
    return c;
}

/* The arena header lives in its own first chunk: one malloc for a small
 * document, and nothing to free separately. */
static arena *arena_create(void)
{
    chunk *c = chunk_new(ARENA_FIRST_CHUNK);
    arena *a;

    if (!c)
        return NULL;
    a = (arena *)(void *)c->data;
    c->used = align_up(sizeof *a);
    a->head = c;
    a->next_cap = 2 * ARENA_FIRST_CHUNK;
    return a;
}

static void arena_free(arena *a)
{
    chunk *c;

    if (!a)
        return;
    c = a->head; /* `a` itself dies with the last chunk: read it first */
    while (c) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
}

static void *arena_alloc(arena *a, size_t size)
{
    chunk *c = a->head;
    void *p;

    if (size == 0)
        size = 1;
    if (size > SIZE_MAX / 2)
        return NULL;
    size = align_up(size);
    if (c->cap - c->used < size) {
        if (size > a->next_cap / 4) {
            /* A big block gets a chunk of its own, linked behind the
             * head so the head's free space is not wasted. */
            chunk *big = chunk_new(size);
            if (!big)
                return NULL;
            big->used = size;
            big->next = c->next;
            c->next = big;
            return big->data;
        }
        c = chunk_new(a->next_cap);
        if (!c)
            return NULL;
        if (a->next_cap < ARENA_MAX_CHUNK)
            a->next_cap *= 2;
        c->next = a->head;
        a->head = c;
    }
    p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

static char *arena_strndup(arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);

    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* ------------------------------------------------------------- messages */

const char *yt_echo(char *buf, size_t n, const char *s)
{
    size_t i = 0, k = 0;

    if (n < 4) {
        if (n)
            buf[0] = '\0';
        return buf;
    }
    for (; s[i] && k + 4 < n && i < YT_ECHO_MAX; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (s[i]) {
        /* Do not cut a UTF-8 sequence in half. */
        while (k > 0 && ((unsigned char)buf[k - 1] & 0xC0) == 0x80)
            k--;
        if (k > 0 && ((unsigned char)buf[k - 1] & 0xC0) == 0xC0)
            k--;
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

static int one_based(size_t zero_based)
{
    return zero_based >= (size_t)INT_MAX ? INT_MAX : (int)zero_based + 1;
}

int yt_error(const yt_doc *doc, const yt_node *n, diag *d, const char *fmt, ...)
{
    char msg[sizeof d->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_input(d, doc ? doc->file : NULL, n ? n->line : 0, n ? n->col : 0, "%s", msg);
}

const char *yt_kind_name(const yt_node *n)
{
    if (!n)
        return "nothing";
    switch (n->kind) {
    case YT_MAP:
        return "a mapping";
    case YT_SEQ:
        return "a list";
    case YT_SCALAR:
        break;
    }
    return "a scalar";
}

/* ------------------------------------------------------------- building */

/* Up to this many keys, duplicates are found by a scan as each key
 * arrives (so the error comes in document order); bigger maps are sorted
 * once when they close, so a hostile map of 500,000 keys costs n log n,
 * not n squared. */
#define DUP_SCAN_MAX 16

typedef struct frame {
    yt_node *node;
    size_t base; /* its children start at builder.tmp[base] */
} frame;

typedef struct builder {
    yt_doc *doc;
    arena *ar;
    diag *d;
    frame frames[YT_MAX_DEPTH];
    int depth;
    /* Children of every open collection, innermost last; a map's
     * children alternate key, value. */
    yt_node **tmp;
    size_t ntmp, captmp;
    size_t nodes;
    int docs;
} builder;

static int fail_at(builder *b, const yaml_mark_t *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(builder *b, const yaml_mark_t *m, const char *fmt, ...)
{
    char msg[sizeof b->d->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_input(b->d, b->doc->file, one_based(m->line), one_based(m->column), "%s", msg);
}

static int node_fail(builder *b, const yt_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int node_fail(builder *b, const yt_node *n, const char *fmt, ...)
{
    char msg[sizeof b->d->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_input(b->d, b->doc->file, n->line, n->col, "%s", msg);
}

static int oom(builder *b)
{
    return diag_runtime(b->d, "out of memory");
}

static int reserve(builder *b, size_t extra)
{
    size_t cap;
    yt_node **p;

    if (b->captmp - b->ntmp >= extra)
        return 0;
    cap = b->captmp ? b->captmp : 64;
    while (cap - b->ntmp < extra) {
        if (cap > SIZE_MAX / 2 / sizeof *p)
            return oom(b);
        cap *= 2;
    }
    p = realloc(b->tmp, cap * sizeof *p);
    if (!p)
        return oom(b);
    b->tmp = p;
    b->captmp = cap;
    return 0;
}

/* libyaml resolves `!!str` to its long form; show what the user wrote. */
static const char *tag_text(const char *tag)
{
    static const char core[] = "tag:yaml.org,2002:";
    return strncmp(tag, core, sizeof core - 1) == 0 ? tag + sizeof core - 1 : tag;
}

static int check_props(builder *b, const yaml_event_t *ev, const yaml_char_t *anchor,
                       const yaml_char_t *tag)
{
    char e[YT_ECHO_MAX + 8];

    if (anchor)
        return fail_at(b, &ev->start_mark, "anchors and aliases are not supported");
    if (tag) {
        const char *t = (const char *)tag;
        const char *shown = tag_text(t);
        return fail_at(b, &ev->start_mark, "tags are not supported ('%s%s')",
                       shown != t ? "!!" : "", yt_echo(e, sizeof e, shown));
    }
    return 0;
}

static int in_key_position(const builder *b)
{
    const frame *f;

    if (b->depth == 0)
        return 0;
    f = &b->frames[b->depth - 1];
    return f->node->kind == YT_MAP && (b->ntmp - f->base) % 2 == 0;
}

static yt_node *node_new(builder *b, yt_kind kind, const yaml_event_t *ev)
{
    yt_node *n;

    if (b->nodes >= YT_MAX_NODES) {
        fail_at(b, &ev->start_mark, "too many nodes (limit is %d)", YT_MAX_NODES);
        return NULL;
    }
    n = arena_alloc(b->ar, sizeof *n);
    if (!n) {
        oom(b);
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->line = one_based(ev->start_mark.line);
    n->col = one_based(ev->start_mark.column);
    b->nodes++;
    return n;
}

static int attach(builder *b, yt_node *n)
{
    if (b->depth == 0) {
        b->doc->root = n;
        return 0;
    }
    if (reserve(b, 1))
        return -1;
    b->tmp[b->ntmp++] = n;
    return 0;
}

static int dup_fail(builder *b, const yt_node *first, const yt_node *again)
{
    char e[YT_ECHO_MAX + 8];

    return node_fail(b, again, "duplicate key '%s' (first at line %d, column %d)",
                     yt_echo(e, sizeof e, again->str), first->line, first->col);
}

/* Key `k`, about to join the open map `f`: compare with the keys so far
 * while the map is small. */
static int check_dup_early(builder *b, const frame *f, const yt_node *k)
{
    size_t nkeys = (b->ntmp - f->base) / 2;

    if (nkeys >= DUP_SCAN_MAX)
        return 0;
    for (size_t i = 0; i < nkeys; i++) {
        const yt_node *o = b->tmp[f->base + 2 * i];
        if (strcmp(o->str, k->str) == 0)
            return dup_fail(b, o, k);
    }
    return 0;
}

static int before(const yt_node *x, const yt_node *y)
{
    return x->line != y->line ? x->line < y->line : x->col < y->col;
}

static int cmp_key(const void *pa, const void *pb)
{
    const yt_node *a = *(const yt_node *const *)pa, *b = *(const yt_node *const *)pb;
    int c = strcmp(a->str, b->str);

    if (c)
        return c;
    return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/* Keys of a large map, checked once it is complete; reports the
 * duplicate that comes first in the file. */
static int check_dup_sorted(builder *b, yt_node *const *keys, size_t n)
{
    const yt_node *first = NULL, *again = NULL;
    yt_node **s;

    if (n <= DUP_SCAN_MAX)
        return 0;
    if (reserve(b, n))
        return -1;
    s = b->tmp + b->ntmp; /* scratch above the stack top */
    memcpy(s, keys, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_key);
    for (size_t i = 1; i < n; i++) {
        /* s[i] repeats the head of its run only when it is its second. */
        if (strcmp(s[i]->str, s[i - 1]->str) == 0 && (i < 2 || strcmp(s[i]->str, s[i - 2]->str))) {
            if (!again || before(s[i], again)) {
                first = s[i - 1];
                again = s[i];
            }
        }
    }
    return again ? dup_fail(b, first, again) : 0;
}

static int on_scalar(builder *b, const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    int key = in_key_position(b);
    yt_node *n;

    if (check_props(b, ev, ev->data.scalar.anchor, ev->data.scalar.tag))
        return -1;
    if (len > YT_MAX_SCALAR)
        return fail_at(b, &ev->start_mark, "scalar is too long (limit is %d bytes)", YT_MAX_SCALAR);
    /* Everything downstream uses C strings; "a\0b" would silently become
     * "a" (and two different keys could compare equal). */
    if (memchr(v, '\0', len))
        return fail_at(b, &ev->start_mark, "strings must not contain NUL characters");
    /* A quoted "\e[2J" or "\a" is valid YAML but would reach the
     * terminal, the logs and the reports: no string holds a control
     * (the text rules, textesc.h); TAB and LF stay for multi-line texts. */
    char why[128], e[YT_ECHO_MAX + 8];
    if (txt_check(v, len, TXT_LINES, why, sizeof why)) {
        const frame *f = b->depth ? &b->frames[b->depth - 1] : NULL;
        if (key)
            return fail_at(b, &ev->start_mark, "a key %s", why);
        if (f && f->node->kind == YT_MAP && b->ntmp > f->base)
            return fail_at(b, &ev->start_mark, "'%s' %s", yt_echo(e, sizeof e, b->tmp[b->ntmp - 1]->str),
                           why);
        return fail_at(b, &ev->start_mark, "a string %s", why);
    }
    if (!(n = node_new(b, YT_SCALAR, ev)))
        return -1;
    if (!(n->str = arena_strndup(b->ar, v, len)))
        return oom(b);
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (key) {
        if (n->plain && strcmp(n->str, "<<") == 0)
            return node_fail(b, n, "merge keys ('<<') are not supported");
        if (check_dup_early(b, &b->frames[b->depth - 1], n))
            return -1;
    }
    return attach(b, n);
}

static int on_start(builder *b, const yaml_event_t *ev, yt_kind kind, const yaml_char_t *anchor,
                    const yaml_char_t *tag)
{
    yt_node *n;

    if (check_props(b, ev, anchor, tag))
        return -1;
    if (in_key_position(b))
        return fail_at(b, &ev->start_mark, "a mapping key must be a scalar, not %s",
                       kind == YT_MAP ? "a mapping" : "a list");
    if (b->depth >= YT_MAX_DEPTH)
        return fail_at(b, &ev->start_mark, "nesting is too deep (limit is %d levels)", YT_MAX_DEPTH);
    if (!(n = node_new(b, kind, ev)) || attach(b, n))
        return -1;
    b->frames[b->depth].node = n;
    b->frames[b->depth].base = b->ntmp;
    b->depth++;
    return 0;
}

/* The collection is complete: its children move from the stack into
 * exact-size arrays in the arena. */
static int on_end(builder *b)
{
    frame *f = &b->frames[--b->depth];
    yt_node *n = f->node;
    /* no child yet anywhere: the stack was never allocated (NULL + 0 is UB) */
    yt_node **kids = b->tmp ? b->tmp + f->base : NULL;
    size_t count = b->ntmp - f->base;

    if (n->kind == YT_SEQ) {
        n->n = count;
        if (count) {
            if (!(n->items = arena_alloc(b->ar, count * sizeof *n->items)))
                return oom(b);
            memcpy(n->items, kids, count * sizeof *n->items);
        }
    } else {
        n->n = count / 2; /* libyaml always pairs a key with a value */
        if (n->n) {
            n->keys = arena_alloc(b->ar, n->n * sizeof *n->keys);
            n->items = arena_alloc(b->ar, n->n * sizeof *n->items);
            if (!n->keys || !n->items)
                return oom(b);
            for (size_t i = 0; i < n->n; i++) {
                n->keys[i] = kids[2 * i];
                n->items[i] = kids[2 * i + 1];
            }
            if (check_dup_sorted(b, n->keys, n->n))
                return -1;
        }
    }
    b->ntmp = f->base;
    return 0;
}

static int on_event(builder *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (b->docs++)
            return fail_at(b, &ev->start_mark, "only one YAML document is allowed");
        return 0;
    case YAML_ALIAS_EVENT:
        return fail_at(b, &ev->start_mark, "anchors and aliases are not supported");
    case YAML_SCALAR_EVENT:
        return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_start(b, ev, YT_SEQ, ev->data.sequence_start.anchor, ev->data.sequence_start.tag);
    case YAML_MAPPING_START_EVENT:
        return on_start(b, ev, YT_MAP, ev->data.mapping_start.anchor, ev->data.mapping_start.tag);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_end(b);
    case YAML_NO_EVENT:
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_END_EVENT:
        break;
    }
    return 0;
}

/* Reader errors carry a byte offset, not a mark: count lines and
 * characters up to it the way libyaml's marks would. */
static void offset_pos(const char *buf, size_t len, size_t off, int *line, int *col)
{
    size_t i = 0;
    int l = 1, c = 1;

    if (off > len)
        off = len;
    if (off >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    /* lines end where libyaml ends them (CR, LF, CRLF, NEL, LS, PS) */
    while (i < off) {
        size_t br = diag_break_len(buf + i, len - i, 0);
        if (br) {
            i += br;
            l++;
            c = 1;
            continue;
        }
        if (((unsigned char)buf[i] & 0xC0) != 0x80 && c < INT_MAX)
            c++;
        i++;
    }
    *line = l;
    *col = c;
}

static int parse_fail(builder *b, const yaml_parser_t *p, const char *buf, size_t len)
{
    const char *problem = p->problem ? p->problem : "unknown error";
    int line, col;

    switch (p->error) {
    case YAML_MEMORY_ERROR:
        return oom(b);
    case YAML_READER_ERROR: {
        /* libyaml points at the offending continuation byte; a person
         * looks for the character that starts there, so back up to its
         * lead byte */
        size_t off = p->problem_offset < len ? p->problem_offset : len;
        if (strstr(problem, "trailing") || strstr(problem, "incomplete")) {
            size_t j = off;
            while (j > 0 && ((unsigned char)buf[j - 1] & 0xC0) == 0x80)
                j--;
            if (j > 0 && ((unsigned char)buf[j - 1] & 0xC0) == 0xC0)
                off = j - 1;
        }
        offset_pos(buf, len, off, &line, &col);
        return diag_input(b->d, b->doc->file, line, col, "invalid text: %s", problem);
    }
    default:
        if (p->context)
            return fail_at(b, &p->problem_mark, "yaml syntax error: %s (%s)", problem, p->context);
        return fail_at(b, &p->problem_mark, "yaml syntax error: %s", problem);
    }
}

static int build(builder *b, yaml_parser_t *p, const char *buf, size_t len)
{
    for (;;) {
        yaml_event_t ev;
        yaml_event_type_t type;
        int rc;

        if (!yaml_parser_parse(p, &ev))
            return parse_fail(b, p, buf, len);
        rc = on_event(b, &ev);
        type = ev.type;
        yaml_event_delete(&ev);
        if (rc)
            return -1;
        if (type == YAML_STREAM_END_EVENT)
            break;
    }
    /* A bare `---` is parsed as an empty plain scalar: it is as empty as
     * a file of comments. */
    if (b->doc->root && b->doc->root->kind == YT_SCALAR && b->doc->root->plain &&
        b->doc->root->str[0] == '\0')
        b->doc->root = NULL;
    return 0;
}

/*
 * libyaml reads UTF-16 too (by its byte-order mark) and converts it, but
 * the reports copy the file's own bytes ("the scenario as written"), NULs
 * and all: a scenario is UTF-8 or refused.  A NUL byte is where UTF-16
 * without a mark or UTF-32 shows itself; its column counts characters.
 */
static int check_encoding(const char *name, const unsigned char *u, size_t len, diag *d)
{
    const char *enc = NULL;

    if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xfe && u[3] == 0xff)
        enc = "UTF-32";
    else if (len >= 4 && u[0] == 0xff && u[1] == 0xfe && u[2] == 0 && u[3] == 0)
        enc = "UTF-32";
    else if (len >= 2 && ((u[0] == 0xfe && u[1] == 0xff) || (u[0] == 0xff && u[1] == 0xfe)))
        enc = "UTF-16";
    if (enc)
        return diag_input(d, name, 1, 1, "the file is %s (it starts with a %s byte-order mark): "
                                         "save the file as UTF-8",
                          enc, enc);
    const unsigned char *z = len ? memchr(u, 0, len) : NULL;
    if (!z)
        return 0;
    int line = 1, col = 1;
    for (const unsigned char *p = u; p < z; p++) {
        if (*p == '\n')
            line++, col = 1;
        else if ((*p & 0xc0) != 0x80)
            col++;
    }
    return diag_input(d, name, line, col, "the file holds a NUL byte (is it UTF-16, or not text?): "
                                          "save the file as UTF-8");
}

int yt_load_buffer(const char *name, const char *buf, size_t len, yt_doc **out, diag *d)
{
    builder b;
    yaml_parser_t parser;
    arena *a;
    yt_doc *doc;
    int rc;

    if (!out)
        return diag_runtime(d, "yt_load_buffer: no output pointer");
    *out = NULL;
    if (!name)
        name = "";
    if (!buf && len)
        return diag_runtime(d, "yt_load_buffer: no buffer");
    if (len > YT_MAX_FILE_BYTES)
        return diag_input(d, name, 0, 0, "file is too large (limit is %u bytes)",
                          (unsigned)YT_MAX_FILE_BYTES);
    if (check_encoding(name, (const unsigned char *)buf, len, d))
        return -1;
    if (!(a = arena_create()))
        return diag_runtime(d, "out of memory");
    doc = arena_alloc(a, sizeof *doc);
    if (!doc || !(doc->file = arena_strndup(a, name, strlen(name)))) {
        arena_free(a);
        return diag_runtime(d, "out of memory");
    }
    doc->root = NULL;
    doc->arena_ = a;
    if (!yaml_parser_initialize(&parser)) {
        arena_free(a);
        return diag_runtime(d, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)(buf ? buf : ""), len);

    memset(&b, 0, sizeof b);
    b.doc = doc;
    b.ar = a;
    b.d = d;
    rc = build(&b, &parser, buf, len);

    yaml_parser_delete(&parser);
    free(b.tmp);
    if (rc) {
        arena_free(a);
        return -1;
    }
    *out = doc;
    return 0;
}

int yt_load_file(const char *path, yt_doc **out, diag *d)
{
    if (!out)
        return diag_runtime(d, "yt_load_file: no output pointer");
    *out = NULL;
    if (!path)
        return diag_runtime(d, "yt_load_file: no path");
    char *buf;
    size_t len;
    if (rf_read(path, (size_t)YT_MAX_FILE_BYTES, &buf, &len, d))
        return -1;
    int rc = yt_load_buffer(path, buf, len, out, d);
    free(buf);
    return rc;
}

void yt_free(yt_doc *doc)
{
    if (doc)
        arena_free(doc->arena_);
}

/* --------------------------------------------------------------- access */

const yt_node *yt_get(const yt_node *map, const char *key, const yt_node **key_out)
{
    if (key_out)
        *key_out = NULL;
    if (!map || map->kind != YT_MAP || !key)
        return NULL;
    for (size_t i = 0; i < map->n; i++) {
        if (strcmp(map->keys[i]->str, key) == 0) {
            if (key_out)
                *key_out = map->keys[i];
            return map->items[i];
        }
    }
    return NULL;
}

int yt_set_scalar(yt_doc *doc, yt_node *n, const char *text, diag *d)
{
    char *copy = arena_strndup(doc->arena_, text, strlen(text));
    if (!copy)
        return diag_runtime(d, "out of memory");
    /* the node keeps its position, so errors about the new value still
     * point at the place it replaces */
    n->kind = YT_SCALAR;
    n->str = copy;
    n->plain = 1;
    n->n = 0;
    n->keys = NULL;
    n->items = NULL;
    return 0;
}
