/*
 * diag: the structured error and the "did you mean" suggestions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"

static const char *const scenario_keys[] = {"throughput", "hourly_rate", "trials", "seed",
                                            "baseline", "sources", NULL};

static void test_clear(void **state)
{
    diag d;

    (void)state;
    memset(&d, 0x5a, sizeof d);
    diag_clear(&d);
    assert_int_equal(d.kind, DIAG_NONE);
    assert_string_equal(d.file, "");
    assert_string_equal(d.msg, "");
    assert_int_equal(d.line, 0);
    assert_int_equal(d.col, 0);
    diag_clear(NULL); /* allowed */
}

static void test_input(void **state)
{
    diag d;

    (void)state;
    diag_clear(&d);
    assert_int_equal(diag_input(&d, "x.yaml", 14, 9, "unknown key '%s'", "thruput"), -1);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_string_equal(d.file, "x.yaml");
    assert_int_equal(d.line, 14);
    assert_int_equal(d.col, 9);
    assert_string_equal(d.msg, "unknown key 'thruput'");

    assert_int_equal(diag_input(&d, NULL, 0, 0, "bad %d", 3), -1);
    assert_string_equal(d.file, "");
    assert_int_equal(d.line, 0);
    assert_string_equal(d.msg, "bad 3");

    /* Negative positions mean "unknown", like 0. */
    diag_input(&d, "f", -4, -1, "m");
    assert_int_equal(d.line, 0);
    assert_int_equal(d.col, 0);

    assert_int_equal(diag_input(NULL, "f", 1, 1, "dropped"), -1);
}

static void test_runtime(void **state)
{
    diag d;

    (void)state;
    diag_input(&d, "x.yaml", 3, 4, "first");
    assert_int_equal(diag_runtime(&d, "cannot write '%s'", "out/a.csv"), -1);
    assert_int_equal(d.kind, DIAG_RUNTIME);
    assert_string_equal(d.file, "");
    assert_int_equal(d.line, 0);
    assert_int_equal(d.col, 0);
    assert_string_equal(d.msg, "cannot write 'out/a.csv'");
    assert_int_equal(diag_runtime(NULL, "x"), -1);
}

static void test_truncation(void **state)
{
    char big[4000];
    diag d;

    (void)state;
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    diag_input(&d, big, 1, 1, "%s", big);
    assert_int_equal(strlen(d.file), sizeof d.file - 1);
    assert_int_equal(strlen(d.msg), sizeof d.msg - 1);
}

static void test_rewrap_in_place(void **state)
{
    diag d;

    (void)state;
    diag_input(&d, "s.yaml", 3, 5, "'p90' must exceed 'median'");
    diag_input(&d, d.file, d.line, d.col, "in source 'pod': %s", d.msg);
    assert_string_equal(d.file, "s.yaml");
    assert_string_equal(d.msg, "in source 'pod': 'p90' must exceed 'median'");
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 5);
}

static void test_suggest_typos(void **state)
{
    (void)state;
    assert_string_equal(diag_suggest("thruput", scenario_keys), "throughput");
    assert_string_equal(diag_suggest("hourly_rat", scenario_keys), "hourly_rate");
    assert_string_equal(diag_suggest("trails", scenario_keys), "trials");  /* transposition */
    assert_string_equal(diag_suggest("sede", scenario_keys), "seed");      /* transposition */
    assert_string_equal(diag_suggest("Baseline", scenario_keys), "baseline"); /* case */
    assert_string_equal(diag_suggest("HOURLY_RATE", scenario_keys), "hourly_rate");
    assert_string_equal(diag_suggest("source", scenario_keys), "sources");
    assert_null(diag_suggest("zzzz", scenario_keys));
    assert_null(diag_suggest("colour", scenario_keys));
}

static void test_suggest_threshold(void **state)
{
    static const char *const abcd[] = {"abcd", NULL};
    static const char *const longw[] = {"abcdefghijkl", NULL};
    static const char *const one[] = {"x", NULL};

    (void)state;
    /* Short words allow one edit. */
    assert_string_equal(diag_suggest("abce", abcd), "abcd");
    assert_null(diag_suggest("abef", abcd));
    assert_null(diag_suggest("ab", abcd));
    assert_string_equal(diag_suggest("y", one), "x");
    /* Twelve letters: three edits, never four. */
    assert_string_equal(diag_suggest("abcdefghi", longw), "abcdefghijkl");
    assert_null(diag_suggest("abcdefgx", longw));
    /* ...but a word that a candidate starts with is a shorthand for it
     * ("offshore" for "offshore_pod") */
    assert_string_equal(diag_suggest("abcdefgh", longw), "abcdefghijkl");
    assert_string_equal(diag_suggest("xbcdxfghxjkl", longw), "abcdefghijkl");
    assert_null(diag_suggest("xbcdxfghxjxl", longw));
}

