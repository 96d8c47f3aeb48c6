/*
 * calibrate: the RFC 4180 reader, the ticket and invoice schemas with
 * their line:col errors, and the estimators, checked against synthetic
 * histories drawn from known parameters (tolerances from the estimators'
 * standard errors, coverage of their intervals over many histories).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "calibrate.h"
#include "cli.h"
#include "csv.h"
#include "engine.h"
#include "scenario.h"
#include "scnload.h"

/* ------------------------------------------------------------ helpers */

static csv_table *parse_ok(const char *text)
{
    csv_table *t = NULL;
    diag d;
    diag_clear(&d);
    if (csv_load_buffer("t.csv", text, strlen(text), &t, &d)) {
        print_error("csv_load_buffer failed: %d:%d: %s\n", d.line, d.col, d.msg);
        fail();
    }
    return t;
}

/* Parse must fail at line:col with `msg` in the message. */
static void parse_fails(const char *text, size_t len, int line, int col, const char *msg)
{
    csv_table *t = NULL;
    diag d;
    diag_clear(&d);
    assert_int_equal(csv_load_buffer("t.csv", text, len, &t, &d), -1);
    assert_null(t);
    assert_int_equal(d.kind, DIAG_INPUT);
    if (d.line != line || d.col != col || !strstr(d.msg, msg)) {
        print_error("got %d:%d: %s\nwant %d:%d: ...%s...\n", d.line, d.col, d.msg, line, col, msg);
        fail();
    }
}

/* Calibrate tickets and/or invoices given as text. */
static int calib_effort(const char *tickets, const char *invoices, int skip, double effort,
                        cal_result **r, diag *d)
{
    csv_table *t = NULL, *i = NULL;
    cal_opts o = {skip, effort};
    int rc = -1;
    diag_clear(d);
    *r = NULL;
    if ((tickets && csv_load_buffer("tickets.csv", tickets, strlen(tickets), &t, d)) ||
        (invoices && csv_load_buffer("invoices.csv", invoices, strlen(invoices), &i, d)))
        goto done;
    rc = cal_estimate(t, i, &o, r, d);
done:
    csv_free(t);
    csv_free(i);
    return rc;
}

static int calib(const char *tickets, const char *invoices, int skip, cal_result **r, diag *d)
{
    return calib_effort(tickets, invoices, skip, 0.5, r, d);
}

/* One malformed input and the one error it must give. */
typedef struct bad_case {
    const char *tickets, *invoices;
    const char *file;
    int line, col;
    const char *msg; /* the whole message */
} bad_case;

static void check_bad(const bad_case *c)
{
    cal_result *r;
    diag d;
    if (calib(c->tickets, c->invoices, 0, &r, &d) != -1) {
        print_error("accepted: %s%s\n", c->tickets ? c->tickets : "", c->invoices ? c->invoices : "");
        fail();
    }
    assert_null(r);
    assert_int_equal(d.kind, DIAG_INPUT);
    if (strcmp(d.file, c->file) || d.line != c->line || d.col != c->col || strcmp(d.msg, c->msg)) {
        print_error("got  %s:%d:%d: %s\nwant %s:%d:%d: %s\n", d.file, d.line, d.col, d.msg, c->file,
                    c->line, c->col, c->msg);
        fail();
    }
}

/* ------------------------------------------------------------ the reader */

static void test_csv_rfc4180(void **state)
{
    (void)state;
    /* BOM, CRLF, quoted separators, "" escapes, a line break inside quotes,
     * an empty line, a trailing empty field, a lone CR, UTF-8 columns */
    static const char text[] = "\xef\xbb\xbf" "a,b,c\r\n"
                               "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
                               "\r\n"
                               "2,\"two\r\nlines\",\r\n"
                               "\xc3\xa9t\xc3\xa9,5\" screen,z\r"
                               "4,,\"\"";
    csv_table *t = parse_ok(text);
    assert_int_equal(t->header.n, 3);
    assert_string_equal(t->header.cells[0].s, "a"); /* the BOM is not part of the name */
    assert_int_equal(t->header.cells[0].col, 1);
    assert_int_equal(t->nrows, 4);

    const csv_row *r = &t->rows[0];
    assert_int_equal(r->line, 2);
    assert_int_equal(r->n, 3);
    assert_string_equal(r->cells[1].s, "x, y");
    assert_int_equal(r->cells[1].col, 3);
    assert_int_equal(r->cells[1].quoted, 1);
    assert_string_equal(r->cells[2].s, "say \"hi\"");
    assert_int_equal(r->cells[2].col, 10);

    r = &t->rows[1]; /* after the empty line */
    assert_int_equal(r->line, 4);
    assert_string_equal(r->cells[1].s, "two\r\nlines");
    assert_int_equal(r->cells[2].len, 0);
    assert_int_equal(r->cells[2].line, 5);  /* the field after the break */
    assert_int_equal(r->cells[2].col, 8);

    r = &t->rows[2];
    assert_int_equal(r->line, 6);
    assert_string_equal(r->cells[0].s, "\xc3\xa9t\xc3\xa9");
    assert_string_equal(r->cells[1].s, "5\" screen"); /* a stray quote is data */
    assert_int_equal(r->cells[1].col, 5);           /* characters, not bytes */
    assert_int_equal(csv_col_at(&r->cells[1], 3), 8);

    r = &t->rows[3]; /* a lone CR ended the last record */
    assert_int_equal(r->line, 7);
    assert_int_equal(r->n, 3);
    assert_string_equal(r->cells[2].s, "");
    assert_int_equal(r->cells[2].quoted, 1);
    csv_free(t);

    /* a final line without a break, and a trailing comma's empty field */
    t = parse_ok("a,b\n1,");
    assert_int_equal(t->nrows, 1);
    assert_int_equal(t->rows[0].n, 2);
    csv_free(t);

    /* nothing at all */
    t = parse_ok("");
    assert_int_equal(t->header.n, 0);
    assert_int_equal(t->nrows, 0);
    csv_free(t);
    csv_free(NULL);
}

static void test_csv_errors(void **state)
{
    char big[CSV_MAX_LINE_BYTES + 16];
    char many[4 * CSV_MAX_FIELDS + 16];

    (void)state;
    parse_fails("a,b\n1,\"open\n2,3\n", 16, 2, 3, "unterminated quoted field");
    parse_fails("a,b\n1,\"x\"y\n", 11, 2, 6, "unexpected 'y' after the closing quote");
    parse_fails("a,b\n1,x\0y\n", 10, 2, 4, "NUL byte");
    parse_fails("\xff\xfe" "a\0,\0", 6, 1, 1, "UTF-16");

    memset(big, 'x', sizeof big);
    memcpy(big, "a\n", 2);
    parse_fails(big, sizeof big, 2, CSV_MAX_LINE_BYTES + 1, "line longer than");

    size_t o = 0;
    for (int i = 0; i <= CSV_MAX_FIELDS; i++)
        o += (size_t)snprintf(many + o, sizeof many - o, "%s1", i ? "," : "");
    parse_fails(many, o, 1, 2 * CSV_MAX_FIELDS + 1, "more than 256 fields");
}

