/*
 * sha256 — FIPS 180-4 SHA-256, for the provenance of every output (the
 * scenario file's digest).  Small and self-contained so that capmix needs
 * no crypto library; pinned by the FIPS test vectors in tests/test_util.c.
 */
#ifndef CAPMIX_SHA256_H
#define CAPMIX_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t len;       /* bytes so far */
    unsigned char buf[64];
    size_t nbuf;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_final(sha256_ctx *c, unsigned char out[32]);

/* Hex digest (64 chars + NUL) of a buffer. */
void sha256_hex(const void *data, size_t n, char out[65]);

#endif
