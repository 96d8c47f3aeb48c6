/*
 * Tests of the text rules and the per-destination escapers (textesc):
 * UTF-8 decoding against RFC 3629's ill-formed cases, txt_check's verdicts
 * and messages, cutting on character boundaries, and the exact bytes each
 * escaper writes for hostile text (escape sequences, line breaks, markup,
 * ill-formed bytes).  Also the JSON writer and the scenario loader, where
 * the rules meet the files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "scenario.h"
#include "scnload.h"
#include "textesc.h"

/* Output of one escaper call, as a NUL-terminated string (caller frees). */
typedef struct cap {
    FILE *fp;
    char *buf;
    size_t len;
} cap;

static void cap_open(cap *c)
{
    c->buf = NULL;
    c->len = 0;
    c->fp = open_memstream(&c->buf, &c->len);
    assert_non_null(c->fp);
}

static char *cap_close(cap *c)
{
    assert_int_equal(fclose(c->fp), 0);
    return c->buf;
}

/* No byte of s is an ASCII control other than those in `allowed`, and s is
 * well-formed UTF-8 without a control by the rules. */
static void assert_clean(const char *s, const char *allowed)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = txt_utf8_decode(s + i, n - i, &cp);
        assert_true(k > 0);
        if (txt_is_control(cp))
            assert_true(cp < 0x80 && cp && strchr(allowed, (int)cp));
        i += k;
    }
}

/* ------------------------------------------------------------ decoding */

