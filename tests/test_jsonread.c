/*
 * The JSON reader: what summary.json needs, and malformed input refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "testutil.h"
#include "jsonread.h"

static jr_value *parse(const char *s)
{
    diag d;
    diag_clear(&d);
    return jr_parse("t.json", s, strlen(s), &d);
}

static void test_values(void **state)
{
    (void)state;
    jr_value *v = parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\\\"y\\u00e9\\n\"},"
                        " \"e\": {}, \"f\": []} ");
    assert_non_null(v);
    const jr_value *a = jr_get(v, "a");
    assert_int_equal(a->kind, JR_ARR);
    assert_int_equal(a->n, 5);
    assert_near(a->items[1].num, -2500, 0);
    assert_int_equal(a->items[2].kind, JR_BOOL);
    assert_near(a->items[2].num, 1, 0);
    assert_int_equal(a->items[4].kind, JR_NULL);
    const jr_value *c = jr_get(jr_get(v, "b"), "c");
    assert_string_equal(c->str, "x\"y\xc3\xa9\n");
    assert_int_equal(jr_get(v, "e")->n, 0);
    assert_int_equal(jr_get(v, "f")->kind, JR_ARR);
    assert_null(jr_get(v, "zz"));
    jr_free(v);
}

static void test_rejects(void **state)
{
    (void)state;
    const char *bad[] = {"", "{", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "\"abc", "tru", "1 2",
                         "{\"a\": \"\\q\"}", "[\"\x01\"]", "{1: 2}", "[1e999]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        diag d;
        diag_clear(&d);
        jr_value *v = jr_parse("t.json", bad[i], strlen(bad[i]), &d);
        if (v) {
            print_error("accepted: %s\n", bad[i]);
            jr_free(v);
            fail();
        }
        assert_int_equal(d.kind, DIAG_INPUT);
    }
    /* nesting is bounded */
    char deep[300];
    memset(deep, '[', 200);
    deep[200] = '\0';
    assert_null(parse(deep));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_values), cmocka_unit_test(test_rejects)};
    return cmocka_run_group_tests_name("jsonread", tests, NULL, NULL);
}
