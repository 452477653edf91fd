/* SPDX-License-Identifier: Apache-2.0 */
/* TLS 1.3 handshake messages (RFC 8446 §4) as ACSL: the shape of every
 * list a parser validates, as one logic predicate per list shape, and the
 * contracts of tls/msg.h (attached here to re-declarations of its
 * functions, so that msg.h stays the plain C interface). Proved by
 * proofs/run.sh, modules tls_*.
 *
 * The contract of a parser says: on success it consumed exactly the body,
 * every span lies inside the body, and every list span satisfies its shape
 * predicate; the iterators require exactly those predicates, so walking a
 * parsed list cannot leave its span. */
#ifndef ATOLL_SPEC_TLS_MSG_ACSL_H
#define ATOLL_SPEC_TLS_MSG_ACSL_H

#include <stddef.h>
#include <stdint.h>

#include "tls/alert.h"
#include "tls/msg.h"
#include "spec/wire.acsl.h"

/* A handshake body's length is a 24-bit field. */
#define TLS_MSG_BODY_MAX 16777215u

/* Big-endian 24-bit integer at p (handshake and certificate lengths). */
#define BE24(p) (((p)[0] * 256 + (p)[1]) * 256 + (p)[2])

/* The extension code points RFC 8446 §4.2 lists, and RFC 8449's
 * record_size_limit (tls_ext_known in tls/msg_wire.h). */
#define TLS_EXT_KNOWN(t)                                                                                     \
    ((t) == 0 || (t) == 1 || (t) == 5 || (t) == 10 || (t) == 13 || (t) == 14 || (t) == 15 || (t) == 16      \
     || (t) == 18 || (t) == 19 || (t) == 20 || (t) == 21 || (t) == 28 || (41 <= (t) <= 51 && (t) != 46))

/* A span of a body of len bytes lies inside it; a list of 2-byte items
 * (cipher suites, groups, signature schemes). Macros, not predicates over
 * a struct value: WP then reads the two fields one by one, which it tracks
 * across writes to other fields; a whole-struct read it does not. */
#define tls_span_in(s, n) ((s).off + (s).len <= (n))
#define tls_u16_list(s, n) (tls_span_in(s, n) && (s).len % 2 == 0)

