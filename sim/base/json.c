/*
 * json — streaming, pretty-printing JSON writer (see json.h).
 *
 * Layout is fixed so that outputs diff cleanly between runs: every member
 * or element on its own line, two-space indent, `"key": value`, and empty
 * containers as {} / [].  Separators are emitted *before* an item (the
 * writer knows from count[] whether one precedes it), so nothing has to be
 * taken back when a container closes.
 *
 * Once err is set every call is a no-op: after a misuse the document is
 * already wrong, and stopping keeps a truncated-but-readable prefix rather
 * than piling more output on a broken structure.
 */
#include "json.h"
#include "textesc.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

static void put(json_writer *w, const char *s)
{
    if (fputs(s, w->fp) == EOF)
        w->err = 1;
}

static void put_bytes(json_writer *w, const char *s, size_t n)
{
    if (n > 0 && fwrite(s, 1, n, w->fp) != n)
        w->err = 1;
}

static void newline_indent(json_writer *w, int level)
{
    put(w, "\n");
    for (int i = 0; i < level; i++)
        put(w, "  ");
}

/*
 * RFC 8259 requires escaping only '"', '\\' and C0; DEL, C1 and U+2028/9
 * are escaped too (the text rules' controls, and line breaks to
 * JavaScript), and an ill-formed UTF-8 byte (a file name given on the
 * command line may hold one) becomes U+FFFD, so the document is always
 * valid JSON.  Other characters go through as UTF-8, readable.
 */
static void put_string(json_writer *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s;
    size_t n = strlen(s);
    put(w, "\"");
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t k = txt_utf8_decode(s + i, n - i, &cp);
        if (k && cp != '"' && cp != '\\' && !txt_is_control(cp)) {
            i += k;
            continue;
        }
        put_bytes(w, run, (size_t)(s + i - run));
        if (k == 0) {
            put(w, "\\ufffd");
            k = 1;
        } else if (cp == '"') {
            put(w, "\\\"");
        } else if (cp == '\\') {
            put(w, "\\\\");
        } else {
            char esc[7] = {'\\', 'u', hex[cp >> 12 & 15], hex[cp >> 8 & 15], hex[cp >> 4 & 15], hex[cp & 15],
                           '\0'};
            put(w, esc);
        }
        i += k;
        run = s + i;
    }
    put(w, run);
    put(w, "\"");
}

static int misuse(json_writer *w)
{
    w->err = 1;
    return -1;
}

/*
 * Position the stream for the next value at the current level, or flag
 * misuse.  Returns 0 when the caller may write the value.
 */
static int begin_value(json_writer *w)
{
    int lv = w->depth;
    if (w->err)
        return -1;
    if (lv == 0) {
        if (w->count[0] > 0) /* a document holds exactly one value */
            return misuse(w);
        w->count[0] = 1;
        return 0;
    }
    if (w->is_obj[lv]) {
        if (!w->after_key) /* the key already wrote the separator */
            return misuse(w);
        w->after_key = 0;
        return 0;
    }
    if (w->count[lv]++ > 0)
        put(w, ",");
    newline_indent(w, lv);
    return 0;
}

void json_init(json_writer *w, FILE *fp)
{
    memset(w, 0, sizeof *w);
    w->fp = fp;
}

static void open_container(json_writer *w, int is_obj)
{
    if (begin_value(w) != 0)
        return;
    if (w->depth + 1 >= JSON_MAX_DEPTH) {
        w->err = 1;
        return;
    }
    put(w, is_obj ? "{" : "[");
    w->depth++;
    w->count[w->depth] = 0;
    w->is_obj[w->depth] = (unsigned char)is_obj;
}

static void close_container(json_writer *w, int is_obj)
{
    int lv = w->depth;
    if (w->err)
        return;
    if (lv == 0 || w->is_obj[lv] != is_obj || w->after_key) {
        w->err = 1;
        return;
    }
    if (w->count[lv] > 0)
        newline_indent(w, lv - 1);
    put(w, is_obj ? "}" : "]");
    w->depth--;
}

void json_obj_begin(json_writer *w) { open_container(w, 1); }
void json_obj_end(json_writer *w) { close_container(w, 1); }
void json_arr_begin(json_writer *w) { open_container(w, 0); }
void json_arr_end(json_writer *w) { close_container(w, 0); }

void json_key(json_writer *w, const char *k)
{
    int lv = w->depth;
    if (w->err)
        return;
    if (lv == 0 || !w->is_obj[lv] || w->after_key || !k) {
        w->err = 1;
        return;
    }
    if (w->count[lv]++ > 0)
        put(w, ",");
    newline_indent(w, lv);
    put_string(w, k);
    put(w, ": ");
    w->after_key = 1;
}

void json_str(json_writer *w, const char *s)
{
    if (begin_value(w) != 0)
        return;
    if (s)
        put_string(w, s);
    else
        put(w, "null");
}

void json_num(json_writer *w, double v)
{
    char buf[48];
    if (begin_value(w) != 0)
        return;
    if (isnan(v)) {
        put(w, "null");
        return;
    }
    if (isinf(v)) {
        put(w, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        return;
    }
    if (v == 0) { /* -0 would print as "-0": equal to 0 but not the same bytes */
        put(w, "0");
        return;
    }
    snprintf(buf, sizeof buf, "%.17g", v);
    /* Should someone call setlocale(), the decimal point may be ',' or even
     * several bytes: map it back to '.' so the output stays valid JSON. */
    char *o = buf;
    for (const char *p = buf; *p;) {
        if (strchr("0123456789+-eE", *p)) {
            *o++ = *p++;
        } else {
            *o++ = '.';
            while (*p && !strchr("0123456789+-eE", *p))
                p++;
        }
    }
    *o = '\0';
    put(w, buf);
}

void json_int(json_writer *w, long long v)
{
    if (begin_value(w) != 0)
        return;
    if (fprintf(w->fp, "%lld", v) < 0)
        w->err = 1;
}

void json_u64(json_writer *w, uint64_t v)
{
    if (begin_value(w) != 0)
        return;
    if (fprintf(w->fp, "%" PRIu64, v) < 0)
        w->err = 1;
}

void json_bool(json_writer *w, int v)
{
    if (begin_value(w) == 0)
        put(w, v ? "true" : "false");
}

void json_null(json_writer *w)
{
    if (begin_value(w) == 0)
        put(w, "null");
}

int json_finish(json_writer *w)
{
    /* An unclosed container, a dangling key or an empty document would
     * leave a file no JSON parser accepts. */
    if (!w->err && (w->depth != 0 || w->after_key || w->count[0] == 0))
        w->err = 1;
    if (!w->err)
        put(w, "\n");
    /* Flush so that a write error still sitting in the buffer is seen now. */
    if (fflush(w->fp) != 0)
        w->err = 1;
    return w->err || ferror(w->fp) ? -1 : 0;
}