static void test_suggest_ties_and_edges(void **state)
{
    static const char *const tie[] = {"rate", "date", NULL};
    static const char *const tie2[] = {"date", "rate", NULL};
    static const char *const better[] = {"rates", "rate", NULL};
    static const char *const none[] = {NULL};
    char huge[200];

    (void)state;
    /* "fate" is one edit from both: the first listed wins. */
    assert_string_equal(diag_suggest("fate", tie), "rate");
    assert_string_equal(diag_suggest("fate", tie2), "date");
    /* A closer candidate beats an earlier one. */
    assert_string_equal(diag_suggest("rate", better), "rate");
    assert_null(diag_suggest("rate", none));
    assert_null(diag_suggest(NULL, tie));
    assert_null(diag_suggest("rate", NULL));
    memset(huge, 'r', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    assert_null(diag_suggest(huge, tie));
}

static void test_hint(void **state)
{
    char buf[64] = "unknown key 'thruput'";
    char small[24] = "unknown key 'thruput'";

    (void)state;
    assert_ptr_equal(diag_hint(buf, sizeof buf, "thruput", scenario_keys), buf);
    assert_string_equal(buf, "unknown key 'thruput' (did you mean 'throughput'?)");

    strcpy(buf, "unknown key 'zzzz'");
    diag_hint(buf, sizeof buf, "zzzz", scenario_keys);
    assert_string_equal(buf, "unknown key 'zzzz'");

    /* Truncated, never overflowed. */
    diag_hint(small, sizeof small, "thruput", scenario_keys);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_string_equal(small, "unknown key 'thruput' (");
}

/* ---- the echo of the offending line (issue 14, class 10) ---------------- */

/* The echo of line `line`, column `col` of the NUL-terminated `text`. */
static const char *echo_of(const char *text, int line, int col, int csv, int *caret)
{
    static char out[DIAG_ECHO_MAX];
    if (diag_echo(text, strlen(text), line, col, csv, out, sizeof out, caret))
        return NULL;
    return out;
}

static void test_break_len(void **state)
{
    (void)state;
    assert_int_equal(diag_break_len("\n", 1, 0), 1);
    assert_int_equal(diag_break_len("\r\n", 2, 0), 2);
    assert_int_equal(diag_break_len("\r", 1, 0), 1);
    assert_int_equal(diag_break_len("\r\n", 1, 0), 1); /* the LF not readable */
    assert_int_equal(diag_break_len("\xC2\x85", 2, 0), 2);       /* NEL */
    assert_int_equal(diag_break_len("\xE2\x80\xA8", 3, 0), 3);   /* LS */
    assert_int_equal(diag_break_len("\xE2\x80\xA9", 3, 0), 3);   /* PS */
    assert_int_equal(diag_break_len("\xE2\x80\xA6", 3, 0), 0);   /* … is text */
    assert_int_equal(diag_break_len("\xE2\x80\xA8", 2, 0), 0);   /* cut short */
    assert_int_equal(diag_break_len("\xC2\xA0", 2, 0), 0);       /* NBSP */
    assert_int_equal(diag_break_len("a", 1, 0), 0);
    assert_int_equal(diag_break_len("", 0, 0), 0);
    /* a CSV's records end at CR, LF and CRLF only */
    assert_int_equal(diag_break_len("\r\n", 2, 1), 2);
    assert_int_equal(diag_break_len("\xC2\x85", 2, 1), 0);
    assert_int_equal(diag_break_len("\xE2\x80\xA8", 3, 1), 0);
}

/* Every line-ending convention libyaml accepts puts line 3 at "c: 3". */
static void test_echo_line_endings(void **state)
{
    static const char *const files[] = {
        "a: 1\nb: 2\nc: 3\nd: 4\n",         "a: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n",
        "a: 1\rb: 2\rc: 3\rd: 4\r",         "a: 1\xC2\x85" "b: 2\xC2\x85" "c: 3\xC2\x85" "d: 4",
        "a: 1\xE2\x80\xA8" "b: 2\xE2\x80\xA9" "c: 3\xE2\x80\xA8" "d: 4",
        "a: 1\r\nb: 2\rc: 3\nd: 4",
    };
    int caret;
    (void)state;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        const char *e = echo_of(files[i], 3, 4, 0, &caret);
        assert_non_null(e);
        assert_string_equal(e, "c: 3");
        assert_int_equal(caret, 3);
        assert_string_equal(echo_of(files[i], 1, 1, 0, &caret), "a: 1");
        assert_string_equal(echo_of(files[i], 4, 1, 0, &caret), "d: 4");
    }
    /* a CSV: LS inside a field does not end the record's line */
    assert_string_equal(echo_of("id,t\n1,a\xE2\x80\xA8" "b\n2,c\n", 3, 1, 1, &caret), "2,c");
    assert_string_equal(echo_of("id,t\n1,a\xE2\x80\xA8" "b\n2,c\n", 3, 1, 0, &caret), "b");
}