/*@ // SHA-256("HelloRetryRequest"), the random of a HelloRetryRequest (§4.1.3).
    logic integer TLS_HRR_RANDOM(integer i) =
      i == 0 ? 0xcf : i == 1 ? 0x21 : i == 2 ? 0xad : i == 3 ? 0x74 : i == 4 ? 0xe5 : i == 5 ? 0x9a :
      i == 6 ? 0x61 : i == 7 ? 0x11 : i == 8 ? 0xbe : i == 9 ? 0x1d : i == 10 ? 0x8c : i == 11 ? 0x02 :
      i == 12 ? 0x1e : i == 13 ? 0x65 : i == 14 ? 0xb8 : i == 15 ? 0x91 : i == 16 ? 0xc2 :
      i == 17 ? 0xa2 : i == 18 ? 0x11 : i == 19 ? 0x16 : i == 20 ? 0x7a : i == 21 ? 0xbb :
      i == 22 ? 0x8c : i == 23 ? 0x5e : i == 24 ? 0x07 : i == 25 ? 0x9e : i == 26 ? 0x09 :
      i == 27 ? 0xe2 : i == 28 ? 0xc8 : i == 29 ? 0xa8 : i == 30 ? 0x33 : 0x9c;

    predicate tls_is_hrr_random{L}(uint8_t *r) =
      \forall integer i; 0 <= i < 32 ==> r[i] == TLS_HRR_RANDOM(i);

    // The list shapes below are written from a position p to the list's
    // end e, one entry and then the rest: a parser establishes them with
    // the loop invariant "shape(p, e) ==> shape(start, e)" and an iterator
    // consumes them one unfolding per step. No induction is needed either way.

    // KeyShareEntry client_shares (§4.2.8): group(2) key_exchange<1..2^16-1>.
    predicate tls_ks_list{L}(uint8_t *b, integer p, integer e) =
      p == e
      || (p + 4 <= e && BE16(b + p + 2) >= 1 && p + 4 + BE16(b + p + 2) <= e
          && tls_ks_list(b, p + 4 + BE16(b + p + 2), e));

    // ProtocolName protocol_name_list (RFC 7301 §3.1): opaque<1..2^8-1> each.
    predicate tls_name8_list{L}(uint8_t *b, integer p, integer e) =
      p == e || (p < e && b[p] >= 1 && p + 1 + b[p] <= e && tls_name8_list(b, p + 1 + b[p], e));

    // n PskIdentity entries (§4.2.11): identity<1..2^16-1>, obfuscated_ticket_age(4).
    predicate tls_psk_ids{L}(uint8_t *b, integer p, integer e, integer n) =
      (n == 0 && p == e)
      || (n > 0 && p + 2 <= e && BE16(b + p) >= 1 && p + 6 + BE16(b + p) <= e
          && tls_psk_ids(b, p + 6 + BE16(b + p), e, n - 1));

    // n PskBinderEntry entries (§4.2.11): opaque<32..255> each.
    predicate tls_binders{L}(uint8_t *b, integer p, integer e, integer n) =
      (n == 0 && p == e)
      || (n > 0 && p < e && b[p] >= 32 && p + 1 + b[p] <= e && tls_binders(b, p + 1 + b[p], e, n - 1));

    // n CertificateEntry entries (§4.4.2): cert_data<1..2^24-1>, extensions<0..2^16-1>.
    logic integer tls_cert_next{L}(uint8_t *b, integer p) =
      p + 5 + BE24(b + p) + BE16(b + p + 3 + BE24(b + p));
    predicate tls_cert_list{L}(uint8_t *b, integer p, integer e, integer n) =
      (n == 0 && p == e)
      || (n > 0 && p + 3 <= e && BE24(b + p) >= 1 && p + 5 + BE24(b + p) <= e
          && tls_cert_next(b, p) <= e && tls_cert_list(b, tls_cert_next(b, p), e, n - 1));

*/

/* What a successful tls_client_hello_parse guarantees about its result. A
 * macro rather than a predicate so that -wp-split proves each conjunct as
 * its own goal. */
#define tls_ch_ok(b, len, ch)                                                                                 \
    ((ch)->session_id_len <= 32 && tls_u16_list((ch)->suites, len) && (ch)->suites.len >= 2                   \
     && tls_span_in((ch)->server_name, len) && (ch)->server_name.len <= 255                                  \
     && tls_u16_list((ch)->groups, len) && tls_u16_list((ch)->sig_algs, len)                                  \
     && tls_u16_list((ch)->sig_algs_cert, len) && tls_span_in((ch)->key_shares, len)                          \
     && tls_ks_list(b, (ch)->key_shares.off, (ch)->key_shares.off + (ch)->key_shares.len)                    \
     && tls_span_in((ch)->alpn, len) && tls_name8_list(b, (ch)->alpn.off, (ch)->alpn.off + (ch)->alpn.len)    \
     && tls_span_in((ch)->psk_identities, len) && tls_span_in((ch)->psk_binders, len)                         \
     && tls_psk_ids(b, (ch)->psk_identities.off, (ch)->psk_identities.off + (ch)->psk_identities.len,         \
                    (ch)->psk_count)                                                                          \
     && tls_binders(b, (ch)->psk_binders.off, (ch)->psk_binders.off + (ch)->psk_binders.len, (ch)->psk_count) \
     && ((ch)->psk_count > 0 ==> (ch)->binders_off + 2 == (ch)->psk_binders.off                               \
                                 && (ch)->psk_binders.off + (ch)->psk_binders.len == len)                     \
     && tls_span_in((ch)->cookie, len) && ((ch)->record_size_limit == 0 || (ch)->record_size_limit >= 64)    \
     && (ch)->max_version <= 0x0304 && (ch)->offers_tls13 <= 1 && (ch)->early_data <= 1                       \
     && (ch)->psk_modes <= 3)

/* ---- ClientHello (server side) ---- */

