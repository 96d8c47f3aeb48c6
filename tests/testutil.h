/*
 * Shared helpers for capmix's cmocka tests.  Include after the cmocka
 * prerequisites (stdarg.h, stddef.h, stdint.h, setjmp.h) and cmocka.h.
 * tests/testutil.c is linked into every test binary (the Makefile's rule
 * for tests/test_*.c).
 */
#ifndef CAPMIX_TESTUTIL_H
#define CAPMIX_TESTUTIL_H

#include <stdint.h>

#include <math.h>
#include <stdio.h>

#include "engine.h"
#include "scenario.h"

/* |a - b| <= tol, with a readable failure message. */
#define assert_near(a, b, tol)                                                               \
    do {                                                                                     \
        double a_ = (a), b_ = (b), t_ = (tol);                                               \
        if (!(fabs(a_ - b_) <= t_)) {                                                        \
            print_error("%s = %.17g, expected %.17g within %.3g\n", #a, a_, b_, t_);         \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

/* The scenario in the YAML text (named "t.yaml", so its default name is
 * "t"), or the scenario file at path; a scenario that does not load fails
 * the test with its file:line:col: message.  Free with scn_free. */
scn_scenario *tu_load(const char *yaml);
scn_scenario *tu_load_file(const char *path);

/* eng_run of s with o; a run that fails fails the test with its message.
 * Free with eng_free. */
eng_results *tu_run(const scn_scenario *s, const eng_opts *o);

/* The reference algorithms, transcribed from prng.di.unimi.it
 * independently of sim/base/rng.c and rngbatch.c, which the generator
 * tests hold them against: one xoshiro256** step of s, and one
 * splitmix64 step of *x. */
uint64_t tu_ref_xoshiro_next(uint64_t s[4]);
uint64_t tu_ref_splitmix(uint64_t *x);

#endif
