/* SPDX-License-Identifier: Apache-2.0 */
/* ClientHello parser (tls/msg_client_hello.c) and its iterators
 * (tls/msg_ch_iter.c): real ClientHellos from openssl s_client, gnutls-cli,
 * curl and RFC 8448; every alert row of spec/tls_alerts.md for ClientHello;
 * length fields off by one, truncation at every byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tls_msg_util.h"
#include "tls_msg_vectors.h"

static uint8_t buf[70000];

/* ---- real ClientHellos ---- */

/* Parses a captured message (header included) and checks the invariants
 * every successful parse must give; returns the result. */
static int parse_msg(const uint8_t *m, size_t n, struct tls_client_hello *ch, const uint8_t **body)
{
    assert_true(n >= 4);
    assert_int_equal(m[0], TLS_HS_CLIENT_HELLO);
    assert_int_equal(tm_rd24(m + 1), n - 4);
    *body = tm_exact(m + 4, n - 4);
    memset(ch, 0xa5, sizeof *ch);
    return tls_client_hello_parse(*body, n - 4, ch);
}

static void ch_rfc8448(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    const uint8_t *b;
    assert_int_equal(parse_msg(V_RFC8448_CH, sizeof V_RFC8448_CH, &ch, &b), (int)sizeof V_RFC8448_CH - 4);
    assert_int_equal(ch.legacy_version, 0x0303);
    assert_int_equal(ch.random[0], 0xcb);
    assert_int_equal(ch.session_id_len, 0);
    assert_int_equal(ch.suites.len, 6);
    assert_true(tls_span_has_u16(b, ch.suites, TLS_AES_128_GCM_SHA256));
    assert_true(tls_span_has_u16(b, ch.suites, TLS_CHACHA20_POLY1305_SHA256));
    assert_false(tls_span_has_u16(b, ch.suites, 0x1304));
    assert_int_equal(ch.server_name.len, 6);
    assert_memory_equal(b + ch.server_name.off, "server", 6);
    assert_int_equal(ch.max_version, 0x0304);
    assert_int_equal(ch.offers_tls13, 1);
    assert_true(tls_span_has_u16(b, ch.groups, 0x001d));
    assert_true(tls_span_has_u16(b, ch.groups, 0x0104));
    assert_int_equal(ch.groups.len, 18);
    struct tls_span key;
    assert_int_equal(tls_ch_key_share(b, &ch, 0x001d, &key), 1);
    assert_int_equal(key.len, 32);
    assert_int_equal(b[key.off], 0x99);
    assert_int_equal(b[key.off + 31], 0x2c);
    assert_int_equal(tls_ch_key_share(b, &ch, 0x0017, &key), 0);
    assert_true(tls_span_has_u16(b, ch.sig_algs, 0x0804));
    assert_int_equal(ch.sig_algs.len, 30);
    assert_int_equal(ch.psk_modes, TLS_PSK_MODE_DHE_KE);
    assert_int_equal(ch.record_size_limit, 0x4001);
    assert_int_equal(ch.psk_count, 0);
    assert_int_equal(ch.early_data, 0);
    assert_int_equal(ch.cookie.len, 0);
    assert_int_equal(ch.alpn.len, 0);
    assert_int_equal(ch.ext_seen, TLS_SEEN_SERVER_NAME | TLS_SEEN_SUPPORTED_GROUPS | TLS_SEEN_KEY_SHARE
                                      | TLS_SEEN_SUPPORTED_VERSIONS | TLS_SEEN_SIGNATURE_ALGORITHMS
                                      | TLS_SEEN_PSK_KEY_EXCHANGE_MODES | TLS_SEEN_RECORD_SIZE_LIMIT);
}

static void ch_rfc8448_resumption(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    const uint8_t *b;
    size_t n = sizeof V_RFC8448_CH_RESUME;
    assert_int_equal(parse_msg(V_RFC8448_CH_RESUME, n, &ch, &b), (int)n - 4);
    assert_int_equal(ch.psk_count, 1);
    assert_int_equal(ch.early_data, 1);
    assert_true(ch.ext_seen & TLS_SEEN_PRE_SHARED_KEY);
    assert_true(ch.ext_seen & TLS_SEEN_EARLY_DATA);
    /* RFC 8448 §4: the binder is computed over the 477-byte prefix, which
     * ends where the binders list (its 2-byte length) begins. */
    assert_int_equal(ch.binders_off + 4, 477);
    struct tls_span id, binder;
    uint32_t age = 0;
    assert_int_equal(tls_ch_psk(b, &ch, 0, &id, &age, &binder), 1);
    assert_int_equal(id.len, 178);
    assert_int_equal(b[id.off], 0x2c);
    assert_int_equal(age, 0xfad6aacbu);
    assert_int_equal(binder.len, 32);
    assert_int_equal(b[binder.off], 0x3a);
    assert_int_equal(b[binder.off + 31], 0x9d);
    assert_int_equal(binder.off + binder.len, n - 4);
    assert_int_equal(tls_ch_psk(b, &ch, 1, &id, &age, &binder), 0);
}

static void ch_openssl(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    const uint8_t *b;
    size_t n = sizeof V_CH_OPENSSL_S_CLIENT;
    assert_int_equal(parse_msg(V_CH_OPENSSL_S_CLIENT, n, &ch, &b), (int)n - 4);
    assert_int_equal(ch.offers_tls13, 1);
    assert_int_equal(ch.max_version, 0x0304);
    assert_int_equal(ch.session_id_len, 32); /* middlebox compatibility mode */
    assert_int_equal(ch.server_name.len, strlen("www.example.com"));
    assert_memory_equal(b + ch.server_name.off, "www.example.com", ch.server_name.len);
    assert_true(tls_ch_offers_alpn(b, &ch, (const uint8_t *)"http/1.1", 8));
    assert_true(tls_ch_offers_alpn(b, &ch, (const uint8_t *)"h2", 2));
    assert_false(tls_ch_offers_alpn(b, &ch, (const uint8_t *)"http/1.0", 8));
    assert_false(tls_ch_offers_alpn(b, &ch, (const uint8_t *)"h", 1));
    assert_false(tls_ch_offers_alpn(b, &ch, (const uint8_t *)"", 0));
    struct tls_span key;
    assert_int_equal(tls_ch_key_share(b, &ch, 0x001d, &key), 1);
    assert_int_equal(key.len, 32);
    assert_true(tls_span_has_u16(b, ch.suites, TLS_AES_256_GCM_SHA384));
    assert_true(tls_span_has_u16(b, ch.sig_algs, 0x0804));
    assert_true(ch.psk_modes & TLS_PSK_MODE_DHE_KE);
}

