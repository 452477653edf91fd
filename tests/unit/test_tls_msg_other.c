/* SPDX-License-Identifier: Apache-2.0 */
/* EncryptedExtensions, Certificate, CertificateVerify, Finished,
 * NewSessionTicket, KeyUpdate, message_hash, the alert body and the
 * CertificateVerify content: emitters against RFC 8448 byte for byte and
 * through the parsers, and every row of spec/tls_alerts.md for them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tls_msg_util.h"
#include "tls_msg_vectors.h"

/* ---- EncryptedExtensions ---- */

static int ee_parse(const uint8_t *b, size_t n, struct tls_encrypted_extensions_in *ee)
{
    memset(ee, 0xa5, sizeof *ee);
    return tls_encrypted_extensions_parse(tm_exact(b, n), n, ee);
}

static void ee_rfc8448(void **state)
{
    (void)state;
    /* §3: supported_groups, record_size_limit 0x4001, server_name ack */
    const uint8_t *v = V_RFC8448_EE;
    struct tls_encrypted_extensions ee = {0};
    ee.server_name_ack = 1;
    ee.record_size_limit = 0x4001;
    ee.groups = v + 12;
    ee.groups_len = 18;
    uint8_t out[100];
    assert_int_equal(tls_encrypted_extensions_write(out, sizeof out, &ee), (int)sizeof V_RFC8448_EE);
    assert_memory_equal(out, v, sizeof V_RFC8448_EE);
    for (size_t cap = 0; cap < sizeof V_RFC8448_EE; cap++)
        assert_int_equal(tls_encrypted_extensions_write(out, cap, &ee), TLS_MSG_E_SPACE);
    struct tls_encrypted_extensions_in in;
    size_t n = sizeof V_RFC8448_EE - 4;
    assert_int_equal(ee_parse(v + 4, n, &in), (int)n);
    assert_int_equal(in.record_size_limit, 0x4001);
    assert_int_equal(in.alpn.len, 0);
    assert_int_equal(in.ext_seen, TLS_SEEN_SERVER_NAME | TLS_SEEN_SUPPORTED_GROUPS | TLS_SEEN_RECORD_SIZE_LIMIT);
    /* §4 adds early_data */
    n = sizeof V_RFC8448_EE_RESUME - 4;
    assert_int_equal(ee_parse(V_RFC8448_EE_RESUME + 4, n, &in), (int)n);
    assert_true(in.ext_seen & TLS_SEEN_EARLY_DATA);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(ee_parse(V_RFC8448_EE_RESUME + 4, k, &in), DE);
}

static void ee_round_trip(void **state)
{
    (void)state;
    uint8_t out[400];
    struct tls_encrypted_extensions ee = {0};
    ee.alpn = (const uint8_t *)"http/1.1";
    ee.alpn_len = 8;
    ee.record_size_limit = 16385;
    struct tls_encrypted_extensions_in in;
    int w = tls_encrypted_extensions_write(out, sizeof out, &ee);
    assert_true(w > 0);
    assert_int_equal(tm_rd24(out + 1), (unsigned long)w - 4);
    assert_int_equal(ee_parse(out + 4, (size_t)w - 4, &in), w - 4);
    assert_int_equal(in.alpn.len, 8);
    assert_memory_equal(out + 4 + in.alpn.off, "http/1.1", 8);
    assert_int_equal(in.record_size_limit, 16385);
    assert_int_equal(in.ext_seen, TLS_SEEN_ALPN | TLS_SEEN_RECORD_SIZE_LIMIT);
    /* nothing at all */
    struct tls_encrypted_extensions none = {0};
    assert_int_equal(tls_encrypted_extensions_write(out, sizeof out, &none), 6);
    assert_int_equal(ee_parse(out + 4, 2, &in), 2);
    assert_int_equal(in.ext_seen, 0);
    /* fields that do not fit their length fields */
    ee.alpn_len = 0;
    assert_int_equal(tls_encrypted_extensions_write(out, sizeof out, &ee), TLS_MSG_E_SPACE);
    ee.alpn_len = 256;
    assert_int_equal(tls_encrypted_extensions_write(out, sizeof out, &ee), TLS_MSG_E_SPACE);
    ee.alpn = NULL;
    ee.groups = (const uint8_t *)"\0\x1d\0";
    ee.groups_len = 3;
    assert_int_equal(tls_encrypted_extensions_write(out, sizeof out, &ee), TLS_MSG_E_SPACE);
}

