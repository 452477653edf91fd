/* SPDX-License-Identifier: Apache-2.0 */
/* Certificate (RFC 8446 §4.4.2): request_context<0..2^8-1>, CertificateEntry
 * certificate_list<0..2^24-1>, each entry cert_data<1..2^24-1> and
 * extensions<0..2^16-1>. Whether the list may be empty, or the context
 * non-empty, depends on who sent it: the engine's checks. */
#include "tls/msg_wire.h"

/* The extensions of one CertificateEntry, b[s .. e-1]: every one framed.
 * §4.4.2: they "MUST correspond to ones from the ClientHello"; Atoll's
 * client sends neither status_request nor signed_certificate_timestamp,
 * so any extension here is unsupported_extension (§4.2), or
 * illegal_parameter for a recognized type the §4.2 table does not allow
 * in a Certificate. Framing errors take precedence. */
/*@ requires s <= e <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (s .. e - 1));
    assigns \nothing;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL || \result == TLS_E_UNSUPPORTED_EXT;
*/
static int ct_entry_exts(const uint8_t *b, size_t s, size_t e)
{
    size_t p = s;
    int r = 0;
    /*@ loop invariant s <= p <= e;
        loop invariant r == 0 || r == TLS_E_ILLEGAL || r == TLS_E_UNSUPPORTED_EXT;
        loop assigns p, r;
        loop variant e - p;
    */
    while (p < e) {
        if (e - p < 4u)
            return TLS_E_DECODE;
        uint16_t t = wire_rd16(b + p);
        size_t n = wire_rd16(b + p + 2);
        if (n > e - p - 4u)
            return TLS_E_DECODE;
        if (r == 0) {
            if (t != TLS_EXT_STATUS_REQUEST && t != TLS_EXT_SCT && tls_ext_known(t) != 0)
                r = TLS_E_ILLEGAL;
            else
                r = TLS_E_UNSUPPORTED_EXT;
        }
        p = p + 4u + n;
    }
    return r;
}

/* The CertificateEntry list b[s .. e-1]: the number of entries. More
 * entries than the uint16_t count can hold is bad_certificate. */
/*@ requires s <= e <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (s .. e - 1));
    assigns \nothing;
    ensures \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL || \result == TLS_E_UNSUPPORTED_EXT
            || \result == TLS_E_BAD_CERT || 0 <= \result <= 65535;
    ensures \result >= 0 ==> tls_cert_list(b, s, e, \result);
*/
static int ct_list(const uint8_t *b, size_t s, size_t e)
{
    size_t p = s;
    int k = 0;
    /*@ loop invariant s <= p <= e;
        loop invariant 0 <= k <= 65535;
        loop invariant \forall integer m; m >= 0 && tls_cert_list(b, p, e, m) ==> tls_cert_list(b, s, e, m + k);
        loop assigns p, k;
        loop variant e - p;
    */
    while (p < e) {
        if (e - p < 3u)
            return TLS_E_DECODE;
        size_t l = tls_rd24(b + p);
        if (l == 0u || l > e - p - 3u)
            return TLS_E_DECODE;
        size_t x = p + 3u + l;
        if (e - x < 2u)
            return TLS_E_DECODE;
        size_t el = wire_rd16(b + x);
        if (el > e - x - 2u)
            return TLS_E_DECODE;
        int r = ct_entry_exts(b, x + 2u, x + 2u + el);
        if (r < 0)
            return r;
        if (k == 65535)
            return TLS_E_BAD_CERT;
        //@ assert cert_x: x == p + 3 + BE24(b + p);
        //@ assert cert_el: el == BE16(b + p + 3 + BE24(b + p));
        //@ assert cert_next: tls_cert_next(b, p) == x + 2 + el;
        /*@ assert cert_step: \forall integer m;
                m >= 0 && tls_cert_list(b, x + 2 + el, e, m) ==> tls_cert_list(b, p, e, m + 1); */
        p = x + 2u + el;
        k++;
    }
    //@ assert cert_end: tls_cert_list(b, p, e, 0);
    return k;
}

int tls_certificate_parse(const uint8_t *body, size_t len, struct tls_certificate_in *out)
{
    if (len > TLS_MSG_BODY_MAX || len < 4u)
        return TLS_E_DECODE;
    size_t cl = body[0];
    if (cl > len - 4u)
        return TLS_E_DECODE;
    size_t p = 1u + cl;
    size_t ll = tls_rd24(body + p);
    if (ll != len - p - 3u)
        return TLS_E_DECODE;
    int k = ct_list(body, p + 3u, len);
    if (k < 0)
        return k;
    out->context.off = 1;
    out->context.len = (uint32_t)cl;
    out->list.off = (uint32_t)(p + 3u);
    out->list.len = (uint32_t)ll;
    out->count = (uint16_t)k;
    return (int)len;
}

int tls_certificate_entry(const uint8_t *body, const struct tls_certificate_in *c, uint16_t i, struct tls_span *der)
{
    size_t n = c->count;
    if (i >= n)
        return 0;
    size_t p = c->list.off;
    /*@ loop invariant 0 <= k <= i;
        loop invariant c->list.off <= p <= c->list.off + c->list.len;
        loop invariant tls_cert_list(body, p, c->list.off + c->list.len, n - k);
        loop assigns k, p;
        loop variant i - k;
    */
    for (size_t k = 0; k < i; k++) {
        size_t l = tls_rd24(body + p);
        p = p + 5u + l + wire_rd16(body + p + 3u + l);
    }
    der->off = (uint32_t)(p + 3u);
    der->len = tls_rd24(body + p);
    return 1;
}