static void test_echo_no_such_line(void **state)
{
    int caret;
    char out[DIAG_ECHO_MAX];
    (void)state;
    assert_null(echo_of("a: 1\n", 2, 1, 0, &caret));
    assert_null(echo_of("a: 1\nb: 2", 3, 1, 0, &caret));
    assert_null(echo_of("", 1, 1, 0, &caret));
    assert_null(echo_of("a: 1\n", 0, 1, 0, &caret));
    assert_int_equal(diag_echo("a", 1, 1, 1, 0, out, 10, &caret), -1); /* buffer too small */
    assert_non_null(echo_of("a: 1\n\nc: 3\n", 2, 1, 0, &caret)); /* an empty line exists */
    assert_string_equal(echo_of("a: 1\n\nc: 3\n", 2, 1, 0, &caret), "");
}

/* Columns count characters: a UTF-8 sequence once, the BOM not at all;
 * control characters become one space each. */
static void test_echo_columns(void **state)
{
    int caret;
    (void)state;
    assert_string_equal(echo_of("\xEF\xBB\xBFname: x\n", 1, 7, 0, &caret), "name: x");
    assert_int_equal(caret, 6);
    assert_string_equal(echo_of("n: \xC3\xA9t\xC3\xA9, k: v\n", 1, 9, 0, &caret),
                        "n: \xC3\xA9t\xC3\xA9, k: v");
    assert_int_equal(caret, 8);
    assert_string_equal(echo_of("a:\t\x1b[2J\x07\x7f\xC2\x9B" "b\n", 1, 1, 0, &caret),
                        "a:  [2J   b");
    /* past the end of the line: just after it */
    assert_string_equal(echo_of("ab\ncd\n", 1, 40, 0, &caret), "ab");
    assert_int_equal(caret, 2);
}

/* The character under the caret: column `caret` of `out`, one column per
 * character. */
static const char *at_column(const char *out, int caret)
{
    const unsigned char *p = (const unsigned char *)out;
    for (int k = 0; k < caret && *p; k++)
        do
            p++;
        while ((*p & 0xC0) == 0x80);
    return (const char *)p;
}

static void test_echo_long_line(void **state)
{
    const size_t n = 2000000;
    char *text = malloc(n + 2);
    int caret;
    (void)state;
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + i % 26);
    text[n] = '\n';
    text[n + 1] = '\0';

    /* column 1,000,000: 60 characters either side and a marker each */
    const char *e = echo_of(text, 1, 1000000, 0, &caret);
    assert_non_null(e);
    assert_int_equal(strlen(e), 2 * DIAG_ECHO_SIDE + 1 + 2 * 3);
    assert_memory_equal(e, "\xE2\x80\xA6", 3);
    assert_memory_equal(e + strlen(e) - 3, "\xE2\x80\xA6", 3);
    assert_int_equal(caret, 1 + DIAG_ECHO_SIDE);
    assert_int_equal(*at_column(e, caret), text[1000000 - 1]);

    /* near the start: no left marker, the caret where it was */
    e = echo_of(text, 1, 5, 0, &caret);
    assert_int_equal(caret, 4);
    assert_int_equal(e[0], 'a');
    assert_int_equal(*at_column(e, caret), text[4]);
    assert_memory_equal(e + strlen(e) - 3, "\xE2\x80\xA6", 3);

    /* at the end: no right marker, a full window */
    e = echo_of(text, 1, (int)n, 0, &caret);
    assert_memory_equal(e, "\xE2\x80\xA6", 3);
    assert_int_equal(*at_column(e, caret), text[n - 1]);
    assert_int_equal(strlen(e), 3 + 2 * DIAG_ECHO_SIDE + 1);

    /* multi-byte characters before the column keep the caret aligned */
    for (size_t i = 0; i + 1 < n; i += 2) {
        text[i] = (char)0xC3;
        text[i + 1] = (char)0xA9; /* é */
    }
    text[1000000] = 'X'; /* replaces the lead byte of character 500,001 */
    text[1000001] = 'Y';
    e = echo_of(text, 1, 500002, 0, &caret);
    assert_non_null(e);
    assert_int_equal(*at_column(e, caret), 'Y');
    assert_true(strlen(e) < DIAG_ECHO_MAX);

    /* a line of exactly DIAG_ECHO_WIDTH characters is echoed whole */
    memset(text, 'z', DIAG_ECHO_WIDTH);
    text[DIAG_ECHO_WIDTH] = '\n';
    e = echo_of(text, 1, DIAG_ECHO_WIDTH, 0, &caret);
    assert_int_equal(strlen(e), DIAG_ECHO_WIDTH);
    assert_int_equal(caret, DIAG_ECHO_WIDTH - 1);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_input),
        cmocka_unit_test(test_runtime),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_rewrap_in_place),
        cmocka_unit_test(test_suggest_typos),
        cmocka_unit_test(test_suggest_threshold),
        cmocka_unit_test(test_suggest_ties_and_edges),
        cmocka_unit_test(test_hint),
        cmocka_unit_test(test_break_len),
        cmocka_unit_test(test_echo_line_endings),
        cmocka_unit_test(test_echo_no_such_line),
        cmocka_unit_test(test_echo_columns),
        cmocka_unit_test(test_echo_long_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
