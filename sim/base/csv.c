/*
 * csv — the RFC 4180 reader (see csv.h for what it accepts and why).
 *
 * One pass over the buffer with an explicit cursor that tracks line and
 * column as it goes, so positions cost nothing however long the line.
 * Field text is copied, quotes undone, into one growing buffer; cells
 * keep offsets into it until the end, when the buffer stops moving and
 * offsets become pointers.
 */
#include "csv.h"
#include "readfile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct cursor {
    const char *p, *end;
    int line, col;      /* of *p */
    size_t line_bytes;  /* bytes consumed on the current physical line */
} cursor;

typedef struct builder {
    const char *file;
    cursor c;
    char *text;         /* field text, NUL after each field */
    size_t tlen, tcap;
    csv_cell *cells;    /* s holds an offset into text until the end */
    size_t ncells, ccap;
    csv_row *recs;      /* cells holds an index into `cells` until the end */
    size_t nrecs, rcap;
    diag *d;
} builder;

static int fail_at(builder *b, int line, int col, const char *msg)
{
    diag_input(b->d, b->file, line, col, "%s", msg);
    if (b->d)
        b->d->csv_lines = 1; /* the echo counts lines as this reader does */
    return -1;
}

/* Consume one byte (a CRLF pair counts as one line break); returns -1
 * past the line-length limit. */
static int advance(builder *b)
{
    cursor *c = &b->c;
    unsigned char ch = (unsigned char)*c->p;
    if (ch == '\r' || ch == '\n') {
        if (ch == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
            c->p++;
        c->p++;
        c->line++;
        c->col = 1;
        c->line_bytes = 0;
        return 0;
    }
    if (c->line_bytes >= CSV_MAX_LINE_BYTES) { /* at the first byte past the limit */
        char m[96];
        snprintf(m, sizeof m, "line longer than %d bytes", CSV_MAX_LINE_BYTES);
        return fail_at(b, c->line, c->col, m);
    }
    c->p++;
    c->line_bytes++;
    if ((ch & 0xC0) != 0x80)
        c->col++;
    return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size, diag *d)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return diag_runtime(d, "out of memory");
        ncap *= 2;
    }
    void *q = realloc(*p, ncap * size);
    if (!q)
        return diag_runtime(d, "out of memory");
    *p = q;
    *cap = ncap;
    return 0;
}

static int put_byte(builder *b, char ch)
{
    if (b->tlen == b->tcap && grow((void **)&b->text, &b->tcap, b->tlen + 1, 1, b->d))
        return -1;
    b->text[b->tlen++] = ch;
    return 0;
}

static int is_eol(const cursor *c)
{
    return c->p < c->end && (*c->p == '\r' || *c->p == '\n');
}

/* One field starting at the cursor; leaves the cursor on the separator,
 * the line break or the end. */
