/*
 * diag — filling the structured error, and "did you mean" suggestions.
 *
 * Nothing here allocates, so reporting an error can never itself fail for
 * lack of memory, and every function is reentrant.
 */
#include "diag.h"
#include "textesc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Longest word diag_suggest compares: real keys are short, and a bound
 * keeps the distance rows on the stack. */
#define SUGGEST_MAX_LEN 64
#define SUGGEST_MAX_DIST 3

void diag_clear(diag *d)
{
    if (d)
        memset(d, 0, sizeof *d);
}

/*
 * Formatting goes through a local buffer and the file name through
 * memmove, so that a caller may rewrap an error in place, e.g.
 * diag_input(d, d->file, l, c, "in 'x': %s", d->msg).
 */
static void diag_set(diag *d, diag_kind kind, const char *file, int line, int col, const char *fmt,
                     va_list ap)
{
    char msg[sizeof d->msg];
    size_t n = file ? strnlen(file, sizeof d->file - 1) : 0;

    /* a message quoting a long value is cut on a character, never inside one */
    if (vsnprintf(msg, sizeof msg, fmt, ap) >= (int)sizeof msg)
        memcpy(msg + txt_cut(msg, sizeof msg - 1, sizeof msg - 4), "...", 4);
    d->kind = kind;
    if (file != d->file) /* a new error; a rewrapped one keeps how its lines count */
        d->csv_lines = 0;
    if (n)
        memmove(d->file, file, n);
    d->file[n] = '\0';
    d->line = line > 0 ? line : 0;
    d->col = col > 0 ? col : 0;
    memcpy(d->msg, msg, sizeof msg);
}

