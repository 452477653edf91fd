/* SPDX-License-Identifier: Apache-2.0 */
/* ServerHello / HelloRetryRequest: the emitter (tls/msg_emit_hello.c)
 * against RFC 8448 byte for byte and through the parser; the parser
 * (tls/msg_server_hello.c) and every ServerHello row of spec/tls_alerts.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tls_msg_util.h"
#include "tls_msg_vectors.h"

static const uint8_t hrr_random[32] = {0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
                                       0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
                                       0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

static int sh_parse(const uint8_t *b, size_t n, struct tls_server_hello_in *sh)
{
    memset(sh, 0xa5, sizeof *sh);
    return tls_server_hello_parse(tm_exact(b, n), n, sh);
}

/* RFC 8448 §3's ServerHello from its fields. */
static void sh_rfc8448_byte_identical(void **state)
{
    (void)state;
    const uint8_t *v = V_RFC8448_SH;
    struct tls_server_hello sh = {0};
    memcpy(sh.random, v + 6, 32);
    sh.session_id_len = 0;
    sh.session_id = NULL;
    sh.suite = TLS_AES_128_GCM_SHA256;
    sh.group = 0x001d;
    sh.key_share = v + sizeof V_RFC8448_SH - 32 - 6;
    sh.key_share_len = 32;
    sh.psk_index = -1;
    uint8_t out[200];
    assert_int_equal(tls_server_hello_write(out, sizeof out, &sh), (int)sizeof V_RFC8448_SH);
    assert_memory_equal(out, v, sizeof V_RFC8448_SH);
    /* and §4's, with pre_shared_key */
    v = V_RFC8448_SH_RESUME;
    memcpy(sh.random, v + 6, 32);
    sh.key_share = v + sizeof V_RFC8448_SH_RESUME - 32 - 6;
    sh.psk_index = 0;
    assert_int_equal(tls_server_hello_write(out, sizeof out, &sh), (int)sizeof V_RFC8448_SH_RESUME);
    assert_memory_equal(out, v, sizeof V_RFC8448_SH_RESUME);
    /* exactly the length it announces: one byte less of room is refused */
    for (size_t cap = 0; cap < sizeof V_RFC8448_SH_RESUME; cap++)
        assert_int_equal(tls_server_hello_write(out, cap, &sh), TLS_MSG_E_SPACE);
}

static void sh_rfc8448_parse(void **state)
{
    (void)state;
    struct tls_server_hello_in in;
    size_t n = sizeof V_RFC8448_SH - 4;
    assert_int_equal(sh_parse(V_RFC8448_SH + 4, n, &in), (int)n);
    assert_int_equal(in.hrr, 0);
    assert_int_equal(in.suite, TLS_AES_128_GCM_SHA256);
    assert_int_equal(in.selected_version, TLS_VERSION_13);
    assert_int_equal(in.group, 0x1d);
    assert_int_equal(in.key_share.len, 32);
    assert_int_equal(in.psk_index, -1);
    assert_int_equal(in.session_id_len, 0);
    assert_memory_equal(in.random, V_RFC8448_SH + 6, 32);
    assert_int_equal(in.ext_seen, TLS_SEEN_KEY_SHARE | TLS_SEEN_SUPPORTED_VERSIONS);
    n = sizeof V_RFC8448_SH_RESUME - 4;
    assert_int_equal(sh_parse(V_RFC8448_SH_RESUME + 4, n, &in), (int)n);
    assert_int_equal(in.psk_index, 0);
    assert_true(in.ext_seen & TLS_SEEN_PRE_SHARED_KEY);
}

