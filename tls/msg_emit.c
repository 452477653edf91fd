/* SPDX-License-Identifier: Apache-2.0 */
/* The other emitters: Certificate (§4.4.2), CertificateVerify (§4.4.3),
 * Finished (§4.4.4), NewSessionTicket (§4.6.1), KeyUpdate (§4.6.3), the
 * message_hash message (§4.4.1) and the content CertificateVerify signs
 * (§4.4.3). Lengths are checked before the first byte is written; the
 * header goes last. */
#include "tls/msg_put.h"

int tls_certificate_write(uint8_t *out, size_t cap, const uint8_t *const *certs, const size_t *cert_lens, size_t n)
{
    /* request_context<0..2^8-1> empty, certificate_list<0..2^24-1>; each
     * entry cert_data<1..2^24-1> and no extensions. Entries are written as
     * they come; a list that does not fit (cap, or the 24-bit length of a
     * body) stops with TLS_MSG_E_SPACE. */
    if (cap < 8u)
        return TLS_MSG_E_SPACE;
    size_t p = 8;
    /*@ loop invariant 0 <= i <= n;
        loop invariant 8 <= p <= cap && p <= TLS_MSG_BODY_MAX + 4;
        loop assigns i, p, out[8 .. cap - 1];
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++) {
        size_t l = cert_lens[i];
        if (l == 0u || l > TLS_MSG_BODY_MAX || l > cap - p || cap - p - l < 5u
            || l + 5u > TLS_MSG_BODY_MAX + 4u - p)
            return TLS_MSG_E_SPACE;
        tls_wr24(out + p, (uint32_t)l);
        p = put_bytes(out, cap, p + 3u, certs[i], l);
        p = put16(out, cap, p, 0); /* extensions<0..2^16-1>: none */
    }
    tls_put_hs_header(out, TLS_HS_CERTIFICATE, p - 4u);
    out[4] = 0;
    tls_wr24(out + 5, (uint32_t)(p - 8u));
    return (int)p;
}

int tls_certificate_verify_write(uint8_t *out, size_t cap, uint16_t scheme, const uint8_t *sig, size_t sig_len)
{
    /* algorithm(2) signature<0..2^16-1> */
    if (sig_len > 65535u || cap < 8u || sig_len > cap - 8u)
        return TLS_MSG_E_SPACE;
    size_t p = put16(out, cap, 4, scheme);
    p = put16(out, cap, p, (uint16_t)sig_len);
    p = put_bytes(out, cap, p, sig, sig_len);
    tls_put_hs_header(out, TLS_HS_CERTIFICATE_VERIFY, p - 4u);
    return (int)p;
}

int tls_finished_write(uint8_t *out, size_t cap, const uint8_t *verify_data, size_t len)
{
    if (len > TLS_MSG_BODY_MAX || cap < 4u || len > cap - 4u)
        return TLS_MSG_E_SPACE;
    tls_put_hs_header(out, TLS_HS_FINISHED, len);
    size_t p = put_bytes(out, cap, 4, verify_data, len);
    return (int)p;
}

int tls_new_session_ticket_write(uint8_t *out, size_t cap, uint32_t lifetime, uint32_t age_add, const uint8_t *nonce,
                                 size_t nonce_len, const uint8_t *ticket, size_t ticket_len)
{
    /* ticket_lifetime(4) ticket_age_add(4) ticket_nonce<0..255>
     * ticket<1..2^16-1> extensions<0..2^16-2> (none) */
    if (nonce_len > 255u || ticket_len < 1u || ticket_len > 65535u)
        return TLS_MSG_E_SPACE;
    if (cap < 17u || nonce_len + ticket_len > cap - 17u)
        return TLS_MSG_E_SPACE;
    wire_wr32(out + 4, lifetime);
    wire_wr32(out + 8, age_add);
    out[12] = (uint8_t)nonce_len;
    size_t p = put_bytes(out, cap, 13, nonce, nonce_len);
    p = put16(out, cap, p, (uint16_t)ticket_len);
    p = put_bytes(out, cap, p, ticket, ticket_len);
    p = put16(out, cap, p, 0);
    tls_put_hs_header(out, TLS_HS_NEW_SESSION_TICKET, p - 4u);
    return (int)p;
}

int tls_key_update_write(uint8_t *out, size_t cap, int request_update)
{
    if (cap < 5u)
        return TLS_MSG_E_SPACE;
    tls_put_hs_header(out, TLS_HS_KEY_UPDATE, 1);
    out[4] = request_update != 0 ? 1u : 0u;
    return 5;
}

int tls_message_hash_write(uint8_t *out, size_t cap, const uint8_t *hash, size_t hash_len)
{
    /* Handshake header type 254, then Hash(ClientHello1) (§4.4.1). */
    if (hash_len > 255u || cap < 4u || hash_len > cap - 4u)
        return TLS_MSG_E_SPACE;
    tls_put_hs_header(out, TLS_HS_MESSAGE_HASH, hash_len);
    size_t p = put_bytes(out, cap, 4, hash, hash_len);
    return (int)p;
}

/* Byte i of the context string of CertificateVerify (§4.4.3). */
/*@ requires i < 33;
    assigns \nothing;
*/
static uint8_t cv_context(size_t i, int server)
{
    static const char s[] = "TLS 1.3, server CertificateVerify";
    static const char c[] = "TLS 1.3, client CertificateVerify";
    return server != 0 ? (uint8_t)s[i] : (uint8_t)c[i];
}

size_t tls_cv_content(uint8_t *out, int server, const uint8_t *transcript_hash, size_t hash_len)
{
    /*@ loop invariant 0 <= i <= 64;
        loop invariant \forall integer k; 0 <= k < i ==> out[k] == 0x20;
        loop assigns i, out[0 .. 63];
        loop variant 64 - i;
    */
    for (size_t i = 0; i < 64u; i++)
        out[i] = 0x20;
    /*@ loop invariant 0 <= i <= 33;
        loop invariant \forall integer k; 0 <= k < 64 ==> out[k] == 0x20;
        loop assigns i, out[64 .. 96];
        loop variant 33 - i;
    */
    for (size_t i = 0; i < 33u; i++)
        out[64u + i] = cv_context(i, server);
    out[97] = 0;
    wire_copy(out + 98, transcript_hash, hash_len);
    return 98u + hash_len;
}
