/*
 * floor — the fastest honest kernel of tests/bench/backlog24.yaml, the
 * floor under what capmix can reach on that scenario (tests/bench/run.sh).
 *
 * backlog24 is one lane working 24 items in a row, each taking
 * Triangular(2, 4, 9) days, so a trial's delivery day is a sum of 24
 * independent triangular draws and its cost is 800 per day of it.  This
 * kernel draws exactly that and nothing else: one uniform per item through
 * the triangular inverse CDF (the sampler capmix uses, sim/base/dist.c),
 * accumulated into the mean and sd of the delivery day and the mean cost.
 * No event queue, no per-trial storage, no percentiles: only the
 * arithmetic the answer cannot do without.
 *
 * What keeps it fast, all ordinary C at -O2 (no -ffast-math: every sum is
 * formed in the same order as a plain serial loop):
 *   - xoshiro256** (the generator capmix uses) inlined, as L independent
 *     streams advanced in lockstep so the compiler can keep several in
 *     flight or in vector registers;
 *   - a uniform built from the top 52 bits by the exponent trick
 *     (bits | 1.0 -> [1, 2), minus 1), which needs no integer-to-double
 *     conversion and so vectorises on baseline x86-64;
 *   - the two branches of the inverse CDF as exact arithmetic selects,
 *     not jumps (a mispredicted branch per item would cost more than the
 *     sqrt);
 *   - L trials summed side by side, so the 24 additions of one trial stay
 *     in order while L trials proceed at once (2 per SSE2 register).
 * Compiled by run.sh with cc -O2 -fno-math-errno (the latter only lets
 * sqrt be one instruction; the argument is never negative).
 *
 * usage: floor [TRIALS [SEED]]   (default 1000000 1)
 * prints one line: trials seconds mean_day sd_day mean_cost
 * (seconds: the kernel only, CLOCK_MONOTONIC; run.sh times the process).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ITEMS 24
#define L 8 /* trials (and generator streams) in lockstep */

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
    unsigned long long n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000ULL;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    if (n == 0 || n % L) {
        fprintf(stderr, "floor: TRIALS must be a positive multiple of %d\n", L);
        return 2;
    }

    /* Triangular(a, b, c) with a = min, b = mode, c = max. */
    const double a = 2, b = 4, c = 9;
    const double fb = (b - a) / (c - a);   /* CDF at the mode */
    const double k1 = (b - a) * (c - a);   /* below the mode: a + sqrt(u·k1) */
    const double k2 = (c - b) * (c - a);   /* above: c − sqrt((1−u)·k2) */
    const double shift = ITEMS * (a + b + c) / 3; /* sums about the mean keep
                                                     the variance exact */

    /* L streams, struct of arrays: s0[j] … s3[j] is stream j. */
    uint64_t s0[L], s1[L], s2[L], s3[L];
    uint64_t sm = seed;
    for (int j = 0; j < L; j++) {
        s0[j] = splitmix64(&sm);
        s1[j] = splitmix64(&sm);
        s2[j] = splitmix64(&sm);
        s3[j] = splitmix64(&sm);
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double sum = 0, sumsq = 0;
    for (unsigned long long i = 0; i < n; i += L) {
        /* 1. the uniforms of L trials: u[k][j] is item k of trial i + j,
         *    from stream j (xoshiro256**, reference algorithm) */
        double u[ITEMS][L];
        for (int k = 0; k < ITEMS; k++)
            for (int j = 0; j < L; j++) {
                uint64_t r = rotl(s1[j] * 5, 7) * 9;
                uint64_t t = s1[j] << 17;
                s2[j] ^= s0[j];
                s3[j] ^= s1[j];
                s1[j] ^= s2[j];
                s0[j] ^= s3[j];
                s2[j] ^= t;
                s3[j] = rotl(s3[j], 45);
                uint64_t bits = (r >> 12) | UINT64_C(0x3ff0000000000000); /* [1, 2) */
                memcpy(&u[k][j], &bits, sizeof(double));
            }
        /* 2. inverse CDF and the per-trial sums, item by item in order.
         *    lo/hi are exactly 0 or 1, so the blends below are exact
         *    selects (x·1 = x, x·0 + y = y), written as arithmetic because
         *    GCC at -O2 vectorises them and not a ?: with sqrt inside. */
        double tot[L];
        for (int j = 0; j < L; j++)
            tot[j] = 0;
        for (int k = 0; k < ITEMS; k++)
            for (int j = 0; j < L; j++) {
                double v = u[k][j] - 1.0; /* [0, 1), 52 bits */
                double lo = (double)(v < fb), hi = 1.0 - lo;
                double q = sqrt(lo * (v * k1) + hi * ((1 - v) * k2));
                tot[j] += lo * (a + q) + hi * (c - q);
            }
        for (int j = 0; j < L; j++) {
            double d = tot[j] - shift;
            sum += d;
            sumsq += d * d;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);

    double dn = (double)n;
    double mean_d = sum / dn;
    double var = (sumsq - dn * mean_d * mean_d) / (dn - 1);
    double mean = shift + mean_d;
    printf("%llu %.9f %.6f %.6f %.4f\n", n, secs, mean, sqrt(var > 0 ? var : 0), 800 * mean);
    return 0;
}