/*@ requires \valid_read(body + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(body + (0 .. len - 1), out);
  @ assigns *out;
  @ ensures \result == len || \result == -TLS_ALERT_DECODE_ERROR
  @         || \result == -TLS_ALERT_ILLEGAL_PARAMETER || \result == -TLS_ALERT_PROTOCOL_VERSION;
  @ ensures len > TLS_MSG_BODY_MAX ==> \result == -TLS_ALERT_DECODE_ERROR;
  @ ensures \result >= 0 ==> tls_ch_ok(body, len, out);
  @*/
int tls_client_hello_parse(const uint8_t *body, size_t len, struct tls_client_hello *out);

/*@ requires s.off + s.len <= TLS_MSG_BODY_MAX;
  @ requires \valid_read(body + (s.off .. s.off + s.len - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 <==>
  @         (\exists integer k; 0 <= k && 2 * k + 2 <= s.len && BE16(body + s.off + 2 * k) == v);
  @*/
int tls_span_has_u16(const uint8_t *body, struct tls_span s, uint16_t v);

/*@ requires \valid_read(ch) && \valid(key) && \separated(ch, key);
  @ requires ch->key_shares.off + ch->key_shares.len <= TLS_MSG_BODY_MAX;
  @ requires \valid_read(body + (ch->key_shares.off .. ch->key_shares.off + ch->key_shares.len - 1));
  @ requires tls_ks_list(body, ch->key_shares.off, ch->key_shares.off + ch->key_shares.len);
  @ assigns *key;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> ch->key_shares.off + 4 <= key->off
  @         && key->off + key->len <= ch->key_shares.off + ch->key_shares.len
  @         && key->len >= 1 && BE16(body + key->off - 4) == group && BE16(body + key->off - 2) == key->len;
  @*/
int tls_ch_key_share(const uint8_t *body, const struct tls_client_hello *ch, uint16_t group, struct tls_span *key);

/*@ requires \valid_read(ch);
  @ requires ch->alpn.off + ch->alpn.len <= TLS_MSG_BODY_MAX;
  @ requires \valid_read(body + (ch->alpn.off .. ch->alpn.off + ch->alpn.len - 1));
  @ requires tls_name8_list(body, ch->alpn.off, ch->alpn.off + ch->alpn.len);
  @ requires \valid_read(name + (0 .. name_len - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures name_len == 0 || name_len > 255 ==> \result == 0;
  @*/
int tls_ch_offers_alpn(const uint8_t *body, const struct tls_client_hello *ch, const uint8_t *name, size_t name_len);

/*@ requires \valid_read(ch) && \valid(identity) && \valid(obfuscated_age) && \valid(binder);
  @ requires \separated(ch, identity, obfuscated_age, binder);
  @ requires ch->psk_identities.off + ch->psk_identities.len <= TLS_MSG_BODY_MAX;
  @ requires ch->psk_binders.off + ch->psk_binders.len <= TLS_MSG_BODY_MAX;
  @ requires \valid_read(body + (ch->psk_identities.off .. ch->psk_identities.off + ch->psk_identities.len - 1));
  @ requires \valid_read(body + (ch->psk_binders.off .. ch->psk_binders.off + ch->psk_binders.len - 1));
  @ requires tls_psk_ids(body, ch->psk_identities.off, ch->psk_identities.off + ch->psk_identities.len,
  @                      ch->psk_count);
  @ requires tls_binders(body, ch->psk_binders.off, ch->psk_binders.off + ch->psk_binders.len, ch->psk_count);
  @ assigns *identity, *obfuscated_age, *binder;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 <==> i < ch->psk_count;
  @ ensures \result == 1 ==> ch->psk_identities.off + 2 <= identity->off && identity->len >= 1
  @         && identity->off + identity->len + 4 <= ch->psk_identities.off + ch->psk_identities.len
  @         && BE16(body + identity->off - 2) == identity->len
  @         && *obfuscated_age == BE32(body + identity->off + identity->len);
  @ ensures \result == 1 ==> ch->psk_binders.off + 1 <= binder->off && binder->len >= 32
  @         && binder->off + binder->len <= ch->psk_binders.off + ch->psk_binders.len
  @         && body[binder->off - 1] == binder->len;
  @*/