static void sh_round_trips(void **state)
{
    (void)state;
    uint8_t sid[32], key[97], cookie[300], out[2000];
    for (size_t i = 0; i < sizeof sid; i++)
        sid[i] = (uint8_t)(0x30 + i);
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(0x80 + i);
    for (size_t i = 0; i < sizeof cookie; i++)
        cookie[i] = (uint8_t)i;
    for (int hrr = 0; hrr <= 1; hrr++)
        for (int psk = -1; psk <= 3; psk += 2)
            for (size_t sl = 0; sl <= 32; sl += 16)
                for (size_t cl = 0; cl <= 300; cl += 150) {
                    struct tls_server_hello sh = {0};
                    sh.hrr = hrr;
                    memset(sh.random, 0x5a, 32);
                    sh.session_id_len = (uint8_t)sl;
                    sh.session_id = sid;
                    sh.suite = TLS_CHACHA20_POLY1305_SHA256;
                    sh.group = 0x0017;
                    sh.key_share = key;
                    sh.key_share_len = sizeof key;
                    sh.psk_index = psk;
                    sh.cookie = cl ? cookie : NULL;
                    sh.cookie_len = cl;
                    int w = tls_server_hello_write(out, sizeof out, &sh);
                    assert_true(w > 4);
                    assert_int_equal(out[0], TLS_HS_SERVER_HELLO);
                    assert_int_equal(tm_rd24(out + 1), (unsigned long)w - 4);
                    struct tls_server_hello_in in;
                    assert_int_equal(sh_parse(out + 4, (size_t)w - 4, &in), w - 4);
                    assert_int_equal(in.hrr, hrr);
                    assert_memory_equal(in.random, hrr ? hrr_random : sh.random, 32);
                    assert_int_equal(in.session_id_len, sl);
                    assert_memory_equal(in.session_id, sid, sl);
                    assert_int_equal(in.suite, TLS_CHACHA20_POLY1305_SHA256);
                    assert_int_equal(in.selected_version, TLS_VERSION_13);
                    assert_int_equal(in.group, 0x0017);
                    if (hrr) {
                        assert_int_equal(in.key_share.len, 0);
                        assert_int_equal(in.psk_index, -1); /* not in a HelloRetryRequest */
                        assert_int_equal(in.cookie.len, cl);
                        if (cl)
                            assert_memory_equal(out + 4 + in.cookie.off, cookie, cl);
                    } else {
                        assert_int_equal(in.key_share.len, sizeof key);
                        assert_memory_equal(out + 4 + in.key_share.off, key, sizeof key);
                        assert_int_equal(in.psk_index, psk);
                        assert_int_equal(in.cookie.len, 0);
                    }
                }
}

static void sh_write_refuses(void **state)
{
    (void)state;
    uint8_t out[300], key[32] = {0};
    struct tls_server_hello sh = {0};
    sh.suite = TLS_AES_128_GCM_SHA256;
    sh.group = 0x1d;
    sh.key_share = key;
    sh.key_share_len = 32;
    sh.psk_index = -1;
    assert_true(tls_server_hello_write(out, sizeof out, &sh) > 0);
    sh.session_id_len = 33;
    assert_int_equal(tls_server_hello_write(out, sizeof out, &sh), TLS_MSG_E_SPACE);
    sh.session_id_len = 0;
    sh.key_share_len = 0; /* key_exchange<1..> */
    assert_int_equal(tls_server_hello_write(out, sizeof out, &sh), TLS_MSG_E_SPACE);
    sh.key_share_len = 32;
    sh.psk_index = 65536;
    assert_int_equal(tls_server_hello_write(out, sizeof out, &sh), TLS_MSG_E_SPACE);
    sh.psk_index = 65535;
    assert_true(tls_server_hello_write(out, sizeof out, &sh) > 0);
    /* HelloRetryRequest: the key is not sent, nor is pre_shared_key */
    sh.hrr = 1;
    sh.key_share_len = 0;
    int w = tls_server_hello_write(out, sizeof out, &sh);
    assert_int_equal(w, 4 + 38 + 2 + 6 + 6);
    assert_memory_equal(out + 6, hrr_random, 32);
}

/* A ServerHello body with the given legacy_version, random, compression
 * and extensions. */
static size_t sh_body(uint8_t *b, unsigned legacy, int hrr, unsigned comp, const struct tm_ext *e, size_t n,
                      int with_block)
{
    size_t p = tm_put16(b, 0, legacy);
    if (hrr)
        memcpy(b + p, hrr_random, 32);
    else
        memset(b + p, 0x77, 32);
    p += 32;
    b[p++] = 0;
    p = tm_put16(b, p, 0x1301);
    b[p++] = (uint8_t)comp;
    if (!with_block)
        return p;
    size_t lp = p;
    p += 2;
    for (size_t i = 0; i < n; i++) {
        p = tm_put16(b, p, e[i].type);
        p = tm_put16(b, p, (unsigned)e[i].len);
        if (e[i].len)
            p = tm_put(b, p, e[i].data, e[i].len);
    }
    tm_put16(b, lp, (unsigned)(p - lp - 2));
    return p;
}

