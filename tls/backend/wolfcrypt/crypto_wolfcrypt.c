/* SPDX-License-Identifier: Apache-2.0 */
/* include/atoll/tls_crypto.h over wolfCrypt. The running hashes and the expanded AEAD
 * keys live inside the engine's own structs (atoll_tls_hash_ctx, atoll_tls_aead_ctx);
 * EC and RSA keys of the handshake are loaded per call, as in the mbedtls
 * backend, so the engine holds nothing of wolfCrypt between calls. */
#include "tls/backend/wolfcrypt/crypto_wolfcrypt.h"

#include <string.h>

#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>
#include <wolfssl/wolfcrypt/coding.h>
#include <wolfssl/wolfcrypt/curve25519.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/sha256.h>
#include <wolfssl/wolfcrypt/sha512.h>

#include "tls/backend/backend.h"
#include "tls/pem.h"
#include "tls/wipe.h"

_Static_assert(sizeof(wc_Sha256) <= ATOLL_TLS_HASH_CTX_SIZE, "sha256 context fits atoll_tls_hash_ctx");
_Static_assert(sizeof(wc_Sha384) <= ATOLL_TLS_HASH_CTX_SIZE, "sha384 context fits atoll_tls_hash_ctx");
_Static_assert(_Alignof(wc_Sha256) <= 16 && _Alignof(wc_Sha384) <= 16, "hash context alignment");
_Static_assert(sizeof(Aes) <= ATOLL_TLS_AEAD_CTX_SIZE, "AES-GCM context fits atoll_tls_aead_ctx");
_Static_assert(_Alignof(Aes) <= 16, "AES-GCM context alignment");

static wc_Sha256 *sha256_of(struct atoll_tls_hash_ctx *c)
{
    return (wc_Sha256 *)(void *)c->opaque;
}

static wc_Sha384 *sha384_of(struct atoll_tls_hash_ctx *c)
{
    return (wc_Sha384 *)(void *)c->opaque;
}

static int wc_type_of(enum atoll_tls_hash_alg alg)
{
    return alg == ATOLL_TLS_HASH_SHA384 ? WC_SHA384 : WC_SHA256;
}

static int known_hash(enum atoll_tls_hash_alg alg)
{
    return alg == ATOLL_TLS_HASH_SHA256 || alg == ATOLL_TLS_HASH_SHA384;
}

/* ---- hashing ---------------------------------------------------------- */

static int hash_init(struct atoll_tls_hash_ctx *ctx, enum atoll_tls_hash_alg alg)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->alg = alg;
    int r;
    if (alg == ATOLL_TLS_HASH_SHA256)
        r = wc_InitSha256_ex(sha256_of(ctx), NULL, INVALID_DEVID);
    else if (alg == ATOLL_TLS_HASH_SHA384)
        r = wc_InitSha384_ex(sha384_of(ctx), NULL, INVALID_DEVID);
    else
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

