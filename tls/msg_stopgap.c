/* STOPGAP: plain (unproved) versions of the msg.h emitters and small
 * parsers the engine needs, written by the lead so the engine could be
 * tested while the proved versions were in progress. Replaced file by file
 * as the proved ones land (see proofs/STATUS.md for what is proved). */
#include <string.h>

#include "alert.h"
#include "msg.h"

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] * 256u + p[1]);
}

static void wr16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v / 256u % 256u);
    p[1] = (uint8_t)(v % 256u);
}

static void wr24(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v / 65536u % 256u);
    p[1] = (uint8_t)(v / 256u % 256u);
    p[2] = (uint8_t)(v % 256u);
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, v / 65536u);
    wr16(p + 2, v % 65536u);
}

static const uint8_t hrr_random[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                       0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                       0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

int tls_server_hello_write(uint8_t *out, size_t cap, const struct tls_server_hello *sh)
{
    size_t ext = 6; /* supported_versions */
    if (sh->group != 0)
        ext += sh->hrr ? 6u : 8u + sh->key_share_len;
    if (sh->psk_index >= 0)
        ext += 6;
    if (sh->hrr && sh->cookie_len)
        ext += 6u + sh->cookie_len;
    size_t body = 2 + 32 + 1 + sh->session_id_len + 2 + 1 + 2 + ext;
    if (cap < 4 + body || sh->session_id_len > 32)
        return TLS_MSG_E_SPACE;
    uint8_t *p = out;
    *p++ = TLS_HS_SERVER_HELLO;
    wr24(p, body);
    p += 3;
    wr16(p, TLS_VERSION_12);
    p += 2;
    memcpy(p, sh->hrr ? hrr_random : sh->random, 32);
    p += 32;
    *p++ = sh->session_id_len;
    memcpy(p, sh->session_id, sh->session_id_len);
    p += sh->session_id_len;
    wr16(p, sh->suite);
    p += 2;
    *p++ = 0;
    wr16(p, ext);
    p += 2;
    wr16(p, TLS_EXT_SUPPORTED_VERSIONS);
    wr16(p + 2, 2);
    wr16(p + 4, TLS_VERSION_13);
    p += 6;
    if (sh->group != 0) {
        wr16(p, TLS_EXT_KEY_SHARE);
        if (sh->hrr) {
            wr16(p + 2, 2);
            wr16(p + 4, sh->group);
            p += 6;
        } else {
            wr16(p + 2, 4u + sh->key_share_len);
            wr16(p + 4, sh->group);
            wr16(p + 6, sh->key_share_len);
            memcpy(p + 8, sh->key_share, sh->key_share_len);
            p += 8 + sh->key_share_len;
        }
    }
    if (sh->psk_index >= 0) {
        wr16(p, TLS_EXT_PRE_SHARED_KEY);
        wr16(p + 2, 2);
        wr16(p + 4, (size_t)sh->psk_index);
        p += 6;
    }
    if (sh->hrr && sh->cookie_len) {
        wr16(p, TLS_EXT_COOKIE);
        wr16(p + 2, 2u + sh->cookie_len);
        wr16(p + 4, sh->cookie_len);
        memcpy(p + 6, sh->cookie, sh->cookie_len);
        p += 6 + sh->cookie_len;
    }
    return (int)(p - out);
}

int tls_encrypted_extensions_write(uint8_t *out, size_t cap, const struct tls_encrypted_extensions *ee)
{
    size_t ext = 0;
    if (ee->server_name_ack)
        ext += 4;
    if (ee->alpn)
        ext += 7u + ee->alpn_len;
    if (ee->record_size_limit)
        ext += 6;
    if (cap < 6 + ext)
        return TLS_MSG_E_SPACE;
    uint8_t *p = out;
    *p++ = TLS_HS_ENCRYPTED_EXTENSIONS;
    wr24(p, 2 + ext);
    wr16(p + 3, ext);
    p += 5;
    if (ee->server_name_ack) {
        wr16(p, TLS_EXT_SERVER_NAME);
        wr16(p + 2, 0);
        p += 4;
    }
    if (ee->alpn) {
        wr16(p, TLS_EXT_ALPN);
        wr16(p + 2, 3u + ee->alpn_len);
        wr16(p + 4, 1u + ee->alpn_len);
        p[6] = (uint8_t)ee->alpn_len;
        memcpy(p + 7, ee->alpn, ee->alpn_len);
        p += 7 + ee->alpn_len;
    }
    if (ee->record_size_limit) {
        wr16(p, TLS_EXT_RECORD_SIZE_LIMIT);
        wr16(p + 2, 2);
        wr16(p + 4, ee->record_size_limit);
        p += 6;
    }
    return (int)(p - out);
}

int tls_certificate_write(uint8_t *out, size_t cap, const uint8_t *const *certs, const size_t *cert_lens, size_t n)
{
    size_t list = 0;
    for (size_t i = 0; i < n; i++)
        list += 3u + cert_lens[i] + 2u;
    size_t body = 1 + 3 + list;
    if (cap < 4 + body)
        return TLS_MSG_E_SPACE;
    uint8_t *p = out;
    *p++ = TLS_HS_CERTIFICATE;
    wr24(p, body);
    p += 3;
    *p++ = 0;
    wr24(p, list);
    p += 3;
    for (size_t i = 0; i < n; i++) {
        wr24(p, cert_lens[i]);
        memcpy(p + 3, certs[i], cert_lens[i]);
        p += 3 + cert_lens[i];
        wr16(p, 0);
        p += 2;
    }
    return (int)(p - out);
}

int tls_certificate_verify_write(uint8_t *out, size_t cap, uint16_t scheme, const uint8_t *sig, size_t sig_len)
{
    if (cap < 8 + sig_len)
        return TLS_MSG_E_SPACE;
    out[0] = TLS_HS_CERTIFICATE_VERIFY;
    wr24(out + 1, 4 + sig_len);
    wr16(out + 4, scheme);
    wr16(out + 6, sig_len);
    memcpy(out + 8, sig, sig_len);
    return (int)(8 + sig_len);
}

int tls_finished_write(uint8_t *out, size_t cap, const uint8_t *verify_data, size_t len)
{
    if (cap < 4 + len)
        return TLS_MSG_E_SPACE;
    out[0] = TLS_HS_FINISHED;
    wr24(out + 1, len);
    memcpy(out + 4, verify_data, len);
    return (int)(4 + len);
}

int tls_new_session_ticket_write(uint8_t *out, size_t cap, uint32_t lifetime, uint32_t age_add, const uint8_t *nonce,
                                 size_t nonce_len, const uint8_t *ticket, size_t ticket_len)
{
    size_t body = 4 + 4 + 1 + nonce_len + 2 + ticket_len + 2;
    if (cap < 4 + body)
        return TLS_MSG_E_SPACE;
    uint8_t *p = out;
    *p++ = TLS_HS_NEW_SESSION_TICKET;
    wr24(p, body);
    p += 3;
    wr32(p, lifetime);
    wr32(p + 4, age_add);
    p += 8;
    *p++ = (uint8_t)nonce_len;
    memcpy(p, nonce, nonce_len);
    p += nonce_len;
    wr16(p, ticket_len);
    memcpy(p + 2, ticket, ticket_len);
    p += 2 + ticket_len;
    wr16(p, 0);
    p += 2;
    return (int)(p - out);
}

int tls_key_update_write(uint8_t *out, size_t cap, int request_update)
{
    if (cap < 5)
        return TLS_MSG_E_SPACE;
    out[0] = TLS_HS_KEY_UPDATE;
    wr24(out + 1, 1);
    out[4] = request_update ? 1 : 0;
    return 5;
}

int tls_message_hash_write(uint8_t *out, size_t cap, const uint8_t *hash, size_t hash_len)
{
    if (cap < 4 + hash_len)
        return TLS_MSG_E_SPACE;
    out[0] = TLS_HS_MESSAGE_HASH;
    wr24(out + 1, hash_len);
    memcpy(out + 4, hash, hash_len);
    return (int)(4 + hash_len);
}

size_t tls_cv_content(uint8_t *out, int server, const uint8_t *transcript_hash, size_t hash_len)
{
    static const char s[] = "TLS 1.3, server CertificateVerify";
    static const char c[] = "TLS 1.3, client CertificateVerify";
    memset(out, 0x20, 64);
    memcpy(out + 64, server ? s : c, sizeof s - 1);
    out[64 + sizeof s - 1] = 0;
    memcpy(out + 64 + sizeof s, transcript_hash, hash_len);
    return 64 + sizeof s + hash_len;
}

int tls_finished_parse(const uint8_t *body, size_t len, size_t hash_len, struct tls_span *verify_data)
{
    (void)body;
    if (len != hash_len)
        return -TLS_ALERT_DECODE_ERROR;
    verify_data->off = 0;
    verify_data->len = (uint32_t)len;
    return (int)len;
}

int tls_key_update_parse(const uint8_t *body, size_t len, int *request_update)
{
    if (len != 1)
        return -TLS_ALERT_DECODE_ERROR;
    if (body[0] > 1)
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    *request_update = body[0];
    return 1;
}

int tls_certificate_verify_parse(const uint8_t *body, size_t len, struct tls_certificate_verify *out)
{
    if (len < 4 || (size_t)rd16(body + 2) + 4 != len || rd16(body + 2) == 0)
        return -TLS_ALERT_DECODE_ERROR;
    out->scheme = rd16(body);
    out->sig.off = 4;
    out->sig.len = rd16(body + 2);
    return (int)len;
}

/* Walks an extension block: every extension framed, no duplicates. */
static int ext_walk(const uint8_t *b, size_t len, size_t start, uint32_t *seen_types, size_t max_types)
{
    if (len - start < 2 || (size_t)rd16(b + start) != len - start - 2)
        return -TLS_ALERT_DECODE_ERROR;
    size_t p = start + 2, n = 0;
    while (p < len) {
        if (len - p < 4 || (size_t)rd16(b + p + 2) > len - p - 4)
            return -TLS_ALERT_DECODE_ERROR;
        uint16_t t = rd16(b + p);
        for (size_t i = 0; i < n; i++)
            if (seen_types[i] == t)
                return -TLS_ALERT_ILLEGAL_PARAMETER;
        if (n < max_types)
            seen_types[n++] = t;
        p += 4u + rd16(b + p + 2);
    }
    return 0;
}

int tls_encrypted_extensions_parse(const uint8_t *body, size_t len, struct tls_encrypted_extensions_in *out)
{
    uint32_t types[32];
    memset(out, 0, sizeof *out);
    int r = ext_walk(body, len, 0, types, 32);
    if (r < 0)
        return r;
    size_t p = 2;
    while (p < len) {
        uint16_t t = rd16(body + p), n = rd16(body + p + 2);
        const uint8_t *d = body + p + 4;
        if (t == TLS_EXT_ALPN) {
            if (n < 4 || rd16(d) != n - 2u || d[2] != n - 3u || d[2] == 0)
                return -TLS_ALERT_DECODE_ERROR;
            out->alpn.off = (uint32_t)(p + 7);
            out->alpn.len = d[2];
        } else if (t == TLS_EXT_RECORD_SIZE_LIMIT) {
            if (n != 2)
                return -TLS_ALERT_DECODE_ERROR;
            out->record_size_limit = rd16(d);
            if (out->record_size_limit < 64)
                return -TLS_ALERT_ILLEGAL_PARAMETER;
        } else if (t == TLS_EXT_SERVER_NAME || t == TLS_EXT_SUPPORTED_GROUPS || t == TLS_EXT_EARLY_DATA ||
                   t == TLS_EXT_MAX_FRAGMENT_LENGTH || t == TLS_EXT_USE_SRTP || t == TLS_EXT_HEARTBEAT ||
                   t == TLS_EXT_CLIENT_CERT_TYPE || t == TLS_EXT_SERVER_CERT_TYPE) {
            if (t == TLS_EXT_SERVER_NAME && n != 0)
                return -TLS_ALERT_DECODE_ERROR;
        } else {
            return -TLS_ALERT_UNSUPPORTED_EXTENSION; /* nothing we asked for */
        }
        p += 4u + n;
    }
    return (int)len;
}

int tls_certificate_parse(const uint8_t *body, size_t len, struct tls_certificate_in *out)
{
    memset(out, 0, sizeof *out);
    if (len < 4 || (size_t)body[0] + 4u > len)
        return -TLS_ALERT_DECODE_ERROR;
    size_t ctx = body[0];
    size_t p = 1 + ctx;
    size_t list = ((size_t)body[p] * 256u + body[p + 1]) * 256u + body[p + 2];
    if (list != len - p - 3)
        return -TLS_ALERT_DECODE_ERROR;
    out->context.off = 1;
    out->context.len = (uint32_t)ctx;
    out->list.off = (uint32_t)(p + 3);
    out->list.len = (uint32_t)list;
    p += 3;
    while (p < len) {
        if (len - p < 3)
            return -TLS_ALERT_DECODE_ERROR;
        size_t cl = ((size_t)body[p] * 256u + body[p + 1]) * 256u + body[p + 2];
        if (cl == 0 || cl > len - p - 3)
            return -TLS_ALERT_DECODE_ERROR;
        p += 3 + cl;
        if (len - p < 2 || (size_t)rd16(body + p) > len - p - 2)
            return -TLS_ALERT_DECODE_ERROR;
        p += 2u + rd16(body + p);
        out->count++;
    }
    return (int)len;
}

int tls_certificate_entry(const uint8_t *body, const struct tls_certificate_in *c, uint16_t i, struct tls_span *der)
{
    size_t p = c->list.off, end = c->list.off + c->list.len;
    for (uint16_t k = 0; p < end; k++) {
        size_t cl = ((size_t)body[p] * 256u + body[p + 1]) * 256u + body[p + 2];
        if (k == i) {
            der->off = (uint32_t)(p + 3);
            der->len = (uint32_t)cl;
            return 1;
        }
        p += 3 + cl;
        p += 2u + rd16(body + p);
    }
    return 0;
}

int tls_new_session_ticket_parse(const uint8_t *body, size_t len, struct tls_new_session_ticket_in *out)
{
    memset(out, 0, sizeof *out);
    if (len < 9)
        return -TLS_ALERT_DECODE_ERROR;
    out->lifetime = (uint32_t)rd16(body) * 65536u + rd16(body + 2);
    out->age_add = (uint32_t)rd16(body + 4) * 65536u + rd16(body + 6);
    size_t nl = body[8], p = 9;
    if (len - p < nl + 2u)
        return -TLS_ALERT_DECODE_ERROR;
    out->nonce.off = 9;
    out->nonce.len = (uint32_t)nl;
    p += nl;
    size_t tl = rd16(body + p);
    p += 2;
    if (tl == 0 || len - p < tl + 2u)
        return -TLS_ALERT_DECODE_ERROR;
    out->ticket.off = (uint32_t)p;
    out->ticket.len = (uint32_t)tl;
    p += tl;
    uint32_t types[16];
    int r = ext_walk(body, len, p, types, 16);
    if (r < 0)
        return r;
    if (out->lifetime > 604800u)
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    return (int)len;
}

int tls_alert_parse(const uint8_t *body, size_t len, uint8_t *level, uint8_t *desc)
{
    if (len != 2)
        return -TLS_ALERT_DECODE_ERROR;
    *level = body[0];
    *desc = body[1];
    return 2;
}