#define SV TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 3, 4)
#define KS TM_EXT(TLS_EXT_KEY_SHARE, 0, 0x1d, 0, 2, 9, 9)

static int sh_try(unsigned legacy, int hrr, unsigned comp, const struct tm_ext *e, size_t n)
{
    uint8_t b[1000];
    struct tls_server_hello_in in;
    size_t len = sh_body(b, legacy, hrr, comp, e, n, 1);
    int r = sh_parse(b, len, &in);
    if (r >= 0)
        assert_int_equal(r, (int)len);
    return r;
}

static void sh_alerts(void **state)
{
    (void)state;
    struct tm_ext ok[] = {SV, KS};
    assert_true(sh_try(0x0303, 0, 0, ok, 2) > 0);
    /* Appendix D.5: legacy_version 0x0300 or less */
    assert_int_equal(sh_try(0x0300, 0, 0, ok, 2), PV);
    /* §4.1.3: legacy_version must be 0x0303 when supported_versions is there */
    assert_int_equal(sh_try(0x0304, 0, 0, ok, 2), IP);
    assert_int_equal(sh_try(0x0302, 0, 0, ok, 2), IP);
    /* legacy_compression_method must be 0 */
    assert_int_equal(sh_try(0x0303, 0, 1, ok, 2), IP);
    /* §4.2.1: no supported_versions is TLS 1.2 or older: protocol_version,
     * whatever else is in it (ec_point_formats would be unsolicited) */
    struct tm_ext tls12[] = {TM_EXT(0xff01, 0), TM_EXT(11, 1, 0), KS};
    assert_int_equal(sh_try(0x0303, 0, 0, tls12, 3), PV);
    assert_int_equal(sh_try(0x0303, 0, 0, NULL, 0), PV);
    uint8_t b[200];
    struct tls_server_hello_in in;
    size_t len = sh_body(b, 0x0303, 0, 0, NULL, 0, 0);
    assert_int_equal(sh_parse(b, len, &in), PV); /* no extensions block at all */
    /* §4.2.1: a version other than TLS 1.3 in supported_versions */
    struct tm_ext v12[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 3, 3), KS};
    assert_int_equal(sh_try(0x0303, 0, 0, v12, 2), IP);
    struct tm_ext v14[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 3, 5), KS};
    assert_int_equal(sh_try(0x0303, 0, 0, v14, 2), IP);
    struct tm_ext v_len[] = {TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 2, 3, 4), KS};
    assert_int_equal(sh_try(0x0303, 0, 0, v_len, 2), DE);
    /* §4.2: a recognized extension the table does not allow in ServerHello */
    struct tm_ext sni[] = {SV, KS, TM_EMPTY(TLS_EXT_SERVER_NAME)};
    assert_int_equal(sh_try(0x0303, 0, 0, sni, 3), IP);
    struct tm_ext ed[] = {SV, KS, TM_EMPTY(TLS_EXT_EARLY_DATA)};
    assert_int_equal(sh_try(0x0303, 0, 0, ed, 3), IP);
    struct tm_ext cookie_sh[] = {SV, KS, TM_EXT(TLS_EXT_COOKIE, 0, 1, 1)};
    assert_int_equal(sh_try(0x0303, 0, 0, cookie_sh, 3), IP);
    struct tm_ext psk_hrr[] = {SV, TM_EXT(TLS_EXT_KEY_SHARE, 0, 0x17), TM_EXT(TLS_EXT_PRE_SHARED_KEY, 0, 0)};
    assert_int_equal(sh_try(0x0303, 1, 0, psk_hrr, 3), IP);
    /* §4.2: an extension the client never offered */
    struct tm_ext unknown[] = {SV, KS, TM_EMPTY(0x1234)};
    assert_int_equal(sh_try(0x0303, 0, 0, unknown, 3), UE);
    /* duplicates */
    struct tm_ext dup[] = {SV, KS, KS};
    assert_int_equal(sh_try(0x0303, 0, 0, dup, 3), IP);
    struct tm_ext dup_sv[] = {SV, SV, KS};
    assert_int_equal(sh_try(0x0303, 0, 0, dup_sv, 3), IP);
    /* key_share framing */
    struct tm_ext ks_empty[] = {SV, TM_EXT(TLS_EXT_KEY_SHARE, 0, 0x1d, 0, 0)};
    assert_int_equal(sh_try(0x0303, 0, 0, ks_empty, 2), DE);
    struct tm_ext ks_over[] = {SV, TM_EXT(TLS_EXT_KEY_SHARE, 0, 0x1d, 0, 3, 9, 9)};
    assert_int_equal(sh_try(0x0303, 0, 0, ks_over, 2), DE);
    struct tm_ext ks_trail[] = {SV, TM_EXT(TLS_EXT_KEY_SHARE, 0, 0x1d, 0, 1, 9, 9)};
    assert_int_equal(sh_try(0x0303, 0, 0, ks_trail, 2), DE);
    struct tm_ext ks_short[] = {SV, TM_EXT(TLS_EXT_KEY_SHARE, 0, 0x1d)};
    assert_int_equal(sh_try(0x0303, 0, 0, ks_short, 2), DE);
    struct tm_ext hrr_ks_long[] = {SV, TM_EXT(TLS_EXT_KEY_SHARE, 0, 0x1d, 0)};
    assert_int_equal(sh_try(0x0303, 1, 0, hrr_ks_long, 2), DE);
    struct tm_ext psk_len[] = {SV, KS, TM_EXT(TLS_EXT_PRE_SHARED_KEY, 0, 0, 0)};
    assert_int_equal(sh_try(0x0303, 0, 0, psk_len, 3), DE);
    /* HelloRetryRequest cookie<1..2^16-1> */
    struct tm_ext hrr_ok[] = {SV, TM_EXT(TLS_EXT_KEY_SHARE, 0, 0x17), TM_EXT(TLS_EXT_COOKIE, 0, 2, 5, 6)};
    assert_true(sh_try(0x0303, 1, 0, hrr_ok, 3) > 0);
    struct tm_ext hrr_c0[] = {SV, TM_EXT(TLS_EXT_COOKIE, 0, 0)};
    assert_int_equal(sh_try(0x0303, 1, 0, hrr_c0, 2), DE);
    /* session id echo longer than 32 */
    len = sh_body(b, 0x0303, 0, 0, ok, 2, 1);
    b[34] = 33;
    assert_int_equal(sh_parse(b, len, &in), DE);
    /* framing: trailing bytes, extension header cut */
    len = sh_body(b, 0x0303, 0, 0, ok, 2, 1);
    b[len] = 0;
    assert_int_equal(sh_parse(b, len + 1, &in), DE);
    assert_int_equal(tls_server_hello_parse(b, 16777216u, &in), DE);
}

