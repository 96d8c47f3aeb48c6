#include "ydiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One walk serves both jobs, so that the emitter meets the changes in the
 * very order ydiff_compute numbered them. */
typedef struct walk {
    ydiff *x;              /* compute: changes are appended here */
    const unsigned char *on; /* emit: which changes are switched */
    FILE *out;             /* emit: the text; NULL when computing */
    size_t next;           /* emit: index of the next change met */
    int oom;
} walk;

static int node_equal(const yt_node *a, const yt_node *b);

static const yt_node *map_get(const yt_node *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->keys[i]->str, key))
            return m->items[i];
    return NULL;
}

static int node_equal(const yt_node *a, const yt_node *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == YT_SCALAR)
        return a->plain == b->plain && !strcmp(a->str, b->str);
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->kind == YT_SEQ) {
            if (!node_equal(a->items[i], b->items[i]))
                return 0;
        } else {
            const yt_node *v = map_get(b, a->keys[i]->str);
            if (!v || !node_equal(a->items[i], v))
                return 0;
        }
    }
    return 1;
}

static int is_dist(const yt_node *n)
{
    return n->kind == YT_MAP && map_get(n, "dist") != NULL;
}

static const char *item_name(const yt_node *n)
{
    if (n->kind != YT_MAP)
        return NULL;
    const yt_node *v = map_get(n, "name");
    return v && v->kind == YT_SCALAR ? v->str : NULL;
}

static const yt_node *seq_find(const yt_node *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++) {
        const char *m = item_name(s->items[i]);
        if (m && !strcmp(m, name))
            return s->items[i];
    }
    return NULL;
}

/* Lists compared item by item: every item a mapping with a distinct name,
 * and the names both lists hold in the same relative order. */
static int named_list(const yt_node *s)
{
    if (s->kind != YT_SEQ || s->n == 0)
        return 0;
    for (size_t i = 0; i < s->n; i++) {
        const char *m = item_name(s->items[i]);
        if (!m)
            return 0;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(m, item_name(s->items[j])))
                return 0;
    }
    return 1;
}

static int same_order(const yt_node *a, const yt_node *b)
{
    size_t j = 0;
    for (size_t i = 0; i < a->n; i++) {
        const char *m = item_name(a->items[i]);
        if (!seq_find(b, m))
            continue;
        while (j < b->n && strcmp(item_name(b->items[j]), m))
            j++;
        if (j == b->n)
            return 0;
        j++;
    }
    return 1;
}

/* Walked into, rather than compared whole. */
static int descend(const yt_node *a, const yt_node *b)
{
    if (a->kind == YT_MAP && b->kind == YT_MAP)
        return !is_dist(a) && !is_dist(b);
    if (a->kind == YT_SEQ && b->kind == YT_SEQ)
        return named_list(a) && named_list(b) && same_order(a, b);
    return 0;
}

/* ---- emitting ------------------------------------------------------- */

/* A plain scalar that stays one token in a flow collection. */
static int plain_safe(const char *s)
{
    if (!*s || s[0] == ' ' || s[strlen(s) - 1] == ' ')
        return 0;
    if (strchr("-?:!&*|>'\"%@`#", s[0]))
        return s[0] == '-' && s[1] && s[1] != ' ' && !strpbrk(s, ",[]{}#") && !strstr(s, ": ");
    return !strpbrk(s, ",[]{}#\n\t\r") && !strstr(s, ": ") && s[strlen(s) - 1] != ':';
}