static void test_decode_well_formed(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(txt_utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(txt_utf8_decode("\xc3\xa9", 2, &cp), 2);
    assert_int_equal(cp, 0xe9);
    assert_int_equal(txt_utf8_decode("\xe2\x82\xac", 3, &cp), 3);
    assert_int_equal(cp, 0x20ac);
    assert_int_equal(txt_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1f600);
    assert_int_equal(txt_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
    assert_int_equal(cp, 0x10ffff);
}

static void test_decode_ill_formed(void **state)
{
    (void)state;
    uint32_t cp;
    static const char *const bad[] = {
        "\x80",             /* a lone continuation byte */
        "\xc0\xaf",         /* overlong '/' */
        "\xc1\xbf",         /* overlong */
        "\xe0\x80\xaf",     /* overlong, three bytes */
        "\xf0\x80\x80\xaf", /* overlong, four bytes */
        "\xed\xa0\x80",     /* surrogate U+D800 */
        "\xf4\x90\x80\x80", /* U+110000 */
        "\xf5\x80\x80\x80", /* lead byte past F4 */
        "\xff",
        "\xc3",             /* truncated */
        "\xe2\x82",         /* truncated */
        "\xc3\x41",         /* bad continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(txt_utf8_decode(bad[i], strlen(bad[i]), &cp), 0);
}

static void test_is_control(void **state)
{
    (void)state;
    static const uint32_t ctl[] = {0, 7, 8, 9, 10, 13, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9b, 0x9f,
                                   0x2028, 0x2029, 0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069};
    static const uint32_t ok[] = {' ', '~', 0xa0, 0xe9, 0x20ac, 0x2027, 0x202f, 0x2065, 0x206a, 0x1f600};
    for (size_t i = 0; i < sizeof ctl / sizeof ctl[0]; i++)
        assert_true(txt_is_control(ctl[i]));
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_false(txt_is_control(ok[i]));
}

/* ------------------------------------------------------------ checking */

static void test_check(void **state)
{
    (void)state;
    char why[128];
    assert_int_equal(txt_check("Caf\xc3\xa9 | pipes `x` # y", 21, 0, why, sizeof why), 0);
    assert_int_equal(txt_check("a\tb\nc", 5, TXT_LINES, why, sizeof why), 0);

    assert_int_equal(txt_check("a\tb", 3, 0, why, sizeof why), -1);
    assert_string_equal(why, "contains the control character U+0009 at character 2 "
                             "(a line break or tab is not allowed here)");
    /* characters, not bytes: the ESC is the 3rd character, the 4th byte */
    assert_int_equal(txt_check("\xc3\xa9x\x1b[2J", 7, TXT_LINES, why, sizeof why), -1);
    assert_string_equal(why, "contains the control character U+001B at character 3");
    assert_int_equal(txt_check("ab\r\n", 4, TXT_LINES, why, sizeof why), -1);
    assert_string_equal(why, "contains the control character U+000D at character 3");
    assert_int_equal(txt_check("x\xc2\x85", 3, TXT_LINES, why, sizeof why), -1);
    assert_string_equal(why, "contains the control character U+0085 at character 2");
    assert_int_equal(txt_check("x\x7f", 2, 0, why, sizeof why), -1);
    assert_string_equal(why, "contains the control character U+007F at character 2");
    assert_int_equal(txt_check("ab\xe2\x80\xae", 5, 0, why, sizeof why), -1);
    assert_string_equal(why, "contains the control character U+202E at character 3");
    assert_int_equal(txt_check("ab\xc3", 3, 0, why, sizeof why), -1);
    assert_string_equal(why, "is not valid UTF-8 (byte 0xc3 at character 3)");
    assert_int_equal(txt_check("\xff", 1, 0, NULL, 0), -1); /* no room for a message is fine */
}

static void test_cut(void **state)
{
    (void)state;
    const char *s = "a\xc3\xa9\xe2\x82\xac"; /* a é € : 1 + 2 + 3 bytes */
    assert_int_equal(txt_cut(s, 6, 0), 0);
    assert_int_equal(txt_cut(s, 6, 1), 1);
    assert_int_equal(txt_cut(s, 6, 2), 1); /* not inside é */
    assert_int_equal(txt_cut(s, 6, 3), 3);
    assert_int_equal(txt_cut(s, 6, 5), 3); /* not inside € */
    assert_int_equal(txt_cut(s, 6, 6), 6);
    assert_int_equal(txt_cut(s, 6, 100), 6);
    assert_int_equal(txt_cut("\xff\xfe", 2, 1), 1); /* an ill-formed byte is one character */
}

/* ------------------------------------------------------------ terminal */

static void test_term(void **state)
{
    (void)state;
    char b[128];
    assert_string_equal(txt_term(b, sizeof b, "plain caf\xc3\xa9"), "plain caf\xc3\xa9");
    /* clear screen, window title, clipboard write (OSC 52), bell, newline */
    assert_string_equal(txt_term(b, sizeof b, "\x1b[2J\x1b]0;t\x07\x1b]52;c;aGk=\x07\n"),
                        "\\x1b[2J\\x1b]0;t\\x07\\x1b]52;c;aGk=\\x07\\x0a");
    assert_string_equal(txt_term(b, sizeof b, "a\xc2\x9b" "2J\xe2\x80\xae" "b\x7f\xff"),
                        "a\\u009b2J\\u202eb\\x7f\\xff");
    assert_clean(b, "");
}

static void test_term_cut(void **state)
{
    (void)state;
    char b[10];
    /* 9 bytes of room: "ab" + "é" fits, "...", never half an é */
    assert_string_equal(txt_term(b, sizeof b, "ab\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"), "ab\xc3\xa9\xc3\xa9...");
    assert_string_equal(txt_term(b, sizeof b, "123456789"), "123456789");
    assert_string_equal(txt_term(b, sizeof b, "1234567890"), "123456...");
    assert_string_equal(txt_term(b, sizeof b, "\x1b\x1b\x1b"), "\\x1b...");
    char tiny[4];
    assert_string_equal(txt_term(tiny, sizeof tiny, "abcdef"), "...");
    assert_string_equal(txt_term(tiny, sizeof tiny, "ab"), "ab");
}

static void test_fterm(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    txt_fterm(c.fp, "x\x1b[31my\n\xc3");
    char *out = cap_close(&c);
    assert_string_equal(out, "x\\x1b[31my\\x0a\\xc3");
    free(out);
}

/* ------------------------------------------------------------ HTML, Markdown */

static void test_html(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    const char *s = "<b a='1'>&\"</b>\tbel\x07 bs\x08 esc\x1b[2J\xc2\x85\xff line\r\nnext\r";
    txt_html(c.fp, s, strlen(s));
    char *out = cap_close(&c);
    assert_string_equal(out, "&lt;b a=&#39;1&#39;&gt;&amp;&quot;&lt;/b&gt;\tbel\xef\xbf\xbd bs\xef\xbf\xbd esc"
                             "\xef\xbf\xbd[2J\xef\xbf\xbd\xef\xbf\xbd line\nnext");
    assert_clean(out, "\t\n");
    free(out);
    /* n bytes, or up to a NUL */
    cap_open(&c);
    txt_html(c.fp, "ab\0cd", 5);
    txt_html(c.fp, "xyz", 2);
    out = cap_close(&c);
    assert_string_equal(out, "abxy");
    free(out);
}

static void test_md_inline(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    txt_md(c.fp, "# t | x `y` *z* _w_ [l](u) <h> !~&\\ line\nnext\x1b");
    char *out = cap_close(&c);
    assert_string_equal(out, "\\# t \\| x \\`y\\` \\*z\\* \\_w\\_ \\[l\\](u) \\<h\\> \\!\\~\\&\\\\ line"
                             "\xef\xbf\xbdnext\xef\xbf\xbd");
    assert_null(strchr(out, '\n'));
    free(out);
}

/* A fence one longer than the longest backtick run: the text cannot
 * close it early. */
static void test_md_code(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    const char *s = "a: 1\r\n# ```\n# ````` x\x1b\n";
    txt_md_code(c.fp, "yaml", s, strlen(s));
    char *out = cap_close(&c);
    assert_string_equal(out, "``````yaml\na: 1\n# ```\n# ````` x\xef\xbf\xbd\n``````\n");
    free(out);
    cap_open(&c);
    txt_md_code(c.fp, "yaml", "b: 2", 4); /* plain text, no final newline */
    out = cap_close(&c);
    assert_string_equal(out, "```yaml\nb: 2\n```\n");
    free(out);
}

/* ------------------------------------------------------------ gnuplot, CSV */

static void test_gnuplot(void **state)
{
    (void)state;
    char b[64];
    /* single quotes: backslash and @ are literal, a quote is doubled */
    assert_string_equal(txt_gnuplot(b, sizeof b, "it's \\n @macro \"q\""), "'it''s \\n @macro \"q\"'");
    assert_string_equal(txt_gnuplot(b, sizeof b, "a\nset output '/etc/x'\x1b"), "'aset output ''/etc/x'''");
    char s[8];
    assert_string_equal(txt_gnuplot(s, sizeof s, "ab\xc3\xa9\xc3\xa9"), "'ab\xc3\xa9'"); /* not half an é */
    assert_string_equal(txt_gnuplot(s, sizeof s, "abcd'x"), "'abcd'");                /* nor half a '' */
}

static void test_csv(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    txt_csv(c.fp, "a,\"b\"\r\nc");
    fputc(',', c.fp);
    txt_csv(c.fp, "");
    char *out = cap_close(&c);
    /* CRLF is one line break, and one replacement: the field stays on its line */
    assert_string_equal(out, "\"a,\"\"b\"\"\xef\xbf\xbd" "c\",\"\"");
    free(out);
}

/* ------------------------------------------------------------ JSON */

static void test_json_strings(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    json_writer w;
    json_init(&w, c.fp);
    json_arr_begin(&w);
    json_str(&w, "q\"b\\n\n\x1b\x7f\xc2\x85\xe2\x80\xa8\xc3\xa9\xff");
    json_str(&w, "cut\xe2\x82"); /* a truncated sequence at the end */
    json_arr_end(&w);
    assert_int_equal(json_finish(&w), 0);
    char *out = cap_close(&c);
    assert_string_equal(out, "[\n  \"q\\\"b\\\\n\\u000a\\u001b\\u007f\\u0085\\u2028\xc3\xa9\\ufffd\",\n"
                             "  \"cut\\ufffd\\ufffd\"\n]\n");
    assert_clean(out, "\n");
    free(out);
}

/* A diag message too long for its buffer ends in "..." after a whole
 * character. */
static void test_diag_cut(void **state)
{
    (void)state;
    diag d;
    char big[2000];
    size_t k = 0; /* 767 bytes would end inside an e-acute */
    while (k + 2 < sizeof big)
        big[k++] = '\xc3', big[k++] = '\xa9';
    big[k] = '\0';
    diag_input(&d, "f.yaml", 1, 1, "%s", big);
    size_t n = strlen(d.msg);
    assert_true(n <= sizeof d.msg - 1);
    assert_string_equal(d.msg + n - 3, "...");
    assert_int_equal(txt_check(d.msg, n, 0, NULL, 0), 0);
}

/* ------------------------------------------------------------ the loader */

static const char tail[] = "work: {horizon_days: 90}\n"
                           "alternatives:\n"
                           "  - name: a\n"
                           "    sources:\n"
                           "      - {kind: in_house, headcount: 2, loaded_annual: 200000, throughput_per_month: 3}\n";

static int load(const char *head, scn_scenario **s, diag *d)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "capmix: 1\n%s%s", head, tail);
    diag_clear(d);
    return scn_load_buffer("t.yaml", buf, strlen(buf), s, d);
}

static void test_load_texts(void **state)
{
    (void)state;
    scn_scenario *s = NULL;
    diag d;
    assert_int_equal(load("name: \"Caf\xc3\xa9 | `x`\"\ndescription: \"two\\n\\tlines\"\n", &s, &d), 0);
    assert_string_equal(s->name, "Caf\xc3\xa9 | `x`");
    assert_string_equal(s->description, "two\n\tlines");
    scn_free(s);

    assert_int_equal(load("name: \"a\\e[2J\"\n", &s, &d), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 7);
    assert_string_equal(d.msg, "'name' contains the control character U+001B at character 2");
    assert_int_equal(load("name: \"a\\nb\"\n", &s, &d), -1);
    assert_non_null(strstr(d.msg, "U+000A at character 2 (a line break or tab is not allowed here)"));
}

/* The limits are exact, in bytes, and refused past them, never cut. */
static void test_load_limits(void **state)
{
    (void)state;
    scn_scenario *s = NULL;
    diag d;
    char head[4096];
    char name[TXT_NAME_MAX + 2];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    snprintf(head, sizeof head, "name: %s\n", name + 1); /* 255 bytes */
    assert_int_equal(load(head, &s, &d), 0);
    assert_int_equal(strlen(s->name), TXT_NAME_MAX);
    scn_free(s);
    snprintf(head, sizeof head, "name: %s\n", name); /* 256 bytes */
    assert_int_equal(load(head, &s, &d), -1);
    assert_string_equal(d.msg, "'name' is 256 bytes long; the limit is 255 bytes");

    /* 1023 bytes of two-byte characters and one ASCII: at the limit */
    char desc[TXT_DESCRIPTION_MAX + 4];
    size_t k = 0;
    while (k + 2 <= TXT_DESCRIPTION_MAX)
        desc[k++] = '\xc3', desc[k++] = '\xa9';
    desc[k++] = 'x';
    desc[k] = '\0';
    snprintf(head, sizeof head, "description: %s\n", desc);
    assert_int_equal(load(head, &s, &d), 0);
    assert_int_equal(strlen(s->description), TXT_DESCRIPTION_MAX);
    scn_free(s);
    desc[k - 1] = '\xc3', desc[k++] = '\xa9', desc[k] = '\0'; /* 1024 bytes */
    snprintf(head, sizeof head, "description: %s\n", desc);
    assert_int_equal(load(head, &s, &d), -1);
    assert_int_equal(d.line, 2);
    assert_string_equal(d.msg, "'description' is 1024 bytes long; the limit is 1023 bytes");
}

static void test_load_encoding(void **state)
{
    (void)state;
    scn_scenario *s = NULL;
    diag d;
    static const struct {
        const char *bytes;
        size_t n;
        int line, col;
        const char *msg;
    } cases[] = {
        {"\xff\xfe" "c\0a\0", 6, 1, 1, "the file is UTF-16 (it starts with a UTF-16 byte-order mark): save the file as UTF-8"},
        {"\xfe\xff\0c\0a", 6, 1, 1, "the file is UTF-16 (it starts with a UTF-16 byte-order mark): save the file as UTF-8"},
        {"\xff\xfe\0\0c\0\0\0", 8, 1, 1, "the file is UTF-32 (it starts with a UTF-32 byte-order mark): save the file as UTF-8"},
        {"\0\0\xfe\xff\0\0\0c", 8, 1, 1, "the file is UTF-32 (it starts with a UTF-32 byte-order mark): save the file as UTF-8"},
        {"capmix: 1\nn\xc3\xa9: a\0b\n", 17, 2, 6, "the file holds a NUL byte (is it UTF-16, or not text?): save the file as UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        diag_clear(&d);
        assert_int_equal(scn_load_buffer("t.yaml", cases[i].bytes, cases[i].n, &s, &d), -1);
        assert_int_equal(d.kind, DIAG_INPUT);
        assert_int_equal(d.line, cases[i].line);
        assert_int_equal(d.col, cases[i].col);
        assert_string_equal(d.msg, cases[i].msg);
    }
    /* a UTF-8 byte-order mark is fine */
    char buf[1024];
    snprintf(buf, sizeof buf, "\xef\xbb\xbf" "capmix: 1\n%s", tail);
    assert_int_equal(scn_load_buffer("t.yaml", buf, strlen(buf), &s, &d), 0);
    scn_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_well_formed),
        cmocka_unit_test(test_decode_ill_formed),
        cmocka_unit_test(test_is_control),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_term),
        cmocka_unit_test(test_term_cut),
        cmocka_unit_test(test_fterm),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_md_inline),
        cmocka_unit_test(test_md_code),
        cmocka_unit_test(test_gnuplot),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json_strings),
        cmocka_unit_test(test_diag_cut),
        cmocka_unit_test(test_load_texts),
        cmocka_unit_test(test_load_limits),
        cmocka_unit_test(test_load_encoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