static void ch_openssl_p256(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    const uint8_t *b;
    size_t n = sizeof V_CH_OPENSSL_S_CLIENT_P256;
    assert_int_equal(parse_msg(V_CH_OPENSSL_S_CLIENT_P256, n, &ch, &b), (int)n - 4);
    struct tls_span key;
    assert_int_equal(tls_ch_key_share(b, &ch, 0x0017, &key), 1);
    assert_int_equal(key.len, 65); /* uncompressed point */
    assert_int_equal(b[key.off], 4);
    assert_int_equal(tls_ch_key_share(b, &ch, 0x001d, &key), 0); /* offered in groups only */
    assert_true(tls_span_has_u16(b, ch.groups, 0x001d));
    assert_memory_equal(b + ch.server_name.off, "atoll.test", 10);
}

static void ch_openssl_resumption(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    const uint8_t *b;
    size_t n = sizeof V_CH_OPENSSL_S_CLIENT_RESUME;
    assert_int_equal(parse_msg(V_CH_OPENSSL_S_CLIENT_RESUME, n, &ch, &b), (int)n - 4);
    assert_int_equal(ch.psk_count, 1);
    struct tls_span id, binder;
    uint32_t age;
    assert_int_equal(tls_ch_psk(b, &ch, 0, &id, &age, &binder), 1);
    assert_true(id.len > 0);
    assert_int_equal(binder.len, 48); /* the session used a SHA-384 suite */
    assert_int_equal(binder.off + binder.len, n - 4);
    assert_int_equal(ch.binders_off + 2, ch.psk_binders.off);
    assert_true(ch.psk_modes & TLS_PSK_MODE_DHE_KE);
}

static void ch_openssl_tls12_only(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    const uint8_t *b;
    size_t n = sizeof V_CH_OPENSSL_S_CLIENT_TLS12;
    assert_int_equal(parse_msg(V_CH_OPENSSL_S_CLIENT_TLS12, n, &ch, &b), (int)n - 4);
    assert_int_equal(ch.offers_tls13, 0);
    assert_int_equal(ch.max_version, 0); /* no supported_versions: the engine says protocol_version */
    assert_false(ch.ext_seen & TLS_SEEN_SUPPORTED_VERSIONS);
}

static void ch_gnutls(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    const uint8_t *b;
    size_t n = sizeof V_CH_GNUTLS_CLI;
    assert_int_equal(parse_msg(V_CH_GNUTLS_CLI, n, &ch, &b), (int)n - 4);
    assert_int_equal(ch.offers_tls13, 1);
    assert_int_equal(ch.max_version, 0x0304);
    assert_memory_equal(b + ch.server_name.off, "localhost", 9);
    assert_true(tls_ch_offers_alpn(b, &ch, (const uint8_t *)"http/1.1", 8));
    struct tls_span key;
    assert_int_equal(tls_ch_key_share(b, &ch, 0x001d, &key), 1);
    assert_true(ch.psk_modes & TLS_PSK_MODE_DHE_KE);
}

static void ch_curl(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    const uint8_t *b;
    size_t n = sizeof V_CH_CURL;
    assert_int_equal(parse_msg(V_CH_CURL, n, &ch, &b), (int)n - 4);
    assert_int_equal(ch.offers_tls13, 1);
    assert_memory_equal(b + ch.server_name.off, "localhost", 9);
    assert_true(tls_ch_offers_alpn(b, &ch, (const uint8_t *)"http/1.1", 8));
    assert_true(tls_ch_offers_alpn(b, &ch, (const uint8_t *)"h2", 2));
    struct tls_span key;
    assert_int_equal(tls_ch_key_share(b, &ch, 0x001d, &key), 1);
}

/* ---- framing: truncation, length fields ---- */

/* Where the compression methods of a ClientHello body end. */
static size_t comp_end(const uint8_t *b)
{
    size_t p = 35 + b[34];
    p += 2 + tm_rd16(b + p);
    return p + 1 + b[p];
}

static const struct {
    const uint8_t *m;
    size_t n;
} all[] = {
    {V_RFC8448_CH, sizeof V_RFC8448_CH},
    {V_RFC8448_CH_RESUME, sizeof V_RFC8448_CH_RESUME},
    {V_CH_OPENSSL_S_CLIENT, sizeof V_CH_OPENSSL_S_CLIENT},
    {V_CH_OPENSSL_S_CLIENT_P256, sizeof V_CH_OPENSSL_S_CLIENT_P256},
    {V_CH_OPENSSL_S_CLIENT_RESUME, sizeof V_CH_OPENSSL_S_CLIENT_RESUME},
    {V_CH_OPENSSL_S_CLIENT_TLS12, sizeof V_CH_OPENSSL_S_CLIENT_TLS12},
    {V_CH_GNUTLS_CLI, sizeof V_CH_GNUTLS_CLI},
    {V_CH_CURL, sizeof V_CH_CURL},
};

static void ch_truncated_at_every_byte(void **state)
{
    (void)state;
    for (size_t v = 0; v < sizeof all / sizeof all[0]; v++) {
        const uint8_t *b = all[v].m + 4;
        size_t n = all[v].n - 4, ce = comp_end(b);
        for (size_t k = 0; k < n; k++) {
            struct tls_client_hello ch;
            int r = tm_ch_parse(b, k, &ch);
            if (k == ce)
                assert_int_equal(r, (int)k); /* no extensions at all: a legal (pre-1.3) hello */
            else
                assert_int_equal(r, DE);
        }
    }
}

/* The offsets of every length field of a ClientHello body whose
 * extensions are all framed as vectors: session id, suites, compression,
 * extension block, each extension's length. */
static size_t length_fields(const uint8_t *b, size_t n, size_t *pos, size_t *width)
{
    size_t k = 0, p = 34;
    pos[k] = p, width[k++] = 1;
    p = 35 + b[34];
    pos[k] = p, width[k++] = 2;
    p += 2 + tm_rd16(b + p);
    pos[k] = p, width[k++] = 1;
    p += 1 + b[p];
    pos[k] = p, width[k++] = 2;
    p += 2;
    while (p < n) {
        pos[k] = p + 2, width[k++] = 2;
        p += 4 + tm_rd16(b + p + 2);
    }
    return k;
}

