/*
 * numfmt — how capmix spells numbers and money for people (report.md,
 * comparison.csv, the terminal tables, sentences, workbook formats).  One
 * place, so the same figure reads the same everywhere; every function
 * writes a NUL-terminated string of at most n bytes (cut, never
 * overflowed) into buf and returns buf.  Locale-independent in output
 * shape: ',' groups thousands, '.' marks decimals.
 */
#ifndef CAPMIX_NUMFMT_H
#define CAPMIX_NUMFMT_H

#include <stddef.h>

/* v with `dec` decimals and thousands separators: 1,234,567.89.  NaN is
 * "-", infinities "inf" / "-inf"; a value that rounds to zero has no
 * minus sign. */
char *fmt_grouped(char *buf, size_t n, double v, int dec);

/* Money in a sentence, three figures: $1.06M, $140k, $15.6k, $950; NaN
 * "n/a", infinities "infinity".  The currency's symbol for USD, EUR and
 * GBP, else its code and a space ("CHF 950"). */
char *fmt_money(char *buf, size_t n, double v, const char *currency);

/* "$", "€" or "£" for USD, EUR, GBP; NULL for any other code. */
const char *fmt_currency_symbol(const char *currency);

#endif