static void sh_truncated_and_lengths(void **state)
{
    (void)state;
    const uint8_t *m = V_RFC8448_SH_RESUME + 4;
    size_t n = sizeof V_RFC8448_SH_RESUME - 4;
    struct tls_server_hello_in in;
    for (size_t k = 0; k < n; k++) {
        int r = sh_parse(m, k, &in);
        /* cut right after the compression method: a (TLS 1.2) hello */
        assert_int_equal(r, k == 38 ? PV : DE);
    }
    /* every length field one off */
    static const size_t at[] = {34, 39, 43, 49, 53, 89};
    uint8_t b[200];
    for (size_t f = 0; f < sizeof at / sizeof at[0]; f++)
        for (int d = -1; d <= 1; d += 2) {
            memcpy(b, m, n);
            b[at[f]] = (uint8_t)(b[at[f]] + d);
            int r = sh_parse(b, n, &in);
            if (r != DE)
                fail_msg("length at %zu %+d: %d", at[f], d, r);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sh_rfc8448_byte_identical),
        cmocka_unit_test(sh_rfc8448_parse),
        cmocka_unit_test(sh_round_trips),
        cmocka_unit_test(sh_write_refuses),
        cmocka_unit_test(sh_alerts),
        cmocka_unit_test(sh_truncated_and_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