static void ch_length_fields_off_by_one(void **state)
{
    (void)state;
    for (size_t v = 0; v < sizeof all / sizeof all[0]; v++) {
        const uint8_t *m = all[v].m + 4;
        size_t n = all[v].n - 4, pos[64], width[64];
        size_t k = length_fields(m, n, pos, width);
        assert_true(k >= 5);
        for (size_t f = 0; f < k; f++) {
            static const int delta[] = {1, -1, 0x100, -0x100};
            for (size_t d = 0; d < 4; d++) {
                memcpy(buf, m, n);
                size_t at = pos[f] + width[f] - 1;
                if (d >= 2 && width[f] == 1)
                    continue;
                if (d >= 2)
                    at -= 1;
                int val = buf[at] + (d >= 2 ? delta[d] / 0x100 : delta[d]);
                if (val < 0 || val > 255)
                    continue;
                buf[at] = (uint8_t)val;
                struct tls_client_hello ch;
                int r = tm_ch_parse(buf, n, &ch);
                /* Every length must match the bytes exactly: one more or
                 * one less is decode_error. 256 more or less may land the
                 * walk on bytes that happen to frame (a run of padding
                 * zeros reads as empty server_name extensions): an alert
                 * all the same. */
                if (d < 2 ? r != DE : r >= 0)
                    fail_msg("vector %zu field %zu (offset %zu) delta %d: %d", v, f, pos[f], delta[d], r);
            }
            /* and 0xff.. */
            memcpy(buf, m, n);
            memset(buf + pos[f], 0xff, width[f]);
            struct tls_client_hello ch;
            assert_int_equal(tm_ch_parse(buf, n, &ch), DE);
        }
    }
}

static void ch_too_long_for_24_bits(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    /* The length is checked before any byte is read. */
    assert_int_equal(tls_client_hello_parse(buf, 16777216u, &ch), DE);
    assert_int_equal(tls_client_hello_parse(buf, (size_t)-1, &ch), DE);
}

/* ---- fixed part ---- */

static void ch_fixed_part(void **state)
{
    (void)state;
    struct tm_ext e[] = {TM_SV13};
    struct tls_client_hello ch;
    size_t n = tm_ch(buf, e, 1);
    assert_int_equal(tm_ch_parse(buf, n, &ch), (int)n);
    /* legacy_version 0x0300 or less: protocol_version (D.5) */
    buf[0] = 3, buf[1] = 0;
    assert_int_equal(tm_ch_parse(buf, n, &ch), PV);
    buf[0] = 2, buf[1] = 0xff;
    assert_int_equal(tm_ch_parse(buf, n, &ch), PV);
    /* anything above is left to supported_versions (§4.2.1) */
    buf[0] = 3, buf[1] = 4;
    assert_int_equal(tm_ch_parse(buf, n, &ch), (int)n);
    assert_int_equal(ch.legacy_version, 0x0304);
    buf[0] = 3, buf[1] = 3;
    /* session id longer than 32 */
    buf[34] = 33;
    assert_int_equal(tm_ch_parse(buf, n, &ch), DE);
    buf[34] = 32;
    /* cipher_suites: empty, odd */
    size_t s = 67;
    assert_int_equal(tm_rd16(buf + s), 4);
    tm_put16(buf, s, 3);
    assert_int_equal(tm_ch_parse(buf, n, &ch), DE);
    uint8_t b2[100];
    memcpy(b2, buf, s);
    tm_put16(b2, s, 0);
    b2[s + 2] = 1, b2[s + 3] = 0;
    assert_int_equal(tm_ch_parse(b2, s + 4, &ch), DE);
    /* odd suites with an odd byte provided */
    tm_put16(b2, s, 1);
    b2[s + 2] = 0x13, b2[s + 3] = 1, b2[s + 4] = 0;
    assert_int_equal(tm_ch_parse(b2, s + 5, &ch), DE);
}

static void ch_compression(void **state)
{
    (void)state;
    struct tm_ext e13[] = {TM_SV13};
    struct tm_ext e12[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 2, 0x03, 0x03)};
    struct tls_client_hello ch;
    size_t n = tm_ch(buf, e13, 1), c = comp_end(buf) - 2;
    assert_int_equal(buf[c], 1);
    /* {deflate, null} in a TLS 1.3 ClientHello: illegal_parameter (§4.1.2) */
    memmove(buf + c + 3, buf + c + 2, n - c - 2);
    buf[c] = 2, buf[c + 1] = 1, buf[c + 2] = 0;
    assert_int_equal(tm_ch_parse(buf, n + 1, &ch), IP);
    /* {1} alone */
    n = tm_ch(buf, e13, 1);
    buf[c + 1] = 1;
    assert_int_equal(tm_ch_parse(buf, n, &ch), IP);
    /* in a TLS 1.2 ClientHello the engine says protocol_version instead */
    n = tm_ch(buf, e12, 1);
    memmove(buf + c + 3, buf + c + 2, n - c - 2);
    buf[c] = 2, buf[c + 1] = 1, buf[c + 2] = 0;
    assert_int_equal(tm_ch_parse(buf, n + 1, &ch), (int)n + 1);
    assert_int_equal(ch.offers_tls13, 0);
    assert_int_equal(ch.max_version, 0x0303);
    /* empty vector: decode_error */
    n = tm_ch(buf, e13, 1);
    buf[c] = 0;
    assert_int_equal(tm_ch_parse(buf, c + 1, &ch), DE);
}

static void ch_without_extensions(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    size_t n = tm_ch_ext(buf, NULL, 0, 0);
    assert_int_equal(tm_ch_parse(buf, n, &ch), (int)n);
    assert_int_equal(ch.ext_seen, 0);
    assert_int_equal(ch.offers_tls13, 0);
    assert_int_equal(ch.server_name.len, 0);
    assert_int_equal(ch.psk_count, 0);
    /* an empty block is framed correctly too */
    n = tm_ch_ext(buf, NULL, 0, 1);
    assert_int_equal(tm_ch_parse(buf, n, &ch), (int)n);
    /* one byte of a block */
    n = tm_ch_ext(buf, NULL, 0, 0);
    buf[n] = 0;
    assert_int_equal(tm_ch_parse(buf, n + 1, &ch), DE);
    /* trailing bytes after the block */
    n = tm_ch_ext(buf, NULL, 0, 1);
    buf[n] = 0;
    assert_int_equal(tm_ch_parse(buf, n + 1, &ch), DE);
}

