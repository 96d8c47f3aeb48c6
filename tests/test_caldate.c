/*
 * Tests of caldate: day numbers against known dates (checked with
 * Python's datetime), a day-by-day walk over 1900..2400 that must step
 * through every real date exactly once (leap days of 2000 and 2400 in,
 * of 1900, 2100, 2200, 2300 out), ISO parsing, and fiscal quarters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <string.h>

#include "caldate.h"

static void test_known_days(void **state)
{
    (void)state;
    assert_int_equal(cal_days(1970, 1, 1), 0);
    assert_int_equal(cal_days(2026, 1, 5), 20458);
    assert_int_equal(cal_days(2000, 3, 1), 11017);
    assert_int_equal(cal_days(1900, 1, 1), -25567);
    char buf[16];
    /* delivery P50 of day 216 from 2026-01-05 */
    assert_string_equal(cal_format(cal_days(2026, 1, 5) + 216, buf, sizeof buf), "2026-08-09");
    /* a leap year's 366 days from 2024-02-28 end on 2025-02-28 */
    assert_string_equal(cal_format(cal_days(2024, 2, 28) + 366, buf, sizeof buf), "2025-02-28");
    assert_string_equal(cal_format(cal_days(2024, 2, 28) + 1, buf, sizeof buf), "2024-02-29");
    assert_string_equal(cal_format(cal_days(2100, 2, 28) + 1, buf, sizeof buf), "2100-03-01");
    assert_string_equal(cal_format(cal_days(2000, 2, 28) + 1, buf, sizeof buf), "2000-02-29");
}

static void test_walk(void **state)
{
    (void)state;
    long n = cal_days(1900, 1, 1), leap_days = 0;
    for (long y = 1900; y <= 2400; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= cal_month_days(y, m); d++, n++) {
                long yy;
                int mm, dd;
                if (cal_days(y, m, d) != n)
                    fail_msg("cal_days(%ld-%02d-%02d) = %ld, want %ld", y, m, d, cal_days(y, m, d), n);
                cal_civil(n, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("cal_civil(%ld) = %ld-%02d-%02d, want %ld-%02d-%02d", n, yy, mm, dd, y, m, d);
                leap_days += m == 2 && d == 29;
            }
    /* 501 years: 125 multiples of 4, less 2100/2200/2300 and 1900, plus 2000 and 2400 kept */
    assert_int_equal(leap_days, 122);
    assert_int_equal(n - cal_days(1900, 1, 1), 501L * 365 + 122);
}

static void test_parse(void **state)
{
    (void)state;
    long d;
    int m, dd;
    assert_int_equal(cal_parse("2026-01-05", &d), 0);
    assert_int_equal(d, 20458);
    assert_int_equal(cal_parse("2024-02-29", &d), 0);
    assert_int_equal(cal_parse("2000-02-29", &d), 0);
    assert_int_equal(cal_parse("2100-02-29", &d), -1);
    assert_int_equal(cal_parse("2026-02-29", &d), -1);
    assert_int_equal(cal_parse("2026-13-01", &d), -1);
    assert_int_equal(cal_parse("2026-04-31", &d), -1);
    assert_int_equal(cal_parse("2026-1-05", &d), -1);
    assert_int_equal(cal_parse("26-01-05", &d), -1);
    assert_int_equal(cal_parse("2026-01-05T00:00", &d), -1);
    assert_int_equal(cal_parse("1899-12-31", &d), -1);
    assert_int_equal(cal_parse_mmdd("07-01", &m, &dd), 0);
    assert_int_equal(m * 100 + dd, 701);
    assert_int_equal(cal_parse_mmdd("04-06", &m, &dd), 0);
    assert_int_equal(cal_parse_mmdd("02-29", &m, &dd), -1);
    assert_int_equal(cal_parse_mmdd("00-10", &m, &dd), -1);
    assert_int_equal(cal_parse_mmdd("7-01", &m, &dd), -1);
}

static void fq(long y, int m, int d, int fm, int fd, long want_fy, int want_q)
{
    long fy;
    int q;
    cal_fiscal_quarter(cal_days(y, m, d), fm, fd, &fy, &q);
    if (fy != want_fy || q != want_q)
        fail_msg("%ld-%02d-%02d with a year from %02d-%02d: FY%ld Q%d, want FY%ld Q%d", y, m, d, fm, fd,
                 fy, q, want_fy, want_q);
}

static void test_fiscal(void **state)
{
    (void)state;
    /* calendar year */
    fq(2026, 1, 1, 1, 1, 2026, 1);
    fq(2026, 3, 31, 1, 1, 2026, 1);
    fq(2026, 4, 1, 1, 1, 2026, 2);
    fq(2026, 12, 31, 1, 1, 2026, 4);
    /* July to June, named by the year it ends */
    fq(2026, 6, 30, 7, 1, 2026, 4);
    fq(2026, 7, 1, 7, 1, 2027, 1);
    fq(2026, 10, 1, 7, 1, 2027, 2);
    fq(2027, 1, 1, 7, 1, 2027, 3);
    fq(2027, 4, 1, 7, 1, 2027, 4);
    /* UK tax year, from 6 April: Q1 ends 5 July */
    fq(2026, 4, 5, 4, 6, 2026, 4);
    fq(2026, 4, 6, 4, 6, 2027, 1);
    fq(2026, 7, 5, 4, 6, 2027, 1);
    fq(2026, 7, 6, 4, 6, 2027, 2);
    fq(2027, 4, 5, 4, 6, 2027, 4);
    /* across a leap day */
    fq(2024, 2, 29, 10, 1, 2024, 2);
    fq(2024, 3, 31, 10, 1, 2024, 2);
    fq(2024, 4, 1, 10, 1, 2024, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_days),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_fiscal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