static int ee_try(const struct tm_ext *e, size_t n)
{
    uint8_t b[600];
    size_t p = 2;
    for (size_t i = 0; i < n; i++) {
        p = tm_put16(b, p, e[i].type);
        p = tm_put16(b, p, (unsigned)e[i].len);
        if (e[i].len)
            p = tm_put(b, p, e[i].data, e[i].len);
    }
    tm_put16(b, 0, (unsigned)(p - 2));
    struct tls_encrypted_extensions_in in;
    return ee_parse(b, p, &in);
}

static void ee_alerts(void **state)
{
    (void)state;
#define RSL(hi, lo) TM_EXT(TLS_EXT_RECORD_SIZE_LIMIT, hi, lo)
    struct tm_ext r63[] = {RSL(0, 63)};
    assert_int_equal(ee_try(r63, 1), IP);
    struct tm_ext r_max[] = {RSL(0x40, 0x01)};
    assert_true(ee_try(r_max, 1) > 0);
    struct tm_ext r_over[] = {RSL(0x40, 0x02)}; /* above 2^14+1: RFC 8449 §4 MAY, we do */
    assert_int_equal(ee_try(r_over, 1), IP);
    struct tm_ext r_len[] = {TM_EXT(TLS_EXT_RECORD_SIZE_LIMIT, 0, 64, 0)};
    assert_int_equal(ee_try(r_len, 1), DE);
#undef RSL
    struct tm_ext two_names[] = {TM_EXT(TLS_EXT_ALPN, 0, 4, 1, 'a', 1, 'b')};
    assert_int_equal(ee_try(two_names, 1), DE);
    struct tm_ext empty_name[] = {TM_EXT(TLS_EXT_ALPN, 0, 1, 0)};
    assert_int_equal(ee_try(empty_name, 1), DE);
    struct tm_ext name_over[] = {TM_EXT(TLS_EXT_ALPN, 0, 2, 2, 'a')};
    assert_int_equal(ee_try(name_over, 1), DE);
    struct tm_ext sni_data[] = {TM_EXT(TLS_EXT_SERVER_NAME, 0)};
    assert_int_equal(ee_try(sni_data, 1), DE);
    struct tm_ext ed_data[] = {TM_EXT(TLS_EXT_EARLY_DATA, 0)};
    assert_int_equal(ee_try(ed_data, 1), DE);
    struct tm_ext groups_odd[] = {TM_EXT(TLS_EXT_SUPPORTED_GROUPS, 0, 3, 0, 0x1d, 0)};
    assert_int_equal(ee_try(groups_odd, 1), DE);
    struct tm_ext groups_empty[] = {TM_EXT(TLS_EXT_SUPPORTED_GROUPS, 0, 0)};
    assert_int_equal(ee_try(groups_empty, 1), DE);
    /* allowed in EncryptedExtensions but never requested by Atoll */
    static const uint16_t never[] = {TLS_EXT_MAX_FRAGMENT_LENGTH, TLS_EXT_USE_SRTP, TLS_EXT_HEARTBEAT,
                                     TLS_EXT_CLIENT_CERT_TYPE, TLS_EXT_SERVER_CERT_TYPE};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
        struct tm_ext e[] = {TM_EXT(never[i], 1)};
        assert_int_equal(ee_try(e, 1), UE);
    }
    /* recognized, not allowed here (§4.2 table) */
    static const uint16_t not_here[] = {TLS_EXT_KEY_SHARE,     TLS_EXT_SUPPORTED_VERSIONS,
                                        TLS_EXT_PRE_SHARED_KEY, TLS_EXT_SIGNATURE_ALGORITHMS,
                                        TLS_EXT_COOKIE,         TLS_EXT_PADDING,
                                        TLS_EXT_STATUS_REQUEST, TLS_EXT_PSK_KEY_EXCHANGE_MODES};
    for (size_t i = 0; i < sizeof not_here / sizeof not_here[0]; i++) {
        struct tm_ext e[] = {TM_EMPTY(not_here[i])};
        assert_int_equal(ee_try(e, 1), IP);
    }
    struct tm_ext unknown[] = {TM_EMPTY(0x4444)};
    assert_int_equal(ee_try(unknown, 1), UE);
    struct tm_ext dup[] = {TM_EMPTY(TLS_EXT_SERVER_NAME), TM_EMPTY(TLS_EXT_SERVER_NAME)};
    assert_int_equal(ee_try(dup, 2), IP);
    /* outer framing */
    uint8_t b[10] = {0, 5, 0, 0, 0, 0};
    struct tls_encrypted_extensions_in in;
    assert_int_equal(ee_parse(b, 6, &in), DE);
    b[1] = 4;
    assert_int_equal(ee_parse(b, 6, &in), 6);
    b[1] = 3;
    assert_int_equal(ee_parse(b, 5, &in), DE);
    assert_int_equal(ee_parse(b, 1, &in), DE);
    assert_int_equal(tls_encrypted_extensions_parse(b, 16777216u, &in), DE);
}