/* ---- the extension list ---- */

static int parse_exts(const struct tm_ext *e, size_t n, struct tls_client_hello *ch)
{
    size_t len = tm_ch(buf, e, n);
    int r = tm_ch_parse(buf, len, ch);
    if (r >= 0)
        assert_int_equal(r, (int)len);
    return r;
}

static void ch_duplicate_extensions(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    struct tm_ext sv2[] = {TM_SV13, TM_SV13};
    assert_int_equal(parse_exts(sv2, 2, &ch), IP);
    struct tm_ext pad2[] = {TM_SV13, TM_EMPTY(TLS_EXT_PADDING), TM_EMPTY(TLS_EXT_PADDING)};
    assert_int_equal(parse_exts(pad2, 3, &ch), IP); /* a type we skip is still tracked */
    struct tm_ext unk2[] = {TM_SV13, TM_EMPTY(40), TM_EMPTY(40)};
    assert_int_equal(parse_exts(unk2, 3, &ch), IP);
    /* every type is tracked, whatever its value (§4.2) */
    static const uint16_t high[] = {64, 0x1fff, 0x2000, 0x4469, 0xfe0d, 0xff01, 0xfffe, 0xffff};
    for (size_t i = 0; i < sizeof high / sizeof high[0]; i++) {
        struct tm_ext high2[] = {TM_SV13, TM_EMPTY(high[i]), TM_EMPTY(0x0a0a), TM_EMPTY(high[i])};
        if (parse_exts(high2, 4, &ch) != IP)
            fail_msg("type 0x%04x twice accepted", high[i]);
        struct tm_ext high1[] = {TM_SV13, TM_EMPTY(high[i]), TM_EMPTY(0x0a0a)};
        assert_true(parse_exts(high1, 3, &ch) > 0);
    }
    /* tags that differ by the bitmap's pass size are different types */
    struct tm_ext apart[] = {TM_SV13, TM_EMPTY(0x0100), TM_EMPTY(0x2100), TM_EMPTY(0xe100)};
    assert_true(parse_exts(apart, 4, &ch) > 0);
}

/* The largest extension block of distinct unknown, empty extensions
 * (16383 of them, 65532 bytes) is accepted, and a duplicate as the very
 * last one is found. */
static void ch_many_unknown_extensions(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    static struct tm_ext e[16383];
    size_t n = 0;
    e[n++] = TM_SV13;
    for (unsigned t = 0x0100; n < 16382; t += 3)
        e[n++] = TM_EMPTY((uint16_t)t);
    e[n++] = TM_EMPTY(0xfffd);
    size_t len = tm_ch(buf, e, n);
    assert_true(len - 79 - 2 <= 65535);
    assert_int_equal(tm_ch_parse(buf, len, &ch), (int)len);
    assert_true(ch.offers_tls13);
    e[n - 1] = TM_EMPTY(0x0100 + 3 * 8000);
    len = tm_ch(buf, e, n);
    assert_int_equal(tm_ch_parse(buf, len, &ch), IP);
}

static void ch_zero_length_extensions(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    /* Extensions whose data is a vector: empty data is decode_error. */
    static const uint16_t vec[] = {TLS_EXT_SERVER_NAME,
                                   TLS_EXT_SUPPORTED_GROUPS,
                                   TLS_EXT_SIGNATURE_ALGORITHMS,
                                   TLS_EXT_SIGNATURE_ALGORITHMS_CERT,
                                   TLS_EXT_ALPN,
                                   TLS_EXT_KEY_SHARE,
                                   TLS_EXT_PRE_SHARED_KEY,
                                   TLS_EXT_SUPPORTED_VERSIONS,
                                   TLS_EXT_COOKIE,
                                   TLS_EXT_PSK_KEY_EXCHANGE_MODES,
                                   TLS_EXT_RECORD_SIZE_LIMIT};
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        struct tm_ext e[] = {TM_EMPTY(vec[i])};
        if (parse_exts(e, 1, &ch) != DE)
            fail_msg("empty extension %u accepted", vec[i]);
    }
    /* Those that are empty by definition, and ones we skip. */
    static const uint16_t empty_ok[] = {TLS_EXT_EARLY_DATA, TLS_EXT_POST_HANDSHAKE_AUTH, TLS_EXT_PADDING,
                                        TLS_EXT_STATUS_REQUEST, TLS_EXT_SCT, 0x1234};
    for (size_t i = 0; i < sizeof empty_ok / sizeof empty_ok[0]; i++) {
        struct tm_ext e[] = {TM_SV13, TM_EMPTY(empty_ok[i])};
        assert_true(parse_exts(e, 2, &ch) > 0);
    }
    struct tm_ext ed[] = {TM_SV13, TM_EMPTY(TLS_EXT_EARLY_DATA), TM_EMPTY(TLS_EXT_POST_HANDSHAKE_AUTH)};
    assert_true(parse_exts(ed, 3, &ch) > 0);
    assert_int_equal(ch.early_data, 1);
    assert_true(ch.ext_seen & TLS_SEEN_POST_HANDSHAKE_AUTH);
    /* ... and not empty: decode_error */
    struct tm_ext ed1[] = {TM_EXT(TLS_EXT_EARLY_DATA, 0)};
    assert_int_equal(parse_exts(ed1, 1, &ch), DE);
    struct tm_ext pha1[] = {TM_EXT(TLS_EXT_POST_HANDSHAKE_AUTH, 0)};
    assert_int_equal(parse_exts(pha1, 1, &ch), DE);
}

