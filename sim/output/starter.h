/*
 * starter — the commented starter scenario `capmix init` writes: 24
 * accepted outcomes with a cost of delay and one alternative per kind,
 * each source from its kind's own example (models/).  The text is a valid
 * scenario (a test validates it for every kind).
 */
#ifndef CAPMIX_STARTER_H
#define CAPMIX_STARTER_H

#include <stdio.h>
#include "models.h"

/* Write the scenario with one alternative for each of kinds[0..nk), the
 * first the baseline.  Stream errors are left on fp for the caller. */
void starter_write(FILE *fp, const model_kind *const *kinds, int nk);

#endif
