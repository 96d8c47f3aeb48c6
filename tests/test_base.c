/*
 * Tests of the sim/base utilities moved onto well-kept libraries or
 * merged into one (issue 15): the JSON reader over jansson (positions of
 * its errors, what it refuses) and the one number and money formatter
 * (the exact strings report.md, comparison.csv and sentences carry), and
 * the one spelling of a warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jsonread.h"
#include "numfmt.h"
#include "warn.h"

/* ------------------------------------------------------------- jsonread */

static jr_value *parse(const char *s, diag *d)
{
    diag_clear(d);
    return jr_parse("t.json", s, strlen(s), d);
}

/* A syntax error names the file, the 1-based line and the column of the
 * offending token (jansson points at its last character). */
static void test_jsonread_position(void **state)
{
    (void)state;
    diag d;
    assert_null(parse("{\n  \"a\": 1,\n  \"b\" 2\n}\n", &d));
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_string_equal(d.file, "t.json");
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 7);
    assert_non_null(strstr(d.msg, "not valid JSON: "));
    assert_non_null(strstr(d.msg, "':' expected"));
}

/* What a tampered file may hold and the callers must never see. */
static void test_jsonread_refuses(void **state)
{
    (void)state;
    const char *bad[] = {"{\"x\": 1, \"x\": 2}", "[\"a\\u0000b\"]", "[\"\xff\"]", "[1e400]", "[NaN]",
                         "{\"a\": 1} {}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        diag d;
        jr_value *v = parse(bad[i], &d);
        if (v) {
            print_error("accepted: %s\n", bad[i]);
            jr_free(v);
            fail();
        }
        assert_int_equal(d.kind, DIAG_INPUT);
        assert_int_equal(d.line, 1);
        assert_true(d.col > 0);
    }
}

/* Numbers come back as doubles whatever their spelling, members in file
 * order, and a top-level scalar is a document too. */
static void test_jsonread_values(void **state)
{
    (void)state;
    diag d;
    jr_value *v = parse("{\"z\": 9007199254740993, \"a\": -0.5e-3, \"m\": \"caf\\u00e9\"}", &d);
    assert_non_null(v);
    assert_int_equal(v->n, 3);
    assert_string_equal(v->keys[0], "z");
    assert_string_equal(v->keys[2], "m");
    assert_int_equal(v->items[0].kind, JR_NUM);
    assert_true(v->items[0].num == 9007199254740992.0); /* the nearest double */
    assert_true(v->items[1].num == -0.5e-3);
    assert_string_equal(jr_get(v, "m")->str, "caf\xc3\xa9");
    jr_free(v);
    v = parse(" \"solo\" ", &d);
    assert_non_null(v);
    assert_int_equal(v->kind, JR_STR);
    jr_free(v);
}

/* Nesting is bounded by the copy, not only by jansson's own limit. */
static void test_jsonread_depth(void **state)
{
    (void)state;
    char deep[2 * 70 + 1];
    memset(deep, '[', 70);
    memset(deep + 70, ']', 70);
    deep[140] = '\0';
    diag d;
    assert_null(parse(deep, &d));
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_non_null(strstr(d.msg, "nesting"));
    /* 64 levels (the document and 63 inside it) are accepted */
    memset(deep, '[', 64);
    memset(deep + 64, ']', 64);
    deep[128] = '\0';
    jr_value *v = parse(deep, &d);
    assert_non_null(v);
    jr_free(v);
}

/* ---------------------------------------------------------------- numfmt */

static void test_fmt_grouped(void **state)
{
    (void)state;
    static const struct {
        double v;
        int dec;
        const char *want;
    } c[] = {
        {0, 0, "0"},           {-0.0, 2, "0.00"},      {-0.004, 2, "0.00"},  {-0.4, 0, "0"},
        {999, 0, "999"},       {1000, 0, "1,000"},     {-1234567.891, 2, "-1,234,567.89"},
        {999999.5, 0, "1,000,000"}, {12.5, 1, "12.5"}, {123456, 0, "123,456"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        assert_string_equal(fmt_grouped(buf, sizeof buf, c[i].v, c[i].dec), c[i].want);
    assert_string_equal(fmt_grouped(buf, sizeof buf, NAN, 0), "-");
    assert_string_equal(fmt_grouped(buf, sizeof buf, INFINITY, 0), "inf");
    assert_string_equal(fmt_grouped(buf, sizeof buf, -INFINITY, 0), "-inf");
    /* cut, never overflowed: the guard byte past n stays */
    memset(buf, 'x', sizeof buf);
    fmt_grouped(buf, 6, 1234567, 0);
    assert_string_equal(buf, "1,234");
    assert_int_equal(buf[6], 'x');
}

static void test_fmt_money(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *cur, *want;
    } c[] = {
        {950, "USD", "$950"},           {999.4, "USD", "$999"},      {999.5, "USD", "$1.0k"},
        {15600, "EUR", "\u20ac15.6k"},  {99949, "GBP", "\u00a399.9k"}, {99950, "USD", "$100k"},
        {999700, "USD", "$1.00M"},      {-1060000, "USD", "-$1.06M"}, {950, "CHF", "CHF 950"},
        {NAN, "USD", "$n/a"},           {-INFINITY, "CHF", "-CHF infinity"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        assert_string_equal(fmt_money(buf, sizeof buf, c[i].v, c[i].cur), c[i].want);
    assert_null(fmt_currency_symbol("usd")); /* the loader admits upper-case codes only */
    assert_string_equal(fmt_currency_symbol("GBP"), "\u00a3");
}

/* ------------------------------------------------------------------ warn */

static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    fn(fp, arg);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

static void print_list(FILE *fp, const void *w) { warn_print(fp, w); }
static void emit_one(FILE *fp, const void *msg) { warn_emit(fp, "source '%s': thin", (const char *)msg); }

static void test_warn(void **state)
{
    (void)state;
    warn_list w = {.n = 0};
    for (int i = 0; i < WARN_MAX + 2; i++)
        warn_add(&w, "w%d", i);
    assert_int_equal(w.n, WARN_MAX); /* the rest dropped, nothing overflowed */
    char *out = capture(print_list, &w);
    assert_string_equal(out, "warning: w0\nwarning: w1\nwarning: w2\nwarning: w3\n");
    free(out);
    out = capture(emit_one, "a");
    assert_string_equal(out, "capmix: warning: source 'a': thin\n");
    free(out);
    warn_emit(NULL, "nothing"); /* no stream: no output, no crash */
    char big[WARN_LEN * 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    warn_list one = {.n = 0};
    warn_add(&one, "%s", big);
    assert_int_equal(strlen(one.msg[0]), WARN_LEN - 1); /* cut */
    char cell[32];
    assert_string_equal(warn_text(cell, sizeof cell, "p90 below p50"), "warning: p90 below p50");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonread_position),
        cmocka_unit_test(test_jsonread_refuses),
        cmocka_unit_test(test_jsonread_values),
        cmocka_unit_test(test_jsonread_depth),
        cmocka_unit_test(test_fmt_grouped),
        cmocka_unit_test(test_fmt_money),
        cmocka_unit_test(test_warn),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