/* ---- Certificate ---- */

static int ct_parse(const uint8_t *b, size_t n, struct tls_certificate_in *c)
{
    memset(c, 0xa5, sizeof *c);
    return tls_certificate_parse(tm_exact(b, n), n, c);
}

static void ct_rfc8448(void **state)
{
    (void)state;
    const uint8_t *v = V_RFC8448_CT;
    size_t dl = tm_rd24(v + 8);
    assert_int_equal(dl, 432);
    const uint8_t *certs[1] = {v + 11};
    size_t lens[1] = {dl};
    uint8_t out[600];
    assert_int_equal(tls_certificate_write(out, sizeof out, certs, lens, 1), (int)sizeof V_RFC8448_CT);
    assert_memory_equal(out, v, sizeof V_RFC8448_CT);
    for (size_t cap = 0; cap < sizeof V_RFC8448_CT; cap++)
        assert_int_equal(tls_certificate_write(out, cap, certs, lens, 1), TLS_MSG_E_SPACE);
    struct tls_certificate_in c;
    size_t n = sizeof V_RFC8448_CT - 4;
    const uint8_t *b = tm_exact(v + 4, n);
    assert_int_equal(tls_certificate_parse(b, n, &c), (int)n);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.context.len, 0);
    struct tls_span der;
    assert_int_equal(tls_certificate_entry(b, &c, 0, &der), 1);
    assert_int_equal(der.len, 432);
    assert_memory_equal(b + der.off, v + 11, 432);
    assert_int_equal(tls_certificate_entry(b, &c, 1, &der), 0);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(ct_parse(v + 4, k, &c), DE);
}

static void ct_round_trip(void **state)
{
    (void)state;
    static uint8_t c1[3000], c2[1], c3[70000], out[80000];
    memset(c1, 1, sizeof c1);
    memset(c2, 2, sizeof c2);
    memset(c3, 3, sizeof c3);
    const uint8_t *certs[3] = {c1, c2, c3};
    size_t lens[3] = {sizeof c1, sizeof c2, sizeof c3};
    int w = tls_certificate_write(out, sizeof out, certs, lens, 3);
    assert_int_equal(w, 8 + 3 * 5 + 3000 + 1 + 70000);
    struct tls_certificate_in c;
    const uint8_t *b = tm_exact(out + 4, (size_t)w - 4);
    assert_int_equal(tls_certificate_parse(b, (size_t)w - 4, &c), w - 4);
    assert_int_equal(c.count, 3);
    for (uint16_t i = 0; i < 3; i++) {
        struct tls_span der;
        assert_int_equal(tls_certificate_entry(b, &c, i, &der), 1);
        assert_int_equal(der.len, lens[i]);
        assert_memory_equal(b + der.off, certs[i], lens[i]);
    }
    /* an empty chain (the engine decides whether that is allowed) */
    assert_int_equal(tls_certificate_write(out, sizeof out, certs, lens, 0), 8);
    assert_int_equal(ct_parse(out + 4, 4, &c), 4);
    assert_int_equal(c.count, 0);
    /* cert_data<1..>: an empty certificate cannot be written */
    lens[1] = 0;
    assert_int_equal(tls_certificate_write(out, sizeof out, certs, lens, 3), TLS_MSG_E_SPACE);
}

