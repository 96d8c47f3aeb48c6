/*
 * The loader's API beyond scn_load: the questions of `sweep:` and
 * `breakeven:` kept typed in the scenario (the sweep commands read them
 * there, not from the tree again), and scn_load_tree, which hands back the
 * one parsed document with the scenario.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "testutil.h"
#include "scenario.h"
#include "scnload.h"
#include "yamltree.h"

static void test_questions(void **state)
{
    (void)state;
    scn_scenario *s = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(scn_load("scenarios/token-breakeven.yaml", &s, &d), 0);
    assert_true(s->breakeven.present);
    assert_string_equal(s->breakeven.x, "ai-team/team.tokens.monthly=10000:120000:23");
    assert_string_equal(s->breakeven.y, "ai-team/team.throughput_per_month=2:12");
    assert_string_equal(s->breakeven.metric, "cost_per_outcome.p50");
    assert_string_equal(s->breakeven.between[0], "ai-team");
    assert_string_equal(s->breakeven.between[1], "offshore");
    assert_null(s->breakeven.set);
    assert_true(s->sweep.present);
    assert_string_equal(s->sweep.set, "ai-team/team.tokens.monthly=10000:120000:12");
    assert_string_equal(s->sweep.metric, "cost_per_outcome.p50");
    assert_null(s->sweep.x);
    scn_free(s);

    /* no sections: nothing asked */
    assert_int_equal(scn_load("scenarios/offshore-vs-ai.yaml", &s, &d), 0);
    assert_false(s->sweep.present);
    assert_false(s->breakeven.present);
    assert_null(s->sweep.set);
    assert_null(s->sweep.metric);
    assert_null(s->breakeven.between[0]);
    scn_free(s);
}

static void test_load_tree(void **state)
{
    (void)state;
    scn_scenario *s = NULL, *a = NULL;
    yt_doc *doc = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(scn_load_tree("scenarios/token-breakeven.yaml", &s, &doc, &d), 0);
    assert_non_null(doc);
    /* the tree is the file's: the same scenario loads from it */
    assert_non_null(yt_get(yt_get(doc->root, "breakeven", NULL), "x", NULL));
    assert_int_equal(scn_load_doc(doc, s->sha256, &a, &d), 0);
    assert_string_equal(a->name, s->name);
    assert_int_equal(a->nalts, s->nalts);
    scn_free(a);
    scn_free(s);
    yt_free(doc);

    /* a bad file: no scenario, no tree, the loader's message */
    doc = (yt_doc *)&d; /* must be reset */
    assert_int_equal(scn_load_tree("tests/bad/breakeven-y-list.yaml", &s, &doc, &d), -1);
    assert_null(s);
    assert_null(doc);
    assert_int_equal(d.kind, DIAG_INPUT);
    assert_true(d.line > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_questions),
        cmocka_unit_test(test_load_tree),
    };
    return cmocka_run_group_tests_name("scnload", tests, NULL, NULL);
}
