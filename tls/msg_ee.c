/* SPDX-License-Identifier: Apache-2.0 */
/* EncryptedExtensions (RFC 8446 §4.3.1), client side: Extension
 * extensions<0..2^16-1>. Which of the allowed responses were actually
 * solicited (server_name, ALPN, early_data) is the engine's to check
 * against what it sent; the parser refuses what the §4.2 table does not
 * allow here (illegal_parameter) and the responses to extensions Atoll's
 * client never sends (unsupported_extension, §4.2). */
#include "tls/msg_wire.h"

/* RFC 8449 §4: "TLS 1.3 uses a limit of 2^14+1 octets"; a client MAY
 * refuse a larger value with illegal_parameter, and does. */
#define EE_RSL_MAX 16385u

/*@ predicate ee_inv{L}(uint8_t *b, struct tls_encrypted_extensions_in *ee, integer len) =
      tls_span_in(ee->alpn, len)
      && (ee->alpn.len == 0 || (ee->alpn.off >= 1 && b[ee->alpn.off - 1] == ee->alpn.len))
      && (ee->record_size_limit == 0 || 64 <= ee->record_size_limit <= EE_RSL_MAX);
*/

/* ALPN in a server's reply (RFC 7301 §3.1): a ProtocolNameList of exactly
 * one ProtocolName<1..2^8-1>. */
/*@ requires d + n <= len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(s);
    requires \separated(b + (0 .. len - 1), s);
    assigns *s;
    ensures \result == 0 || \result == TLS_E_DECODE;
    ensures \result == 0 ==> tls_span_in(*s, len) && s->off >= 1 && s->len >= 1 && b[s->off - 1] == s->len;
*/
static int ee_alpn(const uint8_t *b, size_t len, size_t d, size_t n, struct tls_span *s)
{
    (void)len; /* the body size: named by the contract only */
    if (n < 4u || wire_rd16(b + d) != n - 2u)
        return TLS_E_DECODE;
    size_t l = b[d + 2u];
    if (l == 0u || l != n - 3u)
        return TLS_E_DECODE;
    s->off = (uint32_t)(d + 3u);
    s->len = (uint32_t)l;
    return 0;
}

/* One extension of type t, data b[d .. d+n-1]. */
/*@ requires d + n <= len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(out);
    requires \separated(b + (0 .. len - 1), out);
    requires ee_inv(b, out, len);
    assigns out->alpn, out->record_size_limit;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL
            || \result == TLS_E_UNSUPPORTED_EXT;
    ensures \result == 0 ==> ee_inv(b, out, len);
*/
static int ee_ext(const uint8_t *b, size_t len, uint16_t t, size_t d, size_t n,
                  struct tls_encrypted_extensions_in *out)
{
    int r = 0;
    if (t == TLS_EXT_SERVER_NAME || t == TLS_EXT_EARLY_DATA) {
        if (n != 0u)
            r = TLS_E_DECODE; /* empty acknowledgements (RFC 6066 §3, §4.2.10) */
    } else if (t == TLS_EXT_SUPPORTED_GROUPS) {
        struct tls_span g;
        r = tls_vec16(b, d, n, 2, 1, &g); /* framing only: the client does not act on it */
    } else if (t == TLS_EXT_ALPN) {
        r = ee_alpn(b, len, d, n, &out->alpn);
    } else if (t == TLS_EXT_RECORD_SIZE_LIMIT) {
        int v = tls_ext_u16(b, d, n);
        if (v < 0)
            r = v;
        else if (v < 64 || v > (int)EE_RSL_MAX)
            r = TLS_E_ILLEGAL;
        else
            out->record_size_limit = (uint16_t)v;
    } else if (t == TLS_EXT_MAX_FRAGMENT_LENGTH || t == TLS_EXT_USE_SRTP || t == TLS_EXT_HEARTBEAT
               || t == TLS_EXT_CLIENT_CERT_TYPE || t == TLS_EXT_SERVER_CERT_TYPE) {
        r = TLS_E_UNSUPPORTED_EXT; /* allowed in EE, but never requested */
    } else if (tls_ext_known(t) != 0) {
        r = TLS_E_ILLEGAL; /* §4.2: not allowed in EncryptedExtensions */
    } else {
        r = TLS_E_UNSUPPORTED_EXT; /* §4.2: a response to nothing sent */
    }
    return r;
}

/* The ext_seen bit of an EncryptedExtensions type (TLS_SEEN_* of msg.h). */
/*@ assigns \nothing;
    ensures t == TLS_EXT_SERVER_NAME ==> \result == 1;
    ensures t == TLS_EXT_SUPPORTED_GROUPS ==> \result == 2;
    ensures t == TLS_EXT_ALPN ==> \result == 8;
    ensures t == TLS_EXT_RECORD_SIZE_LIMIT ==> \result == 16;
    ensures t == TLS_EXT_EARLY_DATA ==> \result == 64;
    ensures t != TLS_EXT_SERVER_NAME && t != TLS_EXT_SUPPORTED_GROUPS && t != TLS_EXT_ALPN
            && t != TLS_EXT_RECORD_SIZE_LIMIT && t != TLS_EXT_EARLY_DATA ==> \result == 0;
*/
static uint32_t ee_bit(uint16_t t)
{
    if (t == TLS_EXT_SERVER_NAME)
        return 1u;
    if (t == TLS_EXT_SUPPORTED_GROUPS)
        return 2u;
    if (t == TLS_EXT_ALPN)
        return 8u;
    if (t == TLS_EXT_RECORD_SIZE_LIMIT)
        return 16u;
    if (t == TLS_EXT_EARLY_DATA)
        return 64u;
    return 0;
}

int tls_encrypted_extensions_parse(const uint8_t *body, size_t len, struct tls_encrypted_extensions_in *out)
{
    if (len > TLS_MSG_BODY_MAX || len < 2u || wire_rd16(body) != len - 2u)
        return TLS_E_DECODE;
    out->alpn.off = 0;
    out->alpn.len = 0;
    out->record_size_limit = 0;
    uint8_t seen[TLS_EXT_TRACK];
    tls_zero(seen, TLS_EXT_TRACK);
    uint32_t bits = 0;
    size_t p = 2;
    /*@ loop invariant 2 <= p <= len;
        loop invariant ee_inv(body, out, len);
        loop invariant \forall integer k; 0 <= k < TLS_EXT_TRACK ==> seen[k] <= 1;
        loop invariant bits == seen[TLS_EXT_SERVER_NAME] * 1 + seen[TLS_EXT_SUPPORTED_GROUPS] * 2
                               + seen[TLS_EXT_ALPN] * 8 + seen[TLS_EXT_RECORD_SIZE_LIMIT] * 16
                               + seen[TLS_EXT_EARLY_DATA] * 64;
        loop assigns p, bits, seen[0 .. TLS_EXT_TRACK - 1], out->alpn, out->record_size_limit;
        loop variant len - p;
    */
    while (p < len) {
        if (len - p < 4u)
            return TLS_E_DECODE;
        uint16_t t = wire_rd16(body + p);
        size_t n = wire_rd16(body + p + 2);
        if (n > len - p - 4u)
            return TLS_E_DECODE;
        if (t < TLS_EXT_TRACK) {
            if (seen[t] != 0u)
                return TLS_E_ILLEGAL; /* duplicate (§4.2) */
            seen[t] = 1;
            bits = bits + ee_bit(t);
        }
        int r = ee_ext(body, len, t, p + 4u, n, out);
        if (r < 0)
            return r;
        p = p + 4u + n;
    }
    out->ext_seen = bits;
    return (int)len;
}
