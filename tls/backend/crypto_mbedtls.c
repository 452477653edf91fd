/* SPDX-License-Identifier: Apache-2.0 */
/* include/atoll/tls_crypto.h over mbedtls 2.28. Every operation is stateless apart from
 * the DRBG and what the engine holds inside its own structs: the running
 * hashes (struct atoll_tls_hash_ctx) and the expanded AEAD keys (struct
 * atoll_tls_aead_ctx); EC groups are loaded per call. */
#include "tls/backend/crypto_mbedtls.h"

#include <limits.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/chachapoly.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <mbedtls/x509_crt.h>

#include "tls/backend/backend.h"
#include "tls/pem.h"

/* The running hash lives inside the engine's struct atoll_tls_hash_ctx. */
_Static_assert(sizeof(mbedtls_sha256_context) <= ATOLL_TLS_HASH_CTX_SIZE, "sha256 context fits atoll_tls_hash_ctx");
_Static_assert(sizeof(mbedtls_sha512_context) <= ATOLL_TLS_HASH_CTX_SIZE, "sha512 context fits atoll_tls_hash_ctx");
_Static_assert(_Alignof(mbedtls_sha256_context) <= 16, "sha256 context alignment");
_Static_assert(_Alignof(mbedtls_sha512_context) <= 16, "sha512 context alignment");

static mbedtls_sha256_context *sha256_of(struct atoll_tls_hash_ctx *c)
{
    return (mbedtls_sha256_context *)(void *)c->opaque;
}

static mbedtls_sha512_context *sha512_of(struct atoll_tls_hash_ctx *c)
{
    return (mbedtls_sha512_context *)(void *)c->opaque;
}

static const mbedtls_md_info_t *md_of(enum atoll_tls_hash_alg alg)
{
    if (alg == ATOLL_TLS_HASH_SHA256)
        return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    if (alg == ATOLL_TLS_HASH_SHA384)
        return mbedtls_md_info_from_type(MBEDTLS_MD_SHA384);
    return NULL;
}

/* ---- hashing ---------------------------------------------------------- */

static int hash_init(struct atoll_tls_hash_ctx *ctx, enum atoll_tls_hash_alg alg)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->alg = alg;
    if (alg == ATOLL_TLS_HASH_SHA256) {
        mbedtls_sha256_init(sha256_of(ctx));
        return mbedtls_sha256_starts_ret(sha256_of(ctx), 0) == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
    }
    if (alg == ATOLL_TLS_HASH_SHA384) {
        mbedtls_sha512_init(sha512_of(ctx));
        return mbedtls_sha512_starts_ret(sha512_of(ctx), 1) == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
    }
    return ATOLL_TLS_CRYPTO_E_UNSUPP;
}