static void ch_extension_framing(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    struct tm_ext e[] = {TM_SV13};
    size_t n = tm_ch(buf, e, 1);
    /* an extension header cut short */
    size_t blk = comp_end(buf);
    tm_put16(buf, blk, 7);
    buf[n] = 0, buf[n + 1] = 0, buf[n + 2] = 0x1c; /* 3 bytes: not a header */
    assert_int_equal(tm_ch_parse(buf, n + 1, &ch), DE);
    /* oid_filters: CertificateRequest only (§4.2 table) */
    struct tm_ext oid[] = {TM_SV13, TM_EXT(TLS_EXT_OID_FILTERS, 0, 0)};
    assert_int_equal(parse_exts(oid, 2, &ch), IP);
}

static void ch_supported_versions(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    struct tm_ext grease[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 8, 0x3a, 0x3a, 0x7f, 0x1c, 0x03, 0x04, 0x03, 0x03)};
    assert_true(parse_exts(grease, 1, &ch) > 0);
    assert_int_equal(ch.max_version, 0x0304);
    assert_int_equal(ch.offers_tls13, 1);
    struct tm_ext old[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 4, 0x03, 0x02, 0x03, 0x01)};
    assert_true(parse_exts(old, 1, &ch) > 0);
    assert_int_equal(ch.max_version, 0x0302);
    assert_int_equal(ch.offers_tls13, 0);
    struct tm_ext future[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 2, 0x03, 0x05)};
    assert_true(parse_exts(future, 1, &ch) > 0);
    assert_int_equal(ch.max_version, 0);
    struct tm_ext odd[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 3, 0x03, 0x04, 0x03)};
    assert_int_equal(parse_exts(odd, 1, &ch), DE);
    struct tm_ext empty[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 0)};
    assert_int_equal(parse_exts(empty, 1, &ch), DE);
    struct tm_ext len_wrong[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 4, 0x03, 0x04)};
    assert_int_equal(parse_exts(len_wrong, 1, &ch), DE);
    struct tm_ext trailing[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 2, 0x03, 0x04, 0)};
    assert_int_equal(parse_exts(trailing, 1, &ch), DE);
}

static void ch_u16_lists(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    static const uint16_t types[] = {TLS_EXT_SUPPORTED_GROUPS, TLS_EXT_SIGNATURE_ALGORITHMS,
                                     TLS_EXT_SIGNATURE_ALGORITHMS_CERT};
    for (size_t i = 0; i < 3; i++) {
        struct tm_ext ok[] = {TM_SV13, {types[i], (const uint8_t[]){0, 4, 0, 0x1d, 0, 0x17}, 6}};
        assert_true(parse_exts(ok, 2, &ch) > 0);
        struct tm_ext odd[] = {TM_SV13, {types[i], (const uint8_t[]){0, 3, 0, 0x1d, 0}, 5}};
        assert_int_equal(parse_exts(odd, 2, &ch), DE);
        struct tm_ext empty[] = {TM_SV13, {types[i], (const uint8_t[]){0, 0}, 2}};
        assert_int_equal(parse_exts(empty, 2, &ch), DE);
        struct tm_ext longer[] = {TM_SV13, {types[i], (const uint8_t[]){0, 4, 0, 0x1d}, 4}};
        assert_int_equal(parse_exts(longer, 2, &ch), DE);
        struct tm_ext trailing[] = {TM_SV13, {types[i], (const uint8_t[]){0, 2, 0, 0x1d, 0}, 5}};
        assert_int_equal(parse_exts(trailing, 2, &ch), DE);
    }
    struct tm_ext both[] = {TM_SV13, TM_EXT(TLS_EXT_SUPPORTED_GROUPS, 0, 2, 0, 0x1d),
                            TM_EXT(TLS_EXT_SIGNATURE_ALGORITHMS, 0, 4, 8, 4, 4, 3),
                            TM_EXT(TLS_EXT_SIGNATURE_ALGORITHMS_CERT, 0, 2, 4, 1)};
    const uint8_t *b;
    size_t n = tm_ch(buf, both, 4);
    b = tm_exact(buf, n);
    assert_int_equal(tls_client_hello_parse(b, n, &ch), (int)n);
    assert_true(tls_span_has_u16(b, ch.groups, 0x1d));
    assert_false(tls_span_has_u16(b, ch.groups, 0x17));
    assert_true(tls_span_has_u16(b, ch.sig_algs, 0x0403));
    assert_true(tls_span_has_u16(b, ch.sig_algs_cert, 0x0401));
    assert_false(tls_span_has_u16(b, ch.sig_algs_cert, 0x0403));
    /* an odd span (never produced by the parser) is read in whole items only */
    struct tls_span odd = {ch.sig_algs.off, 3};
    assert_false(tls_span_has_u16(b, odd, 0x0403));
}

