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
    /* After atomic_commit_all, until atomic_keep or atomic_undo: */
    int landed;        /* renamed into place: 1 replaced nothing, 2 the old
                          target is kept as `old`, 3 it could not be kept */
    char old[1108];    /* hard link to the replaced target (".NAME.tmp.XXXXXX.old") */
} atomic_file;

/* Create the temporary file.  Returns 0, or -1 with a runtime diag. */
int atomic_open(atomic_file *f, const char *path, diag *d);

/* Flush, fsync, close and rename over the target.  Returns 0, or -1 with a
 * runtime diag (the temporary is then removed and the target untouched). */
int atomic_commit(atomic_file *f, diag *d);

/* Close and remove the temporary, if any.  Safe to call twice. */
void atomic_abort(atomic_file *f);

/*
 * Commit the files f[0..n-1] together: all land, or none.  Entries never
 * opened (zeroed, or after a failed atomic_open) are skipped.  Every file
 * is flushed, synced and closed before the first rename, and each target
 * about to be replaced is first kept as a hard link next to it; if a
 * rename fails, the targets already replaced are put back from those
 * links.  Returns 0 with every target replaced, or -1 with a runtime diag
 * and every target as it was.
 *
 * After 0 the set can still be taken back, for outputs that land in two
 * steps (data files, then a report drawn from them): call atomic_keep to
 * make the new files final (the links are removed), or atomic_undo to put
 * every old target back (and remove the targets that were new).  On a file
 * system without hard links a replaced target cannot be put back.
 */
int atomic_commit_all(atomic_file *f, size_t n, diag *d);
void atomic_keep(atomic_file *f, size_t n);
void atomic_undo(atomic_file *f, size_t n);

/* Write a whole buffer to `path` atomically. */
int atomic_write(const char *path, const void *buf, size_t len, diag *d);

/* mkdir -p for an output folder (mode 0777 & umask).  Returns 0 or -1. */
int atomic_mkdirs(const char *dir, diag *d);

/* atomic_mkdirs that also records in made[0..n-1] the outermost folder it
 * created ("" when `dir` was there already), even when it fails half-way,
 * so that an output that did not land can take its folders back with
 * atomic_rmdirs(dir, made): dir and its parents up to `made`, each only
 * if empty. */
int atomic_mkdirs_made(const char *dir, char *made, size_t n, diag *d);
void atomic_rmdirs(const char *dir, const char *made);

/* Remove the folder `dir` and everything in it, never following a
 * symbolic link (a link inside is removed, not what it points to).
 * Returns 0 (also when `dir` does not exist) or -1 when something stayed. */
int atomic_rmtree(const char *dir);

#endif
