/* SPDX-License-Identifier: Apache-2.0 */
/* The TLS 1.3 key schedule (RFC 8446 §7.1-7.3, §4.4.4, §4.6.1) over
 * include/atoll/tls_crypto.h. Pure functions of their inputs; tested against the traces of
 * RFC 8448. All secrets are atoll_tls_hash_len(alg) bytes. Returns 0 or a negative
 * TLS_CRYPTO_E_* from the backend. */
#ifndef ATOLL_TLS_KEYSCHED_H
#define ATOLL_TLS_KEYSCHED_H

#include "atoll/tls_crypto.h"

/* HKDF-Expand-Label(secret, "tls13 " + label, context, out_len). label
 * without the "tls13 " prefix; label_len <= 249, ctx_len <= 255. */
int tls_hkdf_expand_label(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *secret,
                          const char *label, const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len);

/* Derive-Secret(secret, label, transcript) with the transcript hash given. */
int tls_derive_secret(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *secret, const char *label,
                      const uint8_t *transcript_hash, uint8_t *out);

/* Early Secret = HKDF-Extract(0, PSK or zeros when psk == NULL). */
int tls_ks_early_secret(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *psk, size_t psk_len,
                        uint8_t *early);
/* binder_key: "res binder" (resumption) or "ext binder" (external). */
int tls_ks_binder_key(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *early, int resumption,
                      uint8_t *binder_key);
/* Handshake Secret = HKDF-Extract(Derive-Secret(early, "derived", ""), dhe).
 * dhe == NULL stands for Hash.length zeros (psk_ke: no (EC)DHE). */
int tls_ks_handshake_secret(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *early,
                            const uint8_t *dhe, size_t dhe_len, uint8_t *hs);
/* Master Secret = HKDF-Extract(Derive-Secret(hs, "derived", ""), zeros). */
int tls_ks_master_secret(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *hs, uint8_t *master);

/* finished_key = HKDF-Expand-Label(base, "finished", "", Hash.length);
 * verify_data = HMAC(finished_key, transcript_hash). */
int tls_ks_finished(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *base_secret,
                    const uint8_t *transcript_hash, uint8_t *verify_data);

/* application_traffic_secret_N+1 = HKDF-Expand-Label(N, "traffic upd", "", Hash.length). */
int tls_ks_next_traffic_secret(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *secret,
                               uint8_t *next);

/* PSK for a ticket = HKDF-Expand-Label(resumption_master, "resumption", nonce, Hash.length). */
int tls_ks_resumption_psk(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, const uint8_t *res_master,
                          const uint8_t *nonce, size_t nonce_len, uint8_t *psk);

/* Traffic key and IV of one direction (§7.3). */
int tls_ks_traffic_keys(const struct atoll_tls_crypto *c, enum atoll_tls_hash_alg alg, enum atoll_tls_aead_alg aead,
                        const uint8_t *secret, uint8_t *key, uint8_t iv[ATOLL_TLS_AEAD_NONCE_LEN]);

#endif