/* A Certificate body: context, then entries given as (cert length, ext bytes). */
static size_t ct_body(uint8_t *b, size_t ctx, const size_t *cert_len, const uint8_t *const *ext, const size_t *ext_len,
                      size_t n)
{
    size_t p = 0;
    b[p++] = (uint8_t)ctx;
    memset(b + p, 0xcc, ctx);
    p += ctx;
    size_t lp = p;
    p += 3;
    for (size_t i = 0; i < n; i++) {
        p = tm_put24(b, p, cert_len[i]);
        memset(b + p, 0x30, cert_len[i]);
        p += cert_len[i];
        p = tm_put16(b, p, (unsigned)ext_len[i]);
        if (ext_len[i])
            p = tm_put(b, p, ext[i], ext_len[i]);
    }
    tm_put24(b, lp, p - lp - 3);
    return p;
}

static void ct_alerts(void **state)
{
    (void)state;
    uint8_t b[600];
    struct tls_certificate_in c;
    size_t cl[2] = {10, 20}, el[2] = {0, 0};
    const uint8_t *ex[2] = {NULL, NULL};
    size_t n = ct_body(b, 3, cl, ex, el, 2);
    assert_int_equal(ct_parse(b, n, &c), (int)n);
    assert_int_equal(c.context.len, 3);
    assert_int_equal(c.count, 2);
    /* cert_data<1..2^24-1>: empty is decode_error */
    cl[1] = 0;
    n = ct_body(b, 0, cl, ex, el, 2);
    assert_int_equal(ct_parse(b, n, &c), DE);
    cl[1] = 20;
    /* per-entry extensions: none requested, so unsupported_extension;
     * a recognized type not allowed in Certificate: illegal_parameter */
    const uint8_t status[] = {0, 5, 0, 1, 1};
    const uint8_t keyshare[] = {0, 51, 0, 0};
    const uint8_t unknown[] = {0x12, 0x34, 0, 0};
    const uint8_t cut[] = {0, 5, 0, 2, 1};
    ex[1] = status, el[1] = sizeof status;
    n = ct_body(b, 0, cl, ex, el, 2);
    assert_int_equal(ct_parse(b, n, &c), UE);
    ex[1] = unknown, el[1] = sizeof unknown;
    n = ct_body(b, 0, cl, ex, el, 2);
    assert_int_equal(ct_parse(b, n, &c), UE);
    ex[1] = keyshare, el[1] = sizeof keyshare;
    n = ct_body(b, 0, cl, ex, el, 2);
    assert_int_equal(ct_parse(b, n, &c), IP);
    ex[1] = cut, el[1] = sizeof cut;
    n = ct_body(b, 0, cl, ex, el, 2);
    assert_int_equal(ct_parse(b, n, &c), DE);
    el[1] = 0;
    /* every length field one off and all ones */
    n = ct_body(b, 2, cl, ex, el, 2);
    static const size_t at[] = {0, 5, 8, 20, 23, 45};
    for (size_t f = 0; f < sizeof at / sizeof at[0]; f++)
        for (int d = -1; d <= 1; d += 2) {
            uint8_t m[600];
            memcpy(m, b, n);
            m[at[f]] = (uint8_t)(m[at[f]] + d);
            int r = ct_parse(m, n, &c);
            if (r != DE)
                fail_msg("length at %zu %+d: %d", at[f], d, r);
        }
    /* 24-bit lengths near the top: no wrap */
    uint8_t w[16] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0};
    assert_int_equal(ct_parse(w, 9, &c), DE);
    tm_put24(w, 1, 8);
    assert_int_equal(ct_parse(w, 12, &c), DE);
    memset(w, 0, sizeof w);
    tm_put24(w, 1, 8); /* list of 8 holding an entry that claims 0xffffff */
    tm_put24(w, 4, 0xffffff);
    assert_int_equal(ct_parse(w, 12, &c), DE);
    tm_put24(w, 4, 0xfffffe);
    assert_int_equal(ct_parse(w, 12, &c), DE);
    assert_int_equal(tls_certificate_parse(w, 16777216u, &c), DE);
}

