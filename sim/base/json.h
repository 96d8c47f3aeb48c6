/*
 * json — a small streaming JSON writer for summary.json.
 *
 * Deterministic by construction (same calls, same bytes): numbers are
 * printed with "%.17g" in the C locale, so a double read back is the same
 * double; +Inf/-Inf are written as the strings "Infinity"/"-Infinity"
 * (JSON has no infinity) and NaN as null.  Indentation is two spaces.
 * Errors of the underlying FILE are sticky and reported by json_error.
 *
 *   json_writer w; json_init(&w, fp);
 *   json_obj_begin(&w); json_key(&w, "seed"); json_u64(&w, 42); ...
 */
#ifndef CAPMIX_JSON_H
#define CAPMIX_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

typedef struct json_writer {
    FILE *fp;
    int depth;
    int count[JSON_MAX_DEPTH]; /* items written at each level */
    int after_key;             /* a key was written, its value is due */
    int err;                   /* sticky: a write failed or misuse */
    unsigned char is_obj[JSON_MAX_DEPTH]; /* level is an object, not an array */
} json_writer;

void json_init(json_writer *w, FILE *fp);
void json_obj_begin(json_writer *w);
void json_obj_end(json_writer *w);
void json_arr_begin(json_writer *w);
void json_arr_end(json_writer *w);
void json_key(json_writer *w, const char *k);
void json_str(json_writer *w, const char *s);   /* escapes as RFC 8259; NULL -> null */
void json_num(json_writer *w, double v);
void json_int(json_writer *w, long long v);
void json_u64(json_writer *w, uint64_t v);
void json_bool(json_writer *w, int v);
void json_null(json_writer *w);
/* Ends the document with a newline. Returns 0, or -1 if any write failed. */
int json_finish(json_writer *w);

#endif