static void ch_server_name(void **state)
{
    (void)state;
    struct tls_client_hello ch;
#define SNI(...) TM_EXT(TLS_EXT_SERVER_NAME, __VA_ARGS__)
    struct tm_ext ok[] = {SNI(0, 12, 0, 0, 9, 'a', '-', '1', '.', 'E', 'x', '.', 'i', 'o')};
    assert_true(parse_exts(ok, 1, &ch) > 0);
    assert_int_equal(ch.server_name.len, 9);
    assert_int_equal(buf[ch.server_name.off], 'a');
    /* invalid bytes, empty labels, a trailing dot: illegal_parameter */
    struct tm_ext us[] = {SNI(0, 6, 0, 0, 3, 'a', '_', 'b')};
    assert_int_equal(parse_exts(us, 1, &ch), IP);
    struct tm_ext nul[] = {SNI(0, 6, 0, 0, 3, 'a', 0, 'b')};
    assert_int_equal(parse_exts(nul, 1, &ch), IP);
    struct tm_ext dot[] = {SNI(0, 6, 0, 0, 3, 'a', 'b', '.')};
    assert_int_equal(parse_exts(dot, 1, &ch), IP);
    struct tm_ext lead[] = {SNI(0, 6, 0, 0, 3, '.', 'a', 'b')};
    assert_int_equal(parse_exts(lead, 1, &ch), IP);
    struct tm_ext dd[] = {SNI(0, 7, 0, 0, 4, 'a', '.', '.', 'b')};
    assert_int_equal(parse_exts(dd, 1, &ch), IP);
    struct tm_ext ip6[] = {SNI(0, 6, 0, 0, 3, ':', ':', '1')};
    assert_int_equal(parse_exts(ip6, 1, &ch), IP);
    /* two host names: illegal_parameter (RFC 6066 §3) */
    struct tm_ext two[] = {SNI(0, 9, 0, 0, 1, 'a', 0, 0, 2, 'b', 'c')};
    assert_int_equal(parse_exts(two, 1, &ch), IP);
    /* another name type is skipped; twice is illegal_parameter */
    struct tm_ext other[] = {SNI(0, 9, 7, 0, 2, 'x', 'y', 0, 0, 1, 'c')};
    assert_true(parse_exts(other, 1, &ch) > 0);
    assert_int_equal(ch.server_name.len, 1);
    struct tm_ext other2[] = {SNI(0, 8, 7, 0, 1, 'x', 7, 0, 1, 'y')};
    assert_int_equal(parse_exts(other2, 1, &ch), IP);
    struct tm_ext only_other[] = {SNI(0, 4, 7, 0, 1, 'x')};
    assert_true(parse_exts(only_other, 1, &ch) > 0);
    assert_int_equal(ch.server_name.len, 0);
    assert_true(ch.ext_seen & TLS_SEEN_SERVER_NAME);
    /* framing: empty list, empty host name, lengths that disagree */
    struct tm_ext empty_list[] = {SNI(0, 0)};
    assert_int_equal(parse_exts(empty_list, 1, &ch), DE);
    struct tm_ext empty_name[] = {SNI(0, 3, 0, 0, 0)};
    assert_int_equal(parse_exts(empty_name, 1, &ch), DE);
    struct tm_ext short_entry[] = {SNI(0, 2, 0, 0)};
    assert_int_equal(parse_exts(short_entry, 1, &ch), DE);
    struct tm_ext name_over[] = {SNI(0, 5, 0, 0, 3, 'a', 'b')};
    assert_int_equal(parse_exts(name_over, 1, &ch), DE);
    struct tm_ext list_over[] = {SNI(0, 6, 0, 0, 2, 'a', 'b')};
    assert_int_equal(parse_exts(list_over, 1, &ch), DE);
    /* lengths: a label of 63 is fine, 64 is not; 255 bytes fine, 256 not */
    uint8_t sni[300];
    size_t p = tm_put16(sni, 0, 66);
    sni[p++] = 0;
    p = tm_put16(sni, p, 63);
    memset(sni + p, 'a', 63);
    struct tm_ext l63[] = {{TLS_EXT_SERVER_NAME, sni, 68}};
    assert_true(parse_exts(l63, 1, &ch) > 0);
    tm_put16(sni, 0, 67);
    tm_put16(sni, 3, 64);
    memset(sni + 5, 'a', 64);
    struct tm_ext l64[] = {{TLS_EXT_SERVER_NAME, sni, 69}};
    assert_int_equal(parse_exts(l64, 1, &ch), IP);
    for (size_t len = 255; len <= 256; len++) {
        tm_put16(sni, 0, (unsigned)len + 3);
        tm_put16(sni, 3, (unsigned)len);
        for (size_t i = 0; i < len; i++)
            sni[5 + i] = i % 50 == 49 ? '.' : 'b';
        struct tm_ext l[] = {{TLS_EXT_SERVER_NAME, sni, len + 5}};
        assert_int_equal(parse_exts(l, 1, &ch) > 0, len == 255);
        if (len == 256)
            assert_int_equal(parse_exts(l, 1, &ch), IP);
    }
#undef SNI
}

static void ch_key_share(void **state)
{
    (void)state;
    struct tls_client_hello ch;
#define KS(...) TM_EXT(TLS_EXT_KEY_SHARE, __VA_ARGS__)
    struct tm_ext two[] = {TM_SV13, KS(0, 11, 0, 0x1d, 0, 2, 1, 2, 0, 0x17, 0, 1, 9)};
    size_t n = tm_ch(buf, two, 2);
    const uint8_t *b = tm_exact(buf, n);
    assert_int_equal(tls_client_hello_parse(b, n, &ch), (int)n);
    struct tls_span k;
    assert_int_equal(tls_ch_key_share(b, &ch, 0x17, &k), 1);
    assert_int_equal(k.len, 1);
    assert_int_equal(b[k.off], 9);
    assert_int_equal(tls_ch_key_share(b, &ch, 0x1d, &k), 1);
    assert_int_equal(k.len, 2);
    assert_int_equal(tls_ch_key_share(b, &ch, 0x18, &k), 0);
    /* empty client_shares: fine (asks for HelloRetryRequest) */
    struct tm_ext none[] = {TM_SV13, KS(0, 0)};
    assert_true(parse_exts(none, 2, &ch) > 0);
    assert_true(ch.ext_seen & TLS_SEEN_KEY_SHARE);
    assert_int_equal(ch.key_shares.len, 0);
    /* key_exchange<1..>: empty is decode_error */
    struct tm_ext empty_key[] = {TM_SV13, KS(0, 4, 0, 0x1d, 0, 0)};
    assert_int_equal(parse_exts(empty_key, 2, &ch), DE);
    /* the same group twice: illegal_parameter (§4.2.8) */
    struct tm_ext dup[] = {TM_SV13, KS(0, 10, 0, 0x1d, 0, 1, 1, 0, 0x1d, 0, 1, 2)};
    assert_int_equal(parse_exts(dup, 2, &ch), IP);
    /* lengths that disagree */
    struct tm_ext over[] = {TM_SV13, KS(0, 5, 0, 0x1d, 0, 2, 1)};
    assert_int_equal(parse_exts(over, 2, &ch), DE);
    struct tm_ext list_long[] = {TM_SV13, KS(0, 6, 0, 0x1d, 0, 1, 1)};
    assert_int_equal(parse_exts(list_long, 2, &ch), DE);
    struct tm_ext partial[] = {TM_SV13, KS(0, 7, 0, 0x1d, 0, 1, 1, 0, 0x17)};
    assert_int_equal(parse_exts(partial, 2, &ch), DE);
    struct tm_ext one_byte[] = {TM_SV13, KS(0)};
    assert_int_equal(parse_exts(one_byte, 2, &ch), DE);
    /* Any number of shares for distinct groups is kept (unknown groups are
     * the engine's to skip): the most a key_share beside supported_versions
     * can hold, 13104 of 5
     * bytes; a group repeated at the end is still found. */
    static uint8_t ks[2 + 13104 * 5];
    for (int dup_last = 0; dup_last <= 1; dup_last++) {
        size_t cnt = 13104;
        size_t p = tm_put16(ks, 0, (unsigned)(cnt * 5));
        for (size_t i = 0; i < cnt; i++) {
            unsigned g = dup_last && i == cnt - 1 ? 0x100 : (unsigned)(0x100 + 5 * i) % 65536u;
            p = tm_put16(ks, p, g);
            p = tm_put16(ks, p, 1);
            ks[p++] = (uint8_t)i;
        }
        struct tm_ext many[] = {TM_SV13, {TLS_EXT_KEY_SHARE, ks, p}};
        n = tm_ch(buf, many, 2);
        b = tm_exact(buf, n);
        int r = tls_client_hello_parse(b, n, &ch);
        if (!dup_last) {
            assert_int_equal(r, (int)n);
            assert_int_equal(tls_ch_key_share(b, &ch, (uint16_t)(0x100 + 5 * 13103), &k), 1);
            assert_int_equal(b[k.off], (uint8_t)13103);
        } else {
            assert_int_equal(r, IP);
        }
    }
#undef KS
}