int tls_ch_psk(const uint8_t *body, const struct tls_client_hello *ch, uint16_t i, struct tls_span *identity,
               uint32_t *obfuscated_age, struct tls_span *binder);

/* ---- emitters (server side) ---- */

/*@ requires \valid(out + (0 .. cap - 1));
  @ requires \valid_read(sh);
  @ requires \valid_read(sh->session_id + (0 .. sh->session_id_len - 1));
  @ requires sh->hrr == 0 && sh->group != 0 ==> \valid_read(sh->key_share + (0 .. sh->key_share_len - 1));
  @ requires sh->hrr != 0 && sh->cookie != \null ==> \valid_read(sh->cookie + (0 .. sh->cookie_len - 1));
  @ requires \separated(out + (0 .. cap - 1), sh);
  @ requires \separated(out + (0 .. cap - 1), sh->session_id + (0 .. sh->session_id_len - 1));
  @ requires sh->hrr == 0 && sh->group != 0 ==>
  @          \separated(out + (0 .. cap - 1), sh->key_share + (0 .. sh->key_share_len - 1));
  @ requires sh->hrr != 0 && sh->cookie != \null ==>
  @          \separated(out + (0 .. cap - 1), sh->cookie + (0 .. sh->cookie_len - 1));
  @ assigns out[0 .. cap - 1];
  @ ensures \result == TLS_MSG_E_SPACE
  @         || (4 <= \result <= cap && out[0] == TLS_HS_SERVER_HELLO && BE24(out + 1) == \result - 4
  @             && BE16(out + 4) == 0x0303);
  @ ensures \result != TLS_MSG_E_SPACE && sh->hrr != 0 ==> tls_is_hrr_random(out + 6);
  @*/
int tls_server_hello_write(uint8_t *out, size_t cap, const struct tls_server_hello *sh);

/*@ requires \valid(out + (0 .. cap - 1));
  @ requires \valid_read(ee);
  @ requires ee->alpn != \null ==> \valid_read(ee->alpn + (0 .. ee->alpn_len - 1));
  @ requires ee->groups != \null ==> \valid_read(ee->groups + (0 .. ee->groups_len - 1));
  @ requires \separated(out + (0 .. cap - 1), ee);
  @ requires ee->alpn != \null ==> \separated(out + (0 .. cap - 1), ee->alpn + (0 .. ee->alpn_len - 1));
  @ requires ee->groups != \null ==> \separated(out + (0 .. cap - 1), ee->groups + (0 .. ee->groups_len - 1));
  @ assigns out[0 .. cap - 1];
  @ ensures \result == TLS_MSG_E_SPACE
  @         || (6 <= \result <= cap && out[0] == TLS_HS_ENCRYPTED_EXTENSIONS
  @             && BE24(out + 1) == \result - 4 && BE16(out + 4) == \result - 6);
  @*/
int tls_encrypted_extensions_write(uint8_t *out, size_t cap, const struct tls_encrypted_extensions *ee);

/*@ requires \valid(out + (0 .. cap - 1));
  @ requires n <= 65535;
  @ requires \valid_read(certs + (0 .. n - 1)) && \valid_read(cert_lens + (0 .. n - 1));
  @ requires \forall integer i; 0 <= i < n ==> \valid_read(certs[i] + (0 .. cert_lens[i] - 1));
  @ requires \forall integer i; 0 <= i < n ==> \separated(out + (0 .. cap - 1), certs[i] + (0 .. cert_lens[i] - 1));
  @ requires \separated(out + (0 .. cap - 1), certs + (0 .. n - 1), cert_lens + (0 .. n - 1));
  @ assigns out[0 .. cap - 1];
  @ ensures \result == TLS_MSG_E_SPACE
  @         || (8 <= \result <= cap && out[0] == TLS_HS_CERTIFICATE && BE24(out + 1) == \result - 4
  @             && out[4] == 0 && BE24(out + 5) == \result - 8);
  @*/
int tls_certificate_write(uint8_t *out, size_t cap, const uint8_t *const *certs, const size_t *cert_lens, size_t n);

