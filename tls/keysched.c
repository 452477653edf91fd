/* SPDX-License-Identifier: Apache-2.0 */
/* The TLS 1.3 key schedule (RFC 8446 §7.1): every secret is an HKDF step
 * over the backend in struct atoll_tls_crypto; nothing here names a library. */
#include "tls/keysched.h"

#include <string.h>

#include "tls/wipe.h"

#define LABEL_PREFIX "tls13 "
#define LABEL_PREFIX_LEN 6u
#define LABEL_MAX 249u   /* "tls13 " + label fits the 255-byte label<7..255> */
#define CTX_MAX 255u

int tls_hkdf_expand_label(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *secret,
                          const char *label, const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len)
{
    /* struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel; */
    uint8_t info[2 + 1 + LABEL_PREFIX_LEN + LABEL_MAX + 1 + CTX_MAX];
    size_t label_len = strlen(label);
    if (label_len > LABEL_MAX || ctx_len > CTX_MAX || out_len > 65535u || (ctx_len > 0 && ctx == NULL))
        return ATOLL_TLS_CRYPTO_E_FAIL;
    size_t n = 0;
    info[n++] = (uint8_t)(out_len / 256u);
    info[n++] = (uint8_t)(out_len % 256u);
    info[n++] = (uint8_t)(LABEL_PREFIX_LEN + label_len);
    memcpy(info + n, LABEL_PREFIX, LABEL_PREFIX_LEN);
    n += LABEL_PREFIX_LEN;
    memcpy(info + n, label, label_len);
    n += label_len;
    info[n++] = (uint8_t)ctx_len;
    if (ctx_len > 0)
        memcpy(info + n, ctx, ctx_len);
    n += ctx_len;
    return c->ops->hkdf_expand(alg, secret, info, n, out, out_len);
}

int tls_derive_secret(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *secret, const char *label,
                      const uint8_t *transcript_hash, uint8_t *out)
{
    size_t hl = atoll_tls_hash_len(alg);
    return tls_hkdf_expand_label(c, alg, secret, label, transcript_hash, hl, out, hl);
}

/* Derive-Secret(secret, label, "") : the transcript of no messages. */
static int derive_empty(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *secret, const char *label,
                        uint8_t *out)
{
    static const uint8_t nothing[1] = {0};
    uint8_t empty_hash[ATOLL_TLS_HASH_MAX];
    int r = c->ops->hash(alg, nothing, 0, empty_hash);
    if (r != 0)
        return r;
    return tls_derive_secret(c, alg, secret, label, empty_hash, out);
}

int tls_ks_early_secret(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *psk, size_t psk_len,
                        uint8_t *early)
{
    static const uint8_t zeros[ATOLL_TLS_HASH_MAX] = {0};
    size_t hl = atoll_tls_hash_len(alg);
    if (psk == NULL) {
        psk = zeros;
        psk_len = hl;
    }
    return c->ops->hkdf_extract(alg, zeros, hl, psk, psk_len, early);
}

int tls_ks_binder_key(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *early, int resumption,
                      uint8_t *binder_key)
{
    return derive_empty(c, alg, early, resumption ? "res binder" : "ext binder", binder_key);
}

/* HKDF-Extract(Derive-Secret(prev, "derived", ""), ikm): the step from one
 * stage of the schedule to the next. */
static int next_stage(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *prev, const uint8_t *ikm,
                      size_t ikm_len, uint8_t *out)
{
    uint8_t derived[ATOLL_TLS_HASH_MAX];
    int r = derive_empty(c, alg, prev, "derived", derived);
    if (r == 0)
        r = c->ops->hkdf_extract(alg, derived, atoll_tls_hash_len(alg), ikm, ikm_len, out);
    tls_wipe(derived, sizeof derived);
    return r;
}

int tls_ks_handshake_secret(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *early,
                            const uint8_t *dhe, size_t dhe_len, uint8_t *hs)
{
    static const uint8_t zeros[ATOLL_TLS_HASH_MAX] = {0};
    if (dhe == NULL) { /* psk_ke: no (EC)DHE, HashLen zeros */
        dhe = zeros;
        dhe_len = atoll_tls_hash_len(alg);
    }
    return next_stage(c, alg, early, dhe, dhe_len, hs);
}

int tls_ks_master_secret(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *hs, uint8_t *master)
{
    static const uint8_t zeros[ATOLL_TLS_HASH_MAX] = {0};
    return next_stage(c, alg, hs, zeros, atoll_tls_hash_len(alg), master);
}

int tls_ks_finished(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *base_secret,
                    const uint8_t *transcript_hash, uint8_t *verify_data)
{
    size_t hl = atoll_tls_hash_len(alg);
    uint8_t finished_key[ATOLL_TLS_HASH_MAX];
    int r = tls_hkdf_expand_label(c, alg, base_secret, "finished", NULL, 0, finished_key, hl);
    if (r == 0)
        r = c->ops->hmac(alg, finished_key, hl, transcript_hash, hl, verify_data);
    tls_wipe(finished_key, sizeof finished_key);
    return r;
}

int tls_ks_next_traffic_secret(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *secret,
                               uint8_t *next)
{
    return tls_hkdf_expand_label(c, alg, secret, "traffic upd", NULL, 0, next, atoll_tls_hash_len(alg));
}

int tls_ks_resumption_psk(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *res_master,
                          const uint8_t *nonce, size_t nonce_len, uint8_t *psk)
{
    return tls_hkdf_expand_label(c, alg, res_master, "resumption", nonce, nonce_len, psk, atoll_tls_hash_len(alg));
}

int tls_ks_traffic_keys(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, enum atoll_tls_aead_alg aead,
                        const uint8_t *secret, uint8_t *key, uint8_t iv[ATOLL_TLS_AEAD_NONCE_LEN])
{
    int r = tls_hkdf_expand_label(c, alg, secret, "key", NULL, 0, key, atoll_tls_aead_key_len(aead));
    if (r == 0)
        r = tls_hkdf_expand_label(c, alg, secret, "iv", NULL, 0, iv, ATOLL_TLS_AEAD_NONCE_LEN);
    return r;
}
