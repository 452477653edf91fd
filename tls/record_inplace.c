/* SPDX-License-Identifier: Apache-2.0 */
/* In-place record sealing for the engine's output queue: content is
 * composed (or copied once) straight into the output buffer at rec + 5 and
 * encrypted where it lies, so a flight or an application write costs one
 * copy at most. */
#include <string.h>

#include "tls/engine_internal.h"

int tls_record_seal_inplace(struct tls_traffic *t, const struct atoll_tls_crypto *c, uint8_t type, uint8_t *rec,
                            size_t len, size_t pad, size_t max_inner, size_t cap)
{
    size_t inner = len + 1u + pad;
    if (inner > max_inner || inner > TLS_PLAINTEXT_MAX + 1u)
        return ATOLL_TLS_CRYPTO_E_SPACE;
    size_t total = TLS_RECORD_HDR_LEN + inner + ATOLL_TLS_AEAD_TAG_LEN;
    if (total > cap)
        return ATOLL_TLS_CRYPTO_E_SPACE;
    if (t->seq == UINT64_MAX)
        return ATOLL_TLS_CRYPTO_E_FAIL; /* §5.3: the sequence number must not wrap */
    uint8_t *p = rec + TLS_RECORD_HDR_LEN;
    p[len] = type;
    memset(p + len + 1u, 0, pad);
    tls_record_hdr_write(rec, TLS_CT_APPLICATION_DATA, (uint16_t)(inner + ATOLL_TLS_AEAD_TAG_LEN));
    uint8_t nonce[ATOLL_TLS_AEAD_NONCE_LEN];
    memcpy(nonce, t->iv, sizeof nonce);
    uint64_t s = t->seq;
    for (int i = 11; i >= 4; i--) { /* the sequence, right-aligned in the 12-byte nonce */
        nonce[i] = (uint8_t)(nonce[i] ^ (uint8_t)(s % 256u));
        s /= 256u;
    }
    int r = c->ops->aead_seal(&t->key, nonce, rec, TLS_RECORD_HDR_LEN, p, inner, p);
    if (r != 0)
        return r;
    t->seq++;
    return (int)total;
}