/*@ requires \valid(out + (0 .. cap - 1));
  @ requires \valid_read(sig + (0 .. sig_len - 1));
  @ requires \separated(out + (0 .. cap - 1), sig + (0 .. sig_len - 1));
  @ assigns out[0 .. cap - 1];
  @ ensures \result == TLS_MSG_E_SPACE
  @         || (\result == 8 + sig_len && \result <= cap && out[0] == TLS_HS_CERTIFICATE_VERIFY
  @             && BE24(out + 1) == \result - 4 && BE16(out + 4) == scheme && BE16(out + 6) == sig_len);
  @ ensures \result == TLS_MSG_E_SPACE <==> sig_len > 65535 || cap < 8 + sig_len;
  @*/
int tls_certificate_verify_write(uint8_t *out, size_t cap, uint16_t scheme, const uint8_t *sig, size_t sig_len);

/*@ requires \valid(out + (0 .. cap - 1));
  @ requires \valid_read(verify_data + (0 .. len - 1));
  @ requires \separated(out + (0 .. cap - 1), verify_data + (0 .. len - 1));
  @ assigns out[0 .. cap - 1];
  @ ensures \result == TLS_MSG_E_SPACE <==> len > TLS_MSG_BODY_MAX || cap < 4 + len;
  @ ensures \result != TLS_MSG_E_SPACE ==>
  @         \result == 4 + len && out[0] == TLS_HS_FINISHED && BE24(out + 1) == len
  @         && \forall integer i; 0 <= i < len ==> out[4 + i] == verify_data[i];
  @*/
int tls_finished_write(uint8_t *out, size_t cap, const uint8_t *verify_data, size_t len);

/*@ requires \valid(out + (0 .. cap - 1));
  @ requires \valid_read(nonce + (0 .. nonce_len - 1)) && \valid_read(ticket + (0 .. ticket_len - 1));
  @ requires \separated(out + (0 .. cap - 1), nonce + (0 .. nonce_len - 1));
  @ requires \separated(out + (0 .. cap - 1), ticket + (0 .. ticket_len - 1));
  @ assigns out[0 .. cap - 1];
  @ ensures \result == TLS_MSG_E_SPACE <==>
  @         nonce_len > 255 || ticket_len < 1 || ticket_len > 65535 || cap < 17 + nonce_len + ticket_len;
  @ ensures \result != TLS_MSG_E_SPACE ==>
  @         \result == 17 + nonce_len + ticket_len && out[0] == TLS_HS_NEW_SESSION_TICKET
  @         && BE24(out + 1) == \result - 4 && BE32(out + 4) == lifetime && BE32(out + 8) == age_add
  @         && out[12] == nonce_len && BE16(out + 13 + nonce_len) == ticket_len
  @         && BE16(out + 15 + nonce_len + ticket_len) == 0;
  @*/
int tls_new_session_ticket_write(uint8_t *out, size_t cap, uint32_t lifetime, uint32_t age_add, const uint8_t *nonce,
                                 size_t nonce_len, const uint8_t *ticket, size_t ticket_len);

/*@ requires \valid(out + (0 .. cap - 1));
  @ assigns out[0 .. cap - 1];
  @ ensures \result == TLS_MSG_E_SPACE <==> cap < 5;
  @ ensures \result != TLS_MSG_E_SPACE ==>
  @         \result == 5 && out[0] == TLS_HS_KEY_UPDATE && BE24(out + 1) == 1
  @         && out[4] == (request_update != 0 ? 1 : 0);
  @*/
int tls_key_update_write(uint8_t *out, size_t cap, int request_update);

/*@ requires \valid(out + (0 .. cap - 1));
  @ requires \valid_read(hash + (0 .. hash_len - 1));
  @ requires \separated(out + (0 .. cap - 1), hash + (0 .. hash_len - 1));
  @ assigns out[0 .. cap - 1];
  @ ensures \result == TLS_MSG_E_SPACE <==> hash_len > 255 || cap < 4 + hash_len;
  @ ensures \result != TLS_MSG_E_SPACE ==>
  @         \result == 4 + hash_len && out[0] == TLS_HS_MESSAGE_HASH && BE24(out + 1) == hash_len
  @         && \forall integer i; 0 <= i < hash_len ==> out[4 + i] == hash[i];
  @*/
