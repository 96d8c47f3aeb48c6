/*
 * Tests of the sim/base utilities moved onto well-kept libraries or
 * merged into one (issue 15): the JSON reader over jansson (positions of
 * its errors, what it refuses).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jsonread.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonread_position),
        cmocka_unit_test(test_jsonread_refuses),
        cmocka_unit_test(test_jsonread_values),
        cmocka_unit_test(test_jsonread_depth),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
