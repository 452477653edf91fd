/* SPDX-License-Identifier: Apache-2.0 */
/* Backend one for include/atoll/tls_crypto.h: mbedtls 2.28 (Debian's libmbedcrypto).
 *
 * Only the embedder includes this header (to set the backend up and load
 * its private keys); the engine sees struct atoll_tls_crypto alone.
 *
 * Randomness is a CTR-DRBG (AES-256) seeded once from caller-given bytes and
 * nothing else: no mbedtls_entropy, no clock, so a fixed seed replays every
 * key share, signature nonce and blinding value exactly (tests, fuzzing).
 * The platform passes real entropy as the seed in production.
 *
 * mbedtls allocates internally (bignums, X.509, HMAC contexts) through
 * calloc/free; the PVH image supplies those over a pool. Nothing here calls
 * an allocator itself.
 *
 * Error codes (crypto.h): a signature or AEAD tag that does not verify is
 * ATOLL_TLS_CRYPTO_E_AUTH (the engine answers decrypt_error / bad_record_mac); a
 * scheme that does not fit the key or certificate (ECDSA P-256 scheme for an
 * RSA key, P-384 key for the P-256 scheme, unknown scheme or group) is
 * ATOLL_TLS_CRYPTO_E_UNSUPP (illegal_parameter); an invalid peer key share is
 * ATOLL_TLS_CRYPTO_E_PEER; a certificate that does not parse is ATOLL_TLS_CRYPTO_E_FAIL. */
#ifndef ATOLL_TLS_CRYPTO_MBEDTLS_H
#define ATOLL_TLS_CRYPTO_MBEDTLS_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/pk.h>

#include "atoll/tls_crypto.h"

/* Seed bytes: at least the DRBG's 256-bit strength, at most what one
 * CTR-DRBG instantiation absorbs as entropy input. */
#define TLS_MBEDTLS_SEED_MIN 32u
#define TLS_MBEDTLS_SEED_MAX 256u

/* Largest private key file the loader takes (PEM text or DER). The decoded
 * DER lives on the stack while it is parsed: RSA-8192 needs about 4.8 KB. */
#define TLS_MBEDTLS_KEY_DER_MAX 8192u

/* The backend state a struct atoll_tls_crypto points at. Owned by the caller,
 * never copied after init (the DRBG holds a pointer back into it). */
struct tls_mbedtls_state {
    mbedtls_ctr_drbg_context drbg;
    uint8_t seed[TLS_MBEDTLS_SEED_MAX];  /* held during init only, then wiped */
    size_t seed_len;
};

/* A loaded private key, passed to ops->sign / ops->key_kind as `key`. */
struct tls_mbedtls_key {
    mbedtls_pk_context pk;
};

/* The function table; tls_crypto_mbedtls_init points c->ops at it. */
extern const struct atoll_tls_crypto_ops tls_crypto_mbedtls_ops;

/* Seeds the DRBG with seed[0 .. seed_len-1] (TLS_MBEDTLS_SEED_MIN ..
 * TLS_MBEDTLS_SEED_MAX bytes) and fills *c = { &tls_crypto_mbedtls_ops, st }.
 * The same seed gives the same random stream. Returns 0, ATOLL_TLS_CRYPTO_E_FAIL
 * for a seed of the wrong size or a DRBG failure. */
int tls_crypto_mbedtls_init(struct atoll_tls_crypto *c, struct tls_mbedtls_state *st, const uint8_t *seed,
                            size_t seed_len);
/* Wipes the DRBG state and the seed. */
void tls_crypto_mbedtls_free(struct tls_mbedtls_state *st);

/* Loads an unencrypted private key: DER (PKCS#1 RSA, SEC1 EC, PKCS#8) or
 * the same as PEM text ("-----BEGIN ... PRIVATE KEY-----", no NUL needed).
 * k needs no prior init. Returns 0; ATOLL_TLS_CRYPTO_E_SPACE when the key is
 * larger than TLS_MBEDTLS_KEY_DER_MAX; ATOLL_TLS_CRYPTO_E_FAIL when it does not
 * parse (k is left freed). A loaded key whose kind is ATOLL_TLS_KEY_NONE (RSA
 * under 2048 bits, another curve) loads but cannot sign. */
int tls_crypto_mbedtls_key_load(struct tls_mbedtls_key *k, const uint8_t *der_or_pem, size_t len);
void tls_crypto_mbedtls_key_free(struct tls_mbedtls_key *k);

#endif