static void ch_alpn(void **state)
{
    (void)state;
    struct tls_client_hello ch;
#define ALPN(...) TM_EXT(TLS_EXT_ALPN, __VA_ARGS__)
    struct tm_ext ok[] = {ALPN(0, 12, 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1')};
    size_t n = tm_ch(buf, ok, 1);
    const uint8_t *b = tm_exact(buf, n);
    assert_int_equal(tls_client_hello_parse(b, n, &ch), (int)n);
    assert_true(tls_ch_offers_alpn(b, &ch, (const uint8_t *)"http/1.1", 8));
    assert_false(tls_ch_offers_alpn(b, &ch, (const uint8_t *)"http/1.", 7));
    struct tm_ext empty_name[] = {ALPN(0, 3, 0, 1, 'a')};
    assert_int_equal(parse_exts(empty_name, 1, &ch), DE);
    struct tm_ext empty_list[] = {ALPN(0, 0)};
    assert_int_equal(parse_exts(empty_list, 1, &ch), DE);
    struct tm_ext over[] = {ALPN(0, 3, 3, 'a', 'b')};
    assert_int_equal(parse_exts(over, 1, &ch), DE);
    struct tm_ext list_over[] = {ALPN(0, 4, 2, 'a', 'b')};
    assert_int_equal(parse_exts(list_over, 1, &ch), DE);
#undef ALPN
}

static void ch_small_extensions(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    /* record_size_limit (RFC 8449): 64 is the least, 63 illegal_parameter */
    struct tm_ext r64[] = {TM_EXT(TLS_EXT_RECORD_SIZE_LIMIT, 0, 64)};
    assert_true(parse_exts(r64, 1, &ch) > 0);
    assert_int_equal(ch.record_size_limit, 64);
    struct tm_ext r63[] = {TM_EXT(TLS_EXT_RECORD_SIZE_LIMIT, 0, 63)};
    assert_int_equal(parse_exts(r63, 1, &ch), IP);
    struct tm_ext r0[] = {TM_EXT(TLS_EXT_RECORD_SIZE_LIMIT, 0, 0)};
    assert_int_equal(parse_exts(r0, 1, &ch), IP);
    struct tm_ext rbig[] = {TM_EXT(TLS_EXT_RECORD_SIZE_LIMIT, 0xff, 0xff)};
    assert_true(parse_exts(rbig, 1, &ch) > 0); /* a server MUST NOT enforce the maximum (RFC 8449 §4) */
    struct tm_ext r3[] = {TM_EXT(TLS_EXT_RECORD_SIZE_LIMIT, 0, 64, 0)};
    assert_int_equal(parse_exts(r3, 1, &ch), DE);
    struct tm_ext r1[] = {TM_EXT(TLS_EXT_RECORD_SIZE_LIMIT, 64)};
    assert_int_equal(parse_exts(r1, 1, &ch), DE);
    /* psk_key_exchange_modes */
    struct tm_ext m2[] = {TM_EXT(TLS_EXT_PSK_KEY_EXCHANGE_MODES, 3, 1, 7, 0)};
    assert_true(parse_exts(m2, 1, &ch) > 0);
    assert_int_equal(ch.psk_modes, TLS_PSK_MODE_KE | TLS_PSK_MODE_DHE_KE);
    struct tm_ext m_unknown[] = {TM_EXT(TLS_EXT_PSK_KEY_EXCHANGE_MODES, 1, 2)};
    assert_true(parse_exts(m_unknown, 1, &ch) > 0);
    assert_int_equal(ch.psk_modes, 0);
    struct tm_ext m_empty[] = {TM_EXT(TLS_EXT_PSK_KEY_EXCHANGE_MODES, 0)};
    assert_int_equal(parse_exts(m_empty, 1, &ch), DE);
    struct tm_ext m_len[] = {TM_EXT(TLS_EXT_PSK_KEY_EXCHANGE_MODES, 2, 1)};
    assert_int_equal(parse_exts(m_len, 1, &ch), DE);
    /* cookie<1..2^16-1> */
    struct tm_ext c[] = {TM_EXT(TLS_EXT_COOKIE, 0, 3, 7, 8, 9)};
    assert_true(parse_exts(c, 1, &ch) > 0);
    assert_int_equal(ch.cookie.len, 3);
    assert_int_equal(buf[ch.cookie.off], 7);
    struct tm_ext c0[] = {TM_EXT(TLS_EXT_COOKIE, 0, 0)};
    assert_int_equal(parse_exts(c0, 1, &ch), DE);
    struct tm_ext c_over[] = {TM_EXT(TLS_EXT_COOKIE, 0, 3, 7, 8)};
    assert_int_equal(parse_exts(c_over, 1, &ch), DE);
}

/* A pre_shared_key extension with the given identity and binder lists. */
static size_t psk_ext(uint8_t *e, size_t nid, size_t id_len, size_t nb, size_t b_len)
{
    size_t p = tm_put16(e, 0, (unsigned)(nid * (2 + id_len + 4)));
    for (size_t i = 0; i < nid; i++) {
        p = tm_put16(e, p, (unsigned)id_len);
        memset(e + p, (int)(0x40 + i), id_len);
        p += id_len;
        p = tm_put16(e, p, 0x0102);
        p = tm_put16(e, p, (unsigned)(0x0304 + i));
    }
    p = tm_put16(e, p, (unsigned)(nb * (1 + b_len)));
    for (size_t i = 0; i < nb; i++) {
        e[p++] = (uint8_t)b_len;
        memset(e + p, (int)(0x60 + i), b_len);
        p += b_len;
    }
    return p;
}

static void ch_pre_shared_key(void **state)
{
    (void)state;
    struct tls_client_hello ch;
    uint8_t e[2000];
    size_t el = psk_ext(e, 3, 5, 3, 32);
    struct tm_ext ok[] = {TM_SV13, TM_EXT(TLS_EXT_PSK_KEY_EXCHANGE_MODES, 1, 1), {TLS_EXT_PRE_SHARED_KEY, e, el}};
    size_t n = tm_ch(buf, ok, 3);
    const uint8_t *b = tm_exact(buf, n);
    assert_int_equal(tls_client_hello_parse(b, n, &ch), (int)n);
    assert_int_equal(ch.psk_count, 3);
    assert_int_equal(ch.binders_off, n - 2 - 3 * 33);
    for (uint16_t i = 0; i < 3; i++) {
        struct tls_span id, bd;
        uint32_t age;
        assert_int_equal(tls_ch_psk(b, &ch, i, &id, &age, &bd), 1);
        assert_int_equal(id.len, 5);
        assert_int_equal(b[id.off], 0x40 + i);
        assert_int_equal(age, 0x01020304u + i);
        assert_int_equal(bd.len, 32);
        assert_int_equal(b[bd.off + 31], 0x60 + i);
    }
    struct tls_span id, bd;
    uint32_t age;
    assert_int_equal(tls_ch_psk(b, &ch, 3, &id, &age, &bd), 0);
    /* pre_shared_key not last: illegal_parameter (§4.2.11) */
    struct tm_ext notlast[] = {TM_SV13, {TLS_EXT_PRE_SHARED_KEY, e, el}, TM_EMPTY(TLS_EXT_PADDING)};
    assert_int_equal(parse_exts(notlast, 3, &ch), IP);
    /* binders and identities in different numbers: illegal_parameter */
    el = psk_ext(e, 2, 5, 3, 32);
    struct tm_ext more_b[] = {TM_SV13, {TLS_EXT_PRE_SHARED_KEY, e, el}};
    assert_int_equal(parse_exts(more_b, 2, &ch), IP);
    el = psk_ext(e, 3, 5, 2, 48);
    struct tm_ext fewer_b[] = {TM_SV13, {TLS_EXT_PRE_SHARED_KEY, e, el}};
    assert_int_equal(parse_exts(fewer_b, 2, &ch), IP);
    /* a binder shorter than 32: decode_error (PskBinderEntry<32..255>) */
    el = psk_ext(e, 1, 5, 1, 31);
    struct tm_ext short_b[] = {TM_SV13, {TLS_EXT_PRE_SHARED_KEY, e, el}};
    assert_int_equal(parse_exts(short_b, 2, &ch), DE);
    /* 255 is the longest binder */
    el = psk_ext(e, 1, 5, 1, 255);
    struct tm_ext long_b[] = {TM_SV13, {TLS_EXT_PRE_SHARED_KEY, e, el}};
    assert_true(parse_exts(long_b, 2, &ch) > 0);
    /* an empty identity: decode_error (identity<1..2^16-1>) */
    el = psk_ext(e, 2, 0, 2, 32);
    struct tm_ext empty_id[] = {TM_SV13, {TLS_EXT_PRE_SHARED_KEY, e, el}};
    assert_int_equal(parse_exts(empty_id, 2, &ch), DE);
    /* no identities, no binders: the vectors' minimums (7, 33) */
    el = psk_ext(e, 0, 5, 0, 32);
    struct tm_ext none[] = {TM_SV13, {TLS_EXT_PRE_SHARED_KEY, e, el}};
    assert_int_equal(parse_exts(none, 2, &ch), DE);
    el = psk_ext(e, 1, 5, 0, 32);
    struct tm_ext no_b[] = {TM_SV13, {TLS_EXT_PRE_SHARED_KEY, e, el}};
    assert_int_equal(parse_exts(no_b, 2, &ch), DE);
    /* every length of the extension off by one */
    el = psk_ext(e, 2, 5, 2, 32);
    /* the low bytes of: identities length, both identity lengths, binders
     * length, both binder lengths */
    static const size_t at[] = {1, 3, 14, 25, 26, 59};
    for (size_t f = 0; f < sizeof at / sizeof at[0]; f++) {
        for (int d = -1; d <= 1; d += 2) {
            uint8_t m[200];
            memcpy(m, e, el);
            m[at[f]] = (uint8_t)(m[at[f]] + d);
            struct tm_ext x[] = {TM_SV13, {TLS_EXT_PRE_SHARED_KEY, m, el}};
            int r = parse_exts(x, 2, &ch);
            if (r != DE)
                fail_msg("psk length at %zu %+d: %d", at[f], d, r);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ch_rfc8448),
        cmocka_unit_test(ch_rfc8448_resumption),
        cmocka_unit_test(ch_openssl),
        cmocka_unit_test(ch_openssl_p256),
        cmocka_unit_test(ch_openssl_resumption),
        cmocka_unit_test(ch_openssl_tls12_only),
        cmocka_unit_test(ch_gnutls),
        cmocka_unit_test(ch_curl),
        cmocka_unit_test(ch_truncated_at_every_byte),
        cmocka_unit_test(ch_length_fields_off_by_one),
        cmocka_unit_test(ch_too_long_for_24_bits),
        cmocka_unit_test(ch_fixed_part),
        cmocka_unit_test(ch_compression),
        cmocka_unit_test(ch_without_extensions),
        cmocka_unit_test(ch_duplicate_extensions),
        cmocka_unit_test(ch_many_unknown_extensions),
        cmocka_unit_test(ch_zero_length_extensions),
        cmocka_unit_test(ch_extension_framing),
        cmocka_unit_test(ch_supported_versions),
        cmocka_unit_test(ch_u16_lists),
        cmocka_unit_test(ch_server_name),
        cmocka_unit_test(ch_key_share),
        cmocka_unit_test(ch_alpn),
        cmocka_unit_test(ch_small_extensions),
        cmocka_unit_test(ch_pre_shared_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