static int parse_field(builder *b, size_t nfields_in_record)
{
    cursor *c = &b->c;
    if (nfields_in_record >= CSV_MAX_FIELDS) {
        char m[96];
        snprintf(m, sizeof m, "more than %d fields in one record", CSV_MAX_FIELDS);
        return fail_at(b, c->line, c->col, m);
    }
    if (grow((void **)&b->cells, &b->ccap, b->ncells + 1, sizeof *b->cells, b->d))
        return -1;
    csv_cell *cell = &b->cells[b->ncells];
    size_t start = b->tlen;
    memset(cell, 0, sizeof *cell);
    cell->line = c->line;
    cell->col = c->col;
    if (c->p < c->end && *c->p == '"') {
        cell->quoted = 1;
        if (advance(b))
            return -1;
        for (;;) {
            if (c->p >= c->end)
                return fail_at(b, cell->line, cell->col,
                               "unterminated quoted field (the quote opened here is never closed)");
            if (*c->p == '"') {
                if (c->p + 1 < c->end && c->p[1] == '"') {
                    if (put_byte(b, '"') || advance(b) || advance(b))
                        return -1;
                    continue;
                }
                if (advance(b))
                    return -1;
                break;
            }
            if (*c->p == '\0')
                return fail_at(b, c->line, c->col,
                               "NUL byte in the file (a UTF-16 or binary file? save it as UTF-8 CSV)");
            /* a line break inside quotes is data: keep CRLF as written */
            if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n' && put_byte(b, '\r'))
                return -1;
            if (put_byte(b, *c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n' ? '\n' : *c->p) ||
                advance(b))
                return -1;
            if (b->tlen - start > CSV_MAX_FIELD_BYTES) {
                char m[96];
                snprintf(m, sizeof m, "field longer than %d bytes", CSV_MAX_FIELD_BYTES);
                return fail_at(b, cell->line, cell->col, m);
            }
        }
        if (c->p < c->end && *c->p != ',' && !is_eol(c)) {
            char m[160];
            unsigned char ch = (unsigned char)*c->p;
            if (ch >= 0x20 && ch < 0x7f)
                snprintf(m, sizeof m,
                         "unexpected '%c' after the closing quote of a field (write a quote "
                         "inside a quoted field as \"\")",
                         ch);
            else
                snprintf(m, sizeof m, "unexpected byte 0x%02x after the closing quote of a field",
                         ch);
            return fail_at(b, c->line, c->col, m);
        }
    } else {
        while (c->p < c->end && *c->p != ',' && !is_eol(c)) {
            if (*c->p == '\0')
                return fail_at(b, c->line, c->col,
                               "NUL byte in the file (a UTF-16 or binary file? save it as UTF-8 CSV)");
            if (put_byte(b, *c->p) || advance(b))
                return -1;
        }
    }
    if (put_byte(b, '\0'))
        return -1;
    cell->s = (const char *)(uintptr_t)start; /* an offset until the text stops moving */
    cell->len = b->tlen - 1 - start;
    b->ncells++;
    return 0;
}

static int parse(builder *b)
{
    cursor *c = &b->c;
    while (c->p < c->end) {
        if (is_eol(c)) { /* an empty line: skipped */
            if (advance(b))
                return -1;
            continue;
        }
        if (grow((void **)&b->recs, &b->rcap, b->nrecs + 1, sizeof *b->recs, b->d))
            return -1;
        csv_row *r = &b->recs[b->nrecs];
        r->line = c->line;
        r->cells = (const csv_cell *)(uintptr_t)b->ncells;
        r->n = 0;
        for (;;) {
            if (parse_field(b, r->n))
                return -1;
            r->n++;
            if (c->p < c->end && *c->p == ',') {
                if (advance(b))
                    return -1;
                continue; /* a trailing comma makes a last, empty field */
            }
            if (c->p < c->end && advance(b)) /* the line break */
                return -1;
            break;
        }
        b->nrecs++;
    }
    return 0;
}

void csv_free(csv_table *t)
{
    if (!t)
        return;
    free(t->file);
    free(t->rows);
    free(t->cells_);
    free(t->text_);
    free(t);
}

int csv_load_buffer(const char *name, const char *buf, size_t len, csv_table **out, diag *d)
{
    if (!out)
        return diag_runtime(d, "csv_load_buffer: no output pointer");
    *out = NULL;
    if (!name)
        name = "<buffer>";
    if (len > CSV_MAX_FILE_BYTES)
        return diag_input(d, name, 0, 0, "file is too large (limit is %u bytes)",
                          (unsigned)CSV_MAX_FILE_BYTES);
    builder b;
    memset(&b, 0, sizeof b);
    b.file = name;
    b.d = d;
    b.c.p = buf ? buf : "";
    b.c.end = b.c.p + (buf ? len : 0);
    b.c.line = 1;
    b.c.col = 1;
    if (len >= 2 && ((buf[0] == '\xff' && buf[1] == '\xfe') || (buf[0] == '\xfe' && buf[1] == '\xff')))
        return diag_input(d, name, 1, 1, "a UTF-16 file: save it as UTF-8 CSV");
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
        b.c.p += 3; /* the BOM is not a column: columns stay those of the characters after it */

    csv_table *t = calloc(1, sizeof *t);
    int rc = -1;
    if (!t || !(t->file = strdup(name))) {
        diag_runtime(d, "out of memory");
        goto done;
    }
    if (parse(&b))
        goto done;
    /* offsets become pointers now that nothing moves any more */
    if (!b.text && put_byte(&b, '\0'))
        goto done;
    for (size_t i = 0; i < b.ncells; i++)
        b.cells[i].s = b.text + (uintptr_t)b.cells[i].s;
    for (size_t i = 0; i < b.nrecs; i++)
        b.recs[i].cells = b.cells + (uintptr_t)b.recs[i].cells;
    t->text_ = b.text;
    t->cells_ = b.cells;
    b.text = NULL;
    b.cells = NULL;
    if (b.nrecs) {
        t->header = b.recs[0];
        t->nrows = b.nrecs - 1;
        if (t->nrows) {
            memmove(b.recs, b.recs + 1, t->nrows * sizeof *b.recs);
            t->rows = b.recs;
            b.recs = NULL;
        }
    }
    *out = t;
    t = NULL;
    rc = 0;
done:
    free(b.text);
    free(b.cells);
    free(b.recs);
    csv_free(t);
    return rc;
}

int csv_load_file(const char *path, csv_table **out, diag *d)
{
    if (!out)
        return diag_runtime(d, "csv_load_file: no output pointer");
    *out = NULL;
    if (!path)
        return diag_runtime(d, "csv_load_file: no path");
    char *buf;
    size_t len;
    if (rf_read(path, (size_t)CSV_MAX_FILE_BYTES, &buf, &len, d))
        return -1;
    int rc = csv_load_buffer(path, buf, len, out, d);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------- columns */

/* Header text trimmed of blanks, for comparison. */
static void trimmed(const csv_cell *c, const char **s, size_t *n)
{
    const char *p = c->s, *e = c->s + c->len;
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *s = p;
    *n = (size_t)(e - p);
}

static int header_is(const csv_cell *c, const char *name)
{
    const char *s;
    size_t n;
    trimmed(c, &s, &n);
    return strlen(name) == n && strncasecmp(s, name, n) == 0;
}

int csv_columns(const csv_table *t, const char *const *names, size_t nrequired, int *idx,
                diag *d)
{
    size_t nn = 0;
    while (names[nn])
        nn++;
    if (t->header.n == 0 || (t->header.n == 1 && t->header.cells[0].len == 0))
        return diag_input(d, t->file, 0, 0, "empty file (expected a header row naming the columns)");
    const csv_row *h = &t->header;
    for (size_t i = 0; i < nn; i++) {
        idx[i] = -1;
        for (size_t j = 0; j < h->n; j++) {
            if (!header_is(&h->cells[j], names[i]))
                continue;
            if (idx[i] >= 0)
                return diag_input(d, t->file, h->cells[j].line, h->cells[j].col,
                                  "column '%s' appears twice (also column %d)", names[i],
                                  idx[i] + 1);
            idx[i] = (int)j;
        }
    }
    /* An unknown header that is a near miss of a missing column is a typo,
     * not an extra column to ignore: say so where it stands. */
    const char *missing[64];
    size_t nm = 0;
    for (size_t i = 0; i < nn && nm < 63; i++)
        if (idx[i] < 0)
            missing[nm++] = names[i];
    missing[nm] = NULL;
    if (nm) {
        for (size_t j = 0; j < h->n; j++) {
            const char *s;
            size_t n;
            char word[65], hint[128] = "", q[64];
            trimmed(&h->cells[j], &s, &n);
            if (n == 0 || n >= sizeof word)
                continue;
            memcpy(word, s, n);
            word[n] = '\0';
            if (diag_suggest(word, missing)) {
                diag_hint(hint, sizeof hint, word, missing);
                return diag_input(d, t->file, h->cells[j].line, h->cells[j].col,
                                  "unknown column '%s'%s", csv_quote(q, sizeof q, word), hint);
            }
        }
    }
    for (size_t i = 0; i < nrequired; i++) {
        if (idx[i] >= 0)
            continue;
        char have[512];
        size_t o = 0;
        have[0] = '\0';
        for (size_t j = 0; j < h->n && o + 8 < sizeof have; j++) {
            char q[64];
            int w = snprintf(have + o, sizeof have - o, "%s'%s'", j ? ", " : "",
                             csv_quote(q, sizeof q, h->cells[j].s));
            if (w < 0 || (size_t)w >= sizeof have - o) {
                have[o] = '\0';
                break;
            }
            o += (size_t)w;
        }
        return diag_input(d, t->file, h->line, 1, "missing column '%s' (the header has %s)",
                          names[i], have);
    }
    return 0;
}

int csv_col_at(const csv_cell *c, size_t off)
{
    if (off == 0)
        return c->col;
    if (off > c->len)
        off = c->len;
    for (size_t i = 0; c->quoted && i < off; i++)
        if (c->s[i] == '"' || c->s[i] == '\n' || c->s[i] == '\r')
            return c->col;
    int col = c->col + (c->quoted ? 1 : 0);
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)c->s[i] & 0xC0) != 0x80)
            col++;
    return col;
}

char *csv_quote(char *buf, size_t n, const char *s)
{
    size_t o = 0, chars = 0;
    if (!n)
        return buf;
    for (; *s && o + 4 < n; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch & 0xC0) != 0x80 && ++chars > 40) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        buf[o++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    buf[o] = '\0';
    return buf;
}
