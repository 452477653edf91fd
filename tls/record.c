/* SPDX-License-Identifier: Apache-2.0 */
/* The AEAD half of the record layer (RFC 8446 §5.2-5.5): per-record nonce,
 * additional data, padding and content-type hiding, sequence-number limits.
 * The framing it relies on is proved in record_wire.c. */
#include "tls/record.h"

#include <string.h>

#include "tls/keysched.h"
#include "tls/wipe.h"

int tls_traffic_init(struct tls_traffic *t, const struct atoll_tls_crypto *c, enum atoll_tls_aead_alg aead,
                     enum atoll_tls_hash_alg hash, const uint8_t *secret)
{
    uint8_t key[ATOLL_TLS_AEAD_KEY_MAX], iv[ATOLL_TLS_AEAD_NONCE_LEN], sec[ATOLL_TLS_HASH_MAX];
    /* secret may be t->secret itself: copy it before t is wiped */
    memcpy(sec, secret, atoll_tls_hash_len(hash));
    int r = tls_ks_traffic_keys(c, hash, aead, sec, key, iv);
    tls_traffic_wipe(t, c);
    if (r == 0)
        r = c->ops->aead_init(&t->key, aead, key);
    if (r == 0) {
        t->aead = aead;
        t->hash = hash;
        memcpy(t->iv, iv, sizeof iv);
        memcpy(t->secret, sec, atoll_tls_hash_len(hash));
        t->seq = 0;
    }
    tls_wipe(key, sizeof key);
    tls_wipe(iv, sizeof iv);
    tls_wipe(sec, sizeof sec);
    return r;
}

int tls_traffic_set_key(struct tls_traffic *t, const struct atoll_tls_crypto *c, enum atoll_tls_aead_alg aead,
                        enum atoll_tls_hash_alg hash, const uint8_t *key, const uint8_t iv[ATOLL_TLS_AEAD_NONCE_LEN])
{
    tls_traffic_wipe(t, c);
    int r = c->ops->aead_init(&t->key, aead, key);
    if (r == 0) {
        t->aead = aead;
        t->hash = hash;
        memcpy(t->iv, iv, ATOLL_TLS_AEAD_NONCE_LEN);
    }
    return r;
}

void tls_traffic_wipe(struct tls_traffic *t, const struct atoll_tls_crypto *c)
{
    c->ops->aead_wipe(&t->key);
    tls_wipe(t, sizeof *t);
}

int tls_traffic_update(struct tls_traffic *t, const struct atoll_tls_crypto *c)
{
    uint8_t next[ATOLL_TLS_HASH_MAX];
    int r = tls_ks_next_traffic_secret(c, t->hash, t->secret, next);
    if (r == 0)
        r = tls_traffic_init(t, c, t->aead, t->hash, next);
    tls_wipe(next, sizeof next);
    return r;
}

uint64_t tls_traffic_budget(const struct tls_traffic *t)
{
    if (t->aead == ATOLL_TLS_AEAD_CHACHA20_POLY1305)
        return UINT64_MAX - t->seq; /* the last value, 2^64 - 1, is never used */
    return t->seq < TLS_AES_GCM_RECORD_LIMIT ? TLS_AES_GCM_RECORD_LIMIT - t->seq : 0;
}

/* §5.3: the 64-bit sequence number, big-endian and left-padded to the IV
 * length, XORed into the IV. */
