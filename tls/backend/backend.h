/* SPDX-License-Identifier: Apache-2.0 */
/* A crypto backend as a program picks it: the function table of
 * tls/crypto.h plus how to set its state up and load a private key into it.
 * Two exist, tls_backend_mbedtls (portable, Apache-2.0) and
 * tls_backend_wolfcrypt (x86-64 assembly, GPL-2.0-or-later); a build names
 * one as tls_backend_default (`make CRYPTO=wolfcrypt|mbedtls`,
 * tls/backend/default.c). State and keys live in caller storage of at least
 * state_size / key_size bytes, 16-aligned, never moved once set up. */
#ifndef ATOLL_TLS_BACKEND_H
#define ATOLL_TLS_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "tls/crypto.h"

struct tls_backend {
    const char *name;
    const char *licence; /* SPDX expression of what a program linking it is under */
    const struct tls_crypto_ops *ops;
    size_t state_size, key_size;
    /* Seeds the backend's DRBG (32-256 bytes) and fills *c; 0 or TLS_CRYPTO_E_FAIL. */
    int (*init)(struct tls_crypto *c, void *state, const uint8_t *seed, size_t seed_len);
    void (*release)(void *state);
    /* An unencrypted private key, DER or PEM: 0, TLS_CRYPTO_E_SPACE (too
     * large) or TLS_CRYPTO_E_FAIL (does not parse; key left freed). */
    int (*key_load)(void *key, const uint8_t *der_or_pem, size_t len);
    void (*key_free)(void *key);
};

/* Storage a caller reserves for any backend's state or key. */
#define TLS_BACKEND_STATE_MAX 1024u
#define TLS_BACKEND_KEY_MAX 16384u

extern const struct tls_backend tls_backend_mbedtls;
extern const struct tls_backend tls_backend_wolfcrypt;
extern const struct tls_backend *const tls_backend_default;

#endif
