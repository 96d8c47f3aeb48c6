/*
 * csv — an RFC 4180 reader for the exports `capmix calibrate` reads
 * (ticket histories, invoices), with positions for every field.
 *
 * Accepted: fields separated by ',', records ended by CRLF, LF or a lone
 * CR; quoted fields ("a, b", "say ""hi""", line breaks inside quotes);
 * a UTF-8 byte-order mark before the header; empty lines (skipped); a
 * quote inside an unquoted field, taken literally (as spreadsheet exports
 * write 12" monitor).  Rejected with a position: text after a closing
 * quote, an unterminated quote, NUL bytes, UTF-16 (by its byte-order
 * mark), and input past the limits below.
 *
 * The first record is the header.  Columns are found by name (trimmed,
 * any case), in any order, with csv_columns; other columns are ignored
 * unless their name looks like a typo of a column that is missing.
 *
 * Positions are 1-based: a field's line is the physical line where it
 * starts (a quoted field may span lines) and its column counts characters
 * (UTF-8 sequences count once, the byte-order mark not at all), so the
 * caret main.c draws under the echoed line lands on the field.
 *
 * Ownership: csv_load_* return a table owned by the caller, released by
 * csv_free (NULL-safe); every string in it lives until then.
 */
#ifndef CAPMIX_CSV_H
#define CAPMIX_CSV_H

#include <stddef.h>
#include "diag.h"

#define CSV_MAX_FILE_BYTES (64u << 20)  /* 64 MiB */
#define CSV_MAX_LINE_BYTES 65536        /* one physical line */
#define CSV_MAX_FIELD_BYTES 65536       /* one field, quotes undone */
#define CSV_MAX_FIELDS 256              /* fields in one record */

typedef struct csv_cell {
    const char *s;   /* NUL-terminated text, quotes undone ("" -> "); never NULL */
    size_t len;      /* bytes in s (never a NUL: the reader rejects them) */
    int line, col;   /* where the field starts (its opening quote if quoted) */
    int quoted;      /* 1 when the field was written in quotes */
} csv_cell;

typedef struct csv_row {
    const csv_cell *cells;
    size_t n;        /* fields in this record (may differ from the header's) */
    int line;        /* line where the record starts */
} csv_row;

typedef struct csv_table {
    char *file;      /* the name used in diagnostics (owned copy) */
    csv_row header;  /* n == 0 for an empty file */
    csv_row *rows;   /* the data records, in file order */
    size_t nrows;
    char *text_;     /* private */
    csv_cell *cells_;
} csv_table;

/* Read and parse a file.  Returns 0, or -1 with d set (DIAG_INPUT for a
 * malformed or oversized file, DIAG_RUNTIME for I/O or memory). */
int csv_load_file(const char *path, csv_table **out, diag *d);

/* Parse a buffer (need not be NUL-terminated); `name` is used in errors. */
int csv_load_buffer(const char *name, const char *buf, size_t len, csv_table **out, diag *d);

/* Free the table; NULL is a no-op. */
void csv_free(csv_table *t);

/*
 * Find the columns `names` (NULL-terminated; the first `nrequired` are
 * required, the rest optional) in t's header: idx[i] receives the header
 * position of names[i], or -1 for an absent optional column.  idx must
 * hold as many ints as names has entries.  Returns 0, or -1 with an input
 * diag: an empty file; a column named twice; a header that looks like a
 * typo of a missing column ("unknown column 'outcom' (did you mean
 * 'outcome'?)", at that header field); a missing required column (naming
 * it, at the header line).
 */
int csv_columns(const csv_table *t, const char *const *names, size_t nrequired, int *idx,
                diag *d);

/*
 * The column where byte `off` of cell c's text sits, for errors that point
 * inside a field (a bad month in a date); offset 0 is the field's own
 * column (its opening quote, if quoted).  Exact for unquoted fields and
 * for quoted ones without "" or line breaks before `off`; otherwise the
 * field's column.
 */
int csv_col_at(const csv_cell *c, size_t off);

/*
 * Copy s into buf (size n) for quoting in a message: control characters
 * become '?', and text past 40 characters is cut with "...".  Returns buf.
 */
char *csv_quote(char *buf, size_t n, const char *s);

#endif