static void ct_too_many_entries(void **state)
{
    (void)state;
    /* 65536 entries of one byte each: more than the uint16_t count */
    size_t n = 1 + 3 + 65536u * 6;
    uint8_t *b = test_malloc(n);
    b[0] = 0;
    tm_put24(b, 1, n - 4);
    for (size_t i = 0; i < 65536u; i++) {
        size_t p = 4 + i * 6;
        tm_put24(b, p, 1);
        b[p + 3] = 0x30;
        tm_put16(b, p + 4, 0);
    }
    struct tls_certificate_in c;
    assert_int_equal(tls_certificate_parse(b, n, &c), BC);
    /* one fewer is fine */
    tm_put24(b, 1, n - 10);
    assert_int_equal(tls_certificate_parse(b, n - 6, &c), (int)(n - 6));
    assert_int_equal(c.count, 65535);
    struct tls_span der;
    assert_int_equal(tls_certificate_entry(b, &c, 65534, &der), 1);
    assert_int_equal(der.off, 4 + 65534u * 6 + 3);
    test_free(b);
}

/* ---- CertificateVerify, Finished, KeyUpdate, message_hash, alert ---- */

static void cv_rfc8448(void **state)
{
    (void)state;
    const uint8_t *v = V_RFC8448_CV;
    uint8_t out[200];
    assert_int_equal(tls_certificate_verify_write(out, sizeof out, 0x0804, v + 8, 128), (int)sizeof V_RFC8448_CV);
    assert_memory_equal(out, v, sizeof V_RFC8448_CV);
    assert_int_equal(tls_certificate_verify_write(out, sizeof V_RFC8448_CV - 1, 0x0804, v + 8, 128),
                     TLS_MSG_E_SPACE);
    struct tls_certificate_verify cv;
    size_t n = sizeof V_RFC8448_CV - 4;
    assert_int_equal(tls_certificate_verify_parse(tm_exact(v + 4, n), n, &cv), (int)n);
    assert_int_equal(cv.scheme, 0x0804);
    assert_int_equal(cv.sig.off, 4);
    assert_int_equal(cv.sig.len, 128);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(tls_certificate_verify_parse(tm_exact(v + 4, k), k, &cv), DE);
    uint8_t b[200];
    memcpy(b, v + 4, n);
    b[3]++;
    assert_int_equal(tls_certificate_verify_parse(tm_exact(b, n), n, &cv), DE);
    b[3] -= 2;
    assert_int_equal(tls_certificate_verify_parse(tm_exact(b, n), n, &cv), DE);
    /* empty signature: framed fine (signature<0..2^16-1>) */
    uint8_t e[4] = {8, 4, 0, 0};
    assert_int_equal(tls_certificate_verify_parse(tm_exact(e, 4), 4, &cv), 4);
    assert_int_equal(tls_certificate_verify_write(out, sizeof out, 0x0403, e, 65536), TLS_MSG_E_SPACE);
}

static void finished(void **state)
{
    (void)state;
    const uint8_t *v = V_RFC8448_SF;
    uint8_t out[100];
    assert_int_equal(tls_finished_write(out, sizeof out, v + 4, 32), 36);
    assert_memory_equal(out, v, 36);
    assert_int_equal(tls_finished_write(out, 35, v + 4, 32), TLS_MSG_E_SPACE);
    struct tls_span vd;
    assert_int_equal(tls_finished_parse(tm_exact(v + 4, 32), 32, 32, &vd), 32);
    assert_int_equal(vd.off, 0);
    assert_int_equal(vd.len, 32);
    /* the wrong length for the hash: decode_error */
    assert_int_equal(tls_finished_parse(tm_exact(v + 4, 32), 32, 48, &vd), DE);
    assert_int_equal(tls_finished_parse(tm_exact(v + 4, 31), 31, 32, &vd), DE);
    uint8_t h48[48] = {0};
    assert_int_equal(tls_finished_parse(tm_exact(h48, 48), 48, 48, &vd), 48);
}