static int hash_update(struct atoll_tls_hash_ctx *ctx, const uint8_t *data, size_t len)
{
    int r;
    if (ctx->alg == ATOLL_TLS_HASH_SHA256)
        r = mbedtls_sha256_update_ret(sha256_of(ctx), data, len);
    else if (ctx->alg == ATOLL_TLS_HASH_SHA384)
        r = mbedtls_sha512_update_ret(sha512_of(ctx), data, len);
    else
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

/* Finishes a copy: the transcript keeps running in ctx. */
static int hash_final(const struct atoll_tls_hash_ctx *ctx, uint8_t *out)
{
    uint8_t full[64];
    int r;
    if (ctx->alg == ATOLL_TLS_HASH_SHA256) {
        mbedtls_sha256_context copy;
        mbedtls_sha256_init(&copy);
        mbedtls_sha256_clone(&copy, (const mbedtls_sha256_context *)(const void *)ctx->opaque);
        r = mbedtls_sha256_finish_ret(&copy, full);
        mbedtls_sha256_free(&copy);
    } else if (ctx->alg == ATOLL_TLS_HASH_SHA384) {
        mbedtls_sha512_context copy;
        mbedtls_sha512_init(&copy);
        mbedtls_sha512_clone(&copy, (const mbedtls_sha512_context *)(const void *)ctx->opaque);
        r = mbedtls_sha512_finish_ret(&copy, full);
        mbedtls_sha512_free(&copy);
    } else {
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    }
    if (r != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    memcpy(out, full, atoll_tls_hash_len(ctx->alg));
    return 0;
}

static int hash_oneshot(enum atoll_tls_hash_alg alg, const uint8_t *data, size_t len, uint8_t *out)
{
    uint8_t full[64];
    int r;
    if (alg == ATOLL_TLS_HASH_SHA256)
        r = mbedtls_sha256_ret(data, len, full, 0);
    else if (alg == ATOLL_TLS_HASH_SHA384)
        r = mbedtls_sha512_ret(data, len, full, 1);
    else
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    if (r != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    memcpy(out, full, atoll_tls_hash_len(alg));
    return 0;
}

static int hmac(enum atoll_tls_hash_alg alg, const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                uint8_t *out)
{
    const mbedtls_md_info_t *md = md_of(alg);
    if (md == NULL)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    return mbedtls_md_hmac(md, key, key_len, data, len, out) == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

static int hkdf_extract(enum atoll_tls_hash_alg alg, const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                        size_t ikm_len, uint8_t *prk)
{
    const mbedtls_md_info_t *md = md_of(alg);
    if (md == NULL)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    return mbedtls_hkdf_extract(md, salt, salt_len, ikm, ikm_len, prk) == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

static int hkdf_expand(enum atoll_tls_hash_alg alg, const uint8_t *prk, const uint8_t *info, size_t info_len, uint8_t *out,
                       size_t out_len)
{
    const mbedtls_md_info_t *md = md_of(alg);
    if (md == NULL)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    return mbedtls_hkdf_expand(md, prk, atoll_tls_hash_len(alg), info, info_len, out, out_len) == 0 ? 0
                                                                                               : ATOLL_TLS_CRYPTO_E_FAIL;
}

/* ---- AEAD ------------------------------------------------------------- */

/* mbedtls's GCM context keeps its AES key schedule behind memory it
 * allocates in setkey, and contexts here own nothing outside themselves
 * (crypto.h: copyable, wipe only erases). So the GCM context holds the raw
 * key and is expanded per record, as before: this backend is the portable
 * one; the fast one expands once. ChaCha20-Poly1305's context is inline and
 * keyed once. */
struct gcm_key {
    uint8_t key[32];
};
_Static_assert(sizeof(struct gcm_key) <= ATOLL_TLS_AEAD_CTX_SIZE, "gcm key fits atoll_tls_aead_ctx");
_Static_assert(sizeof(mbedtls_chachapoly_context) <= ATOLL_TLS_AEAD_CTX_SIZE, "chachapoly context fits atoll_tls_aead_ctx");
_Static_assert(_Alignof(mbedtls_chachapoly_context) <= 16, "aead context alignment");

static struct gcm_key *gcm_key_of(struct atoll_tls_aead_ctx *c)
{
    return (struct gcm_key *)(void *)c->opaque;
}

static mbedtls_chachapoly_context *chachapoly_of(struct atoll_tls_aead_ctx *c)
{
    return (mbedtls_chachapoly_context *)(void *)c->opaque;
}

static int is_gcm(enum atoll_tls_aead_alg alg)
{
    return alg == ATOLL_TLS_AEAD_AES_128_GCM || alg == ATOLL_TLS_AEAD_AES_256_GCM;
}

static void aead_wipe(struct atoll_tls_aead_ctx *ctx)
{
    mbedtls_platform_zeroize(ctx, sizeof *ctx);
}

static int aead_init(struct atoll_tls_aead_ctx *ctx, enum atoll_tls_aead_alg alg, const uint8_t *key)
{
    aead_wipe(ctx);
    if (is_gcm(alg)) {
        memcpy(gcm_key_of(ctx)->key, key, atoll_tls_aead_key_len(alg));
    } else if (alg == ATOLL_TLS_AEAD_CHACHA20_POLY1305) {
        mbedtls_chachapoly_init(chachapoly_of(ctx));
        if (mbedtls_chachapoly_setkey(chachapoly_of(ctx), key) != 0) {
            aead_wipe(ctx);
            return ATOLL_TLS_CRYPTO_E_FAIL;
        }
    } else {
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    }
    ctx->alg = alg;
    ctx->live = 1;
    return 0;
}

static int aead_seal(struct atoll_tls_aead_ctx *ctx, const uint8_t nonce[ATOLL_TLS_AEAD_NONCE_LEN], const uint8_t *aad,
                     size_t aad_len, const uint8_t *in, size_t len, uint8_t *out)
{
    if (!ctx->live)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    int r;
    if (is_gcm(ctx->alg)) {
        mbedtls_gcm_context g;
        mbedtls_gcm_init(&g);
        r = mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, gcm_key_of(ctx)->key,
                               (unsigned)(atoll_tls_aead_key_len(ctx->alg) * 8u));
        if (r == 0)
            r = mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, len, nonce, ATOLL_TLS_AEAD_NONCE_LEN, aad, aad_len, in,
                                          out, ATOLL_TLS_AEAD_TAG_LEN, out + len);
        mbedtls_gcm_free(&g);
    } else {
        r = mbedtls_chachapoly_encrypt_and_tag(chachapoly_of(ctx), len, nonce, aad, aad_len, in, out, out + len);
    }
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

/* The tag comparison is mbedtls's (constant time); on failure it has
 * already wiped whatever plaintext it wrote. */
static int aead_open(struct atoll_tls_aead_ctx *ctx, const uint8_t nonce[ATOLL_TLS_AEAD_NONCE_LEN], const uint8_t *aad,
                     size_t aad_len, const uint8_t *in, size_t len, uint8_t *out)
{
    if (!ctx->live)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    if (len < ATOLL_TLS_AEAD_TAG_LEN)
        return ATOLL_TLS_CRYPTO_E_AUTH;
    size_t n = len - ATOLL_TLS_AEAD_TAG_LEN;
    int r;
    if (is_gcm(ctx->alg)) {
        mbedtls_gcm_context g;
        mbedtls_gcm_init(&g);
        r = mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, gcm_key_of(ctx)->key,
                               (unsigned)(atoll_tls_aead_key_len(ctx->alg) * 8u));
        if (r == 0)
            r = mbedtls_gcm_auth_decrypt(&g, n, nonce, ATOLL_TLS_AEAD_NONCE_LEN, aad, aad_len, in + n, ATOLL_TLS_AEAD_TAG_LEN,
                                         in, out);
        mbedtls_gcm_free(&g);
        if (r == MBEDTLS_ERR_GCM_AUTH_FAILED)
            return ATOLL_TLS_CRYPTO_E_AUTH;
    } else {
        r = mbedtls_chachapoly_auth_decrypt(chachapoly_of(ctx), n, nonce, aad, aad_len, in + n, in, out);
        if (r == MBEDTLS_ERR_CHACHAPOLY_AUTH_FAILED)
            return ATOLL_TLS_CRYPTO_E_AUTH;
    }
    return r == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

/* ---- DRBG ------------------------------------------------------------- */

/* The DRBG's only entropy source: the caller's seed, handed out whole. The
 * DRBG asks exactly once (entropy length = seed length, no nonce, no
 * reseed), so the stream is a function of the seed. */
static int seed_source(void *p, unsigned char *out, size_t len)
{
    const struct tls_mbedtls_state *st = p;
    if (len != st->seed_len)
        return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
    memcpy(out, st->seed, len);
    return 0;
}

static int drbg_random(void *p, unsigned char *out, size_t len)
{
    struct tls_mbedtls_state *st = p;
    while (len > 0) {
        size_t n = len < MBEDTLS_CTR_DRBG_MAX_REQUEST ? len : MBEDTLS_CTR_DRBG_MAX_REQUEST;
        int r = mbedtls_ctr_drbg_random(&st->drbg, out, n);
        if (r != 0)
            return r;
        out += n;
        len -= n;
    }
    return 0;
}

static int random_bytes(void *state, uint8_t *out, size_t len)
{
    return drbg_random(state, out, len) == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
}

int tls_crypto_mbedtls_init(struct atoll_tls_crypto *c, struct tls_mbedtls_state *st, const uint8_t *seed,
                            size_t seed_len)
{
    if (seed_len < TLS_MBEDTLS_SEED_MIN || seed_len > TLS_MBEDTLS_SEED_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    memset(st, 0, sizeof *st);
    memcpy(st->seed, seed, seed_len);
    st->seed_len = seed_len;
    mbedtls_ctr_drbg_init(&st->drbg);
    mbedtls_ctr_drbg_set_entropy_len(&st->drbg, seed_len);
    mbedtls_ctr_drbg_set_reseed_interval(&st->drbg, INT_MAX);
    int r = mbedtls_ctr_drbg_set_nonce_len(&st->drbg, 0);
    if (r == 0)
        r = mbedtls_ctr_drbg_seed(&st->drbg, seed_source, st, NULL, 0);
    /* the seed has been absorbed: keep no copy of it */
    mbedtls_platform_zeroize(st->seed, sizeof st->seed);
    if (r != 0) {
        tls_crypto_mbedtls_free(st);
        return ATOLL_TLS_CRYPTO_E_FAIL;
    }
    c->ops = &tls_crypto_mbedtls_ops;
    c->state = st;
    return 0;
}

void tls_crypto_mbedtls_free(struct tls_mbedtls_state *st)
{
    mbedtls_ctr_drbg_free(&st->drbg);
    mbedtls_platform_zeroize(st, sizeof *st);
}

/* ---- key exchange ----------------------------------------------------- */

struct group_info {
    mbedtls_ecp_group_id id;
    size_t scalar_len; /* private key and shared secret bytes */
    size_t share_len;  /* key_share bytes */
};

static int group_of(uint16_t group, struct group_info *g)
{
    if (group == ATOLL_TLS_GROUP_X25519) {
        *g = (struct group_info){MBEDTLS_ECP_DP_CURVE25519, 32, 32};
    } else if (group == ATOLL_TLS_GROUP_SECP256R1) {
        *g = (struct group_info){MBEDTLS_ECP_DP_SECP256R1, 32, 65};
    } else if (group == ATOLL_TLS_GROUP_SECP384R1) {
        *g = (struct group_info){MBEDTLS_ECP_DP_SECP384R1, 48, 97};
    } else {
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    }
    return 0;
}

static int kex_keygen(void *state, uint16_t group, uint8_t *priv, size_t *priv_len, uint8_t *pub, size_t *pub_len)
{
    struct group_info gi;
    if (group_of(group, &gi) != 0)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    mbedtls_ecp_group grp;
    mbedtls_mpi d;
    mbedtls_ecp_point q;
    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&d);
    mbedtls_ecp_point_init(&q);
    size_t olen = 0;
    int r = mbedtls_ecp_group_load(&grp, gi.id);
    if (r == 0)
        r = mbedtls_ecp_gen_keypair(&grp, &d, &q, drbg_random, state);
    if (r == 0)
        r = mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pub, ATOLL_TLS_KEX_PUB_MAX);
    if (r == 0) {
        /* RFC 7748 scalars are little-endian; SEC1 scalars big-endian */
        if (group == ATOLL_TLS_GROUP_X25519)
            r = mbedtls_mpi_write_binary_le(&d, priv, gi.scalar_len);
        else
            r = mbedtls_mpi_write_binary(&d, priv, gi.scalar_len);
    }
    mbedtls_ecp_point_free(&q);
    mbedtls_mpi_free(&d);
    mbedtls_ecp_group_free(&grp);
    if (r != 0 || olen != gi.share_len)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    *priv_len = gi.scalar_len;
    *pub_len = olen;
    return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

static int kex_shared(void *state, uint16_t group, const uint8_t *priv, size_t priv_len, const uint8_t *peer,
                      size_t peer_len, uint8_t *secret, size_t *secret_len)
{
    struct group_info gi;
    if (group_of(group, &gi) != 0)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    if (priv_len != gi.scalar_len)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    /* The share must be exactly the group's encoding; for the NIST curves
     * only the uncompressed form (RFC 8446 §4.2.8.2). */
    if (peer_len != gi.share_len || (group != ATOLL_TLS_GROUP_X25519 && peer[0] != 0x04))
        return ATOLL_TLS_CRYPTO_E_PEER;
    mbedtls_ecp_keypair kp;
    mbedtls_ecp_point q;
    mbedtls_mpi z;
    mbedtls_ecp_keypair_init(&kp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&z);
    int ret = ATOLL_TLS_CRYPTO_E_FAIL;
    /* mbedtls_ecp_read_key clamps an X25519 scalar (RFC 7748 §5) and
     * range-checks a NIST one. */
    if (mbedtls_ecp_read_key(gi.id, &kp, priv, priv_len) != 0)
        goto out;
    if (mbedtls_ecp_point_read_binary(&kp.grp, &q, peer, peer_len) != 0 || mbedtls_ecp_check_pubkey(&kp.grp, &q) != 0) {
        ret = ATOLL_TLS_CRYPTO_E_PEER;
        goto out;
    }
    int r = mbedtls_ecdh_compute_shared(&kp.grp, &z, &q, &kp.d, drbg_random, state);
    if (r == MBEDTLS_ERR_ECP_BAD_INPUT_DATA || r == MBEDTLS_ERR_ECP_INVALID_KEY) {
        ret = ATOLL_TLS_CRYPTO_E_PEER; /* a low-order X25519 point: the result is zero */
        goto out;
    }
    if (r != 0)
        goto out;
    if (group == ATOLL_TLS_GROUP_X25519)
        r = mbedtls_mpi_write_binary_le(&z, secret, gi.scalar_len);
    else
        r = mbedtls_mpi_write_binary(&z, secret, gi.scalar_len);
    if (r != 0)
        goto out;
    /* RFC 7748 §6.1 / RFC 8446 §7.4.2: an all-zero X25519 value is refused */
    if (all_zero(secret, gi.scalar_len)) {
        mbedtls_platform_zeroize(secret, gi.scalar_len);
        ret = ATOLL_TLS_CRYPTO_E_PEER;
        goto out;
    }
    *secret_len = gi.scalar_len;
    ret = 0;
out:
    mbedtls_mpi_free(&z);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_keypair_free(&kp);
    return ret;
}

/* ---- signatures ------------------------------------------------------- */

struct scheme_info {
    mbedtls_md_type_t md;
    size_t hash_len;
    enum atoll_tls_key_kind kind; /* the key a scheme needs */
};

static int scheme_of(uint16_t scheme, struct scheme_info *s)
{
    if (scheme == ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256) {
        *s = (struct scheme_info){MBEDTLS_MD_SHA256, 32, ATOLL_TLS_KEY_ECDSA_P256};
    } else if (scheme == ATOLL_TLS_SIG_ECDSA_SECP384R1_SHA384) {
        *s = (struct scheme_info){MBEDTLS_MD_SHA384, 48, ATOLL_TLS_KEY_ECDSA_P384};
    } else if (scheme == ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256) {
        *s = (struct scheme_info){MBEDTLS_MD_SHA256, 32, ATOLL_TLS_KEY_RSA};
    } else if (scheme == ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA384) {
        *s = (struct scheme_info){MBEDTLS_MD_SHA384, 48, ATOLL_TLS_KEY_RSA};
    } else if (scheme == ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA512) {
        *s = (struct scheme_info){MBEDTLS_MD_SHA512, 64, ATOLL_TLS_KEY_RSA};
    } else {
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    }
    return 0;
}

/* What a public or private key can sign with. RSA under 2048 bits is
 * refused for our own keys (key_kind); peers' keys go through the X.509
 * profile instead. */
static enum atoll_tls_key_kind pk_kind(const mbedtls_pk_context *pk, size_t rsa_min_bits)
{
    mbedtls_pk_type_t t = mbedtls_pk_get_type(pk);
    if (t == MBEDTLS_PK_RSA)
        return mbedtls_pk_get_bitlen(pk) >= rsa_min_bits ? ATOLL_TLS_KEY_RSA : ATOLL_TLS_KEY_NONE;
    if (t == MBEDTLS_PK_ECKEY || t == MBEDTLS_PK_ECDSA) {
        mbedtls_ecp_group_id id = mbedtls_pk_ec(*pk)->grp.id;
        if (id == MBEDTLS_ECP_DP_SECP256R1)
            return ATOLL_TLS_KEY_ECDSA_P256;
        if (id == MBEDTLS_ECP_DP_SECP384R1)
            return ATOLL_TLS_KEY_ECDSA_P384;
    }
    return ATOLL_TLS_KEY_NONE;
}

static enum atoll_tls_key_kind key_kind(const void *key)
{
    const struct tls_mbedtls_key *k = key;
    return pk_kind(&k->pk, 2048);
}

static int sign(void *state, const void *key, uint16_t scheme, const uint8_t *msg, size_t msg_len, uint8_t *sig,
                size_t sig_cap, size_t *sig_len)
{
    const struct tls_mbedtls_key *k = key;
    struct scheme_info si;
    if (scheme_of(scheme, &si) != 0 || key_kind(k) != si.kind)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    uint8_t hash[64];
    if (mbedtls_md(mbedtls_md_info_from_type(si.md), msg, msg_len, hash) != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    uint8_t buf[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    size_t n = 0;
    int r;
    if (si.kind == ATOLL_TLS_KEY_RSA) {
        /* PSS with MGF1 over the same hash, salt length = hash length
         * (RFC 8446 §4.2.3). mbedtls reads the MGF1 hash from the context. */
        mbedtls_rsa_context *rsa = mbedtls_pk_rsa(k->pk);
        mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, (int)si.md);
        n = mbedtls_rsa_get_len(rsa);
        if (n > sizeof buf)
            return ATOLL_TLS_CRYPTO_E_FAIL;
        r = mbedtls_rsa_rsassa_pss_sign_ext(rsa, drbg_random, state, si.md, (unsigned)si.hash_len, hash,
                                            (int)si.hash_len, buf);
    } else {
        /* DER-encoded ECDSA-Sig-Value, as TLS carries it */
        r = mbedtls_ecdsa_write_signature(mbedtls_pk_ec(k->pk), si.md, hash, si.hash_len, buf, &n, drbg_random,
                                          state);
    }
    if (r != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    if (n > sig_cap)
        return ATOLL_TLS_CRYPTO_E_SPACE;
    memcpy(sig, buf, n);
    *sig_len = n;
    return 0;
}

static int verify_with_cert(const uint8_t *cert_der, size_t cert_len, uint16_t scheme, const uint8_t *msg,
                            size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    struct scheme_info si;
    if (scheme_of(scheme, &si) != 0)
        return ATOLL_TLS_CRYPTO_E_UNSUPP;
    uint8_t hash[64];
    if (mbedtls_md(mbedtls_md_info_from_type(si.md), msg, msg_len, hash) != 0)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    int ret;
    if (mbedtls_x509_crt_parse_der_nocopy(&crt, cert_der, cert_len) != 0) {
        ret = ATOLL_TLS_CRYPTO_E_FAIL;
    } else if (pk_kind(&crt.pk, 0) != si.kind) {
        ret = ATOLL_TLS_CRYPTO_E_UNSUPP;
    } else if (si.kind == ATOLL_TLS_KEY_RSA) {
        mbedtls_pk_rsassa_pss_options opt = {.mgf1_hash_id = si.md, .expected_salt_len = (int)si.hash_len};
        ret = mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &opt, &crt.pk, si.md, hash, si.hash_len, sig, sig_len) == 0
                  ? 0
                  : ATOLL_TLS_CRYPTO_E_AUTH;
    } else {
        ret = mbedtls_pk_verify(&crt.pk, si.md, hash, si.hash_len, sig, sig_len) == 0 ? 0 : ATOLL_TLS_CRYPTO_E_AUTH;
    }
    mbedtls_x509_crt_free(&crt);
    return ret;
}

/* ---- private keys ----------------------------------------------------- */

int tls_crypto_mbedtls_key_load(struct tls_mbedtls_key *k, const uint8_t *der_or_pem, size_t len)
{
    mbedtls_pk_init(&k->pk);
    const uint8_t *der = der_or_pem;
    size_t der_len = len;
    uint8_t buf[TLS_MBEDTLS_KEY_DER_MAX];
    int ret;
    if (tls_pem_is_pem(der_or_pem, len)) {
        /* mbedtls's PEM reader wants NUL-terminated text: decode the
         * first private key block ourselves instead. */
        struct tls_pem_block b;
        size_t pos = 0;
        int found;
        while ((found = tls_pem_next(der_or_pem, len, &pos, &b)) == 1 && !tls_pem_label_ends_with(&b, "PRIVATE KEY"))
            ;
        if (found != 1)
            return ATOLL_TLS_CRYPTO_E_FAIL;
        int r = mbedtls_base64_decode(buf, sizeof buf, &der_len, b.body, b.body_len);
        if (r == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL)
            return ATOLL_TLS_CRYPTO_E_SPACE;
        if (r != 0)
            return ATOLL_TLS_CRYPTO_E_FAIL;
        der = buf;
    } else if (len > TLS_MBEDTLS_KEY_DER_MAX) {
        return ATOLL_TLS_CRYPTO_E_SPACE;
    }
    ret = mbedtls_pk_parse_key(&k->pk, der, der_len, NULL, 0) == 0 ? 0 : ATOLL_TLS_CRYPTO_E_FAIL;
    mbedtls_platform_zeroize(buf, sizeof buf);
    if (ret != 0)
        mbedtls_pk_free(&k->pk);
    return ret;
}

void tls_crypto_mbedtls_key_free(struct tls_mbedtls_key *k)
{
    mbedtls_pk_free(&k->pk);
}

const struct atoll_tls_crypto_ops tls_crypto_mbedtls_ops = {
    .name = "mbedtls",
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
    return tls_crypto_mbedtls_init(c, state, seed, seed_len);
}

static void backend_release(void *state)
{
    tls_crypto_mbedtls_free(state);
}

static int backend_key_load(void *key, const uint8_t *der_or_pem, size_t len)
{
    return tls_crypto_mbedtls_key_load(key, der_or_pem, len);
}

static void backend_key_free(void *key)
{
    tls_crypto_mbedtls_key_free(key);
}

_Static_assert(sizeof(struct tls_mbedtls_state) <= ATOLL_TLS_BACKEND_STATE_MAX, "state fits a backend's storage");
_Static_assert(sizeof(struct tls_mbedtls_key) <= ATOLL_TLS_BACKEND_KEY_MAX, "key fits a backend's storage");

const struct atoll_tls_backend atoll_tls_backend_mbedtls = {
    .name = "mbedtls",
    .licence = "Apache-2.0",
    .ops = &tls_crypto_mbedtls_ops,
    .state_size = sizeof(struct tls_mbedtls_state),
    .key_size = sizeof(struct tls_mbedtls_key),
    .init = backend_init,
    .release = backend_release,
    .key_load = backend_key_load,
    .key_free = backend_key_free,
};