int tls_message_hash_write(uint8_t *out, size_t cap, const uint8_t *hash, size_t hash_len);

/*@ requires hash_len <= 64;
  @ requires \valid(out + (0 .. 98 + hash_len - 1));
  @ requires \valid_read(transcript_hash + (0 .. hash_len - 1));
  @ requires \separated(out + (0 .. 98 + hash_len - 1), transcript_hash + (0 .. hash_len - 1));
  @ assigns out[0 .. 98 + hash_len - 1];
  @ ensures \result == 98 + hash_len;
  @ ensures \forall integer i; 0 <= i < 64 ==> out[i] == 0x20;
  @ ensures out[97] == 0;
  @ ensures \forall integer i; 0 <= i < hash_len ==> out[98 + i] == transcript_hash[i];
  @*/
size_t tls_cv_content(uint8_t *out, int server, const uint8_t *transcript_hash, size_t hash_len);

/* ---- parsers of what follows ClientHello, and of what a client receives ---- */

/*@ requires \valid_read(body + (0 .. len - 1));
  @ requires \valid(verify_data);
  @ requires \separated(body + (0 .. len - 1), verify_data);
  @ assigns *verify_data;
  @ ensures \result == (len == hash_len && len <= TLS_MSG_BODY_MAX ? (integer)len : -TLS_ALERT_DECODE_ERROR);
  @ ensures \result >= 0 ==> verify_data->off == 0 && verify_data->len == len;
  @*/
int tls_finished_parse(const uint8_t *body, size_t len, size_t hash_len, struct tls_span *verify_data);

/*@ requires \valid_read(body + (0 .. len - 1));
  @ requires \valid(request_update);
  @ requires \separated(body + (0 .. len - 1), request_update);
  @ assigns *request_update;
  @ ensures len != 1 ==> \result == -TLS_ALERT_DECODE_ERROR;
  @ ensures len == 1 && body[0] > 1 ==> \result == -TLS_ALERT_ILLEGAL_PARAMETER;
  @ ensures len == 1 && body[0] <= 1 ==> \result == 1 && *request_update == body[0];
  @*/
int tls_key_update_parse(const uint8_t *body, size_t len, int *request_update);

/*@ requires \valid_read(body + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(body + (0 .. len - 1), out);
  @ assigns *out;
  @ ensures \result == len || \result == -TLS_ALERT_DECODE_ERROR;
  @ ensures \result >= 0 <==> 4 <= len <= TLS_MSG_BODY_MAX && BE16(body + 2) == len - 4;
  @ ensures \result >= 0 ==> out->scheme == BE16(body) && out->sig.off == 4 && out->sig.len == len - 4;
  @*/
int tls_certificate_verify_parse(const uint8_t *body, size_t len, struct tls_certificate_verify *out);

/*@ requires \valid_read(body + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(body + (0 .. len - 1), out);
  @ assigns *out;
  @ ensures \result == len || \result == -TLS_ALERT_DECODE_ERROR || \result == -TLS_ALERT_ILLEGAL_PARAMETER
  @         || \result == -TLS_ALERT_PROTOCOL_VERSION || \result == -TLS_ALERT_UNSUPPORTED_EXTENSION;
  @ ensures len > TLS_MSG_BODY_MAX ==> \result == -TLS_ALERT_DECODE_ERROR;
  @ ensures \result >= 0 ==> out->session_id_len <= 32 && out->selected_version == TLS_VERSION_13
  @         && (out->hrr == 0 || out->hrr == 1) && (out->hrr == 1 <==> tls_is_hrr_random(body + 2))
  @         && -1 <= out->psk_index <= 65535
  @         && tls_span_in(out->key_share, len) && tls_span_in(out->cookie, len)
  @         && (out->hrr == 1 ==> out->key_share.len == 0 && out->psk_index == -1)
  @         && (out->hrr == 0 ==> out->cookie.len == 0);
  @*/
int tls_server_hello_parse(const uint8_t *body, size_t len, struct tls_server_hello_in *out);