static void key_update(void **state)
{
    (void)state;
    uint8_t out[8];
    int req = -1;
    for (int r = 0; r <= 1; r++) {
        assert_int_equal(tls_key_update_write(out, sizeof out, r ? 7 : 0), 5);
        assert_int_equal(out[0], TLS_HS_KEY_UPDATE);
        assert_int_equal(tm_rd24(out + 1), 1);
        assert_int_equal(tls_key_update_parse(tm_exact(out + 4, 1), 1, &req), 1);
        assert_int_equal(req, r);
    }
    assert_int_equal(tls_key_update_write(out, 4, 1), TLS_MSG_E_SPACE);
    /* §4.6.3: any other value is illegal_parameter; the wrong size decode_error */
    uint8_t two[2] = {2, 0};
    assert_int_equal(tls_key_update_parse(tm_exact(two, 1), 1, &req), IP);
    two[0] = 255;
    assert_int_equal(tls_key_update_parse(tm_exact(two, 1), 1, &req), IP);
    two[0] = 0;
    assert_int_equal(tls_key_update_parse(tm_exact(two, 2), 2, &req), DE);
    assert_int_equal(tls_key_update_parse(tm_exact(two, 0), 0, &req), DE);
}

static void nst(void **state)
{
    (void)state;
    const uint8_t *v = V_RFC8448_NST;
    size_t n = sizeof V_RFC8448_NST - 4;
    struct tls_new_session_ticket_in t;
    const uint8_t *b = tm_exact(v + 4, n);
    assert_int_equal(tls_new_session_ticket_parse(b, n, &t), (int)n);
    assert_int_equal(t.lifetime, 30);
    assert_int_equal(t.age_add, 0xfad6aac5u);
    assert_int_equal(t.nonce.len, 2);
    assert_int_equal(t.ticket.len, 178);
    assert_int_equal(b[t.ticket.off], 0x2c);
    assert_int_equal(t.max_early_data, 0x400);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(tls_new_session_ticket_parse(tm_exact(v + 4, k), k, &t), DE);
    /* round trip (no extensions) */
    uint8_t out[400], tk[300];
    memset(tk, 0x7e, sizeof tk);
    int w = tls_new_session_ticket_write(out, sizeof out, 604800, 0x01020304, v + 4 + 9, 2, tk, sizeof tk);
    assert_int_equal(w, 17 + 2 + (int)sizeof tk);
    assert_int_equal(tm_rd24(out + 1), (unsigned long)w - 4);
    assert_int_equal(tls_new_session_ticket_parse(tm_exact(out + 4, (size_t)w - 4), (size_t)w - 4, &t), w - 4);
    assert_int_equal(t.lifetime, 604800);
    assert_int_equal(t.age_add, 0x01020304);
    assert_int_equal(t.ticket.len, sizeof tk);
    assert_int_equal(t.max_early_data, 0);
    assert_int_equal(tls_new_session_ticket_write(out, (size_t)w - 1, 1, 2, tk, 2, tk, sizeof tk), TLS_MSG_E_SPACE);
    assert_int_equal(tls_new_session_ticket_write(out, sizeof out, 1, 2, tk, 256, tk, 10), TLS_MSG_E_SPACE);
    assert_int_equal(tls_new_session_ticket_write(out, sizeof out, 1, 2, tk, 0, tk, 0), TLS_MSG_E_SPACE);
    /* alerts: empty ticket, extension block 0xffff (extensions<0..2^16-2>),
     * early_data of the wrong size, an extension not allowed, duplicates */
    uint8_t m[300];
    size_t p = 0;
    memset(m, 0, 9);
    m[8] = 0;
    p = tm_put16(m, 9, 0);
    p = tm_put16(m, p, 0);
    assert_int_equal(tls_new_session_ticket_parse(tm_exact(m, p), p, &t), DE);
    p = tm_put16(m, 9, 1);
    m[p++] = 0x55;
#define NST_TRY(ext, elen) (tm_put16(m, p, (elen)), memcpy(m + p + 2, (ext), (elen)), \
                            tls_new_session_ticket_parse(tm_exact(m, p + 2 + (elen)), p + 2 + (elen), &t))
    assert_int_equal(NST_TRY("", 0), (int)p + 2);
    assert_int_equal(NST_TRY("\0\x2a\0\x04\0\0\0\x10", 8), (int)p + 10);
    assert_int_equal(t.max_early_data, 16);
    assert_int_equal(NST_TRY("\0\x2a\0\x03\0\0\x10", 7), DE);
    assert_int_equal(NST_TRY("\0\x33\0\0", 4), IP);
    assert_int_equal(NST_TRY("\x12\x34\0\0", 4), (int)p + 6); /* unknown: ignored */
    assert_int_equal(NST_TRY("\x12\x34\0\x01", 4), DE);
    assert_int_equal(NST_TRY("\0\x2a\0\x04\0\0\0\x10\0\x2a\0\x04\0\0\0\x10", 16), IP);