static void test_csv_columns(void **state)
{
    static const char *const names[] = {"id", "source", "outcome", "review_hours", NULL};
    int idx[4];
    diag d;

    (void)state;
    csv_table *t = parse_ok(" Outcome ,title,ID,source\nx,y,z,w\n");
    assert_int_equal(csv_columns(t, names, 3, idx, &d), 0);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 3);
    assert_int_equal(idx[2], 0);
    assert_int_equal(idx[3], -1); /* optional and absent; 'title' is ignored */
    csv_free(t);

    t = parse_ok("id,source,outcom\n");
    assert_int_equal(csv_columns(t, names, 3, idx, &d), -1);
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 11);
    assert_string_equal(d.msg, "unknown column 'outcom' (did you mean 'outcome'?)");
    csv_free(t);

    /* a typo of an optional column is an error too, not silently ignored */
    t = parse_ok("id,source,outcome,review_hour\n");
    assert_int_equal(csv_columns(t, names, 3, idx, &d), -1);
    assert_string_equal(d.msg, "unknown column 'review_hour' (did you mean 'review_hours'?)");
    csv_free(t);

    t = parse_ok("id,source,title\n");
    assert_int_equal(csv_columns(t, names, 3, idx, &d), -1);
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 1);
    assert_string_equal(d.msg, "missing column 'outcome' (the header has 'id', 'source', 'title')");
    csv_free(t);

    t = parse_ok("id,source,outcome,ID\n");
    assert_int_equal(csv_columns(t, names, 3, idx, &d), -1);
    assert_int_equal(d.col, 19);
    assert_string_equal(d.msg, "column 'id' appears twice (also column 1)");
    csv_free(t);

    t = parse_ok("\n\n");
    assert_int_equal(csv_columns(t, names, 3, idx, &d), -1);
    assert_int_equal(d.line, 0);
    assert_true(strstr(d.msg, "empty file") != NULL);
    csv_free(t);

    char q[64];
    assert_string_equal(csv_quote(q, sizeof q, "a\tb\nc"), "a?b?c");
    assert_string_equal(csv_quote(q, sizeof q, "0123456789012345678901234567890123456789XYZ"),
                        "0123456789012345678901234567890123456789...");
}

/* ------------------------------------------------------------ dates */

