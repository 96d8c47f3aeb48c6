/*
 * digest — SHA-256 by libcrypto's EVP interface (see digest.h).
 */
#include <openssl/evp.h>
#include <string.h>

#include "digest.h"

int digest_init(digest_ctx *c)
{
    c->err = 0;
    c->md = EVP_MD_CTX_new();
    if (c->md && EVP_DigestInit_ex(c->md, EVP_sha256(), NULL) == 1)
        return 0;
    digest_release(c);
    c->err = 1;
    return -1;
}

void digest_update(digest_ctx *c, const void *data, size_t n)
{
    if (!c->md || n == 0)
        return;
    if (EVP_DigestUpdate(c->md, data, n) != 1)
        c->err = 1;
}

int digest_final(digest_ctx *c, unsigned char out[DIGEST_LEN])
{
    unsigned int len = 0;
    int ok = c->md && !c->err && EVP_DigestFinal_ex(c->md, out, &len) == 1 && len == DIGEST_LEN;
    digest_release(c);
    if (!ok) {
        memset(out, 0, DIGEST_LEN);
        c->err = 1;
        return -1;
    }
    return 0;
}

void digest_release(digest_ctx *c)
{
    EVP_MD_CTX_free(c->md); /* NULL is a no-op */
    c->md = NULL;
}

int digest_sha256_hex(const void *data, size_t n, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    /* EVP_Digest reads nothing when n is 0, but wants a valid pointer */
    if (EVP_Digest(n ? data : "", n, md, &len, EVP_sha256(), NULL) != 1 || len != DIGEST_LEN) {
        out[0] = '\0';
        return -1;
    }
    for (unsigned i = 0; i < DIGEST_LEN; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
    return 0;
}