#undef NST_TRY
    static uint8_t big[70000];
    memcpy(big, m, p);
    tm_put16(big, p, 0xffff);
    tm_put16(big, p + 2, 0x1234);
    tm_put16(big, p + 4, 0xffff - 4);
    assert_int_equal(tls_new_session_ticket_parse(tm_exact(big, p + 2 + 0xffff), p + 2 + 0xffff, &t), DE);
    tm_put16(big, p, 0xfffe);
    tm_put16(big, p + 4, 0xfffe - 4);
    assert_int_equal(tls_new_session_ticket_parse(tm_exact(big, p + 2 + 0xfffe), p + 2 + 0xfffe, &t),
                     (int)(p + 2 + 0xfffe));
}

static void message_hash_and_alert(void **state)
{
    (void)state;
    uint8_t h[48], out[60];
    for (size_t i = 0; i < sizeof h; i++)
        h[i] = (uint8_t)i;
    assert_int_equal(tls_message_hash_write(out, sizeof out, h, 48), 52);
    assert_int_equal(out[0], 254);
    assert_int_equal(tm_rd24(out + 1), 48);
    assert_memory_equal(out + 4, h, 48);
    assert_int_equal(tls_message_hash_write(out, 51, h, 48), TLS_MSG_E_SPACE);
    uint8_t level = 0, desc = 0;
    uint8_t a[3] = {2, 50, 0};
    assert_int_equal(tls_alert_parse(tm_exact(a, 2), 2, &level, &desc), 2);
    assert_int_equal(level, 2);
    assert_int_equal(desc, 50);
    assert_int_equal(tls_alert_parse(tm_exact(a, 3), 3, &level, &desc), DE);
    assert_int_equal(tls_alert_parse(tm_exact(a, 1), 1, &level, &desc), DE);
    assert_int_equal(tls_alert_parse(tm_exact(a, 0), 0, &level, &desc), DE);
}

static void cv_content(void **state)
{
    (void)state;
    uint8_t h[32], out[200];
    memset(h, 0xab, sizeof h);
    for (int server = 0; server <= 1; server++) {
        memset(out, 0x55, sizeof out);
        assert_int_equal(tls_cv_content(out, server, h, 32), 130);
        for (size_t i = 0; i < 64; i++)
            assert_int_equal(out[i], 0x20);
        const char *ctx = server ? "TLS 1.3, server CertificateVerify" : "TLS 1.3, client CertificateVerify";
        assert_memory_equal(out + 64, ctx, 33);
        assert_int_equal(out[97], 0);
        assert_memory_equal(out + 98, h, 32);
        assert_int_equal(out[130], 0x55);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ee_rfc8448),
        cmocka_unit_test(ee_round_trip),
        cmocka_unit_test(ee_alerts),
        cmocka_unit_test(ct_rfc8448),
        cmocka_unit_test(ct_round_trip),
        cmocka_unit_test(ct_alerts),
        cmocka_unit_test(ct_too_many_entries),
        cmocka_unit_test(cv_rfc8448),
        cmocka_unit_test(finished),
        cmocka_unit_test(key_update),
        cmocka_unit_test(nst),
        cmocka_unit_test(message_hash_and_alert),
        cmocka_unit_test(cv_content),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
