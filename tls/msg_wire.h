/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the handshake message parsers and emitters (tls/msg_*.c):
 * 24-bit integers, the handshake header, the extension code points RFC 8446
 * §4.2 lists, the HelloRetryRequest random. Internal to tls/msg_*.c.
 * Integers are read and written with arithmetic, as in base/wire.h (whose
 * 8/16/32-bit helpers and wire_copy these files share). */
#ifndef ATOLL_TLS_MSG_WIRE_H
#define ATOLL_TLS_MSG_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "base/wire.h"
#include "spec/tls_msg.acsl.h"
#include "tls/alert.h"
#include "tls/msg.h"

/* The alerts the parsers return (alert.h convention: -(alert)). */
#define TLS_E_DECODE (-TLS_ALERT_DECODE_ERROR)
#define TLS_E_ILLEGAL (-TLS_ALERT_ILLEGAL_PARAMETER)
#define TLS_E_VERSION (-TLS_ALERT_PROTOCOL_VERSION)
#define TLS_E_UNSUPPORTED_EXT (-TLS_ALERT_UNSUPPORTED_EXTENSION)
#define TLS_E_BAD_CERT (-TLS_ALERT_BAD_CERTIFICATE)

/* Extension types below this are tracked for duplicates with a table
 * indexed by type (every code point RFC 8446 §4.2 and RFC 8449 name is
 * below it); see spec/tls_alerts.md for the ones above. */
#define TLS_EXT_TRACK 64u

/*@ requires \valid_read(p + (0 .. 2));
  @ assigns \nothing;
  @ ensures \result == BE24(p);
  @*/
static inline uint32_t tls_rd24(const uint8_t *p)
{
    return (p[0] * 256u + p[1]) * 256u + p[2];
}

/*@ requires \valid(p + (0 .. 2));
  @ requires v <= TLS_MSG_BODY_MAX;
  @ assigns p[0 .. 2];
  @ ensures BE24(p) == v;
  @*/
static inline void tls_wr24(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v / 65536u);
    p[1] = (uint8_t)(v / 256u % 256u);
    p[2] = (uint8_t)(v % 256u);
}

/* The 4-byte handshake header: type, 24-bit body length. */
/*@ requires \valid(out + (0 .. 3));
  @ requires body_len <= TLS_MSG_BODY_MAX;
  @ assigns out[0 .. 3];
  @ ensures out[0] == type && BE24(out + 1) == body_len;
  @*/
static inline void tls_put_hs_header(uint8_t *out, uint8_t type, size_t body_len)
{
    out[0] = type;
    tls_wr24(out + 1, (uint32_t)body_len);
}

/* The extension code points RFC 8446 §4.2 lists (plus RFC 8449's
 * record_size_limit): the ones "recognized" in the sense of §4.2, whose
 * appearance in a message the table does not allow is illegal_parameter. */
/*@ assigns \nothing;
  @ ensures \result == 1 <==> TLS_EXT_KNOWN(t);
  @ ensures \result == 0 || \result == 1;
  @*/
static inline int tls_ext_known(uint16_t t)
{
    if (t == TLS_EXT_SERVER_NAME || t == TLS_EXT_MAX_FRAGMENT_LENGTH || t == TLS_EXT_STATUS_REQUEST
        || t == TLS_EXT_SUPPORTED_GROUPS || t == TLS_EXT_SIGNATURE_ALGORITHMS || t == TLS_EXT_USE_SRTP
        || t == TLS_EXT_HEARTBEAT || t == TLS_EXT_ALPN || t == TLS_EXT_SCT || t == TLS_EXT_CLIENT_CERT_TYPE
        || t == TLS_EXT_SERVER_CERT_TYPE || t == TLS_EXT_PADDING || t == TLS_EXT_RECORD_SIZE_LIMIT)
        return 1;
    if (t >= TLS_EXT_PRE_SHARED_KEY && t <= TLS_EXT_KEY_SHARE && t != 46u)
        return 1;
    return 0;
}

/* Byte i of the HelloRetryRequest random, SHA-256("HelloRetryRequest")
 * (RFC 8446 §4.1.3). A function rather than a table so that every file may
 * include this header without an unused array. */
/*@ requires i < 32;
  @ assigns \nothing;
  @ ensures \result == TLS_HRR_RANDOM(i);
  @*/
static inline uint8_t tls_hrr_random(size_t i)
{
    static const uint8_t r[32] = {0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
                                  0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
                                  0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};
    return r[i];
}

/* Zeroes p[0 .. n-1]. */
/*@ requires \valid(p + (0 .. n - 1));
  @ assigns p[0 .. n - 1];
  @ ensures \forall integer i; 0 <= i < n ==> p[i] == 0;
  @*/
static inline void tls_zero(uint8_t *p, size_t n)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> p[k] == 0;
        loop assigns i, p[0 .. n - 1];
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++)
        p[i] = 0;
}

/* An extension body that is one vector with a 2-byte length filling it
 * exactly: opaque<min..2^16-1> (cookie, HRR cookie), or with even2 a list of
 * 2-byte items <2..2^16-2> (supported_groups, signature_algorithms). The
 * extension data is b[d .. d+n-1]; on success *s is the vector's contents. */
/*@ requires d + n <= TLS_MSG_BODY_MAX;
  @ requires \valid_read(b + (d .. d + n - 1));
  @ requires \valid(s);
  @ requires \separated(b + (d .. d + n - 1), s);
  @ assigns *s;
  @ ensures \result == 0 || \result == TLS_E_DECODE;
  @ ensures \result == 0 <==> n >= 2 && BE16(b + d) == n - 2 && n - 2 >= min && (even2 == 0 || (n - 2) % 2 == 0);
  @ ensures \result == 0 ==> s->off == d + 2 && s->len == n - 2;
  @*/
static inline int tls_vec16(const uint8_t *b, size_t d, size_t n, size_t min, int even2, struct tls_span *s)
{
    if (n < 2u || wire_rd16(b + d) != n - 2u || n - 2u < min)
        return TLS_E_DECODE;
    if (even2 != 0 && (n - 2u) % 2u != 0u)
        return TLS_E_DECODE;
    s->off = (uint32_t)(d + 2u);
    s->len = (uint32_t)(n - 2u);
    return 0;
}

/* A 2-byte extension body (record_size_limit, supported_versions and
 * pre_shared_key in ServerHello, HRR key_share): its value, or
 * TLS_E_DECODE when the extension is not exactly 2 bytes. */
/*@ requires n == 2 ==> \valid_read(b + (d .. d + 1));
  @ assigns \nothing;
  @ ensures n != 2 ==> \result == TLS_E_DECODE;
  @ ensures n == 2 ==> \result == BE16(b + d);
  @*/
static inline int tls_ext_u16(const uint8_t *b, size_t d, size_t n)
{
    if (n != 2u)
        return TLS_E_DECODE;
    return wire_rd16(b + d);
}

#endif
