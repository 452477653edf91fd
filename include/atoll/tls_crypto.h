/* SPDX-License-Identifier: Apache-2.0 */
/* Atoll TLS: the one narrow interface between the TLS engine and crypto
 * (part of <atoll/tls.h>; no library of its own).
 *
 * The engine never names a crypto library: it calls through a table of
 * function pointers (struct atoll_tls_crypto_ops) and hands each function
 * back the opaque state pointer of struct atoll_tls_crypto. Ready tables
 * are in <atoll/tls_backend.h> (mbedtls, wolfCrypt); an embedder may bring
 * its own (a hardware engine, another library, a wrapper around a ready
 * table, as examples/tls_server does). A table of your own must:
 *
 *   1. Fill every pointer. Return 0 on success, a negative
 *      ATOLL_TLS_CRYPTO_E_* on failure; the engine's alerts hang on the
 *      meanings: _AUTH for a tag or signature that does not verify
 *      (bad_record_mac / decrypt_error), _PEER for an invalid key share
 *      (wrong length, not an uncompressed point, off the curve, an all-zero
 *      X25519 result: illegal_parameter), _UNSUPP for a scheme or group the
 *      key or table lacks, _FAIL for anything else (internal_error).
 *   2. Keep a running hash context within ATOLL_TLS_HASH_CTX_SIZE bytes and
 *      an AEAD context within ATOLL_TLS_AEAD_CTX_SIZE (check with
 *      _Static_assert): the engine copies transcripts by value, hash_final
 *      leaves the running context usable, and an AEAD context owns nothing
 *      outside itself (no allocation, no pointer into itself) so that
 *      aead_wipe only erases.
 *   3. Speak TLS's encodings: signatures as TLS sends them (DER ECDSA;
 *      RSA-PSS with salt length = hash length and MGF1 over the same hash),
 *      key shares in key_share form (32-byte X25519, uncompressed points).
 *   4. Draw randomness only through the state it is given (random,
 *      kex_keygen, sign): with a deterministic DRBG there, a fixed seed
 *      replays whole handshakes (tests, fuzzing, RFC 8448 traces).
 *   5. Be used from one thread per state, or be safe for more itself.
 * The engine calls no function of the table before init and none after
 * atoll_tls_release; it never frees anything of the table's.
 */
#ifndef ATOLL_TLS_CRYPTO_H
#define ATOLL_TLS_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <atoll/version.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ATOLL_TLS_CRYPTO_E_FAIL (-1)     /* backend failure (should not happen) */
#define ATOLL_TLS_CRYPTO_E_AUTH (-2)     /* AEAD tag or signature does not verify */
#define ATOLL_TLS_CRYPTO_E_PEER (-3)     /* peer key share is not a valid point */
#define ATOLL_TLS_CRYPTO_E_UNSUPP (-4)   /* algorithm not offered by this backend */
#define ATOLL_TLS_CRYPTO_E_SPACE (-5)    /* output buffer too small */

enum atoll_tls_hash_alg { ATOLL_TLS_HASH_SHA256 = 0, ATOLL_TLS_HASH_SHA384 = 1 };
#define ATOLL_TLS_HASH_MAX 48u
static inline size_t atoll_tls_hash_len(enum atoll_tls_hash_alg h) { return h == ATOLL_TLS_HASH_SHA384 ? 48u : 32u; }

enum atoll_tls_aead_alg { ATOLL_TLS_AEAD_AES_128_GCM = 0, ATOLL_TLS_AEAD_AES_256_GCM = 1, ATOLL_TLS_AEAD_CHACHA20_POLY1305 = 2 };
#define ATOLL_TLS_AEAD_KEY_MAX 32u
#define ATOLL_TLS_AEAD_NONCE_LEN 12u
#define ATOLL_TLS_AEAD_TAG_LEN 16u
static inline size_t atoll_tls_aead_key_len(enum atoll_tls_aead_alg a) { return a == ATOLL_TLS_AEAD_AES_128_GCM ? 16u : 32u; }

/* Named groups, by their IANA code points. */
#define ATOLL_TLS_GROUP_SECP256R1 0x0017u
#define ATOLL_TLS_GROUP_SECP384R1 0x0018u
#define ATOLL_TLS_GROUP_X25519 0x001Du
#define ATOLL_TLS_KEX_PRIV_MAX 48u   /* scalar bytes */
#define ATOLL_TLS_KEX_PUB_MAX 97u    /* uncompressed P-384 point */
#define ATOLL_TLS_KEX_SECRET_MAX 48u

/* Signature schemes, by their IANA code points. */
#define ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256 0x0403u
#define ATOLL_TLS_SIG_ECDSA_SECP384R1_SHA384 0x0503u
#define ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256 0x0804u
#define ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA384 0x0805u
#define ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA512 0x0806u
#define ATOLL_TLS_SIG_MAX 512u       /* RSA-4096 */

/* What a loaded private key can sign with. */
enum atoll_tls_key_kind { ATOLL_TLS_KEY_NONE = 0, ATOLL_TLS_KEY_ECDSA_P256 = 1, ATOLL_TLS_KEY_ECDSA_P384 = 2, ATOLL_TLS_KEY_RSA = 3 };

/* Running hash, copyable by value (a transcript snapshot is a copy).
 * The storage is sized for the largest backend context; each backend checks
 * at compile time that its context fits. */