/*@ requires \valid_read(body + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(body + (0 .. len - 1), out);
  @ assigns *out;
  @ ensures \result == len || \result == -TLS_ALERT_DECODE_ERROR || \result == -TLS_ALERT_ILLEGAL_PARAMETER
  @         || \result == -TLS_ALERT_UNSUPPORTED_EXTENSION;
  @ ensures len > TLS_MSG_BODY_MAX ==> \result == -TLS_ALERT_DECODE_ERROR;
  @ ensures \result >= 0 ==> tls_span_in(out->alpn, len)
  @         && (out->alpn.len == 0 || (out->alpn.off >= 1 && body[out->alpn.off - 1] == out->alpn.len))
  @         && (out->record_size_limit == 0 || 64 <= out->record_size_limit <= 16385);
  @*/
int tls_encrypted_extensions_parse(const uint8_t *body, size_t len, struct tls_encrypted_extensions_in *out);

/*@ requires \valid_read(body + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(body + (0 .. len - 1), out);
  @ assigns *out;
  @ ensures \result == len || \result == -TLS_ALERT_DECODE_ERROR || \result == -TLS_ALERT_ILLEGAL_PARAMETER
  @         || \result == -TLS_ALERT_UNSUPPORTED_EXTENSION || \result == -TLS_ALERT_BAD_CERTIFICATE;
  @ ensures len > TLS_MSG_BODY_MAX ==> \result == -TLS_ALERT_DECODE_ERROR;
  @ ensures \result >= 0 ==> out->context.off == 1 && out->context.len == body[0]
  @         && tls_span_in(out->list, len) && out->list.off + out->list.len == len
  @         && tls_cert_list(body, out->list.off, out->list.off + out->list.len, out->count);
  @*/
int tls_certificate_parse(const uint8_t *body, size_t len, struct tls_certificate_in *out);

/*@ requires \valid_read(c) && \valid(der) && \separated(c, der);
  @ requires c->list.off + c->list.len <= TLS_MSG_BODY_MAX;
  @ requires \valid_read(body + (c->list.off .. c->list.off + c->list.len - 1));
  @ requires tls_cert_list(body, c->list.off, c->list.off + c->list.len, c->count);
  @ assigns *der;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 <==> i < c->count;
  @ ensures \result == 1 ==> c->list.off + 3 <= der->off && der->off + der->len <= c->list.off + c->list.len
  @         && der->len >= 1 && BE24(body + der->off - 3) == der->len;
  @*/
int tls_certificate_entry(const uint8_t *body, const struct tls_certificate_in *c, uint16_t i, struct tls_span *der);

/*@ requires \valid_read(body + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(body + (0 .. len - 1), out);
  @ assigns *out;
  @ ensures \result == len || \result == -TLS_ALERT_DECODE_ERROR || \result == -TLS_ALERT_ILLEGAL_PARAMETER;
  @ ensures len > TLS_MSG_BODY_MAX ==> \result == -TLS_ALERT_DECODE_ERROR;
  @ ensures \result >= 0 ==> out->lifetime == BE32(body) && out->age_add == BE32(body + 4)
  @         && out->nonce.off == 9 && out->nonce.len == body[8] && tls_span_in(out->nonce, len)
  @         && tls_span_in(out->ticket, len) && out->ticket.len >= 1
  @         && BE16(body + out->ticket.off - 2) == out->ticket.len;
  @*/
int tls_new_session_ticket_parse(const uint8_t *body, size_t len, struct tls_new_session_ticket_in *out);

/*@ requires \valid_read(body + (0 .. len - 1));
  @ requires \valid(level) && \valid(desc) && \separated(level, desc);
  @ requires \separated(body + (0 .. len - 1), level, desc);
  @ assigns *level, *desc;
  @ ensures len == 2 ==> \result == 2 && *level == \old(body[0]) && *desc == \old(body[1]);
  @ ensures len != 2 ==> \result == -TLS_ALERT_DECODE_ERROR;
  @*/
int tls_alert_parse(const uint8_t *body, size_t len, uint8_t *level, uint8_t *desc);

#endif