static void put_scalar(FILE *f, const yt_node *n)
{
    const char *s = n->str;
    if (n->plain && plain_safe(s)) {
        fputs(s, f);
        return;
    }
    /* YAML double-quoted: the escapes JSON also has, \xHH for the rest. */
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void put_node(FILE *f, const yt_node *n)
{
    if (n->kind == YT_SCALAR) {
        put_scalar(f, n);
        return;
    }
    fputc(n->kind == YT_MAP ? '{' : '[', f);
    for (size_t i = 0; i < n->n; i++) {
        if (i)
            fputs(", ", f);
        if (n->kind == YT_MAP) {
            put_scalar(f, n->keys[i]);
            fputs(": ", f);
        }
        put_node(f, n->items[i]);
    }
    fputc(n->kind == YT_MAP ? '}' : ']', f);
}

/* ---- the walk -------------------------------------------------------- */

static char *path_join(const char *base, const char *key, int item)
{
    size_t n = strlen(base) + strlen(key) + 4;
    char *p = malloc(n);
    if (!p)
        return NULL;
    if (item)
        snprintf(p, n, "%s[%s]", base, key);
    else
        snprintf(p, n, "%s%s%s", base, *base ? "." : "", key);
    return p;
}

/* What the pair (a, b) contributes to the emitted text: 1 when something
 * is written, 0 when the value is absent there (a removed key switched,
 * an added key not switched).  Peeks, without consuming the change. */
static int present(const walk *w, const yt_node *a, const yt_node *b)
{
    if (a && b && (node_equal(a, b) || descend(a, b)))
        return 1;
    return w->on[w->next] ? b != NULL : a != NULL;
}

static void pair(walk *w, const yt_node *a, const yt_node *b, const char *path);

/* One member of a mapping (its key node) or item of a named list (key
 * NULL): written after a separator, or, when absent on the side chosen,
 * only walked past so that its change is consumed. */
static void child(walk *w, const yt_node *key, const char *name, const yt_node *va, const yt_node *vb,
                  const char *path, int *first)
{
    if (w->out && !present(w, va, vb)) {
        pair(w, va, vb, NULL); /* consumes the change */
        return;
    }
    if (w->out) {
        fputs(*first ? "" : ", ", w->out);
        if (key) {
            put_scalar(w->out, key);
            fputs(": ", w->out);
        }
        *first = 0;
    }
    char *p = w->out ? NULL : path_join(path, name, key == NULL);
    if (!w->out && !p) {
        w->oom = 1;
        return;
    }
    pair(w, va, vb, p);
    free(p);
}

static void pair_map(walk *w, const yt_node *a, const yt_node *b, const char *path)
{
    int first = 1;
    if (w->out)
        fputc('{', w->out);
    for (size_t i = 0; i < a->n && !w->oom; i++)
        child(w, a->keys[i], a->keys[i]->str, a->items[i], map_get(b, a->keys[i]->str), path, &first);
    for (size_t i = 0; i < b->n && !w->oom; i++)
        if (!map_get(a, b->keys[i]->str))
            child(w, b->keys[i], b->keys[i]->str, NULL, b->items[i], path, &first);
    if (w->out)
        fputc('}', w->out);
}

static void pair_list(walk *w, const yt_node *a, const yt_node *b, const char *path)
{
    int first = 1;
    if (w->out)
        fputc('[', w->out);
    for (size_t i = 0; i < a->n && !w->oom; i++) {
        const char *nm = item_name(a->items[i]);
        child(w, NULL, nm, a->items[i], seq_find(b, nm), path, &first);
    }
    for (size_t i = 0; i < b->n && !w->oom; i++) {
        const char *nm = item_name(b->items[i]);
        if (!seq_find(a, nm))
            child(w, NULL, nm, NULL, b->items[i], path, &first);
    }
    if (w->out)
        fputc(']', w->out);
}

static void pair(walk *w, const yt_node *a, const yt_node *b, const char *path)
{
    if (a && b && node_equal(a, b)) {
        if (w->out)
            put_node(w->out, a);
        return;
    }
    if (a && b && descend(a, b)) {
        if (a->kind == YT_MAP)
            pair_map(w, a, b, path);
        else
            pair_list(w, a, b, path);
        return;
    }
    if (w->out) {
        const yt_node *v = w->on[w->next++] ? b : a;
        if (v)
            put_node(w->out, v);
        return;
    }
    ydiff *x = w->x;
    ydiff_change *ch = realloc(x->ch, (x->n + 1) * sizeof *ch);
    char *p = strdup(*path ? path : "(the whole file)");
    if (!ch || !p) {
        if (ch)
            x->ch = ch;
        free(p);
        w->oom = 1;
        return;
    }
    x->ch = ch;
    ch[x->n].path = p;
    ch[x->n].old = a;
    ch[x->n].new_ = b;
    x->n++;
}

int ydiff_compute(const yt_doc *a, const yt_doc *b, ydiff *x, diag *d)
{
    memset(x, 0, sizeof *x);
    x->a = a;
    x->b = b;
    walk w = {.x = x};
    if (a->root && b->root)
        pair(&w, a->root, b->root, "");
    if (w.oom) {
        ydiff_release(x);
        return diag_runtime(d, "out of memory comparing %s and %s", a->file, b->file);
    }
    return 0;
}

void ydiff_release(ydiff *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->ch[i].path);
    free(x->ch);
    x->ch = NULL;
    x->n = 0;
}

int ydiff_emit(const ydiff *x, const unsigned char *on, char **text, size_t *len, diag *d)
{
    *text = NULL;
    *len = 0;
    FILE *f = open_memstream(text, len);
    if (!f)
        return diag_runtime(d, "out of memory writing a scenario in between");
    walk w = {.on = on, .out = f};
    if (x->a->root && x->b->root)
        pair(&w, x->a->root, x->b->root, "");
    fputc('\n', f);
    int bad = ferror(f);
    if (fclose(f) || bad || w.next != x->n) {
        free(*text);
        *text = NULL;
        return diag_runtime(d, "could not write a scenario in between %s and %s",
                        x->a->file, x->b->file);
    }
    return 0;
}

char *ydiff_show(const yt_node *v, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    if (!v) {
        snprintf(buf, n, "(absent)");
        return buf;
    }
    char *t = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&t, &len);
    if (!f) {
        snprintf(buf, n, "?");
        return buf;
    }
    put_node(f, v);
    if (fclose(f) || !t) {
        free(t);
        snprintf(buf, n, "?");
        return buf;
    }
    if (len < n)
        memcpy(buf, t, len + 1);
    else
        snprintf(buf, n, "%.*s...", (int)(n > 4 ? n - 4 : 0), t);
    free(t);
    return buf;
}
