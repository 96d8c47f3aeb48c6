/*
 * Shared helpers for capmix's cmocka tests.  Include after the cmocka
 * prerequisites (stdarg.h, stddef.h, stdint.h, setjmp.h) and cmocka.h.
 */
#ifndef CAPMIX_TESTUTIL_H
#define CAPMIX_TESTUTIL_H

#include <math.h>
#include <stdio.h>

/* |a - b| <= tol, with a readable failure message. */
#define assert_near(a, b, tol)                                                               \
    do {                                                                                     \
        double a_ = (a), b_ = (b), t_ = (tol);                                               \
        if (!(fabs(a_ - b_) <= t_)) {                                                        \
            print_error("%s = %.17g, expected %.17g within %.3g\n", #a, a_, b_, t_);         \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

#endif
