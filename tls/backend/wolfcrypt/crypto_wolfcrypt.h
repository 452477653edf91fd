/* SPDX-License-Identifier: Apache-2.0 */
/* Backend two for include/atoll/tls_crypto.h: wolfCrypt 5.5.4, built from Debian's
 * wolfssl source package as wolfCrypt only, with its x86-64 assembly
 * (AES-NI/PCLMUL GCM, AVX2 ChaCha20/Poly1305/SHA-2, SP ECC), chosen at run
 * time from CPUID (mk/wolfcrypt.sh). It is the fast backend; mbedtls stays
 * the portable, permissively licensed one.
 *
 * Licence: wolfCrypt is GPL-2.0-or-later. A program or image that links
 * this backend is GPL-2.0-or-later as a whole (README: "Crypto backends").
 *
 * Randomness is wolfCrypt's Hash-DRBG (SHA-256). Its entropy comes from
 * atoll_wolfcrypt_seed, a function of ours wolfCrypt calls by name
 * (CUSTOM_RAND_GENERATE_SEED): it expands the caller's seed, so a fixed seed
 * replays every key share, signature nonce and blinding value (tests,
 * fuzzing), and a reseed after wolfCrypt's interval draws from the same
 * expansion instead of failing. The platform passes real entropy as the
 * seed in production. wolfCrypt's seed hook takes no context, so the state
 * in use is remembered across calls: states are single-threaded, like the
 * engine (one at a time may be inside a call).
 *
 * wolfCrypt allocates only for the DRBG (once, at init) and inside RSA
 * and ECC operations (XMALLOC: malloc/free; the PVH image's pool).
 *
 * Error codes are those of crypto.h, with the same rules as the mbedtls
 * backend (tls/backend/crypto_mbedtls.h), so the engine's alerts do not
 * depend on the backend. */
#ifndef ATOLL_TLS_CRYPTO_WOLFCRYPT_H
#define ATOLL_TLS_CRYPTO_WOLFCRYPT_H

#include <stddef.h>
#include <stdint.h>

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>

#include "atoll/tls_crypto.h"

#define TLS_WOLFCRYPT_SEED_MIN 32u
#define TLS_WOLFCRYPT_SEED_MAX 256u
/* Largest private key file the loader takes (PEM text or DER). */
#define TLS_WOLFCRYPT_KEY_DER_MAX 8192u

struct tls_wolfcrypt_state {
    WC_RNG rng;
    uint8_t seed_key[32]; /* the caller's seed, condensed: what reseeds draw from */
    uint64_t seed_ctr;
    int live;
};

struct tls_wolfcrypt_key {
    enum atoll_tls_key_kind kind;
    int loaded;
    union {
        ecc_key ecc;
        RsaKey rsa;
    } k;
};

extern const struct atoll_tls_crypto_ops tls_crypto_wolfcrypt_ops;

/* Seeds the DRBG from seed[0 .. seed_len-1] (TLS_WOLFCRYPT_SEED_MIN ..
 * TLS_WOLFCRYPT_SEED_MAX bytes) and fills *c = { &tls_crypto_wolfcrypt_ops,
 * st }. The same seed gives the same random stream. Returns 0, or
 * ATOLL_TLS_CRYPTO_E_FAIL for a seed of the wrong size or a DRBG failure. */
int tls_crypto_wolfcrypt_init(struct atoll_tls_crypto *c, struct tls_wolfcrypt_state *st, const uint8_t *seed,
                              size_t seed_len);
/* Frees the DRBG and wipes the state. */
void tls_crypto_wolfcrypt_free(struct tls_wolfcrypt_state *st);

/* Loads an unencrypted private key, as the mbedtls loader does: DER
 * (PKCS#1 RSA, SEC1 EC, PKCS#8) or the same as PEM text. Returns 0;
 * ATOLL_TLS_CRYPTO_E_SPACE when larger than TLS_WOLFCRYPT_KEY_DER_MAX;
 * ATOLL_TLS_CRYPTO_E_FAIL when it does not parse (k is left freed). RSA under
 * 2048 bits loads with kind ATOLL_TLS_KEY_NONE; an EC key of a curve wolfCrypt
 * was not built for (not P-256 or P-384) does not parse, where mbedtls
 * loads it as ATOLL_TLS_KEY_NONE: the credential loader reads keys with mbedtls
 * first, so its message for such a key is the same with either backend. */
int tls_crypto_wolfcrypt_key_load(struct tls_wolfcrypt_key *k, const uint8_t *der_or_pem, size_t len);
void tls_crypto_wolfcrypt_key_free(struct tls_wolfcrypt_key *k);

#endif
