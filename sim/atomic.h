/*
 * atomic — write an output file so that readers see the old file or the
 * complete new one, never half of either.
 *
 * Usage:  atomic_file f;  if (atomic_open(&f, "out/summary.json", d)) ...;
 *         fprintf(f.fp, ...);  ...;  if (atomic_commit(&f, d)) ...;
 * On any error call atomic_abort(&f) (idempotent), which removes the
 * temporary file.  The temporary lives in the same folder as the target
 * (".NAME.tmp.XXXXXX") so the final rename(2) is atomic; commit checks
 * every write, flushes, fsyncs and closes before renaming.
 */
#ifndef CAPMIX_ATOMIC_H
#define CAPMIX_ATOMIC_H

#include <stdio.h>
#include "diag.h"

typedef struct atomic_file {
    FILE *fp;          /* write here; NULL when not open */
    char path[1024];   /* final path */
    char tmp[1100];    /* temporary path */
} atomic_file;

/* Create the temporary file.  Returns 0, or -1 with a runtime diag. */
int atomic_open(atomic_file *f, const char *path, diag *d);

/* Flush, fsync, close and rename over the target.  Returns 0, or -1 with a
 * runtime diag (the temporary is then removed and the target untouched). */
int atomic_commit(atomic_file *f, diag *d);

/* Close and remove the temporary, if any.  Safe to call twice. */
void atomic_abort(atomic_file *f);

/* Write a whole buffer to `path` atomically. */
int atomic_write(const char *path, const void *buf, size_t len, diag *d);

/* mkdir -p for an output folder (mode 0777 & umask).  Returns 0 or -1. */
int atomic_mkdirs(const char *dir, diag *d);

#endif