int diag_input(diag *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;

    if (!d)
        return -1;
    va_start(ap, fmt);
    diag_set(d, DIAG_INPUT, file, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

int diag_runtime(diag *d, const char *fmt, ...)
{
    va_list ap;

    if (!d)
        return -1;
    va_start(ap, fmt);
    diag_set(d, DIAG_RUNTIME, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return -1;
}

/* ASCII only on purpose: tolower() would make matching depend on the
 * locale, and keys are ASCII anyway. */
static unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/*
 * Optimal string alignment distance (Damerau–Levenshtein where a
 * transposed pair is not edited again): enough for typos.  Both lengths
 * must be <= SUGGEST_MAX_LEN.
 */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t rows[3][SUGGEST_MAX_LEN + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        unsigned char ca = fold((unsigned char)a[i - 1]);
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned char cb = fold((unsigned char)b[j - 1]);
            size_t cost = ca == cb ? 0 : 1;
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && ca == fold((unsigned char)b[j - 2]) &&
                fold((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

/*
 * The allowed distance grows with the longer of the two words: a short
 * misspelling of a long key ("thruput" for "throughput", three letters
 * dropped) is still an obvious typo, while "ab" is not a typo of "abcd".
 */
const char *diag_suggest(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    size_t best_dist = (size_t)-1;
    size_t lw;

    if (!word || !candidates)
        return NULL;
    lw = strlen(word);
    if (lw > SUGGEST_MAX_LEN)
        return NULL;
    for (size_t k = 0; candidates[k]; k++) {
        size_t lc = strlen(candidates[k]);
        size_t longer = lw > lc ? lw : lc;
        size_t limit = longer / 3 > 1 ? longer / 3 : 1;
        size_t diff = lw > lc ? lw - lc : lc - lw;

        if (limit > SUGGEST_MAX_DIST)
            limit = SUGGEST_MAX_DIST;
        /* The length difference is a lower bound of the distance. */
        if (lc > SUGGEST_MAX_LEN || diff > limit)
            continue;
        size_t dist = osa_distance(word, lw, candidates[k], lc);
        /* Strictly smaller: on a tie the earlier candidate stays. */
        if (dist <= limit && dist < best_dist) {
            best = candidates[k];
            best_dist = dist;
        }
    }
    /* A word that a candidate starts with ("offshore" for "offshore_pod")
     * is a plausible shorthand even when the edit distance is large. */
    if (!best && lw >= 4)
        for (size_t k = 0; candidates[k]; k++)
            if (strncasecmp(candidates[k], word, lw) == 0)
                return candidates[k];
    return best;
}

char *diag_hint(char *buf, size_t n, const char *word, const char *const *candidates)
{
    const char *s = diag_suggest(word, candidates);
    size_t used;

    if (!buf || n == 0 || !s)
        return buf;
    used = strnlen(buf, n);
    if (used < n)
        snprintf(buf + used, n - used, " (did you mean '%s'?)", s);
    return buf;
}

/* ---------------------------------------------------------------------
 * The echo of the offending line
 * ------------------------------------------------------------------- */

size_t diag_break_len(const char *p, size_t n, int csv)
{
    const unsigned char *u = (const unsigned char *)p;
    if (n == 0)
        return 0;
    if (u[0] == '\r')
        return n > 1 && u[1] == '\n' ? 2 : 1;
    if (u[0] == '\n')
        return 1;
    if (csv)
        return 0;
    if (u[0] == 0xC2 && n > 1 && u[1] == 0x85)
        return 2;
    if (u[0] == 0xE2 && n > 2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
        return 3;
    return 0;
}

/* Bytes of the character at p: a well-formed UTF-8 sequence, or 1. */
static size_t char_len(const unsigned char *p, size_t n)
{
    size_t k = p[0] < 0x80 ? 1 : p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
                              : p[0] >= 0xF0 && p[0] <= 0xF4                              ? 4
                                                                                           : 1;
    if (k > n)
        return 1;
    for (size_t j = 1; j < k; j++)
        if ((p[j] & 0xC0) != 0x80)
            return 1;
    return k;
}

/* Characters in [p, p + n) up to the first line break. */
static size_t line_chars(const char *p, size_t n, int csv, size_t *bytes)
{
    size_t i = 0, c = 0;
    while (i < n && !diag_break_len(p + i, n - i, csv)) {
        i += char_len((const unsigned char *)p + i, n - i);
        c++;
    }
    *bytes = i;
    return c;
}

int diag_echo(const char *text, size_t len, int line, int col, int csv, char *out, size_t n,
              int *caret)
{
    size_t i = 0;

    if (!out || n < DIAG_ECHO_MAX)
        return -1;
    out[0] = '\0';
    *caret = 0;
    if (!text || line < 1)
        return -1;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (int l = 1; l < line; l++) {
        size_t b = 0;
        while (i < len && !(b = diag_break_len(text + i, len - i, csv)))
            i++;
        if (i >= len)
            return -1;
        i += b;
    }
    if (i >= len)
        return -1;

    size_t bytes, nch = line_chars(text + i, len - i, csv, &bytes);
    size_t c0 = col > 1 ? (size_t)col - 1 : 0, start = 0, end = nch;
    if (c0 > nch) /* past the end: the caret just after it */
        c0 = nch;
    if (nch > DIAG_ECHO_WIDTH) {
        start = c0 > DIAG_ECHO_SIDE ? c0 - DIAG_ECHO_SIDE : 0;
        end = start + 2 * DIAG_ECHO_SIDE + 1 < nch ? start + 2 * DIAG_ECHO_SIDE + 1 : nch;
        if (end - start < 2 * DIAG_ECHO_SIDE + 1)
            start = end - (2 * DIAG_ECHO_SIDE + 1);
    }

    size_t o = 0, k = 0, p = i, stop = i + bytes;
    if (start > 0)
        o += (size_t)snprintf(out, n, "\xE2\x80\xA6"); /* … */
    for (; p < stop && k < end; k++) {
        const unsigned char *u = (const unsigned char *)text + p;
        size_t w = char_len(u, stop - p);
        if (k >= start) {
            /* one column per character: control characters would move
             * the cursor (and ESC starts a terminal sequence) */
            int ctl = u[0] < 0x20 || u[0] == 0x7F || (w == 2 && u[0] == 0xC2 && u[1] < 0xA0);
            if (ctl) {
                out[o++] = ' ';
            } else {
                memcpy(out + o, u, w);
                o += w;
            }
        }
        p += w;
    }
    if (end < nch)
        o += (size_t)snprintf(out + o, n - o, "\xE2\x80\xA6");
    out[o] = '\0';
    *caret = (int)((start > 0 ? 1 : 0) + (c0 - start));
    return 0;
}
