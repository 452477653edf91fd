/* SPDX-License-Identifier: Apache-2.0 */
/* The small messages: Finished (§4.4.4), KeyUpdate (§4.6.3),
 * CertificateVerify (§4.4.3), NewSessionTicket (§4.6.1) and the alert
 * record body (§6). */
#include "tls/msg_wire.h"

int tls_finished_parse(const uint8_t *body, size_t len, size_t hash_len, struct tls_span *verify_data)
{
    (void)body; /* nothing to read: the whole body is verify_data */
    /* verify_data is Hash.length bytes; any other size is a framing error. */
    if (len != hash_len || len > TLS_MSG_BODY_MAX)
        return TLS_E_DECODE;
    verify_data->off = 0;
    verify_data->len = (uint32_t)len;
    return (int)len;
}

int tls_key_update_parse(const uint8_t *body, size_t len, int *request_update)
{
    if (len != 1u)
        return TLS_E_DECODE;
    /* KeyUpdateRequest: update_not_requested(0), update_requested(1);
     * §4.6.3: any other value is illegal_parameter. */
    if (body[0] > 1u)
        return TLS_E_ILLEGAL;
    *request_update = body[0];
    return 1;
}

int tls_certificate_verify_parse(const uint8_t *body, size_t len, struct tls_certificate_verify *out)
{
    /* algorithm(2), signature<0..2^16-1> filling the rest */
    if (len > TLS_MSG_BODY_MAX || len < 4u || wire_rd16(body + 2) != len - 4u)
        return TLS_E_DECODE;
    out->scheme = wire_rd16(body);
    out->sig.off = 4;
    out->sig.len = (uint32_t)(len - 4u);
    return (int)len;
}

/* NewSessionTicket extensions (§4.6.1), b[s .. e-1]: early_data carries
 * max_early_data_size (§4.2.10); other types the §4.2 table names are not
 * allowed here (illegal_parameter); unknown ones are ignored ("Clients
 * MUST ignore unrecognized extensions"); duplicates are illegal_parameter. */
/*@ requires s <= e <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (s .. e - 1));
    requires \valid(max_early);
    requires \separated(b + (s .. e - 1), max_early);
    assigns *max_early;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL;
*/
static int nst_exts(const uint8_t *b, size_t s, size_t e, uint32_t *max_early)
{
    size_t p = s;
    uint8_t seen[TLS_EXT_TRACK];
    tls_zero(seen, TLS_EXT_TRACK);
    *max_early = 0;
    /*@ loop invariant s <= p <= e;
        loop assigns p, seen[0 .. TLS_EXT_TRACK - 1], *max_early;
        loop variant e - p;
    */
    while (p < e) {
        if (e - p < 4u)
            return TLS_E_DECODE;
        uint16_t t = wire_rd16(b + p);
        size_t n = wire_rd16(b + p + 2);
        if (n > e - p - 4u)
            return TLS_E_DECODE;
        if (t < TLS_EXT_TRACK) {
            if (seen[t] != 0u)
                return TLS_E_ILLEGAL;
            seen[t] = 1;
        }
        if (t == TLS_EXT_EARLY_DATA) {
            if (n != 4u)
                return TLS_E_DECODE;
            *max_early = wire_rd32(b + p + 4);
        } else if (tls_ext_known(t) != 0) {
            return TLS_E_ILLEGAL;
        }
        p = p + 4u + n;
    }
    return 0;
}

int tls_new_session_ticket_parse(const uint8_t *body, size_t len, struct tls_new_session_ticket_in *out)
{
    /* ticket_lifetime(4) ticket_age_add(4) ticket_nonce<0..255>
     * ticket<1..2^16-1> extensions<0..2^16-2> */
    if (len > TLS_MSG_BODY_MAX || len < 9u)
        return TLS_E_DECODE;
    size_t nl = body[8];
    if (nl > len - 9u || len - 9u - nl < 2u)
        return TLS_E_DECODE;
    size_t p = 9u + nl;
    size_t tl = wire_rd16(body + p);
    if (tl == 0u || tl > len - p - 2u || len - p - 2u - tl < 2u)
        return TLS_E_DECODE;
    size_t x = p + 2u + tl;
    size_t el = wire_rd16(body + x);
    if (el != len - x - 2u || el == 65535u)
        return TLS_E_DECODE;
    uint32_t max_early = 0;
    int r = nst_exts(body, x + 2u, len, &max_early);
    if (r < 0)
        return r;
    out->lifetime = wire_rd32(body);
    out->age_add = wire_rd32(body + 4);
    out->nonce.off = 9;
    out->nonce.len = (uint32_t)nl;
    out->ticket.off = (uint32_t)(p + 2u);
    out->ticket.len = (uint32_t)tl;
    out->max_early_data = max_early;
    return (int)len;
}

int tls_alert_parse(const uint8_t *body, size_t len, uint8_t *level, uint8_t *desc)
{
    /* struct { AlertLevel level; AlertDescription description; }: the
     * level is not checked, §6: it "can safely be ignored". */
    if (len != 2u)
        return TLS_E_DECODE;
    uint8_t l = body[0], d = body[1];
    *level = l;
    *desc = d;
    return 2;
}
