/*
 * textesc — the text rules and the per-destination escapers.
 *
 * Each escaper walks the text one character at a time with
 * txt_utf8_decode, so a multi-byte character is never split and an
 * ill-formed byte is handled like a control: replaced, never copied.
 */
#include "textesc.h"

#include <string.h>

static const char hexd[] = "0123456789abcdef";
/* U+FFFD REPLACEMENT CHARACTER */
static const char repl[] = "\xef\xbf\xbd";

size_t txt_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c;
    size_t len;

    if (n == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (u[0] >= 0xc2 && u[0] <= 0xdf) {
        len = 2;
        c = u[0] & 0x1fu;
    } else if (u[0] >= 0xe0 && u[0] <= 0xef) {
        len = 3;
        c = u[0] & 0x0fu;
    } else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
        len = 4;
        c = u[0] & 0x07u;
    } else {
        return 0; /* a continuation byte, an overlong lead (C0, C1) or F5-FF */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (u[i] & 0x3fu);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

int txt_is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0x200e ||
           cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

int txt_check(const char *s, size_t n, unsigned flags, char *why, size_t nwhy)
{
    size_t i = 0, ch = 1;

    while (i < n) {
        uint32_t cp;
        size_t k = txt_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            if (nwhy)
                snprintf(why, nwhy, "is not valid UTF-8 (byte 0x%02x at character %zu)",
                         (unsigned char)s[i], ch);
            return -1;
        }
        if (txt_is_control(cp) && !((flags & TXT_LINES) && (cp == '\t' || cp == '\n'))) {
            if (nwhy)
                snprintf(why, nwhy, "contains the control character U+%04X at character %zu%s",
                         (unsigned)cp, ch,
                         cp == '\n' || cp == '\t' ? " (a line break or tab is not allowed here)" : "");
            return -1;
        }
        i += k;
        ch++;
    }
    return 0;
}

size_t txt_cut(const char *s, size_t n, size_t max)
{
    size_t i = 0;

    if (max > n)
        max = n;
    while (i < max) {
        uint32_t cp;
        size_t k = txt_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            k = 1;
        if (i + k > max)
            break;
        i += k;
    }
    return i;
}

/* The terminal form of one character (k bytes at s, cp valid when k > 0)
 * into out (>= 12 bytes); returns its length. */
static size_t term_char(const char *s, size_t k, uint32_t cp, char *out)
{
    if (k == 0 || (cp < 0x80 && txt_is_control(cp))) {
        unsigned char b = (unsigned char)s[0];
        out[0] = '\\', out[1] = 'x', out[2] = hexd[b >> 4], out[3] = hexd[b & 15];
        return 4;
    }
    if (txt_is_control(cp))
        return (size_t)snprintf(out, 12, "\\u%04x", (unsigned)cp);
    memcpy(out, s, k);
    return k;
}