static void test_parse_time(void **state)
{
    long long s;
    size_t at;
    char why[160];
    const long long jan5 = 20458LL * 86400; /* 2026-01-05T00:00:00Z */

    (void)state;
    assert_int_equal(cal_parse_time("2026-01-05", 0, &s, &at, why, sizeof why), 0);
    assert_true(s == jan5);
    assert_int_equal(cal_parse_time("2026-01-05", 1, &s, &at, why, sizeof why), 0);
    assert_true(s == jan5 + 86400); /* a finish date is the end of its day */
    assert_int_equal(cal_parse_time("2026-01-05T13:04Z", 1, &s, &at, why, sizeof why), 0);
    assert_true(s == jan5 + 13 * 3600 + 4 * 60);
    assert_int_equal(cal_parse_time("2026-01-05 13:04:07.250", 0, &s, &at, why, sizeof why), 0);
    assert_true(s == jan5 + 13 * 3600 + 4 * 60 + 7);
    assert_int_equal(cal_parse_time("2026-01-05T13:04:07+02:00", 0, &s, &at, why, sizeof why), 0);
    assert_true(s == jan5 + 11 * 3600 + 4 * 60 + 7);
    assert_int_equal(cal_parse_time("2026-01-05T01:00-0130", 0, &s, &at, why, sizeof why), 0);
    assert_true(s == jan5 + 2 * 3600 + 30 * 60);
    assert_int_equal(cal_parse_time("2024-02-29", 0, &s, &at, why, sizeof why), 0);
    assert_int_equal(cal_parse_time("1969-12-31", 0, &s, &at, why, sizeof why), 0);
    assert_true(s == -86400);

    static const struct {
        const char *s;
        size_t at;
        const char *why;
    } bad[] = {
        {"2026/01/05", 0, "expected ISO 8601"},
        {"05-01-2026", 0, "expected ISO 8601"},
        {"2026-13-05", 5, "month 13 is not 01 to 12"},
        {"2026-02-29", 8, "February 2026 has no day 29"},
        {"2026-04-31", 8, "April 2026 has no day 31"},
        {"2026-01-05X", 10, "unexpected 'X' after the date"},
        {"2026-01-05T", 11, "expected HH:MM"},
        {"2026-01-05T25:00", 11, "hour 25 is not 00 to 23"},
        {"2026-01-05T10:60", 14, "minute 60 is not 00 to 59"},
        {"2026-01-05T10:00:61", 17, "second 61 is not 00 to 59"},
        {"2026-01-05T10:00+1", 16, "expected a zone"},
        {"2026-01-05T10:00Zx", 17, "unexpected 'x' after the time"},
        {"0000-01-05", 0, "year 0"},
        {"", 0, "expected ISO 8601"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        at = 99;
        why[0] = '\0';
        if (cal_parse_time(bad[i].s, 0, &s, &at, why, sizeof why) != -1 || at != bad[i].at ||
            !strstr(why, bad[i].why)) {
            print_error("'%s': at %zu why '%s'; want at %zu '%s'\n", bad[i].s, at, why, bad[i].at,
                        bad[i].why);
            fail();
        }
    }

    int m;
    assert_int_equal(cal_parse_month("2026-03", &m, &at, why, sizeof why), 0);
    assert_int_equal(m, 12 * 2026 + 2);
    assert_int_equal(cal_parse_month("2026-3", &m, &at, why, sizeof why), -1);
    assert_int_equal(cal_parse_month("2026-03-01", &m, &at, why, sizeof why), -1);
    assert_int_equal(at, 7);
    assert_string_equal(why, "a date, not a month: write YYYY-MM");
    assert_int_equal(cal_parse_month("2026-00", &m, &at, why, sizeof why), -1);
    assert_int_equal(at, 5);

    char b[16];
    assert_string_equal(cal_format_day(jan5, 0, b, sizeof b), "2026-01-05");
    assert_string_equal(cal_format_day(jan5 + 86400, 1, b, sizeof b), "2026-01-05");
    assert_string_equal(cal_format_day(jan5 + 86400, 0, b, sizeof b), "2026-01-06");
    assert_string_equal(cal_format_day(-1, 0, b, sizeof b), "1969-12-31");
}

/* ---------------------------------------------------- malformed inputs */

#define TH "id,source,started,finished,outcome,review_hours,reviewed\n"
#define OK2 "T0,pod,2026-01-02,2026-01-03,accepted,,\n"

static void test_ticket_errors(void **state)
{
    static const bad_case cases[] = {
        {TH "T1,pod,2026-13-05,2026-01-09,accepted,,\n", NULL, "tickets.csv", 2, 13,
         "bad date '2026-13-05' in 'started': month 13 is not 01 to 12"},
        {TH OK2 "T1,pod,2026-01-09,2026-01-05,accepted,,\n", NULL, "tickets.csv", 3, 19,
         "'finished' (2026-01-05) is before 'started' (2026-01-09)"},
        {TH "T1,pod,2026-01-05,2026-01-09,acepted,,\n", NULL, "tickets.csv", 2, 30,
         "unknown outcome 'acepted' (did you mean 'accepted'?)"},
        {TH "T1,pod,2026-01-05,2026-01-09,done,,\n", NULL, "tickets.csv", 2, 30,
         "unknown outcome 'done' (accepted, rework or superseded)"},
        {TH "T1,pod,2026-01-05,2026-01-09,,,\n", NULL, "tickets.csv", 2, 30,
         "'outcome' is empty (accepted, rework or superseded)"},
        {TH "T1,pod,2026-01-05,2026-01-09,accepted\n", NULL, "tickets.csv", 2, 30,
         "row has 5 fields, the header has 7"},
        {TH "T1,pod,2026-01-05,2026-01-09,accepted,,,x\n", NULL, "tickets.csv", 2, 41,
         "row has 8 fields, the header has 7"},
        {TH "T1,pod,2026-01-05,2026-01-09,accepted,-2,\n", NULL, "tickets.csv", 2, 39,
         "'review_hours' must be a number of hours >= 0, not '-2'"},
        {TH "T1,pod,2026-01-05,2026-01-09,accepted,2h,\n", NULL, "tickets.csv", 2, 39,
         "'review_hours' must be a number of hours >= 0, not '2h'"},
        {TH "T1,pod a,2026-01-05,2026-01-09,accepted,,\n", NULL, "tickets.csv", 2, 7,
         "'source' must start with a letter or digit and use only letters, digits, '-' and '_' "
         "(found ' ' in 'pod a')"},
        {TH ",pod,2026-01-05,2026-01-09,accepted,,\n", NULL, "tickets.csv", 2, 1, "'id' is empty"},
        {TH "T1,pod,,2026-01-09,accepted,,\n", NULL, "tickets.csv", 2, 8, "'started' is empty"},
        {TH "T1,pod,2026-01-05T25:00,2026-01-09,accepted,,\n", NULL, "tickets.csv", 2, 19,
         "bad date '2026-01-05T25:00' in 'started': hour 25 is not 00 to 23"},
        {TH "T1,pod,\"2026-02-30\",2026-03-01,accepted,,\n", NULL, "tickets.csv", 2, 17,
         "bad date '2026-02-30' in 'started': February 2026 has no day 30"},
        {TH "T1,pod,  2026-01-05,2026-01-0x,accepted,,\n", NULL, "tickets.csv", 2, 21,
         "bad date '2026-01-0x' in 'finished': expected ISO 8601: YYYY-MM-DD, optionally with "
         "THH:MM[:SS] and Z or +HH:MM"},
        {TH "T1,pod,2026-01-05,2026-01-09,accepted,,2026-01-08\n", NULL, "tickets.csv", 2, 40,
         "'reviewed' is before 'finished'"},
        /* a ticket's passes: only rework is followed by another pass */
        {TH "T1,pod,2026-01-05,2026-01-09,accepted,,\nT1,pod,2026-01-10,2026-01-12,accepted,,\n",
         NULL, "tickets.csv", 3, 1,
         "duplicate id 'T1': its pass on line 2 was already accepted; only a rework verdict is "
         "followed by another pass of the same ticket"},
        {TH "T1,pod,2026-01-05,2026-01-09,rework,,\nT1,team,2026-01-10,2026-01-12,accepted,,\n",
         NULL, "tickets.csv", 3, 1,
         "ticket 'T1' moves from source 'pod' (line 2) to 'team'; rework returns to the source "
         "that did the pass"},
        /* the first bad row in file order wins, whichever check finds it:
         * line 3 started after line 4, so it is the second pass */
        {TH OK2 "T9,pod,2026-01-10,2026-01-11,accepted,,\nT9,pod,2026-01-05,2026-01-06,accepted,,\n"
            "T8,pod,2026-01-05,2026-01-06,maybe,,\n",
         NULL, "tickets.csv", 3, 1,
         "duplicate id 'T9': its pass on line 4 was already accepted; only a rework verdict is "
         "followed by another pass of the same ticket"},
        /* a line break inside quotes moves the lines that follow */
        {"id,source,title,started,finished,outcome\n"
         "T1,pod,\"two\nlines\",2026-01-05,2026-01-06,accepted\n"
         "T2,pod,x,2026-01-05,2026-01-04,accepted\n",
         NULL, "tickets.csv", 4, 21, "'finished' (2026-01-04) is before 'started' (2026-01-05)"},
        /* CRLF: the same columns */
        {"id,source,started,finished,outcome\r\nT1,pod,2026-01-05,2026-01-09,acepted\r\n", NULL,
         "tickets.csv", 2, 30, "unknown outcome 'acepted' (did you mean 'accepted'?)"},
        {"id,source,started,finished\nT1,pod,2026-01-05,2026-01-09\n", NULL, "tickets.csv", 1, 1,
         "missing column 'outcome' (the header has 'id', 'source', 'started', 'finished')"},
        {"id,source,started,finished,outcom\n", NULL, "tickets.csv", 1, 28,
         "unknown column 'outcom' (did you mean 'outcome'?)"},
        {"", NULL, "tickets.csv", 0, 0, "empty file (expected a header row naming the columns)"},
        {TH, NULL, "tickets.csv", 0, 0, "no data rows below the header"},
        {"id,source,started,finished,outcome\nT1,pod,\"2026-01-05,2026-01-09,accepted\n", NULL,
         "tickets.csv", 2, 8, "unterminated quoted field (the quote opened here is never closed)"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_bad(&cases[i]);
}

#define IH "month,source,amount\n"

static void test_invoice_errors(void **state)
{
    static const bad_case cases[] = {
        {NULL, IH "2026-1,pod,100\n", "invoices.csv", 2, 1,
         "bad month '2026-1' in 'month': expected YYYY-MM"},
        {NULL, IH "2026-13,pod,100\n", "invoices.csv", 2, 6,
         "bad month '2026-13' in 'month': month 13 is not 01 to 12"},
        {NULL, IH "2026-01-15,pod,100\n", "invoices.csv", 2, 8,
         "bad month '2026-01-15' in 'month': a date, not a month: write YYYY-MM"},
        {NULL, IH "2026-01,pod,\"$81,600\"\n", "invoices.csv", 2, 13,
         "'amount' must be a plain number such as 81600.50, not '$81,600'"},
        {NULL, IH "2026-01,pod,-5\n", "invoices.csv", 2, 13,
         "'amount' must not be negative (-5): net credit notes into their month"},
        {NULL, IH "2026-01,pod,nan\n", "invoices.csv", 2, 13,
         "'amount' must be a plain number such as 81600.50, not 'nan'"},
        {NULL, IH "2026-01,pod,\n", "invoices.csv", 2, 13, "'amount' is empty"},
        {NULL, "month,source,amout\n2026-01,pod,5\n", "invoices.csv", 1, 14,
         "unknown column 'amout' (did you mean 'amount'?)"},
        /* tickets are checked first; invoices' errors name their own file */
        {TH OK2, IH "2026-01,pod,5,6\n", "invoices.csv", 2, 15, "row has 4 fields, the header has 3"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_bad(&cases[i]);
}

static void test_skip_bad(void **state)
{
    static const char tickets[] =
        TH "A1,pod,2026-01-05,2026-01-06,accepted,1,\n"
           "A2,pod,2026-01-05,2026-13-06,accepted,1,\n"   /* bad date */
           "A3,pod,2026-01-06,2026-01-07,rework,2,\n"
           "A3,pod,2026-01-08,2026-01-08,accepted,1,\n"
           "A1,pod,2026-01-09,2026-01-09,accepted,1,\n"   /* A1 was accepted */
           "A4,pod,2026-01-09,2026-01-10,superseded,,\n";
    static const char invoices[] = IH "2026-01,pod,100\n2026-02,pod,x\n2026-03,pod,110\n";
    cal_result *r;
    diag d;

    (void)state;
    assert_int_equal(calib(tickets, invoices, 1, &r, &d), 0);
    assert_int_equal(r->ticket_rows, 6);
    assert_int_equal(r->ticket_skipped, 2);
    assert_int_equal(r->invoice_rows, 3);
    assert_int_equal(r->invoice_skipped, 1);
    assert_int_equal(r->nskipped, 3);
    assert_int_equal(r->skipped[0].invoices, 0);
    assert_int_equal(r->skipped[0].line, 3);
    assert_int_equal(r->skipped[0].col, 24);
    assert_int_equal(r->skipped[1].line, 6);
    assert_true(strstr(r->skipped[1].msg, "duplicate id 'A1'") != NULL);
    assert_int_equal(r->skipped[2].invoices, 1);
    assert_int_equal(r->skipped[2].line, 3);

    const cal_source *s = cal_find(r, "pod");
    assert_non_null(s);
    assert_int_equal(s->tickets, 3);
    assert_int_equal(s->passes, 4);
    assert_int_equal(s->rework_passes, 1);
    assert_near(s->first[OC_ACCEPTED], 1, 0);
    assert_near(s->first[OC_REWORK], 1, 0);
    assert_near(s->first[OC_SUPERSEDED], 1, 0);
    assert_near(s->later[OC_ACCEPTED], 1, 0);
    assert_near(s->items, 3.5, 0);
    /* inclusive days: 2026-01-05 (start of day) to 2026-01-10 (end of day) */
    assert_near(s->days, 6, 0);
    assert_int_equal(s->n_review_hours, 3);
    assert_int_equal(s->months, 2);
    assert_int_equal(s->month_gaps, 1);
    assert_near(s->cost_mean, 105, 1e-12);
    assert_false(s->has_trend);
    cal_result_free(r);

    /* every row bad: an error even with skip_bad */
    assert_int_equal(calib(TH "A2,pod,2026-01-05,2026-13-06,accepted,1,\n", NULL, 1, &r, &d), -1);
    assert_int_equal(d.line, 2);
    assert_string_equal(d.msg, "no usable row: all 1 data rows are bad (the first: bad date "
                               "'2026-13-06' in 'finished': month 13 is not 01 to 12)");
}

/* Hand-checked figures: inclusive dates, cycle times, review waits,
 * monthly sums, the busy share. */
static void test_small_history(void **state)
{
    static const char tickets[] =
        "outcome,reviewed,id,started,finished,source,review_hours,notes\n"
        "rework,2026-01-08,A,2026-01-05,2026-01-06,pod,2,\"first, of two\"\n"
        "accepted,2026-01-12,A,2026-01-09,2026-01-10,pod,1.5,\n"
        "superseded,2026-01-06,B,2026-01-05,2026-01-05,pod,,\n"
        "accepted,,C,2026-01-20,2026-01-21,pod,0.5,\n"
        "accepted,2026-01-05T12:00Z,X,2026-01-05T08:00Z,2026-01-05T10:00Z,team,,\n";
    static const char invoices[] = "source,amount,month\n"
                                   "team,100,2026-01\nteam,50,2026-01\npod,10,2026-02\n"
                                   "team,165,2026-02\nteam,181.5,2026-03\nteam,0,2026-05\n";
    cal_result *r;
    diag d;

    (void)state;
    assert_int_equal(calib(tickets, invoices, 0, &r, &d), 0);
    assert_int_equal(r->nsources, 2);
    assert_string_equal(r->sources[0].name, "pod");
    assert_string_equal(r->sources[1].name, "team");
    const cal_source *p = &r->sources[0], *t = &r->sources[1];

    assert_int_equal(p->tickets, 3);
    assert_int_equal(p->passes, 4);
    assert_near(p->days, 17, 0);               /* 01-05 to the end of 01-21 */
    assert_int_equal(p->max_passes, 2);
    assert_int_equal(p->open_rework, 0);
    /* passes cover 01-05..01-06, 01-09..01-10, 01-20..01-21: 6 of 17 days */
    assert_near(p->busy_share, 6.0 / 17, 1e-12);
    assert_int_equal(p->n_review_wait, 3);      /* C has no verdict time */
    assert_near(p->review_wait[0], 1, 0);      /* B: end of 01-05 to the end of 01-06 */
    assert_near(p->review_wait[1], 2, 0);
    assert_near(p->review_wait[2], 2, 0);
    assert_int_equal(p->n_review_hours, 3);
    assert_near(p->review_hours[0], 0.5, 0);   /* sorted */
    assert_near(p->review_hours[2], 2, 0);
    /* cycle: A from 01-05 to its verdict at the end of 01-12 (8 days); C
     * from 01-20 to its finish at the end of 01-21 (2 days) */
    assert_int_equal(p->n_cycle, 2);
    assert_near(p->cycle[0], 2, 0);
    assert_near(p->cycle[1], 8, 0);
    assert_near(p->pass_first.mean, (2 + 1 + 2) / 3.0, 1e-12);
    assert_near(p->pass_rework.mean, 2, 0);
    assert_true(isnan(p->effort_ratio)); /* one rework pass: no ratio */

    assert_int_equal(t->tickets, 1);
    assert_near(t->days, 2.0 / 24, 1e-12);
    assert_near(t->review_wait[0], 2.0 / 24, 1e-12);
    assert_near(t->cycle[0], 4.0 / 24, 1e-12);
    /* invoices: 150, 165, 181.5 (+10 % a month), then 0 two months on */
    assert_int_equal(t->months, 4);
    assert_int_equal(t->month_gaps, 1);
    assert_near(t->cost_mean, (150 + 165 + 181.5) / 4, 1e-9);
    assert_near(t->cost_last, 0, 0);
    assert_int_equal(t->trend_n, 3);
    assert_true(t->has_trend);
    assert_near(t->growth, 0.1, 1e-12);
    assert_near(t->trend_b_se, 0, 1e-12);
    assert_true(t->trend_significant);
    /* the fitted line continues to the month after the last (2026-06),
     * five months after 2026-01 */
    assert_near(t->level_next, log(150 * pow(1.1, 5)), 1e-9);
    assert_near(t->monthly_next, 150 * pow(1.1, 5), 1e-6);
    assert_int_equal(p->months, 1);
    assert_true(isnan(p->cost_sd));
    cal_result_free(r);
}

/* ---------------------------------------------- synthetic histories */

/* What a source's history is drawn from. */
typedef struct truth {
    const char *name;
    double lambda;       /* effort units completed per busy day */
    double effort;       /* a rework pass's effort */
    double p1[3], p2[3]; /* verdict probabilities, first and rework passes */
    double rh_shape, rh_scale; /* review hours ~ Gamma */
    double wait_mean;    /* review wait ~ Exp, days */
    double days;         /* history length */
    int zone_hours;      /* timestamps written in this UTC offset */
} truth;

/* What the generator knows exactly about the history it drew. */
typedef struct drawn {
    size_t n1, nr;
    double c1[3], c2[3];
    double sum_e, sum_e2;
    long long span;
    size_t n_cycle;
    double cycle_sum;
    size_t n_rh, n_wait;
    double rh_sum, wait_sum;
} drawn;

typedef struct rows {
    char **v;
    size_t n, cap;
} rows;

static void rows_add(rows *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void rows_add(rows *r, const char *fmt, ...)
{
    va_list ap;
    char buf[512];
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        assert_non_null(r->v);
    }
    r->v[r->n] = strdup(buf);
    assert_non_null(r->v[r->n]);
    r->n++;
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i]);
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* An ISO 8601 instant in the truth's zone. */
static const char *stamp(char *buf, size_t n, long long sec, int zone_hours)
{
    char day[16];
    long long local = sec + 3600LL * zone_hours;
    long long in_day = ((local % 86400) + 86400) % 86400;
    cal_format_day(local - in_day, 0, day, sizeof day);
    if (zone_hours)
        snprintf(buf, n, "%sT%02lld:%02lld:%02lld%+03d:00", day, in_day / 3600, in_day / 60 % 60,
                 in_day % 60, zone_hours);
    else
        snprintf(buf, n, "%sT%02lld:%02lld:%02lldZ", day, in_day / 3600, in_day / 60 % 60,
                 in_day % 60);
    return buf;
}

static int verdict(gsl_rng *rng, const double *p)
{
    double u = gsl_rng_uniform(rng);
    return u < p[0] ? OC_ACCEPTED : u < p[0] + p[1] ? OC_REWORK : OC_SUPERSEDED;
}

/*
 * One source's history as the model describes it: one lane, always busy
 * (so completions of effort form a Poisson process of rate lambda); it
 * takes the oldest rework whose verdict is in, else a new ticket.  Rows go
 * to `out` in the column order
 *   outcome,finished,id,review_hours,source,reviewed,started,extra
 */
static void draw_history(const truth *tr, gsl_rng *rng, int quoted_ids, rows *out, drawn *dr)
{
    static const char *const oc[] = {"accepted", "rework", "superseded"};
    typedef struct pend {
        long long ready, first_start;
        size_t id;
    } pend;
    pend *q = NULL;
    size_t nq = 0, cq = 0, next_id = 0;
    const long long t0 = 18262LL * 86400; /* 2020-01-01 */
    long long t = t0;
    char a[48], b[48], c[48], idb[48];

    memset(dr, 0, sizeof *dr);
    while (t - t0 < (long long)(tr->days * 86400)) {
        size_t pick = nq;
        for (size_t i = 0; i < nq; i++)
            if (q[i].ready <= t && (pick == nq || q[i].ready < q[pick].ready))
                pick = i;
        size_t id;
        long long first_start;
        int first = pick == nq;
        if (first) {
            id = next_id++;
            first_start = t;
        } else {
            id = q[pick].id;
            first_start = q[pick].first_start;
            q[pick] = q[--nq];
        }
        double e = first ? 1 : tr->effort;
        long long dur = llround(e * gsl_ran_exponential(rng, 1.0) / tr->lambda * 86400);
        long long fin = t + dur;
        long long rev = fin + llround(gsl_ran_exponential(rng, tr->wait_mean) * 86400);
        int v = verdict(rng, first ? tr->p1 : tr->p2);
        char rh[32] = "";
        if (gsl_rng_uniform(rng) < 0.9) { /* some passes have no review hours */
            snprintf(rh, sizeof rh, "%.4f", gsl_ran_gamma(rng, tr->rh_shape, tr->rh_scale));
            dr->rh_sum += strtod(rh, NULL);
            dr->n_rh++;
        }
        if (quoted_ids)
            snprintf(idb, sizeof idb, "\"%s,\"\"%zu\"\"\"", tr->name, id); /* NAME,"7" */
        else
            snprintf(idb, sizeof idb, "%s-%zu", tr->name, id);
        rows_add(out, "%s,%s,%s,%s,%s,%s,%s,x", oc[v], stamp(a, sizeof a, fin, tr->zone_hours), idb,
                 rh, tr->name, stamp(b, sizeof b, rev, tr->zone_hours),
                 stamp(c, sizeof c, t, tr->zone_hours));
        dr->wait_sum += (double)(rev - fin) / 86400;
        dr->n_wait++;
        if (first) {
            dr->n1++;
            dr->c1[v]++;
        } else {
            dr->nr++;
            dr->c2[v]++;
        }
        dr->sum_e += e;
        dr->sum_e2 += e * e;
        if (v == OC_ACCEPTED) {
            dr->n_cycle++;
            dr->cycle_sum += (double)(rev - first_start) / 86400;
        } else if (v == OC_REWORK) {
            if (nq == cq) {
                cq = cq ? 2 * cq : 16;
                q = realloc(q, cq * sizeof *q);
                assert_non_null(q);
            }
            q[nq].ready = rev;
            q[nq].first_start = first_start;
            q[nq].id = id;
            nq++;
        }
        t = fin;
    }
    dr->span = t - t0;
    free(q);
}

/* Rows shuffled, CRLF, behind a header in yet another column order. */
static char *tickets_csv(rows *r, gsl_rng *rng)
{
    size_t len = 0;
    for (size_t i = r->n; i > 1; i--) {
        size_t j = gsl_rng_uniform_int(rng, i);
        char *tmp = r->v[i - 1];
        r->v[i - 1] = r->v[j];
        r->v[j] = tmp;
    }
    static const char head[] = "outcome,finished,id,review_hours,source,reviewed,started,extra\r\n";
    for (size_t i = 0; i < r->n; i++)
        len += strlen(r->v[i]) + 2;
    char *s = malloc(sizeof head + len + 1), *p = s;
    assert_non_null(s);
    p += sprintf(p, "%s", head);
    for (size_t i = 0; i < r->n; i++)
        p += sprintf(p, "%s\r\n", r->v[i]);
    return s;
}

/* |got - want| <= 5 standard errors */
#define assert_within_se(got, want, se) assert_near(got, want, 5 * (se))

static void check_recovered(const cal_source *s, const truth *tr, const drawn *dr)
{
    /* what the history holds, exactly */
    assert_int_equal(s->tickets, dr->n1);
    assert_int_equal(s->passes, dr->n1 + dr->nr);
    assert_int_equal(s->rework_passes, dr->nr);
    for (int k = 0; k < OC_COUNT; k++) {
        assert_near(s->first[k], dr->c1[k], 0);
        assert_near(s->later[k], dr->c2[k], 0);
    }
    assert_near(s->items, dr->sum_e, 1e-9);
    assert_near(s->days, (double)dr->span / 86400, 1e-9);
    assert_near(s->busy_share, 1, 1e-12); /* one lane, never idle */
    assert_int_equal(s->n_cycle, dr->n_cycle);
    assert_near(s->cycle_summary.mean, dr->cycle_sum / (double)dr->n_cycle, 1e-9);
    assert_int_equal(s->n_review_hours, dr->n_rh);
    assert_int_equal(s->n_review_wait, dr->n_wait);

    /* what it estimates, within its sampling error.  The rate: the busy
     * time is sum(e_i X_i) / lambda with X_i ~ Exp(1), so items/days has
     * relative SE sqrt(sum e^2) / sum e. */
    double rate = s->items / s->days;
    assert_within_se(rate, tr->lambda, tr->lambda * sqrt(dr->sum_e2) / dr->sum_e);
    for (int k = 0; k < OC_COUNT; k++) {
        double n1 = (double)s->tickets, n2 = (double)s->rework_passes;
        assert_within_se(s->first[k] / n1, tr->p1[k], sqrt(tr->p1[k] * (1 - tr->p1[k]) / n1));
        assert_within_se(s->later[k] / n2, tr->p2[k], sqrt(tr->p2[k] * (1 - tr->p2[k]) / n2));
    }
    double mh = 0, mw = 0;
    for (size_t i = 0; i < s->n_review_hours; i++)
        mh += s->review_hours[i] / (double)s->n_review_hours;
    for (size_t i = 0; i < s->n_review_wait; i++)
        mw += s->review_wait[i] / (double)s->n_review_wait;
    assert_near(mh, dr->rh_sum / (double)dr->n_rh, 1e-9);
    assert_within_se(mh, tr->rh_shape * tr->rh_scale,
                     sqrt(tr->rh_shape) * tr->rh_scale / sqrt((double)s->n_review_hours));
    assert_within_se(mw, tr->wait_mean, tr->wait_mean / sqrt((double)s->n_review_wait));
    /* rework passes take `effort` of a first pass's time, on average */
    assert_true(isfinite(s->effort_ratio));
    assert_within_se(s->effort_ratio, tr->effort, s->effort_ratio_se);
    for (size_t i = 1; i < s->n_review_wait; i++)
        assert_true(s->review_wait[i - 1] <= s->review_wait[i]);
}

/* Invoices: log(total) = log(level) + log(1 + growth) * month + sd * N(0, 1),
 * each month split over two rows, one month left out. */
typedef struct itruth {
    const char *name;
    double level, growth, sd;
    int months, gap;
} itruth;

static void draw_invoices(const itruth *it, gsl_rng *rng, rows *out, double *sum)
{
    *sum = 0;
    for (int m = 0; m < it->months; m++) {
        if (m == it->gap)
            continue;
        double total = exp(log(it->level) + log1p(it->growth) * m + gsl_ran_gaussian(rng, it->sd));
        double part = floor(0.3 * total * 100) / 100;
        /* the months of 2021 onwards; amounts to the cent, as written */
        rows_add(out, "%.2f,%s,%04d-%02d", part, it->name, 2021 + m / 12, m % 12 + 1);
        rows_add(out, "%.2f,%s,%04d-%02d", total - part, it->name, 2021 + m / 12, m % 12 + 1);
        *sum += strtod(out->v[out->n - 2], NULL) + strtod(out->v[out->n - 1], NULL);
    }
}

static void test_synthetic_recovery(void **state)
{
    const truth pod = {"pod", 0.8, 0.5, {0.55, 0.30, 0.15}, {0.75, 0.20, 0.05}, 2, 1.1, 6, 1800, 0};
    const truth team = {"team", 2.5, 0.4, {0.85, 0.10, 0.05}, {0.9, 0.08, 0.02}, 4, 0.3, 1.2, 900, 2};
    const itruth tok = {"team", 22000, 0.05, 0.08, 36, 10};
    const itruth fee = {"pod", 81600, 0, 0.02, 24, -1};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    rows tr = {0}, ir = {0};
    drawn dp, dt;
    double sum_tok, sum_fee;

    (void)state;
    gsl_rng_set(rng, 20260401);
    draw_history(&pod, rng, 0, &tr, &dp);
    draw_history(&team, rng, 1, &tr, &dt);
    char *tickets = tickets_csv(&tr, rng);
    draw_invoices(&tok, rng, &ir, &sum_tok);
    draw_invoices(&fee, rng, &ir, &sum_fee);
    size_t len = 32;
    for (size_t i = 0; i < ir.n; i++)
        len += strlen(ir.v[i]) + 1;
    char *invoices = malloc(len), *p = invoices;
    assert_non_null(invoices);
    p += sprintf(p, "amount,source,month\n");
    for (size_t i = ir.n; i-- > 0;) /* newest first: order must not matter */
        p += sprintf(p, "%s\n", ir.v[i]);

    cal_result *r, *r4;
    diag d;
    /* the effort a rework pass counts for is the user's: the model's
     * default for the pod, the team's own 0.4 in a second calibration */
    assert_int_equal(calib(tickets, invoices, 0, &r, &d), 0);
    assert_int_equal(calib_effort(tickets, invoices, 0, 0.4, &r4, &d), 0);
    assert_int_equal(r->nsources, 2);
    const cal_source *sp = cal_find(r, "pod"), *st = cal_find(r4, "team");
    assert_non_null(sp);
    assert_non_null(st);
    assert_true(dp.n1 > 500 && dp.nr > 100); /* the history is long enough to mean something */
    check_recovered(sp, &pod, &dp);
    check_recovered(st, &team, &dt);
    /* with the wrong effort the items are off by exactly the difference */
    assert_near(cal_find(r, "team")->items - st->items, 0.1 * (double)dt.nr, 1e-9);

    /* the token bill: 35 months (one missing), growing 5 % a month */
    assert_int_equal(st->months, 35);
    assert_int_equal(st->month_gaps, 1);
    assert_near(st->cost_mean, sum_tok / 35, 1e-6);
    assert_true(st->has_trend);
    double sxx = 0, xbar = 0;
    for (int m = 0; m < 36; m++)
        if (m != 10)
            xbar += m / 35.0;
    for (int m = 0; m < 36; m++)
        if (m != 10)
            sxx += (m - xbar) * (m - xbar);
    double se_b = tok.sd / sqrt(sxx); /* the true SE of the slope */
    assert_within_se(st->trend_b, log1p(tok.growth), se_b);
    assert_within_se(st->growth, tok.growth, exp(st->trend_b) * se_b);
    /* the reported SE: s / sd has 33 degrees of freedom, so within ±50 % */
    assert_true(st->trend_b_se > 0.5 * se_b && st->trend_b_se < 1.5 * se_b);
    assert_true(st->trend_significant);
    /* next month's log level, within the SE of a fitted line at x = 36 */
    double se_level = tok.sd * sqrt(1 / 35.0 + (36 - xbar) * (36 - xbar) / sxx);
    assert_within_se(st->level_next, log(tok.level) + 36 * log1p(tok.growth), se_level);
    assert_within_se(st->resid_sd, tok.sd, tok.sd / sqrt(2 * 33.0));

    /* a flat fee: the mean within its SE, and (this seed) no trend */
    assert_int_equal(sp->months, 24);
    assert_int_equal(sp->month_gaps, 0);
    assert_within_se(sp->cost_mean, fee.level * exp(fee.sd * fee.sd / 2), sp->cost_se);
    assert_within_se(sp->trend_b, 0, sp->trend_b_se);

    cal_result_free(r);
    cal_result_free(r4);
    free(tickets);
    free(invoices);
    rows_free(&tr);
    rows_free(&ir);
    gsl_rng_free(rng);
}

/*
 * Over many histories, the intervals calibrate implies cover the truth as
 * often as they claim: the Gamma(items + 1/2, days) 95 % interval of the
 * rate (pure Poisson completions), and the fitted growth's Student-t 95 %
 * interval; and with no growth, the trend warning fires about 5 % of the
 * time.  Binomial tolerance: 4 SE of a 0.95 share over N histories.
 */
static void test_interval_coverage(void **state)
{
    const truth tr = {"pod", 0.5, 1, {0.6, 0.3, 0.1}, {0.6, 0.3, 0.1}, 2, 1, 2, 80, 0};
    const int N = 400;
    const double tol = 4 * sqrt(0.95 * 0.05 / N);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int cover_rate = 0, cover_growth = 0, false_alarm = 0;

    (void)state;
    gsl_rng_set(rng, 7);
    for (int k = 0; k < N; k++) {
        rows tk = {0}, iv = {0}, nl = {0};
        drawn dr;
        double sum;
        draw_history(&tr, rng, 0, &tk, &dr);
        char *tickets = tickets_csv(&tk, rng);
        const itruth grow = {"pod", 50000, 0.03, 0.1, 12, -1};
        const itruth flat = {"pod", 50000, 0, 0.1, 12, -1};
        draw_invoices(&grow, rng, &iv, &sum);
        draw_invoices(&flat, rng, &nl, &sum);
        char inv[4096], inv0[4096];
        size_t o = (size_t)snprintf(inv, sizeof inv, "amount,source,month\n");
        size_t o0 = (size_t)snprintf(inv0, sizeof inv0, "amount,source,month\n");
        for (size_t i = 0; i < iv.n; i++)
            o += (size_t)snprintf(inv + o, sizeof inv - o, "%s\n", iv.v[i]);
        for (size_t i = 0; i < nl.n; i++)
            o0 += (size_t)snprintf(inv0 + o0, sizeof inv0 - o0, "%s\n", nl.v[i]);

        cal_result *r, *r0;
        diag d;
        assert_int_equal(calib_effort(tickets, inv, 0, tr.effort, &r, &d), 0);
        assert_int_equal(calib(NULL, inv0, 0, &r0, &d), 0);
        const cal_source *s = &r->sources[0];
        double lo = gsl_cdf_gamma_Pinv(0.025, s->items + 0.5, 1 / s->days);
        double hi = gsl_cdf_gamma_Pinv(0.975, s->items + 0.5, 1 / s->days);
        cover_rate += lo <= tr.lambda && tr.lambda <= hi;
        cover_growth += fabs(s->trend_b - log1p(grow.growth)) <= s->trend_tcrit * s->trend_b_se;
        false_alarm += r0->sources[0].trend_significant;
        cal_result_free(r);
        cal_result_free(r0);
        free(tickets);
        rows_free(&tk);
        rows_free(&iv);
        rows_free(&nl);
    }
    print_message("coverage over %d histories: rate %.3f, growth %.3f; false trend alarms %.3f\n", N,
                  cover_rate / (double)N, cover_growth / (double)N, false_alarm / (double)N);
    assert_near(cover_rate / (double)N, 0.95, tol);
    assert_near(cover_growth / (double)N, 0.95, tol);
    assert_near(false_alarm / (double)N, 0.05, tol);
    gsl_rng_free(rng);
}

/* ------------------------------------------ the command end to end */

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* The exit status, mapped from the diag as main maps it (a command
 * returns -1 with the diag on a failure). */
static int run_cmd(int argc, char **argv, diag *d)
{
    diag_clear(d);
    int rc = cmd_calibrate(argc, argv, d);
    if (rc == CM_EXIT_OK)
        return rc;
    return d->kind == DIAG_INPUT ? CM_EXIT_INPUT : CM_EXIT_RUNTIME;
}

/* A fragment from calibrate, pasted under an alternative, loads and runs. */
static void test_fragment_runs(void **state)
{
    const truth pod = {"pod", 0.8, 0.5, {0.55, 0.30, 0.15}, {0.75, 0.20, 0.05}, 2, 1.1, 6, 200, 0};
    const truth team = {"team", 2.5, 0.4, {0.85, 0.10, 0.05}, {0.9, 0.08, 0.02}, 4, 0.3, 1.2, 60, 0};
    const itruth tok = {"team", 22000, 0.05, 0.08, 12, -1};
    const itruth fee = {"pod", 81600, 0, 0.02, 6, -1};
    const itruth fee2 = {"si", 95000, 0, 0.05, 4, -1};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    rows tr = {0}, ir = {0};
    drawn dr;
    double sum;
    char tpath[256], ipath[256], opath[256];

    (void)state;
    gsl_rng_set(rng, 99);
    draw_history(&pod, rng, 0, &tr, &dr);
    draw_history(&team, rng, 1, &tr, &dr);
    char *tickets = tickets_csv(&tr, rng);
    draw_invoices(&tok, rng, &ir, &sum);
    draw_invoices(&fee, rng, &ir, &sum);
    draw_invoices(&fee2, rng, &ir, &sum);
    char *inv = malloc(1 << 16), *p = inv;
    assert_non_null(inv);
    p += sprintf(p, "amount,source,month\n");
    for (size_t i = 0; i < ir.n; i++)
        p += sprintf(p, "%s\n", ir.v[i]);
    write_file("tickets.csv", tickets);
    write_file("invoices.csv", inv);
    snprintf(tpath, sizeof tpath, "%s/tickets.csv", tmpdir);
    snprintf(ipath, sizeof ipath, "%s/invoices.csv", tmpdir);
    snprintf(opath, sizeof opath, "%s/fragment.yaml", tmpdir);

    char *argv[] = {"calibrate", "--tickets", tpath, "--invoices", ipath, "--kind",
                    "pod=offshore_pod", "--headcount", "pod=6", "--kind", "team=ai_team",
                    "--headcount", "team=4", "--loaded-annual", "team=280000", "--kind",
                    "si=consultants", "-o", opath, NULL};
    diag d;
    assert_int_equal(run_cmd(19, argv, &d), CM_EXIT_OK);
    char *frag = read_file(opath);
    assert_non_null(frag);
    assert_non_null(strstr(frag, "rework_outcomes: {observed:"));
    assert_non_null(strstr(frag, "growth_per_month: {dist: normal"));
    assert_non_null(strstr(frag, "monthly_fee:"));
    assert_non_null(strstr(frag, "hourly_rate: {dist: normal"));

    /* the consultants have invoices only: no throughput, so capmix says what is missing */
    char *scn = malloc(strlen(frag) + 1024);
    assert_non_null(scn);
    sprintf(scn,
            "capmix: 1\nseed: 3\ntrials: 50\n"
            "people:\n  senior_engineer: {loaded_annual: 280000}\n"
            "work:\n  outcomes: 12\n  horizon_days: 730\n"
            "alternatives:\n  - name: calibrated\n    sources:\n%s",
            frag);
    scn_scenario *s = NULL;
    assert_int_equal(scn_load_buffer("calibrated.yaml", scn, strlen(scn), &s, &d), -1);
    assert_true(strstr(d.msg, "source 'si' (kind consultants) needs 'throughput'") != NULL);

    /* without the consultants the fragment loads as written and runs */
    char *si = strstr(scn, "      - name: si\n");
    assert_non_null(si);
    *si = '\0';
    if (scn_load_buffer("calibrated.yaml", scn, strlen(scn), &s, &d)) {
        print_error("%d:%d: %s\n%s\n", d.line, d.col, d.msg, scn);
        fail();
    }
    assert_int_equal(s->alts[0].nsources, 2);
    assert_int_equal(s->alts[0].sources[0].tp, TP_OBSERVED);
    assert_int_equal(s->alts[0].sources[0].outcomes.observed, 1);
    assert_int_equal(s->alts[0].sources[0].rework_outcomes.observed, 1);
    eng_opts o = {.trials = 50, .seed = 3, .threads = 1};
    eng_results *res = NULL;
    assert_int_equal(eng_run(s, &o, &res, &d), 0);
    eng_results_free(res);
    scn_free(s);

    /* a bad row: exit 2 and nothing written, the old file kept */
    write_file("bad.csv", "id,source,started,finished,outcome\nT1,pod,2026-01-05,2026-01-04,accepted\n");
    char bpath[256];
    snprintf(bpath, sizeof bpath, "%s/bad.csv", tmpdir);
    char *argv2[] = {"calibrate", "--tickets", bpath, "-o", opath, NULL};
    assert_int_equal(run_cmd(5, argv2, &d), CM_EXIT_INPUT);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 19);
    char *again = read_file(opath);
    assert_non_null(again);
    assert_string_equal(again, frag);

    /* options naming what is not there */
    char *argv3[] = {"calibrate", "--tickets", tpath, "--kind", "podd=offshore_pod", NULL};
    assert_int_equal(run_cmd(5, argv3, &d), CM_EXIT_INPUT);
    assert_string_equal(d.msg, "calibrate: --kind: no source 'podd' in the data (did you mean 'pod'?)");
    char *argv4[] = {"calibrate", "--tickets", tpath, "--kind", "pod=ofshore_pod", NULL};
    assert_int_equal(run_cmd(5, argv4, &d), CM_EXIT_INPUT);
    assert_true(strstr(d.msg, "unknown kind 'ofshore_pod' (did you mean 'offshore_pod'?)") != NULL);
    char *argv5[] = {"calibrate", "--tickets", tpath, "--kind", "pod=offshore_pod",
                     "--loaded-annual", "pod=1", NULL};
    assert_int_equal(run_cmd(7, argv5, &d), CM_EXIT_INPUT);
    assert_true(strstr(d.msg, "not salaried") != NULL);
    char *argv6[] = {"calibrate", NULL};
    assert_int_equal(run_cmd(1, argv6, &d), CM_EXIT_INPUT);
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.csv", tmpdir);
    char *argv7[] = {"calibrate", "--invoices", missing, NULL};
    assert_int_equal(run_cmd(3, argv7, &d), CM_EXIT_INPUT);
    assert_true(strstr(d.msg, "cannot open") != NULL);

    free(again);
    free(scn);
    free(frag);
    free(inv);
    free(tickets);
    rows_free(&tr);
    rows_free(&ir);
    gsl_rng_free(rng);
}

static int setup_dir(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/capmix-cal-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    static const char *const names[] = {"tickets.csv", "invoices.csv", "fragment.yaml", "bad.csv"};
    char path[256];
    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
        unlink(path);
    }
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_rfc4180),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_csv_columns),
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test(test_ticket_errors),
        cmocka_unit_test(test_invoice_errors),
        cmocka_unit_test(test_skip_bad),
        cmocka_unit_test(test_small_history),
        cmocka_unit_test(test_synthetic_recovery),
        cmocka_unit_test(test_interval_coverage),
        cmocka_unit_test_setup_teardown(test_fragment_runs, setup_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
