/*
 * digest — SHA-256 through OpenSSL's libcrypto (EVP), for the provenance
 * of every output (the scenario file's digest) and the integrity of shard
 * files.
 *
 * A digest_ctx holds an EVP context on the heap: digest_init allocates it,
 * digest_final and digest_release free it, and either may be called on a
 * context whose init failed or that was already finished (a no-op then),
 * so a caller can release on every path without tracking which ran.
 * Failures (out of memory, a provider that will not load) are sticky and
 * reported by digest_final; digest_update has no status to check.
 */
#ifndef CAPMIX_DIGEST_H
#define CAPMIX_DIGEST_H

#include <stddef.h>

#define DIGEST_LEN 32 /* bytes of a SHA-256 digest */

struct evp_md_ctx_st; /* OpenSSL's EVP_MD_CTX, kept out of our headers */

typedef struct digest_ctx {
    struct evp_md_ctx_st *md; /* NULL before init, after final/release or a failed init */
    int err;                  /* sticky: a step failed */
} digest_ctx;

/* Start a SHA-256.  Returns 0, or -1 (then c->err is set and c->md NULL). */
int digest_init(digest_ctx *c);
/* Add n bytes (data may be NULL when n is 0). */
void digest_update(digest_ctx *c, const void *data, size_t n);
/* Write the digest to out and free the context.  Returns 0, or -1 when any
 * step since digest_init failed (out is then zeroed). */
int digest_final(digest_ctx *c, unsigned char out[DIGEST_LEN]);
/* Free the context without a result.  Safe on any context. */
void digest_release(digest_ctx *c);

/* Lower-case hex SHA-256 (64 characters and a NUL) of a buffer.  Returns
 * 0, or -1 (out is then "") when libcrypto fails. */
int digest_sha256_hex(const void *data, size_t n, char out[65]);

#endif
