/*
 * textesc — capmix's text rules, and one escaper per destination.
 *
 * The rules (docs/model.md, "Text"), decided here once:
 *   - scenario files are UTF-8: a UTF-16/UTF-32 byte-order mark or a NUL
 *     byte is refused (yamltree.c), since libyaml would silently convert
 *     UTF-16 and the reports copy the file's bytes;
 *   - a user text (scenario name, description, any string echoed into an
 *     output) is well-formed UTF-8 without controls (txt_is_control); a
 *     description may hold TAB and LF (TXT_LINES);
 *   - a text over its limit is refused with a message, never truncated;
 *     where a text must be shortened for display, txt_cut cuts it on a
 *     character boundary and the escaper adds "...".
 *
 * Whatever reached the program anyway (a file name on the command line, a
 * quoted value in an error message, bytes of the scenario file) is made
 * safe where it is written, by the escaper of that destination.  Every
 * escaper accepts any bytes: an invalid UTF-8 byte or a control never
 * reaches the output raw.
 *
 * Nothing here allocates; the FILE escapers leave errors to the stream's
 * sticky error flag, like fputs.
 */
#ifndef CAPMIX_TEXTESC_H
#define CAPMIX_TEXTESC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Limits of the scenario's free texts, in bytes (without the NUL). */
#define TXT_NAME_MAX 255
#define TXT_DESCRIPTION_MAX 1023

/* Decode the UTF-8 character at s (n > 0 bytes available): returns its
 * length (1 to 4) and sets *cp, or 0 when the bytes there are not a
 * well-formed sequence (RFC 3629: overlong forms, surrogates, code points
 * above U+10FFFF and truncated sequences are all ill-formed). */
size_t txt_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* 1 when cp is a control by capmix's rules: C0 (U+0000-U+001F), DEL,
 * C1 (U+0080-U+009F), the line and paragraph separators U+2028/U+2029
 * (line breaks to YAML and JavaScript), and the bidirectional formatting
 * characters U+200E/F, U+202A-U+202E, U+2066-U+2069 (they reorder the
 * text around them when displayed). */
int txt_is_control(uint32_t cp);

/* txt_check flag: TAB and LF are allowed (multi-line texts). */
#define TXT_LINES 1u

/*
 * Check the n bytes at s against the rules.  Returns 0, or -1 with a
 * message in why (size nwhy, may be 0) that continues "'KEY' ...", e.g.
 * "is not valid UTF-8 (byte 0xff at character 4)" or "contains the
 * control character U+001B at character 5".  Characters count from 1.
 */
int txt_check(const char *s, size_t n, unsigned flags, char *why, size_t nwhy);

/* Largest k <= max, k <= n, such that s[0..k) ends on a character
 * boundary (an ill-formed byte counts as one character). */
size_t txt_cut(const char *s, size_t n, size_t max);

/*
 * Terminal (stderr, stdout, run.log): printable text as is; an ASCII
 * control or an ill-formed byte as \xHH, any other control as \uHHHH, so
 * no escape sequence, line break or bell can reach the terminal and the
 * reader still sees what was there.  txt_term writes into buf (size cap
 * >= 4), cutting on a character boundary with "..." when it does not fit,
 * and returns buf.  txt_fterm writes to a stream without a limit.
 */
char *txt_term(char *buf, size_t cap, const char *s);
void txt_fterm(FILE *fp, const char *s);

/*
 * HTML text and attribute values: & < > " ' as references; TAB and LF
 * kept; a CR before LF or at the end dropped (CRLF files, split into
 * lines by the caller); any other control or
 * ill-formed byte as U+FFFD.  Reads n bytes or up to a NUL.
 */
void txt_html(FILE *fp, const char *s, size_t n);

/*
 * Markdown, inline (a heading, a table cell): the characters that start
 * markup (\ ` * _ [ ] < > # | ! ~ &) backslash-escaped, and a control
 * (LF included: a text cannot open a new block) or ill-formed byte as
 * U+FFFD.
 */
void txt_md(FILE *fp, const char *s);

/*
 * Markdown, a fenced code block holding n bytes of text: the fence is a
 * run of backticks one longer than the longest run in the text (at least
 * three), so no line of the text can close it; `info` follows the opening
 * fence.  CR before LF dropped, other controls but TAB and LF as U+FFFD.
 */
void txt_md_code(FILE *fp, const char *info, const char *s, size_t n);

/*
 * A gnuplot single-quoted string literal ('it''s'), in which backslashes
 * and @ are not interpreted; ASCII controls are dropped (a newline would
 * end the command), other bytes kept (it also quotes folder names for
 * `cd`; user texts reach it already checked).  Written into buf (cap >=
 * 3), cut on a character boundary when it does not fit; returns buf.
 */
char *txt_gnuplot(char *buf, size_t cap, const char *s);

/*
 * A CSV field (RFC 4180): always quoted, quotes doubled; controls and
 * ill-formed bytes as U+FFFD (a field stays on one record line).
 */
void txt_csv(FILE *fp, const char *s);

#endif