#define ATOLL_TLS_HASH_CTX_SIZE 256u
struct atoll_tls_hash_ctx {
    ATOLL_ALIGNAS(16) uint8_t opaque[ATOLL_TLS_HASH_CTX_SIZE];
    enum atoll_tls_hash_alg alg;
};

/* One direction's expanded AEAD key (see aead_init below). The storage is
 * sized for the largest backend context; each backend checks at compile
 * time that its context fits. Two live in every connection, so it is kept
 * small: backends use table-free GHASH (PCLMUL) or a small table. */
#define ATOLL_TLS_AEAD_CTX_SIZE 352u
struct atoll_tls_aead_ctx {
    ATOLL_ALIGNAS(16) uint8_t opaque[ATOLL_TLS_AEAD_CTX_SIZE];
    enum atoll_tls_aead_alg alg;
    uint8_t live;   /* set by aead_init, cleared by aead_wipe */
};

struct atoll_tls_crypto_ops {
    const char *name;

    /* Hashing. final does not disturb ctx: the transcript keeps running. */
    int (*hash_init)(struct atoll_tls_hash_ctx *ctx, enum atoll_tls_hash_alg alg);
    int (*hash_update)(struct atoll_tls_hash_ctx *ctx, const uint8_t *data, size_t len);
    int (*hash_final)(const struct atoll_tls_hash_ctx *ctx, uint8_t *out);
    int (*hash)(enum atoll_tls_hash_alg alg, const uint8_t *data, size_t len, uint8_t *out);

    int (*hmac)(enum atoll_tls_hash_alg alg, const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                uint8_t *out);
    /* RFC 5869. prk has atoll_tls_hash_len(alg) bytes. */
    int (*hkdf_extract)(enum atoll_tls_hash_alg alg, const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                        size_t ikm_len, uint8_t *prk);
    int (*hkdf_expand)(enum atoll_tls_hash_alg alg, const uint8_t *prk, const uint8_t *info, size_t info_len,
                       uint8_t *out, size_t out_len);

    /* AEAD under a key expanded once: aead_init runs the key schedule (and
     * GHASH key or tables) when a traffic key is installed, aead_wipe erases
     * it when the key changes or the connection ends, and every record in
     * between only seals or opens. A context owns nothing outside itself
     * (no allocation, no pointer into itself): it may be copied by value,
     * and aead_wipe only erases it. A zeroed struct is an empty context;
     * wiping one, or wiping twice, is harmless. aead_init overwrites
     * whatever the context held.
     * seal/open take a complete nonce (the caller XORs the record sequence
     * into the IV). seal writes len + 16 bytes (ciphertext then tag); open
     * takes len >= 16 (ciphertext then tag) and writes len - 16 bytes, or
     * returns ATOLL_TLS_CRYPTO_E_AUTH and leaves out unspecified. in == out is
     * allowed. Both return ATOLL_TLS_CRYPTO_E_FAIL on a context that is not live. */
    int (*aead_init)(struct atoll_tls_aead_ctx *ctx, enum atoll_tls_aead_alg alg, const uint8_t *key);
    int (*aead_seal)(struct atoll_tls_aead_ctx *ctx, const uint8_t nonce[ATOLL_TLS_AEAD_NONCE_LEN], const uint8_t *aad,
                     size_t aad_len, const uint8_t *in, size_t len, uint8_t *out);
    int (*aead_open)(struct atoll_tls_aead_ctx *ctx, const uint8_t nonce[ATOLL_TLS_AEAD_NONCE_LEN], const uint8_t *aad,
                     size_t aad_len, const uint8_t *in, size_t len, uint8_t *out);
    void (*aead_wipe)(struct atoll_tls_aead_ctx *ctx);

    /* Randomness from the backend's DRBG (seeded by the caller). */
    int (*random)(void *state, uint8_t *out, size_t len);

    /* Ephemeral key exchange: a fresh key pair for group; pub is the
     * key_share encoding (32 bytes for x25519, uncompressed point for the
     * NIST curves). shared rejects an invalid peer share with
     * ATOLL_TLS_CRYPTO_E_PEER (wrong length, point not on the curve, all-zero
     * x25519 result). */
    int (*kex_keygen)(void *state, uint16_t group, uint8_t *priv, size_t *priv_len, uint8_t *pub, size_t *pub_len);
    int (*kex_shared)(void *state, uint16_t group, const uint8_t *priv, size_t priv_len, const uint8_t *peer,
                      size_t peer_len, uint8_t *secret, size_t *secret_len);

    /* Signatures over msg (the scheme's hash is applied by the backend).
     * key is a backend private key (see the backend's loader). */
    enum atoll_tls_key_kind (*key_kind)(const void *key);
    int (*sign)(void *state, const void *key, uint16_t scheme, const uint8_t *msg, size_t msg_len, uint8_t *sig,
                size_t sig_cap, size_t *sig_len);
    /* Verifies with the public key of a DER certificate (client side). */
    int (*verify_with_cert)(const uint8_t *cert_der, size_t cert_len, uint16_t scheme, const uint8_t *msg,
                            size_t msg_len, const uint8_t *sig, size_t sig_len);
};

/* What the engine holds: the table and the backend state it passes back. */
struct atoll_tls_crypto {
    const struct atoll_tls_crypto_ops *ops;
    void *state;
};

#ifdef __cplusplus
}
#endif

#endif
