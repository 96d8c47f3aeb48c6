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
#include <sys/types.h>
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

/* The mode a file capmix creates gets: 0666 & ~umask, read once per
 * process (a folder adds x where r is set). */
mode_t atomic_file_mode(void);

/* fsync the folder holding `path`, so that a rename in it is durable.
 * Best effort: some file systems refuse fsync on a folder. */
void atomic_sync_parent(const char *path);

/* mkdir -p for an output folder (mode 0777 & umask).  Returns 0 or -1. */
int atomic_mkdirs(const char *dir, diag *d);

/* atomic_mkdirs that also records in made[0..n-1] the outermost folder it
 * created ("" when `dir` was there already), even when it fails half-way,
 * so that an output that did not land can take its folders back with
 * atomic_rmdirs(dir, made): dir and its parents up to `made`, each only
 * if empty. */
int atomic_mkdirs_made(const char *dir, char *made, size_t n, diag *d);
void atomic_rmdirs(const char *dir, const char *made);

/*
 * An output folder replaced as a whole (`-o DIR`): readers, and the next
 * command, see the previous folder or the complete new one, never a mix,
 * and no file of an earlier run stays beside new results.
 *
 *   atomic_dir a;
 *   if (atomic_dir_begin(&a, "out", d)) ...;   // write into a.tmp
 *   ... atomic_open(a.tmp "/summary.json") ..., gnuplot draws into a.tmp ...
 *   if (atomic_dir_commit(&a, d)) ...;         // or atomic_dir_abort(&a)
 *
 * begin creates DIR's parents, takes an exclusive lock on ".BASE.lock"
 * beside DIR (flock(2); a second writer of the same folder waits for the
 * first to finish, then replaces its folder whole), removes the sibling
 * folders that a capmix which has since died left there (".BASE.tmp-dir.
 * PID.XXXXXX", ".BASE.tmp-old.PID.XXXXXX" whose PID is not alive: nothing
 * else is ever removed), and makes the sibling `tmp` (".BASE.tmp-dir.PID.
 * XXXXXX", same file system, so the swap is a rename).  DIR itself must be
 * absent, an empty folder, one holding only temporaries an interrupted
 * capmix left (".NAME.tmp.XXXXXX"), or one holding a capmix result
 * (summary.json, sweep.json, breakeven.json, tornado.json), and neither the
 * working folder nor one holding it: anything else is refused, never
 * replaced.
 *
 * commit checks every file in tmp (atomic_verify_file), syncs it, then
 * swaps tmp and DIR in one step (renameat2 RENAME_EXCHANGE; where the file
 * system lacks it, two renames with the first undone on failure), removes
 * the previous folder and the lock.  abort (idempotent) removes tmp, the
 * lock and the parents begin created: DIR is as it was.  Both begin and
 * commit fail with "interrupted" once cancel_signal is set (cancel.h): a
 * signal before the swap leaves the previous folder.  Errors are runtime
 * diags.
 */
typedef struct atomic_dir {
    char path[1024];   /* DIR, as given */
    char tmp[1100];    /* the sibling being filled; "" when none */
    char lock[1100];   /* the lock file; "" when not held */
    int lockfd;
    char made[1024];   /* outermost parent begin created, for atomic_rmdirs */
} atomic_dir;

int atomic_dir_begin(atomic_dir *a, const char *dir, diag *d);

/* The checks of atomic_dir_begin that need nothing written — DIR a name
 * (not '.', '..' or '/') of at most ATOMIC_DIR_MAX bytes (its last part
 * ATOMIC_DIR_NAME_MAX), not a symbolic
 * link, a folder or absent, neither the working folder nor one holding it,
 * empty or holding a capmix result; its parents folders or creatable —
 * with begin's messages.  A command calls it before it simulates, so that
 * an output folder it could never write is refused in a second, not after
 * an hour of simulation.  Creates, locks and changes nothing; begin checks
 * again (the folder may change in between).  0, or -1 with a runtime
 * diag. */
/* The longest path inside the temporary folder is DIR + 25 (".BASE.tmp-
 * dir.PID.XXXXXX", PIDs up to 7 digits) + "/" + a file's temporary name
 * (".NAME.tmp.XXXXXX", NAME up to ~75 with an alternative's name in it),
 * which atomic_file holds in 1024: DIR at most 900 leaves room.  The
 * sibling's own name is BASE + 24, at most NAME_MAX (255). */
#define ATOMIC_DIR_MAX 900
#define ATOMIC_DIR_NAME_MAX 231
int atomic_dir_check(const char *dir, diag *d);
int atomic_dir_commit(atomic_dir *a, diag *d);
void atomic_dir_abort(atomic_dir *a);

/* A produced file as it should be, by the extension of `as` (NULL: of
 * path itself; a temporary is checked as what it will become): a regular
 * file, not empty (but a .dat, which may hold no points); a .png with
 * PNG's signature and its last chunk IEND (gnuplot on a full disk exits 0
 * with a truncated image); an .svg starting with "<svg" or "<?xml" and
 * ending with "</svg>".  The file is synced too.  Returns 0, or -1 with a
 * runtime diag naming the file and what is wrong. */
int atomic_verify_file(const char *path, const char *as, diag *d);

/* The same on a buffer (an SVG gnuplot drew, before it is embedded):
 * `name` says the kind by its extension.  Returns 0 or -1 (no diag). */
int atomic_verify_bytes(const char *name, const unsigned char *buf, size_t len);

/* Remove the folder `dir` and everything in it, never following a
 * symbolic link (a link inside is removed, not what it points to).
 * Returns 0 (also when `dir` does not exist) or -1 when something stayed. */
int atomic_rmtree(const char *dir);

#endif
