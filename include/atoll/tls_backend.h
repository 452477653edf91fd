/* SPDX-License-Identifier: Apache-2.0 */
/* Atoll TLS crypto backends, ready to use: the function table of
 * <atoll/tls_crypto.h> plus how to set its state up and load a private key.
 *
 *   atoll_tls_backend_mbedtls    libatoll-tls-mbedtls (pkg-config atoll-tls):
 *                                mbedtls 2.28, portable; Apache-2.0.
 *   atoll_tls_backend_wolfcrypt  libatoll-tls-wolfcrypt (pkg-config
 *                                atoll-tls-wolfcrypt): wolfCrypt 5.5.4 with
 *                                its x86-64 assembly, several times faster;
 *                                a program linking it is GPL-2.0-or-later.
 *
 * Use:
 *     static ATOLL_ALIGNAS(16) unsigned char state[ATOLL_TLS_BACKEND_STATE_MAX];
 *     struct atoll_tls_crypto crypto;
 *     b->init(&crypto, state, seed, 32);    seed: 32..256 bytes of real entropy
 *     ... every connection gets &crypto ...
 *     b->release(state);                    after the last connection's release
 * State and keys live in caller storage of at least state_size / key_size
 * bytes (ATOLL_TLS_BACKEND_STATE_MAX / _KEY_MAX fit either backend),
 * 16-byte aligned, never moved or copied once set up. A state holds the
 * DRBG: use it from one thread. Neither backend reads a clock, a file or
 * the system's entropy: randomness comes only from the seed, so the same
 * seed replays the same handshakes (tests), and a real one is the caller's
 * duty. Both allocate through the C library's malloc/calloc/free while
 * they load keys and parse certificates (mbedtls's bignums and X.509).
 *
 * An embedder's own backend is its own struct atoll_tls_crypto_ops
 * (<atoll/tls_crypto.h>); this descriptor is only a convenience. */
#ifndef ATOLL_TLS_BACKEND_PUBLIC_H
#define ATOLL_TLS_BACKEND_PUBLIC_H

#include <stddef.h>
#include <stdint.h>

#include <atoll/tls_crypto.h>

#ifdef __cplusplus
extern "C" {
#endif

struct atoll_tls_backend {
    const char *name;    /* "mbedtls", "wolfcrypt" */
    const char *licence; /* SPDX expression of what a program linking it is under */
    const struct atoll_tls_crypto_ops *ops;
    size_t state_size, key_size;
    /* Seeds the backend's DRBG with seed_len (32..256) bytes and fills *c
     * = { ops, state }. 0, or ATOLL_TLS_CRYPTO_E_FAIL for a seed of the
     * wrong size or a DRBG failure. */
    int (*init)(struct atoll_tls_crypto *c, void *state, const uint8_t *seed, size_t seed_len);
    /* Wipes the state (DRBG and seed). */
    void (*release)(void *state);
    /* Loads an unencrypted private key, DER (PKCS#1 RSA, SEC1 EC, PKCS#8)
     * or PEM text (no NUL needed) into key storage; key is then what
     * ops->sign and ops->key_kind take. 0; ATOLL_TLS_CRYPTO_E_SPACE when
     * larger than 8 KiB; ATOLL_TLS_CRYPTO_E_FAIL when it does not parse
     * (the storage is left freed). A key that loads but has kind
     * ATOLL_TLS_KEY_NONE (RSA under 2048 bits, another curve) cannot sign. */
    int (*key_load)(void *key, const uint8_t *der_or_pem, size_t len);
    /* Frees and wipes a loaded key. */
    void (*key_free)(void *key);
};

/* Storage a caller reserves for either backend's state or key. */
#define ATOLL_TLS_BACKEND_STATE_MAX 1024u
#define ATOLL_TLS_BACKEND_KEY_MAX 16384u

extern const struct atoll_tls_backend atoll_tls_backend_mbedtls;
extern const struct atoll_tls_backend atoll_tls_backend_wolfcrypt;

#ifdef __cplusplus
}
#endif

#endif