static int hash_update(struct atoll_tls_hash_ctx *ctx, const uint8_t *data, size_t len)
{
    if (len > UINT32_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    int r;
    if (ctx->alg == ATOLL_TLS_HASH_SHA256)
        r = wc_Sha256Update(sha256_of(ctx), data, (word32)len);
    else if (ctx->alg == ATOLL_TLS_HASH_SHA384)
        r = wc_Sha384Update(sha384_of(ctx), data, (word32)len);
    else
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

/* Finishes a copy: the transcript keeps running in ctx. */
static int hash_final(const struct atoll_tls_hash_ctx *ctx, uint8_t *out)
{
    struct atoll_tls_hash_ctx copy;
    int r;
    copy.alg = ctx->alg;
    if (ctx->alg == ATOLL_TLS_HASH_SHA256) {
        r = wc_Sha256Copy((wc_Sha256 *)(void *)ctx->opaque, sha256_of(&copy));
        if (r == 0)
            r = wc_Sha256Final(sha256_of(&copy), out);
        wc_Sha256Free(sha256_of(&copy));
    } else if (ctx->alg == ATOLL_TLS_HASH_SHA384) {
        r = wc_Sha384Copy((wc_Sha384 *)(void *)ctx->opaque, sha384_of(&copy));
        if (r == 0)
            r = wc_Sha384Final(sha384_of(&copy), out);
        wc_Sha384Free(sha384_of(&copy));
    } else {
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    }
    tls_wipe(&copy, sizeof copy);
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

static int hash_oneshot(enum atoll_tls_hash_alg alg, const uint8_t *data, size_t len, uint8_t *out)
{
    if (len > UINT32_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    int r;
    if (alg == ATOLL_TLS_HASH_SHA256)
        r = wc_Sha256Hash(data, (word32)len, out);
    else if (alg == ATOLL_TLS_HASH_SHA384)
        r = wc_Sha384Hash(data, (word32)len, out);
    else
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

static int hmac(enum atoll_tls_hash_alg alg, const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                uint8_t *out)
{
    if (!known_hash(alg))
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    if (key_len > UINT32_MAX || len > UINT32_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    Hmac h;
    int r = wc_HmacInit(&h, NULL, INVALID_DEVID);
    if (r == 0)
        r = wc_HmacSetKey(&h, wc_type_of(alg), key, (word32)key_len);
    if (r == 0)
        r = wc_HmacUpdate(&h, data, (word32)len);
    if (r == 0)
        r = wc_HmacFinal(&h, out);
    wc_HmacFree(&h);
    tls_wipe(&h, sizeof h);
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

static int hkdf_extract(enum atoll_tls_hash_alg alg, const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                        size_t ikm_len, uint8_t *prk)
{
    if (!known_hash(alg))
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    if (salt_len > UINT32_MAX || ikm_len > UINT32_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    return wc_HKDF_Extract(wc_type_of(alg), salt, (word32)salt_len, ikm, (word32)ikm_len, prk) == 0
               ? 0
               : ATOLL_TLS_CRYPTO_E_FAIL;
}

static int hkdf_expand(enum atoll_tls_hash_alg alg, const uint8_t *prk, const uint8_t *info, size_t info_len, uint8_t *out,
                       size_t out_len)
{
    if (!known_hash(alg))
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    /* RFC 5869: at most 255 blocks */
    if (info_len > UINT32_MAX || out_len > 255u * atoll_tls_hash_len(alg))
        return ATOLL_TLS_CRYPTO_E_FAIL;
    return wc_HKDF_Expand(wc_type_of(alg), prk, (word32)atoll_tls_hash_len(alg), info, (word32)info_len, out,
                          (word32)out_len) == 0
               ? 0
               : ATOLL_TLS_CRYPTO_E_FAIL;
}

/* ---- AEAD ------------------------------------------------------------- */

/* AES-GCM keeps wolfCrypt's Aes in the context: the key schedule and the
 * hash key H, set up once (with AES-NI the GHASH runs on PCLMUL from H,
 * without a table). ChaCha20-Poly1305 has no schedule worth keeping:
 * wolfCrypt's one-shot call takes the key itself. */
static Aes *aes_of(struct atoll_tls_aead_ctx *c)
{
    return (Aes *)(void *)c->opaque;
}

static int is_gcm(enum atoll_tls_aead_alg alg)
{
    return alg == ATOLL_TLS_AEAD_AES_128_GCM || alg == ATOLL_TLS_AEAD_AES_256_GCM;
}

static void aead_wipe(struct atoll_tls_aead_ctx *ctx)
{
    if (ctx->live && is_gcm(ctx->alg))
        wc_AesFree(aes_of(ctx));
    tls_wipe(ctx, sizeof *ctx);
}

static int aead_init(struct atoll_tls_aead_ctx *ctx, enum atoll_tls_aead_alg alg, const uint8_t *key)
{
    aead_wipe(ctx);
    if (is_gcm(alg)) {
        if (wc_AesInit(aes_of(ctx), NULL, INVALID_DEVID) != 0 ||
            wc_AesGcmSetKey(aes_of(ctx), key, (word32)atoll_tls_aead_key_len(alg)) != 0) {
            tls_wipe(ctx, sizeof *ctx);
            return ATOLL_TLS_CRYPTO_E_FAIL;
        }
    } else if (alg == ATOLL_TLS_AEAD_CHACHA20_POLY1305) {
        memcpy(ctx->opaque, key, CHACHA20_POLY1305_AEAD_KEYSIZE);
    } else {
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    }
    ctx->alg = alg;
    ctx->live = 1;
    return 0;
}

/* wolfCrypt refuses NULL buffers even for zero lengths. */
static const uint8_t *or_empty(const uint8_t *p)
{
    static const uint8_t empty[1];
    return p != NULL ? p : empty;
}

static int aead_seal(struct atoll_tls_aead_ctx *ctx, const uint8_t nonce[ATOLL_TLS_AEAD_NONCE_LEN], const uint8_t *aad,
                     size_t aad_len, const uint8_t *in, size_t len, uint8_t *out)
{
    if (!ctx->live)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    if (len > UINT32_MAX || aad_len > UINT32_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    int r;
    if (is_gcm(ctx->alg))
        r = wc_AesGcmEncrypt(aes_of(ctx), out, or_empty(in), (word32)len, nonce, ATOLL_TLS_AEAD_NONCE_LEN, out + len,
                             ATOLL_TLS_AEAD_TAG_LEN, or_empty(aad), (word32)aad_len);
    else
        r = wc_ChaCha20Poly1305_Encrypt(ctx->opaque, nonce, or_empty(aad), (word32)aad_len, or_empty(in),
                                        (word32)len, out, out + len);
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

/* The tag comparison is wolfCrypt's (constant time). */
static int aead_open(struct atoll_tls_aead_ctx *ctx, const uint8_t nonce[ATOLL_TLS_AEAD_NONCE_LEN], const uint8_t *aad,
                     size_t aad_len, const uint8_t *in, size_t len, uint8_t *out)
{
    if (!ctx->live)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    if (len < ATOLL_TLS_AEAD_TAG_LEN)
        return ATOLL_TLS_CRYPTO_E_AUTH;
    if (len > UINT32_MAX || aad_len > UINT32_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    size_t n = len - ATOLL_TLS_AEAD_TAG_LEN;
    /* the tag is read after the ciphertext is decrypted in place over it */
    uint8_t tag[ATOLL_TLS_AEAD_TAG_LEN];
    memcpy(tag, in + n, sizeof tag);
    uint8_t scratch[1];
    uint8_t *dst = n > 0 ? out : scratch;
    int r;
    if (is_gcm(ctx->alg)) {
        r = wc_AesGcmDecrypt(aes_of(ctx), dst, or_empty(in), (word32)n, nonce, ATOLL_TLS_AEAD_NONCE_LEN, tag,
                             ATOLL_TLS_AEAD_TAG_LEN, or_empty(aad), (word32)aad_len);
        if (r == AES_GCM_AUTH_E)
            return ATOLL_TLS_CRYPTO_E_AUTH;
    } else {
        r = wc_ChaCha20Poly1305_Decrypt(ctx->opaque, nonce, or_empty(aad), (word32)aad_len, or_empty(in), (word32)n,
                                        tag, dst);
        if (r == MAC_CMP_FAILED_E)
            return ATOLL_TLS_CRYPTO_E_AUTH;
    }
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

/* ---- DRBG ------------------------------------------------------------- */

/* The state whose seed wolfCrypt's seed hook expands: set around every
 * call that may instantiate or reseed the DRBG. */
static struct tls_wolfcrypt_state *seeding;

/* wolfCrypt's entropy: SHA-256(seed_key || counter) blocks, so the stream
 * is a function of the caller's seed and never runs dry. */
int atoll_wolfcrypt_seed(OS_Seed *os, byte *out, word32 sz)
{
    (void)os;
    struct tls_wolfcrypt_state *st = seeding;
    if (st == NULL)
        return RNG_FAILURE_E;
    while (sz > 0) {
        uint8_t in[40], block[WC_SHA256_DIGEST_SIZE];
        memcpy(in, st->seed_key, 32);
        for (int i = 0; i < 8; i++)
            in[32 + i] = (uint8_t)(st->seed_ctr >> (8 * i));
        st->seed_ctr++;
        if (wc_Sha256Hash(in, sizeof in, block) != 0)
            return RNG_FAILURE_E;
        word32 n = sz < sizeof block ? sz : (word32)sizeof block;
        memcpy(out, block, n);
        tls_wipe(in, sizeof in);
        tls_wipe(block, sizeof block);
        out += n;
        sz -= n;
    }
    return 0;
}

static WC_RNG *rng_of(void *state)
{
    struct tls_wolfcrypt_state *st = state;
    seeding = st;
    return &st->rng;
}

static int random_bytes(void *state, uint8_t *out, size_t len)
{
    WC_RNG *rng = rng_of(state);
    while (len > 0) {
        word32 n = len < RNG_MAX_BLOCK_LEN ? (word32)len : RNG_MAX_BLOCK_LEN;
        if (wc_RNG_GenerateBlock(rng, out, n) != 0)
            return ATOLL_TLS_CRYPTO_E_FAIL;
        out += n;
        len -= n;
    }
    return 0;
}

int tls_crypto_wolfcrypt_init(struct atoll_tls_crypto *c, struct tls_wolfcrypt_state *st, const uint8_t *seed,
                              size_t seed_len)
{
    if (seed_len < TLS_WOLFCRYPT_SEED_MIN || seed_len > TLS_WOLFCRYPT_SEED_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    memset(st, 0, sizeof *st);
    if (wolfCrypt_Init() != 0 || wc_Sha256Hash(seed, (word32)seed_len, st->seed_key) != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    seeding = st;
    if (wc_InitRng(&st->rng) != 0) {
        tls_wipe(st, sizeof *st);
        return ATOLL_TLS_CRYPTO_E_FAIL;
    }
    st->live = 1;
    c->ops = &tls_crypto_wolfcrypt_ops;
    c->state = st;
    return 0;
}

void tls_crypto_wolfcrypt_free(struct tls_wolfcrypt_state *st)
{
    if (st->live)
        wc_FreeRng(&st->rng);
    if (seeding == st)
        seeding = NULL;
    tls_wipe(st, sizeof *st);
}

/* ---- key exchange ----------------------------------------------------- */

struct group_info {
    int curve_id;      /* wolfCrypt's ECC curve, or ECC_X25519 */
    size_t scalar_len; /* private key and shared secret bytes */
    size_t share_len;  /* key_share bytes */
};

static int group_of(uint16_t group, struct group_info *g)
{
    if (group == ATOLL_TLS_GROUP_X25519)
        *g = (struct group_info){ECC_X25519, 32, 32};
    else if (group == ATOLL_TLS_GROUP_SECP256R1)
        *g = (struct group_info){ECC_SECP256R1, 32, 65};
    else if (group == ATOLL_TLS_GROUP_SECP384R1)
        *g = (struct group_info){ECC_SECP384R1, 48, 97};
    else
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    return 0;
}

static int x25519_keygen(WC_RNG *rng, uint8_t *priv, uint8_t *pub)
{
    curve25519_key k;
    word32 pl = 32, ql = 32;
    int r = wc_curve25519_init(&k);
    if (r == 0)
        r = wc_curve25519_make_key(rng, 32, &k);
    /* RFC 7748 scalars and u-coordinates are little-endian */
    if (r == 0)
        r = wc_curve25519_export_private_raw_ex(&k, priv, &pl, EC25519_LITTLE_ENDIAN);
    if (r == 0)
        r = wc_curve25519_export_public_ex(&k, pub, &ql, EC25519_LITTLE_ENDIAN);
    wc_curve25519_free(&k);
    return r == 0 && pl == 32 && ql == 32 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

static int ecc_keygen(WC_RNG *rng, const struct group_info *gi, uint8_t *priv, uint8_t *pub)
{
    ecc_key k;
    word32 pl = (word32)gi->scalar_len, ql = (word32)gi->share_len;
    int r = wc_ecc_init_ex(&k, NULL, INVALID_DEVID);
    if (r != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    r = wc_ecc_make_key_ex(rng, (int)gi->scalar_len, &k, gi->curve_id);
    if (r == 0)
        r = wc_ecc_export_x963(&k, pub, &ql);
    if (r == 0)
        r = wc_ecc_export_private_only(&k, priv, &pl);
    wc_ecc_free(&k);
    return r == 0 && pl == gi->scalar_len && ql == gi->share_len ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

static int kex_keygen(void *state, uint16_t group, uint8_t *priv, size_t *priv_len, uint8_t *pub, size_t *pub_len)
{
    struct group_info gi;
    if (group_of(group, &gi) != 0)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    WC_RNG *rng = rng_of(state);
    int r = group == ATOLL_TLS_GROUP_X25519 ? x25519_keygen(rng, priv, pub) : ecc_keygen(rng, &gi, priv, pub);
    if (r != 0) {
        tls_wipe(priv, gi.scalar_len);
        return r;
    }
    *priv_len = gi.scalar_len;
    *pub_len = gi.share_len;
    return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

static int x25519_shared(const uint8_t *priv, const uint8_t *peer, uint8_t *secret)
{
    curve25519_key k, p;
    word32 sl = 32;
    int ret = ATOLL_TLS_CRYPTO_E_FAIL;
    if (wc_curve25519_init(&k) != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    if (wc_curve25519_init(&p) != 0) {
        wc_curve25519_free(&k);
        return ATOLL_TLS_CRYPTO_E_FAIL;
    }
    /* RFC 7748 §5: the top bit of the peer's u-coordinate is ignored, as
     * is any non-canonical value: no point check can refuse a share here;
     * the all-zero result below does. */
    uint8_t u[32];
    memcpy(u, peer, 32);
    u[31] &= 0x7f;
    if (wc_curve25519_import_private_ex(priv, 32, &k, EC25519_LITTLE_ENDIAN) != 0)
        goto out;
    if (wc_curve25519_import_public_ex(u, 32, &p, EC25519_LITTLE_ENDIAN) != 0) {
        ret = ATOLL_TLS_CRYPTO_E_PEER;
        goto out;
    }
    int r = wc_curve25519_shared_secret_ex(&k, &p, secret, &sl, EC25519_LITTLE_ENDIAN);
    if (r == ECC_OUT_OF_RANGE_E || r == ECC_BAD_ARG_E) {
        ret = ATOLL_TLS_CRYPTO_E_PEER;
        goto out;
    }
    if (r != 0 || sl != 32)
        goto out;
    /* RFC 7748 §6.1 / RFC 8446 §7.4.2: an all-zero value is refused */
    if (all_zero(secret, 32)) {
        tls_wipe(secret, 32);
        ret = ATOLL_TLS_CRYPTO_E_PEER;
        goto out;
    }
    ret = 0;
out:
    wc_curve25519_free(&k);
    wc_curve25519_free(&p);
    return ret;
}

static int ecc_shared(WC_RNG *rng, const struct group_info *gi, const uint8_t *priv, const uint8_t *peer,
                      uint8_t *secret)
{
    ecc_key k, p;
    word32 sl = (word32)gi->scalar_len;
    int ret = ATOLL_TLS_CRYPTO_E_FAIL;
    if (wc_ecc_init_ex(&k, NULL, INVALID_DEVID) != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    if (wc_ecc_init_ex(&p, NULL, INVALID_DEVID) != 0) {
        wc_ecc_free(&k);
        return ATOLL_TLS_CRYPTO_E_FAIL;
    }
    if (wc_ecc_import_private_key_ex(priv, (word32)gi->scalar_len, NULL, 0, &k, gi->curve_id) != 0)
        goto out;
    /* the share must be a point of the curve (no invalid-curve points) */
    if (wc_ecc_import_x963_ex(peer, (word32)gi->share_len, &p, gi->curve_id) != 0 || wc_ecc_check_key(&p) != 0) {
        ret = ATOLL_TLS_CRYPTO_E_PEER;
        goto out;
    }
    if (wc_ecc_set_rng(&k, rng) != 0)
        goto out;
    int r = wc_ecc_shared_secret(&k, &p, secret, &sl);
    if (r == ECC_INF_E || r == ECC_OUT_OF_RANGE_E) {
        ret = ATOLL_TLS_CRYPTO_E_PEER;
        goto out;
    }
    if (r != 0 || sl != gi->scalar_len)
        goto out;
    ret = 0;
out:
    wc_ecc_free(&k);
    wc_ecc_free(&p);
    return ret;
}

static int kex_shared(void *state, uint16_t group, const uint8_t *priv, size_t priv_len, const uint8_t *peer,
                      size_t peer_len, uint8_t *secret, size_t *secret_len)
{
    struct group_info gi;
    if (group_of(group, &gi) != 0)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    if (priv_len != gi.scalar_len)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    /* exactly the group's encoding; for the NIST curves only the
     * uncompressed form (RFC 8446 §4.2.8.2) */
    if (peer_len != gi.share_len || (group != ATOLL_TLS_GROUP_X25519 && peer[0] != 0x04))
        return ATOLL_TLS_CRYPTO_E_PEER;
    WC_RNG *rng = rng_of(state);
    int r = group == ATOLL_TLS_GROUP_X25519 ? x25519_shared(priv, peer, secret) : ecc_shared(rng, &gi, priv, peer, secret);
    if (r != 0)
        return r;
    *secret_len = gi.scalar_len;
    return 0;
}

/* ---- signatures ------------------------------------------------------- */

struct scheme_info {
    enum wc_HashType hash;
    int mgf;
    size_t hash_len;
    enum atoll_tls_key_kind kind; /* the key a scheme needs */
};

static int scheme_of(uint16_t scheme, struct scheme_info *s)
{
    if (scheme == ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256)
        *s = (struct scheme_info){WC_HASH_TYPE_SHA256, 0, 32, ATOLL_TLS_KEY_ECDSA_P256};
    else if (scheme == ATOLL_TLS_SIG_ECDSA_SECP384R1_SHA384)
        *s = (struct scheme_info){WC_HASH_TYPE_SHA384, 0, 48, ATOLL_TLS_KEY_ECDSA_P384};
    else if (scheme == ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256)
        *s = (struct scheme_info){WC_HASH_TYPE_SHA256, WC_MGF1SHA256, 32, ATOLL_TLS_KEY_RSA};
    else if (scheme == ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA384)
        *s = (struct scheme_info){WC_HASH_TYPE_SHA384, WC_MGF1SHA384, 48, ATOLL_TLS_KEY_RSA};
    else if (scheme == ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA512)
        *s = (struct scheme_info){WC_HASH_TYPE_SHA512, WC_MGF1SHA512, 64, ATOLL_TLS_KEY_RSA};
    else
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    return 0;
}

static int digest(const struct scheme_info *si, const uint8_t *msg, size_t msg_len, uint8_t *out)
{
    if (msg_len > UINT32_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    return wc_Hash(si->hash, msg, (word32)msg_len, out, (word32)si->hash_len) == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

static enum atoll_tls_key_kind ecc_kind(const ecc_key *k)
{
    if (k->dp == NULL)
        return ATOLL_TLS_KEY_NONE;
    if (k->dp->id == ECC_SECP256R1)
        return ATOLL_TLS_KEY_ECDSA_P256;
    if (k->dp->id == ECC_SECP384R1)
        return ATOLL_TLS_KEY_ECDSA_P384;
    return ATOLL_TLS_KEY_NONE;
}

static enum atoll_tls_key_kind key_kind(const void *key)
{
    const struct tls_wolfcrypt_key *k = key;
    return k->loaded ? k->kind : ATOLL_TLS_KEY_NONE;
}

static int sign(void *state, const void *key, uint16_t scheme, const uint8_t *msg, size_t msg_len, uint8_t *sig,
                size_t sig_cap, size_t *sig_len)
{
    /* wolfCrypt's key objects are not const in its API (RSA blinding and
     * the ECC RNG are set on them); signing does not change the key. */
    struct tls_wolfcrypt_key *k = (struct tls_wolfcrypt_key *)(uintptr_t)key;
    struct scheme_info si;
    if (scheme_of(scheme, &si) != 0 || key_kind(k) != si.kind)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    uint8_t hash[64];
    if (digest(&si, msg, msg_len, hash) != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    WC_RNG *rng = rng_of(state);
    uint8_t buf[ATOLL_TLS_SIG_MAX];
    word32 n = sizeof buf;
    int r;
    if (si.kind == ATOLL_TLS_KEY_RSA) {
        /* PSS with MGF1 over the same hash, salt length = hash length
         * (RFC 8446 §4.2.3) */
        if (wc_RsaEncryptSize(&k->k.rsa) > (int)sizeof buf || wc_RsaSetRNG(&k->k.rsa, rng) != 0)
            return ATOLL_TLS_CRYPTO_E_FAIL;
        r = wc_RsaPSS_Sign_ex(hash, (word32)si.hash_len, buf, n, si.hash, si.mgf, (int)si.hash_len, &k->k.rsa, rng);
        if (r > 0) {
            n = (word32)r;
            r = 0;
        }
    } else {
        /* DER-encoded ECDSA-Sig-Value, as TLS carries it */
        r = wc_ecc_sign_hash(hash, (word32)si.hash_len, buf, &n, rng, &k->k.ecc);
    }
    if (r != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    if (n > sig_cap)
        return ATOLL_TLS_CRYPTO_E_SPACE;
    memcpy(sig, buf, n);
    *sig_len = n;
    return 0;
}

/* The public key of a DER certificate, as a SubjectPublicKeyInfo. */
static int cert_public_key(const uint8_t *cert_der, size_t cert_len, uint8_t *spki, word32 *spki_len, word32 *oid)
{
    if (cert_len > UINT32_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    DecodedCert dc;
    wc_InitDecodedCert(&dc, cert_der, (word32)cert_len, NULL);
    int r = wc_ParseCert(&dc, CERT_TYPE, NO_VERIFY, NULL);
    if (r == 0) {
        *oid = dc.keyOID;
        r = wc_GetPubKeyDerFromCert(&dc, spki, spki_len);
    }
    wc_FreeDecodedCert(&dc);
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

static int verify_with_cert(const uint8_t *cert_der, size_t cert_len, uint16_t scheme, const uint8_t *msg,
                            size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    struct scheme_info si;
    if (scheme_of(scheme, &si) != 0)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    if (sig_len > UINT32_MAX)
        return ATOLL_TLS_CRYPTO_E_AUTH;
    uint8_t hash[64];
    if (digest(&si, msg, msg_len, hash) != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    uint8_t spki[ATOLL_TLS_SIG_MAX + 128];
    word32 spki_len = sizeof spki, oid = 0, idx = 0;
    if (cert_public_key(cert_der, cert_len, spki, &spki_len, &oid) != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    int ret = ATOLL_TLS_CRYPTO_E_AUTH;
    if (oid == ECDSAk) {
        ecc_key k;
        if (wc_ecc_init_ex(&k, NULL, INVALID_DEVID) != 0)
            return ATOLL_TLS_CRYPTO_E_FAIL;
        int res = 0;
        if (wc_EccPublicKeyDecode(spki, &idx, &k, spki_len) != 0)
            ret = ATOLL_TLS_CRYPTO_E_FAIL;
        else if (ecc_kind(&k) != si.kind)
            ret = ATOLL_TLS_CRYPTO_E_UNSUPP;
        else if (wc_ecc_verify_hash(sig, (word32)sig_len, hash, (word32)si.hash_len, &res, &k) == 0 && res == 1)
            ret = 0;
        wc_ecc_free(&k);
    } else if (oid == RSAk) {
        if (si.kind != ATOLL_TLS_KEY_RSA)
            return ATOLL_TLS_CRYPTO_E_UNSUPP;
        RsaKey k;
        if (wc_InitRsaKey(&k, NULL) != 0)
            return ATOLL_TLS_CRYPTO_E_FAIL;
        uint8_t out[ATOLL_TLS_SIG_MAX];
        if (wc_RsaPublicKeyDecode(spki, &idx, &k, spki_len) != 0)
            ret = ATOLL_TLS_CRYPTO_E_FAIL;
        else if (sig_len == (size_t)wc_RsaEncryptSize(&k) &&
                 wc_RsaPSS_VerifyCheck((byte *)(uintptr_t)sig, (word32)sig_len, out, sizeof out, hash,
                                       (word32)si.hash_len, si.hash, si.mgf, &k) > 0)
            ret = 0;
        wc_FreeRsaKey(&k);
    } else {
        ret = ATOLL_TLS_CRYPTO_E_UNSUPP;
    }
    return ret;
}

/* ---- private keys ----------------------------------------------------- */

static int decode_key_der(struct tls_wolfcrypt_key *k, uint8_t *der, word32 der_len)
{
    /* PKCS#8 wraps the traditional form: step inside when it is there
     * (the call returns the inner length and moves start to it) */
    word32 start = 0;
    word32 base = wc_GetPkcs8TraditionalOffset(der, &start, der_len) >= 0 ? start : 0;
    word32 idx = base;
    if (wc_ecc_init_ex(&k->k.ecc, NULL, INVALID_DEVID) == 0) {
        if (wc_EccPrivateKeyDecode(der, &idx, &k->k.ecc, der_len) == 0) {
            k->kind = ecc_kind(&k->k.ecc);
            k->loaded = 1;
            return 0;
        }
        wc_ecc_free(&k->k.ecc);
    }
    idx = base;
    if (wc_InitRsaKey(&k->k.rsa, NULL) == 0) {
        if (wc_RsaPrivateKeyDecode(der, &idx, &k->k.rsa, der_len) == 0) {
            k->kind = wc_RsaEncryptSize(&k->k.rsa) >= 256 ? ATOLL_TLS_KEY_RSA : ATOLL_TLS_KEY_NONE;
            k->loaded = 2;
            return 0;
        }
        wc_FreeRsaKey(&k->k.rsa);
    }
    return ATOLL_TLS_CRYPTO_E_FAIL;
}

int tls_crypto_wolfcrypt_key_load(struct tls_wolfcrypt_key *k, const uint8_t *der_or_pem, size_t len)
{
    memset(k, 0, sizeof *k);
    uint8_t buf[TLS_WOLFCRYPT_KEY_DER_MAX];
    word32 der_len;
    if (tls_pem_is_pem(der_or_pem, len)) {
        struct tls_pem_block b;
        size_t pos = 0;
        int found;
        while ((found = tls_pem_next(der_or_pem, len, &pos, &b)) == 1 && !tls_pem_label_ends_with(&b, "PRIVATE KEY"))
            ;
        if (found != 1)
            return ATOLL_TLS_CRYPTO_E_FAIL;
        /* base64 of more than the buffer can hold */
        if (b.body_len / 4u * 3u > sizeof buf + 3u)
            return ATOLL_TLS_CRYPTO_E_SPACE;
        der_len = sizeof buf;
        if (Base64_Decode(b.body, (word32)b.body_len, buf, &der_len) != 0) {
            tls_wipe(buf, sizeof buf);
            return ATOLL_TLS_CRYPTO_E_FAIL;
        }
    } else {
        if (len > sizeof buf)
            return ATOLL_TLS_CRYPTO_E_SPACE;
        memcpy(buf, der_or_pem, len);
        der_len = (word32)len;
    }
    int r = decode_key_der(k, buf, der_len);
    tls_wipe(buf, sizeof buf);
    if (r != 0)
        memset(k, 0, sizeof *k);
    return r;
}

void tls_crypto_wolfcrypt_key_free(struct tls_wolfcrypt_key *k)
{
    if (k->loaded == 1)
        wc_ecc_free(&k->k.ecc);
    else if (k->loaded == 2)
        wc_FreeRsaKey(&k->k.rsa);
    tls_wipe(k, sizeof *k);
}

const struct atoll_tls_crypto_ops tls_crypto_wolfcrypt_ops = {
    .name = "wolfcrypt",
    .hash_init = hash_init,
    .hash_update = hash_update,
    .hash_final = hash_final,
    .hash = hash_oneshot,
    .hmac = hmac,
    .hkdf_extract = hkdf_extract,
    .hkdf_expand = hkdf_expand,
    .aead_init = aead_init,
    .aead_seal = aead_seal,
    .aead_open = aead_open,
    .aead_wipe = aead_wipe,
    .random = random_bytes,
    .kex_keygen = kex_keygen,
    .kex_shared = kex_shared,
    .key_kind = key_kind,
    .sign = sign,
    .verify_with_cert = verify_with_cert,
};

static int backend_init(struct atoll_tls_crypto *c, void *state, const uint8_t *seed, size_t seed_len)
{
    return tls_crypto_wolfcrypt_init(c, state, seed, seed_len);
}

static void backend_release(void *state)
{
    tls_crypto_wolfcrypt_free(state);
}

static int backend_key_load(void *key, const uint8_t *der_or_pem, size_t len)
{
    return tls_crypto_wolfcrypt_key_load(key, der_or_pem, len);
}

static void backend_key_free(void *key)
{
    tls_crypto_wolfcrypt_key_free(key);
}

_Static_assert(sizeof(struct tls_wolfcrypt_state) <= ATOLL_TLS_BACKEND_STATE_MAX, "state fits a backend's storage");
_Static_assert(sizeof(struct tls_wolfcrypt_key) <= ATOLL_TLS_BACKEND_KEY_MAX, "key fits a backend's storage");

const struct atoll_tls_backend atoll_tls_backend_wolfcrypt = {
    .name = "wolfcrypt",
    .licence = "GPL-2.0-or-later",
    .ops = &tls_crypto_wolfcrypt_ops,
    .state_size = sizeof(struct tls_wolfcrypt_state),
    .key_size = sizeof(struct tls_wolfcrypt_key),
    .init = backend_init,
    .release = backend_release,
    .key_load = backend_key_load,
    .key_free = backend_key_free,
};