char *txt_term(char *buf, size_t cap, const char *s)
{
    size_t o = 0, n = strlen(s), i = 0, total = 0;
    char one[12];

    if (cap < 4) {
        if (cap)
            buf[0] = '\0';
        return buf;
    }
    for (i = 0; i < n;) {
        uint32_t cp = 0;
        size_t k = txt_utf8_decode(s + i, n - i, &cp);
        total += term_char(s + i, k, cp, one);
        i += k ? k : 1;
    }
    /* all of it when it fits, else as much as leaves room for "..." */
    size_t room = total < cap ? cap - 1 : cap - 4;
    for (i = 0; i < n;) {
        uint32_t cp = 0;
        size_t k = txt_utf8_decode(s + i, n - i, &cp);
        size_t m = term_char(s + i, k, cp, one);
        if (o + m > room)
            break;
        memcpy(buf + o, one, m);
        o += m;
        i += k ? k : 1;
    }
    if (i < n) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

void txt_fterm(FILE *fp, const char *s)
{
    size_t n = strlen(s), i = 0;

    while (i < n) {
        uint32_t cp = 0;
        char one[12];
        size_t k = txt_utf8_decode(s + i, n - i, &cp);
        fwrite(one, 1, term_char(s + i, k, cp, one), fp);
        i += k ? k : 1;
    }
}

/* Walk n bytes (or up to a NUL) of s; for each character call put with
 * its bytes, length (0: an ill-formed byte) and code point.  A CR that
 * ends a line (CRLF) or the text is dropped: callers split lines on LF. */
typedef void (*char_fn)(FILE *fp, const char *c, size_t k, uint32_t cp);

static void walk(FILE *fp, const char *s, size_t n, char_fn put)
{
    size_t end = 0;

    while (end < n && s[end])
        end++;
    for (size_t i = 0; i < end;) {
        uint32_t cp = 0;
        size_t k = txt_utf8_decode(s + i, end - i, &cp);
        if (k == 1 && cp == '\r' && (i + 1 == end || s[i + 1] == '\n')) {
            i++;
            continue;
        }
        put(fp, s + i, k, cp);
        i += k ? k : 1;
    }
}

static void html_char(FILE *fp, const char *c, size_t k, uint32_t cp)
{
    if (k == 0 || (txt_is_control(cp) && cp != '\t' && cp != '\n')) {
        fputs(repl, fp);
        return;
    }
    switch (cp) {
    case '&': fputs("&amp;", fp); break;
    case '<': fputs("&lt;", fp); break;
    case '>': fputs("&gt;", fp); break;
    case '"': fputs("&quot;", fp); break;
    case '\'': fputs("&#39;", fp); break;
    default: fwrite(c, 1, k, fp);
    }
}

void txt_html(FILE *fp, const char *s, size_t n)
{
    walk(fp, s, n, html_char);
}

static void md_char(FILE *fp, const char *c, size_t k, uint32_t cp)
{
    if (k == 0 || txt_is_control(cp)) {
        fputs(repl, fp);
        return;
    }
    if (cp < 0x80 && strchr("\\`*_[]<>#|!~&", (int)cp))
        fputc('\\', fp);
    fwrite(c, 1, k, fp);
}

void txt_md(FILE *fp, const char *s)
{
    walk(fp, s, strlen(s), md_char);
}

static void code_char(FILE *fp, const char *c, size_t k, uint32_t cp)
{
    if (k == 0 || (txt_is_control(cp) && cp != '\t' && cp != '\n'))
        fputs(repl, fp);
    else
        fwrite(c, 1, k, fp);
}

void txt_md_code(FILE *fp, const char *info, const char *s, size_t n)
{
    size_t longest = 0, run = 0, end = 0;

    while (end < n && s[end])
        end++;
    for (size_t i = 0; i < end; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t fence = longest + 1 > 3 ? longest + 1 : 3;
    for (size_t i = 0; i < fence; i++)
        fputc('`', fp);
    fprintf(fp, "%s\n", info ? info : "");
    walk(fp, s, end, code_char);
    if (end && s[end - 1] != '\n')
        fputc('\n', fp);
    for (size_t i = 0; i < fence; i++)
        fputc('`', fp);
    fputc('\n', fp);
}

char *txt_gnuplot(char *buf, size_t cap, const char *s)
{
    size_t o = 0, n = strlen(s), i = 0;

    if (cap < 3) {
        if (cap)
            buf[0] = '\0';
        return buf;
    }
    buf[o++] = '\'';
    while (i < n) {
        uint32_t cp = 0;
        size_t k = txt_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            k = 1, cp = 0x80; /* an ill-formed byte: passed on as is */
        /* only ASCII controls are dropped: anything else goes through
         * unchanged, so that a folder name reaches gnuplot's `cd` as given */
        if (!(cp < 0x80 && txt_is_control(cp))) {
            size_t m = cp == '\'' ? 2 : k;
            if (o + m + 2 > cap) /* the closing quote and the NUL */
                break;
            if (cp == '\'')
                buf[o++] = '\'';
            memcpy(buf + o, s + i, k);
            o += k;
        }
        i += k;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

static void csv_char(FILE *fp, const char *c, size_t k, uint32_t cp)
{
    if (k == 0 || txt_is_control(cp))
        fputs(repl, fp);
    else if (cp == '"')
        fputs("\"\"", fp);
    else
        fwrite(c, 1, k, fp);
}

void txt_csv(FILE *fp, const char *s)
{
    fputc('"', fp);
    walk(fp, s, strlen(s), csv_char);
    fputc('"', fp);
}
