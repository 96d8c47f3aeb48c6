/*
 * diag: the structured error and the "did you mean" suggestions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
