/* SPDX-License-Identifier: Apache-2.0 */
/* The unprotected framing of TLS records (RFC 8446 §5.1, §5.4): the 5-byte
 * header and the TLSInnerPlaintext padding scan. Pure functions with ACSL
 * contracts, proved WP + RTE (proofs/run.sh tls_record); the AEAD half of
 * the record layer is tls/record.h. */
#ifndef ATOLL_TLS_RECORD_WIRE_H
#define ATOLL_TLS_RECORD_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "tls/alert.h"
#include "spec/tls_record.acsl.h"

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
 * len < 5, or, checked in this order: -TLS_ALERT_UNEXPECTED_MESSAGE for a
 * content type other than 20..23; -TLS_ALERT_RECORD_OVERFLOW when length
 * exceeds TLS_CIPHERTEXT_MAX for an application_data record while
 * protected_ != 0 (a TLSCiphertext), TLS_PLAINTEXT_MAX for any other
 * record (a TLSPlaintext: every type before keys, CCS and plaintext alerts
 * after); -TLS_ALERT_UNEXPECTED_MESSAGE for a zero-length record of a
 * type other than application_data (§5.1: no zero-length handshake
 * fragments, an alert record holds exactly one alert, a CCS is the byte 1;
 * the same alert the engine sends for an empty protected one).
 * legacy_record_version is returned, not checked. */
/*@ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(buf + (0 .. len - 1), out);
  @ assigns *out;
  @ behavior need_more:
  @   assumes len < TLS_RECORD_HDR_LEN;
  @   assigns \nothing;
  @   ensures \result == TLS_RECORD_E_NEED_MORE;
  @ behavior unknown_type:
  @   assumes len >= TLS_RECORD_HDR_LEN && !tls_ct_known(REC_TYPE(buf));
  @   assigns \nothing;
  @   ensures \result == -TLS_ALERT_UNEXPECTED_MESSAGE;
  @ behavior overflow:
  @   assumes len >= TLS_RECORD_HDR_LEN && tls_ct_known(REC_TYPE(buf));
  @   assumes tls_rec_too_long(REC_TYPE(buf), protected_, REC_LEN(buf));
  @   assigns \nothing;
  @   ensures \result == -TLS_ALERT_RECORD_OVERFLOW;
  @ behavior empty:
  @   assumes len >= TLS_RECORD_HDR_LEN && tls_ct_known(REC_TYPE(buf));
  @   assumes !tls_rec_too_long(REC_TYPE(buf), protected_, REC_LEN(buf));
  @   assumes tls_rec_bad_empty(REC_TYPE(buf), REC_LEN(buf));
  @   assigns \nothing;
  @   ensures \result == -TLS_ALERT_UNEXPECTED_MESSAGE;
  @ behavior ok:
  @   assumes len >= TLS_RECORD_HDR_LEN && tls_ct_known(REC_TYPE(buf));
  @   assumes !tls_rec_too_long(REC_TYPE(buf), protected_, REC_LEN(buf));
  @   assumes !tls_rec_bad_empty(REC_TYPE(buf), REC_LEN(buf));
  @   ensures \result == TLS_RECORD_HDR_LEN && 0 < \result <= len;
  @   ensures out->type == REC_TYPE(buf) && tls_ct_known(out->type);
  @   ensures out->version == REC_VERSION(buf);
  @   ensures out->length == REC_LEN(buf) && out->length <= TLS_CIPHERTEXT_MAX;
  @   ensures protected_ == 0 ==> out->length <= TLS_PLAINTEXT_MAX;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int tls_record_hdr_parse(const uint8_t *buf, size_t len, int protected_, struct tls_record_hdr *out);

/* Writes an unprotected record header (for the plaintext ClientHello/
 * ServerHello/alerts before keys, and CCS); legacy_record_version 0x0303. */
/*@ requires \valid(out + (0 .. TLS_RECORD_HDR_LEN - 1));
  @ assigns out[0 .. TLS_RECORD_HDR_LEN - 1];
  @ ensures REC_TYPE(out) == type && REC_VERSION(out) == 0x0303 && REC_LEN(out) == length;
  @*/
void tls_record_hdr_write(uint8_t *out, uint8_t type, uint16_t length);

/* Splits a decrypted TLSInnerPlaintext (content || type || zero padding,
 * §5.4): the content type is the last non-zero byte. Returns 0 with *type
 * and *content_len (the bytes before the type), or
 * -TLS_ALERT_UNEXPECTED_MESSAGE when every byte is zero (len 0 included). */
/*@ requires \valid_read(inner + (0 .. len - 1));
  @ requires \valid(type) && \valid(content_len);
  @ requires \separated(type, content_len, inner + (0 .. len - 1));
  @ assigns *type, *content_len;
  @ behavior no_type:
  @   assumes tls_all_zero(inner, 0, len);
  @   assigns \nothing;
  @   ensures \result == -TLS_ALERT_UNEXPECTED_MESSAGE;
  @ behavior found:
  @   assumes !tls_all_zero(inner, 0, len);
  @   ensures \result == 0;
  @   ensures *content_len < len;
  @   ensures *type == inner[*content_len] && *type != 0;
  @   ensures tls_all_zero(inner, *content_len + 1, len);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int tls_record_inner_split(const uint8_t *inner, size_t len, uint8_t *type, size_t *content_len);

#endif
