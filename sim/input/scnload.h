/*
 * scnload — the scenario loader: a scenario file (format version 1) read
 * into the typed scenario of models/scenario.h.
 *
 * scn_load reads YAML through yamltree, asks kindread to read each source,
 * and checks everything the model's contract says must be rejected at load
 * time, so that the engine never meets an invalid parameter.  Every error
 * is a positioned input diag ("file:line:col: message").
 *
 * Ownership: a scenario returned is owned by the caller, released by
 * scn_free (NULL-safe).  The scenario keeps no pointer into the YAML tree.
 */
#ifndef CAPMIX_SCNLOAD_H
#define CAPMIX_SCNLOAD_H

#include <stddef.h>

#include "diag.h"
#include "scenario.h"
#include "yamltree.h"

/* Load and validate a scenario file, read exactly once (a FIFO or
 * /dev/stdin works; the bytes are kept in `text`).  Returns 0, or -1 with
 * d set (DIAG_INPUT for anything wrong in the file). */
int scn_load(const char *path, scn_scenario **out, diag *d);

/* As scn_load, and the parsed document too (*tree, owned by the caller,
 * yt_free; NULL on failure), for the commands that re-read it with a
 * parameter changed (sweep, breakeven, tornado): the file is read and
 * parsed once. */
int scn_load_tree(const char *path, scn_scenario **out, yt_doc **tree, diag *d);

/* From an already parsed document (sweeps re-read one document with a
 * parameter changed); `sha256` is the hex digest of the file's bytes. */
int scn_load_doc(const yt_doc *doc, const char *sha256, scn_scenario **out, diag *d);

/* Same from a buffer (copied into `text`); `name` is used in messages and
 * recorded as `file`. */
int scn_load_buffer(const char *name, const char *buf, size_t len, scn_scenario **out, diag *d);

/* The keys the loader accepts in a section, NULL-terminated, from the very
 * tables it checks them against (for `capmix help TOPIC`): "scenario" (top
 * level), "calendar", "people", "people.ROLE", "work", "work.cost_of_delay",
 * "alternatives", "overheads", "stop_loss", "stop_loss.stop_if", "decision",
 * "correlations", "sweep", "breakeven"; NULL for any other name. */
const char *const *scn_keys(const char *section);

#endif