static void record_nonce(const struct tls_traffic *t, uint8_t nonce[ATOLL_TLS_AEAD_NONCE_LEN])
{
    memcpy(nonce, t->iv, ATOLL_TLS_AEAD_NONCE_LEN);
    for (size_t i = 0; i < 8; i++)
        nonce[ATOLL_TLS_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(t->seq >> (8 * i));
}

static size_t clamp_inner(size_t max_inner)
{
    return max_inner > TLS_PLAINTEXT_MAX + 1u ? TLS_PLAINTEXT_MAX + 1u : max_inner;
}

int tls_record_seal(struct tls_traffic *t, const struct atoll_tls_crypto *c, uint8_t type, const uint8_t *in, size_t len,
                    size_t pad, size_t max_inner, uint8_t *out, size_t cap)
{
    if (type == TLS_CT_INVALID)
        return ATOLL_TLS_CRYPTO_E_FAIL;
    if (tls_traffic_budget(t) == 0)
        return TLS_RECORD_E_SEQ_EXHAUSTED;
    max_inner = clamp_inner(max_inner);
    /* len + 1 + pad <= max_inner, written so that nothing can wrap */
    if (len >= max_inner || pad > max_inner - len - 1)
        return ATOLL_TLS_CRYPTO_E_SPACE;
    size_t inner = len + 1 + pad;
    size_t body = inner + ATOLL_TLS_AEAD_TAG_LEN;
    if (cap < TLS_RECORD_HDR_LEN || cap - TLS_RECORD_HDR_LEN < body)
        return ATOLL_TLS_CRYPTO_E_SPACE;
    tls_record_hdr_write(out, TLS_CT_APPLICATION_DATA, (uint16_t)body);
    uint8_t *p = out + TLS_RECORD_HDR_LEN;
    if (len > 0)
        memcpy(p, in, len);
    p[len] = type;
    memset(p + len + 1, 0, pad);
    uint8_t nonce[ATOLL_TLS_AEAD_NONCE_LEN];
    record_nonce(t, nonce);
    int r = c->ops->aead_seal(&t->key, nonce, out, TLS_RECORD_HDR_LEN, p, inner, p);
    if (r != 0)
        return r;
    t->seq++;
    return (int)(TLS_RECORD_HDR_LEN + body);
}

int tls_record_open(struct tls_traffic *t, const struct atoll_tls_crypto *c, uint8_t *rec, size_t rec_len,
                    size_t max_inner, uint8_t *type, uint8_t **pt, size_t *pt_len)
{
    if (rec_len < TLS_RECORD_HDR_LEN || rec[3] * 256u + rec[4] != rec_len - TLS_RECORD_HDR_LEN)
        return -TLS_ALERT_INTERNAL_ERROR;
    if (rec[0] != TLS_CT_APPLICATION_DATA)
        return -TLS_ALERT_BAD_RECORD_MAC;
    size_t body = rec_len - TLS_RECORD_HDR_LEN;
    if (body > TLS_CIPHERTEXT_MAX)
        return -TLS_ALERT_RECORD_OVERFLOW;
    if (body >= ATOLL_TLS_AEAD_TAG_LEN && body - ATOLL_TLS_AEAD_TAG_LEN > clamp_inner(max_inner))
        return -TLS_ALERT_RECORD_OVERFLOW;
    if (body < ATOLL_TLS_AEAD_TAG_LEN)
        return -TLS_ALERT_BAD_RECORD_MAC;
    if (t->seq == UINT64_MAX)
        return TLS_RECORD_E_SEQ_EXHAUSTED;
    uint8_t nonce[ATOLL_TLS_AEAD_NONCE_LEN];
    record_nonce(t, nonce);
    uint8_t *p = rec + TLS_RECORD_HDR_LEN;
    int r = c->ops->aead_open(&t->key, nonce, rec, TLS_RECORD_HDR_LEN, p, body, p);
    if (r == ATOLL_TLS_CRYPTO_E_AUTH)
        return -TLS_ALERT_BAD_RECORD_MAC;
    if (r != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    uint8_t inner_type;
    size_t content_len;
    r = tls_record_inner_split(p, body - ATOLL_TLS_AEAD_TAG_LEN, &inner_type, &content_len);
    if (r != 0)
        return r;
    t->seq++;
    *type = inner_type;
    *pt = p;
    *pt_len = content_len;
    return 0;
}
