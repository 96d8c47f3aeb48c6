/*
 * calrows — the row-level helpers `capmix calibrate` shares between its
 * ticket and invoice readers (calibrate.c): a CSV field trimmed of blanks
 * with its column kept for messages, the list of bad rows (reported or
 * skipped), a growing vector of doubles and the table of source names.
 * Private to calibrate*.c: not a general CSV layer (csv.h is that).
 *
 * Failure: functions taking a diag return 0, or -1 with d set (runtime:
 * out of memory); row checks return 0, or -1 with the message in msg (size
 * n) and the 1-based column in *col.
 */
#ifndef CAPMIX_CALROWS_H
#define CAPMIX_CALROWS_H

#include <stddef.h>

#include "calibrate.h"
#include "csv.h"
#include "diag.h"

/* A field's value: surrounding blanks trimmed (offset kept for columns). */
typedef struct cal_val {
    const char *s;
    size_t len, off;
    const csv_cell *cell;
} cal_val;

/* One bad row, before it is reported or skipped. */
typedef struct cal_bad_row {
    int line, col;
    char *msg;
} cal_bad_row;

typedef struct cal_badlist {
    cal_bad_row *v;
    size_t n, cap;
} cal_badlist;

typedef struct cal_dvec {
    double *v;
    size_t n, cap;
} cal_dvec;

/* Names to indices, in order of first insertion (open addressing). */
typedef struct cal_srcmap {
    size_t *slot; /* index + 1; 0 empty */
    size_t cap;
    cal_source *v;
    size_t n, vcap;
} cal_srcmap;

/* Field idx of row r (an empty value when the row has no such field). */
cal_val cal_field(const csv_row *r, int idx);

/* The value as a C string in buf (size n); NULL when it does not fit. */
const char *cal_val_str(const cal_val *v, char *buf, size_t n);

/* The file column of byte `off` of the value. */
int cal_val_col(const cal_val *v, size_t off);

/* A plain decimal number (as in scenario files: no hex, inf or nan):
 * 0, or -1. */
int cal_decimal(const char *s, double *out);

/* Add a bad row (msg is copied); release frees every message. */
int cal_bad_add(cal_badlist *b, int line, int col, const char *msg, diag *d);
void cal_badlist_release(cal_badlist *b);

/* qsort comparison of bad rows by line. */
int cal_cmp_bad(const void *a, const void *b);

/* qsort that accepts a NULL base with n = 0. */
void cal_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* Append x. */
int cal_dvec_push(cal_dvec *a, double x, diag *d);

/* A source name as a scenario takes it (1 to CAL_NAME_MAX - 1 letters,
 * digits, '-' and '_', not starting with '-' or '_'). */
int cal_check_source_name(const cal_val *v, char *msg, size_t n, int *col);

/* The row has as many fields as the header. */
int cal_field_count_ok(const csv_table *t, const csv_row *r, char *msg, size_t n, int *col);

/* The index of source name s[0..n) in m, added (zeroed, its NaN fields set)
 * when new; n < CAL_NAME_MAX, checked by the caller.  The caller frees
 * m->slot and m->v (and each source's arrays). */
int cal_srcmap_get(cal_srcmap *m, const char *s, size_t n, size_t *out, diag *d);

#endif
