/* The TLS 1.3 record layer (RFC 8446 §5): framing, AEAD protection with
 * the per-record nonce, padding, content-type hiding, RFC 8449
 * record_size_limit, and the sequence-number and key-usage limits.
 * Pure: records are sealed into and opened in caller buffers. */
#ifndef ATOLL_TLS_RECORD_H
#define ATOLL_TLS_RECORD_H

#include <stdint.h>
#include <stddef.h>
#include "crypto.h"

#define TLS_CT_INVALID 0u
#define TLS_CT_CHANGE_CIPHER_SPEC 20u
#define TLS_CT_ALERT 21u
#define TLS_CT_HANDSHAKE 22u
#define TLS_CT_APPLICATION_DATA 23u

#define TLS_RECORD_HDR_LEN 5u
#define TLS_PLAINTEXT_MAX 16384u                 /* 2^14 */
#define TLS_CIPHERTEXT_MAX (TLS_PLAINTEXT_MAX + 256u)
#define TLS_RECORD_MAX (TLS_RECORD_HDR_LEN + TLS_CIPHERTEXT_MAX)

#define TLS_RECORD_E_NEED_MORE (-1000)           /* not an alert: wait for bytes */

struct tls_record_hdr {
    uint8_t type;
    uint16_t version;  /* legacy_record_version, ignored except for checks */
    uint16_t length;
};

/* Parses the 5-byte header. Returns 5, TLS_RECORD_E_NEED_MORE when
 * len < 5, or -TLS_ALERT_RECORD_OVERFLOW when length exceeds
 * TLS_CIPHERTEXT_MAX (any type) or TLS_PLAINTEXT_MAX for plaintext types
 * when protected == 0, -TLS_ALERT_DECODE_ERROR for a zero-length
 * non-application record, -TLS_ALERT_UNEXPECTED_MESSAGE for an unknown
 * content type. */
int tls_record_hdr_parse(const uint8_t *buf, size_t len, int protected_, struct tls_record_hdr *out);

/* One direction's traffic protection. */
struct tls_traffic {
    enum tls_aead_alg aead;
    enum tls_hash_alg hash;
    uint8_t key[TLS_AEAD_KEY_MAX];
    uint8_t iv[TLS_AEAD_NONCE_LEN];
    uint64_t seq;
    uint8_t secret[TLS_HASH_MAX];  /* kept for KeyUpdate */
};

/* Installs keys derived from a traffic secret, sequence number 0. */
int tls_traffic_init(struct tls_traffic *t, const struct tls_crypto *c, enum tls_aead_alg aead,
                     enum tls_hash_alg hash, const uint8_t *secret);
/* Moves to the next application traffic secret (KeyUpdate). */
int tls_traffic_update(struct tls_traffic *t, const struct tls_crypto *c);

/* Records this direction may still protect before a KeyUpdate is needed
 * (§5.5: 2^24.5 full records for AES-GCM; ChaCha20-Poly1305 effectively
 * unbounded but capped below 2^64 sequence wrap). */
uint64_t tls_traffic_budget(const struct tls_traffic *t);

/* Seals one TLSInnerPlaintext (content || type || pad zeros) as an
 * application_data record into out: header + ciphertext + tag. Returns the
 * record length or a negative TLS_CRYPTO_E_*; TLS_CRYPTO_E_SPACE when
 * cap is too small or len + 1 + pad exceeds max_inner, the largest
 * TLSInnerPlaintext allowed (content + type + padding): TLS_PLAINTEXT_MAX + 1,
 * or the peer's RFC 8449 record_size_limit when smaller. in and out may not
 * overlap. */
int tls_record_seal(struct tls_traffic *t, const struct tls_crypto *c, uint8_t type, const uint8_t *in, size_t len,
                    size_t pad, size_t max_inner, uint8_t *out, size_t cap);

/* Opens a complete protected record in place (rec = header + payload,
 * rec_len = 5 + hdr.length). On success sets *type to the inner content
 * type, *pt to the plaintext start (inside rec) and *pt_len, and returns 0.
 * Errors: -TLS_ALERT_BAD_RECORD_MAC (tag fails, or outer type not
 * application_data), -TLS_ALERT_RECORD_OVERFLOW (TLSInnerPlaintext longer
 * than max_inner, which is TLS_PLAINTEXT_MAX + 1 or our own advertised
 * record_size_limit), -TLS_ALERT_UNEXPECTED_MESSAGE (all-zero inner plaintext: no
 * content type). */
int tls_record_open(struct tls_traffic *t, const struct tls_crypto *c, uint8_t *rec, size_t rec_len,
                    size_t max_inner, uint8_t *type, uint8_t **pt, size_t *pt_len);

/* Writes an unprotected record header (for the plaintext ClientHello/
 * ServerHello/alerts before keys, and CCS). */
void tls_record_hdr_write(uint8_t *out, uint8_t type, uint16_t length);

#endif
