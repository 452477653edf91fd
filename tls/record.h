/* SPDX-License-Identifier: Apache-2.0 */
/* The TLS 1.3 record layer (RFC 8446 §5): framing, AEAD protection with
 * the per-record nonce, padding, content-type hiding, RFC 8449
 * record_size_limit, and the sequence-number and key-usage limits.
 * Pure: records are sealed into and opened in caller buffers. */
#ifndef ATOLL_TLS_RECORD_H
#define ATOLL_TLS_RECORD_H

#include <stdint.h>
#include <stddef.h>
#include "atoll/tls_crypto.h"

/* Content types, sizes, struct tls_record_hdr, tls_record_hdr_parse,
 * tls_record_hdr_write and the padding scan live in record_wire.h: the
 * proved part of the record layer, kept free of crypto for the provers. */
#include "tls/record_wire.h"

/* Not an alert: this traffic key may protect no more records (the 64-bit
 * sequence number would wrap, §5.3). Rekey (KeyUpdate) or close. */
#define TLS_RECORD_E_SEQ_EXHAUSTED (-1001)

/* One direction's traffic protection. The key itself is kept only as the
 * backend's expanded context: it is set up once per installed secret, not
 * per record. A zeroed struct is a valid empty one. */
struct tls_traffic {
    enum atoll_tls_aead_alg aead;
    enum atoll_tls_hash_alg hash;
    struct atoll_tls_aead_ctx key;
    uint8_t iv[ATOLL_TLS_AEAD_NONCE_LEN];
    uint64_t seq;
    uint8_t secret[ATOLL_TLS_HASH_MAX];  /* kept for KeyUpdate */
};

/* Installs keys derived from a traffic secret, sequence number 0: the old
 * key's context is wiped and the new one expanded in place. On failure t
 * is left empty (wiped). */
int tls_traffic_init(struct tls_traffic *t, const struct atoll_tls_crypto *c, enum atoll_tls_aead_alg aead,
                     enum atoll_tls_hash_alg hash, const uint8_t *secret);
/* Installs a key and IV given directly (known-answer tests: RFC 8448 lists
 * traffic keys, not only secrets); the secret is left zero, so KeyUpdate
 * is not possible from here. Sequence number 0. */
int tls_traffic_set_key(struct tls_traffic *t, const struct atoll_tls_crypto *c, enum atoll_tls_aead_alg aead,
                        enum atoll_tls_hash_alg hash, const uint8_t *key, const uint8_t iv[ATOLL_TLS_AEAD_NONCE_LEN]);
/* Erases the expanded key, IV and secret; t is then empty. Idempotent. */
void tls_traffic_wipe(struct tls_traffic *t, const struct atoll_tls_crypto *c);
/* Moves to the next application traffic secret (KeyUpdate). */
int tls_traffic_update(struct tls_traffic *t, const struct atoll_tls_crypto *c);

/* Records this direction may still protect before a KeyUpdate is needed
 * (§5.5: 2^24.5 full records for AES-GCM; ChaCha20-Poly1305 effectively
 * unbounded but capped below 2^64 sequence wrap). tls_record_seal refuses
 * to seal once it is 0: the engine sends KeyUpdate before that. */
#define TLS_AES_GCM_RECORD_LIMIT 23726566u   /* floor(2^24.5) */
uint64_t tls_traffic_budget(const struct tls_traffic *t);

/* Seals one TLSInnerPlaintext (content || type || pad zeros) as an
 * application_data record into out: header + ciphertext + tag, with the
 * nonce iv XOR the 64-bit sequence number (§5.3) and the header as
 * additional data; the sequence number advances. Returns the record length
 * (5 + len + 1 + pad + 16) or a negative TLS_CRYPTO_E_*; ATOLL_TLS_CRYPTO_E_SPACE
 * when cap is too small or len + 1 + pad exceeds max_inner, the largest
 * TLSInnerPlaintext allowed (content + type + padding): TLS_PLAINTEXT_MAX + 1,
 * or the peer's RFC 8449 record_size_limit when smaller (a larger max_inner
 * counts as TLS_PLAINTEXT_MAX + 1); ATOLL_TLS_CRYPTO_E_FAIL for type 0;
 * TLS_RECORD_E_SEQ_EXHAUSTED when the budget is spent. in and out may not
 * overlap. */
int tls_record_seal(struct tls_traffic *t, const struct atoll_tls_crypto *c, uint8_t type, const uint8_t *in, size_t len,
                    size_t pad, size_t max_inner, uint8_t *out, size_t cap);

/* Opens a complete protected record in place (rec = header + payload,
 * rec_len = 5 + hdr.length). On success sets *type to the inner content
 * type, *pt to the plaintext start (inside rec) and *pt_len, advances the
 * sequence number and returns 0. Errors, checked in this order:
 * -TLS_ALERT_INTERNAL_ERROR (rec_len is not 5 + the header's length: a
 * caller bug), -TLS_ALERT_BAD_RECORD_MAC (outer type not application_data),
 * -TLS_ALERT_RECORD_OVERFLOW (body over TLS_CIPHERTEXT_MAX, or a
 * TLSInnerPlaintext longer than max_inner, which is TLS_PLAINTEXT_MAX + 1 or
 * our own advertised record_size_limit: known from the length before
 * decrypting), -TLS_ALERT_BAD_RECORD_MAC (body shorter than the tag),
 * TLS_RECORD_E_SEQ_EXHAUSTED (sequence number would wrap),
 * -TLS_ALERT_BAD_RECORD_MAC (tag fails), -TLS_ALERT_UNEXPECTED_MESSAGE
 * (all-zero inner plaintext: no content type). On error the sequence number
 * is unchanged and the payload bytes are unspecified. */
int tls_record_open(struct tls_traffic *t, const struct atoll_tls_crypto *c, uint8_t *rec, size_t rec_len,
                    size_t max_inner, uint8_t *type, uint8_t **pt, size_t *pt_len);

#endif
