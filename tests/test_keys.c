/*
 * The key table (models/keylist.h) and the kind rows (models/kinds.c):
 * the invariants every reader of them relies on, and the derived views
 * (section lists, required sets in words, item-level keys, pay basis)
 * against what the readers printed before the table existed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "testutil.h"
#include "models.h"

static void test_rows(void **state)
{
    (void)state;
    size_t nkeys = 0;
    for (int s = MS_NONE + 1; s < MS_COUNT; s++) {
        const char *const *names = model_section_keys((model_section)s);
        model_key_id id = model_section_first((model_section)s);
        assert_true(id > MK_NONE && id < MK_COUNT);
        for (size_t i = 0; names[i]; i++, id++) {
            const model_key *k = &model_key_table[id];
            nkeys++;
            /* the name list and the rows walk together */
            assert_string_equal(names[i], k->name);
            assert_int_equal(k->section, s);
            assert_int_equal(model_key_find((model_section)s, k->name), id);
            assert_non_null(k->doc);
            /* a mapping names the section it holds, nothing else does */
            assert_true((k->type == KT_MAP) == (k->sub != MS_NONE));
            /* only a source's plain quantities have a field, read generically */
            if (k->field != MODEL_NO_FIELD) {
                assert_int_equal(k->section, MS_SOURCE);
                assert_int_equal(k->type, KT_DIST);
                assert_true(k->field + sizeof(dist) <= sizeof(src_params));
            }
            /* pay keys are a source's */
            if (k->scope == KS_PAY)
                assert_int_equal(k->section, MS_SOURCE);
        }
    }
    /* 28 source keys, 3 + 1 + 2 + 2 + 3 + 2 in its sub-mappings, 10 + 2 of a bid */
    assert_int_equal(nkeys, 28 + 13 + 12);
    assert_int_equal(model_key_find(MS_SOURCE, "thruput"), MK_NONE);
    assert_null(model_keys("nope"));
    assert_ptr_equal(model_keys("fixed_bid.oversight"), model_section_keys(MS_OVERSIGHT));
    assert_ptr_equal(model_keys("outcomes.observed"), model_section_keys(MS_OUTCOMES));
}

/* The item-level keys src_key_item_level listed by hand before the table. */
static void test_item_level(void **state)
{
    (void)state;
    static const char *const item[] = {
        "item_size", "rework_effort", "review_wait_days", "review_hours_per_item", "tokens.per_item",
        "change_orders.probability_per_item", "change_orders.cost", "defect_cost", NULL};
    static const char *const trial[] = {
        "headcount", "hourly_rate", "tokens.monthly", "tokens.growth_per_month", "outcomes.accepted",
        "oversight.senior_hours_per_week", "price", "delivery_days", "change_orders.count_mean",
        "change_orders", "tokens", "escaped_defects_per_outcome", "nope", "tokens.nope", "", NULL};
    for (size_t i = 0; item[i]; i++)
        assert_true(model_key_item_level(item[i]));
    for (size_t i = 0; trial[i]; i++)
        assert_false(model_key_item_level(trial[i]));
}

static void test_kinds(void **state)
{
    (void)state;
    char buf[256];
    size_t n = 0;
    for (const model_kind *k = model_kinds; k->name; k++, n++) {
        assert_string_equal(model_kind_names()[n], k->name);
        /* a kind can be given every key it requires */
        for (size_t i = 0; i < MODEL_MAX_NEEDS && k->required[i][0][0]; i++)
            for (size_t a = 0; a < MODEL_MAX_ALTS && k->required[i][a][0]; a++)
                for (size_t j = 0; j < MODEL_MAX_ALL && k->required[i][a][j]; j++)
                    assert_true(model_kind_allows(k, k->required[i][a][j]));
        /* its pay basis names a pay key it takes */
        model_key_id basis = k->pay == MODEL_PAY_HOURLY     ? MK_SOURCE_hourly_rate
                             : k->pay == MODEL_PAY_RETAINER ? MK_SOURCE_monthly_fee
                                                            : MK_SOURCE_loaded_annual;
        assert_true(model_kind_allows(k, basis));
    }
    assert_null(model_kind_names()[n]);
    assert_string_equal(model_kind_list(buf, sizeof buf),
                        "in_house, ai_team, offshore_pod, staff_augmentation, consultants");

    /* what calibrate guessed from key lists, now stated */
    assert_int_equal(model_find("in_house")->pay, MODEL_PAY_SALARIED);
    assert_int_equal(model_find("ai_team")->pay, MODEL_PAY_METERED);
    assert_int_equal(model_find("offshore_pod")->pay, MODEL_PAY_HOURLY);
    assert_int_equal(model_find("staff_augmentation")->pay, MODEL_PAY_HOURLY);
    assert_int_equal(model_find("consultants")->pay, MODEL_PAY_RETAINER);

    const model_kind *c = model_find("consultants");
    assert_string_equal(model_need_describe(&c->required[0], 1, buf, sizeof buf),
                        "hourly_rate+headcount|monthly_fee");
    assert_string_equal(model_need_describe(&c->required[0], 0, buf, sizeof buf),
                        "'hourly_rate' and 'headcount', or 'monthly_fee'");
    assert_true(model_kind_allows(c, MK_SOURCE_monthly_fee));
    assert_false(model_kind_allows(c, MK_SOURCE_loaded_annual));
    assert_true(model_kind_allows(c, MK_SOURCE_tokens));
    assert_false(model_kind_requires(c, MK_SOURCE_hourly_rate)); /* only with headcount */
    assert_true(model_kind_requires(model_find("staff_augmentation"), MK_SOURCE_ramp_days));
    assert_false(model_kind_allows(model_find("in_house"), MK_SOURCE_hourly_rate));
}

static int has_ab(const char *key, void *ctx)
{
    (void)ctx;
    return !strcmp(key, "hourly_rate") || !strcmp(key, "throughput");
}

static void test_need_met(void **state)
{
    (void)state;
    const model_kind *c = model_find("consultants");
    /* hourly_rate without headcount meets neither alternative */
    assert_false(model_need_met(&c->required[0], has_ab, NULL));
    assert_true(model_need_met(&c->required[1], has_ab, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_item_level),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_need_met),
    };
    return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
