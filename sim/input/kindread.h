/*
 * kindread — the reader of a capacity source's YAML mapping (and of a
 * fixed bid's), against the kind tables of models/models.h.  Every error
 * is a positioned input diag naming the key.
 */
#ifndef CAPMIX_KINDREAD_H
#define CAPMIX_KINDREAD_H

#include <stddef.h>

#include "diag.h"
#include "dist.h"
#include "fixedbid.h"
#include "models.h"
#include "source.h"
#include "yamltree.h"

/*
 * Read one source mapping `map` of kind `k` into p (zeroed by the caller,
 * then given src_params_defaults and the kind's defaults here).  Checks
 * unknown keys (with a suggestion), required keys, every value's domain.
 * Returns 0, or -1 with d set; on failure p may own memory: the caller
 * releases it with src_params_release.
 */
int kind_read_source(const model_kind *k, const yt_doc *doc, const yt_node *map,
                     src_params *p, diag *d);

/*
 * Read a `fixed_bid:` mapping into b (zeroed by the caller).  Returns 0, or
 * -1 with d set; b may then own memory (bid_params_release).
 */
int kind_read_fixed_bid(const yt_doc *doc, const yt_node *map, bid_params *b, diag *d);

#endif
