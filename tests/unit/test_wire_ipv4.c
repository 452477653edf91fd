/* SPDX-License-Identifier: Apache-2.0 */
/* IPv4 header view: every length field checked against the buffer, options
 * skipped, fragment range, checksum; emitter bytes and round trip. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"
#include "tcpip/wire_ipv4.h"

#define SRC 0xc0a80001u
#define DST 0x0a000002u

/* A header built by hand into b, plus plen payload bytes; returns length. */
static size_t hdr(uint8_t *b, size_t opt_len, size_t plen)
{
    uint8_t pl[1500];
    fill_pattern(pl, plen, 1);
    struct ip_spec s = ip_spec(SRC, DST, 17);
    s.opt_len = opt_len;
    return mk_ip(b, &s, pl, plen);
}

/* Rewrites the header checksum after a field was changed. */
static void fix_csum(uint8_t *b, size_t hl)
{
    put16(b + 10, 0);
    put16(b + 10, ref_csum(b, hl));
}

static int parse(const uint8_t *b, size_t n, struct ipv4_hdr *h)
{
    return ipv4_parse(exact(b, n), n, h);
}

static void ipv4_parse_rejects_short(void **state)
{
    (void)state;
    uint8_t b[64];
    hdr(b, 0, 8);
    for (size_t n = 0; n < 20; n++) {
        struct ipv4_hdr h;
        assert_int_equal(parse(b, n, &h), IPV4_E_TRUNC);
    }
}

static void ipv4_parse_rejects_other_versions(void **state)
{
    (void)state;
    for (unsigned v = 0; v < 16; v++) {
        if (v == 4)
            continue;
        uint8_t b[64];
        size_t n = hdr(b, 0, 8);
        b[0] = (uint8_t)(v * 16 + 5);
        fix_csum(b, 20);
        struct ipv4_hdr h;
        assert_int_equal(parse(b, n, &h), IPV4_E_VERSION);
    }
}

static void ipv4_parse_rejects_ihl_below_five(void **state)
{
    (void)state;
    for (unsigned ihl = 0; ihl < 5; ihl++) {
        uint8_t b[64];
        size_t n = hdr(b, 0, 8);
        b[0] = (uint8_t)(0x40 + ihl);
        struct ipv4_hdr h;
        assert_int_equal(parse(b, n, &h), IPV4_E_HDRLEN);
    }
}

static void ipv4_parse_rejects_ihl_beyond_buffer(void **state)
{
    (void)state;
    /* IHL claims more header than the buffer holds. */
    for (unsigned ihl = 6; ihl <= 15; ihl++) {
        uint8_t b[64];
        hdr(b, 0, 0);
        b[0] = (uint8_t)(0x40 + ihl);
        put16(b + 2, (uint16_t)(ihl * 4));
        for (size_t n = 20; n < ihl * 4u; n++) {
            struct ipv4_hdr h;
            assert_int_equal(parse(b, n, &h), IPV4_E_HDRLEN);
        }
    }
}

static void ipv4_parse_rejects_total_length_beyond_buffer(void **state)
{
    (void)state;
    uint8_t b[64];
    size_t n = hdr(b, 0, 20); /* total 40 */
    struct ipv4_hdr h;
    for (size_t cut = 20; cut < n; cut++)
        assert_int_equal(parse(b, cut, &h), IPV4_E_TOTLEN);
    put16(b + 2, 0xffff);
    fix_csum(b, 20);
    assert_int_equal(parse(b, n, &h), IPV4_E_TOTLEN);
}

static void ipv4_parse_rejects_total_length_below_header(void **state)
{
    (void)state;
    uint8_t b[64];
    size_t n = hdr(b, 0, 8);
    struct ipv4_hdr h;
    for (uint16_t tl = 0; tl < 20; tl++) {
        put16(b + 2, tl);
        fix_csum(b, 20);
        assert_int_equal(parse(b, n, &h), IPV4_E_TOTLEN);
    }
    /* with options: total length covers the base header but not the options */
    n = hdr(b, 8, 8);
    put16(b + 2, 24);
    fix_csum(b, 28);
    assert_int_equal(parse(b, n, &h), IPV4_E_TOTLEN);
}

static void ipv4_parse_rejects_bad_checksum(void **state)
{
    (void)state;
    uint8_t b[64];
    size_t n = hdr(b, 0, 8);
    struct ipv4_hdr h;
    for (size_t i = 0; i < 20; i++) {
        uint8_t c[64];
        memcpy(c, b, n);
        c[i] ^= 0x10; /* any single flipped bit in the header */
        int r = parse(c, n, &h);
        if (i == 0)
            assert_true(r == IPV4_E_VERSION);
        else if (i == 2 || i == 3)
            assert_true(r == IPV4_E_TOTLEN || r == IPV4_E_CSUM);
        else
            assert_int_equal(r, IPV4_E_CSUM);
    }
    /* and one in an option */
    n = hdr(b, 4, 8);
    b[21] ^= 1;
    assert_int_equal(parse(b, n, &h), IPV4_E_CSUM);
}

static void ipv4_parse_skips_options(void **state)
{
    (void)state;
    for (size_t opt = 4; opt <= 40; opt += 4) {
        uint8_t b[128];
        size_t n = hdr(b, opt, 12);
        struct ipv4_hdr h;
        assert_int_equal(parse(b, n, &h), (int)(20 + opt));
        assert_int_equal(h.hdr_len, 20 + opt);
        assert_int_equal(h.total_len, n);
        assert_int_equal(h.src, SRC);
        assert_int_equal(h.dst, DST);
        assert_int_equal(h.proto, 17);
    }
}

static void ipv4_parse_reads_fields(void **state)
{
    (void)state;
    uint8_t b[80] = {0};
    struct ip_spec s = ip_spec(SRC, DST, 6);
    s.tos = 0xb8;
    s.ttl = 3;
    s.id = 0xbeef;
    s.df = 1;
    s.frag_off = 0x1abc;
    size_t n = mk_ip(b, &s, NULL, 4);
    struct ipv4_hdr h;
    /* link padding behind the datagram is not part of it */
    assert_int_equal(parse(b, sizeof b, &h), 20);
    assert_int_equal(h.total_len, n);
    assert_int_equal(h.tos, 0xb8);
    assert_int_equal(h.ttl, 3);
    assert_int_equal(h.id, 0xbeef);
    assert_int_equal(h.df, 1);
    assert_int_equal(h.mf, 0);
    assert_int_equal(h.frag_off, 0x1abc);
    assert_int_equal(h.proto, 6);
    s.df = 0;
    s.mf = 1;
    s.frag_off = 1;
    mk_ip(b, &s, NULL, 8);
    assert_int_equal(parse(b, 28, &h), 20);
    assert_int_equal(h.df, 0);
    assert_int_equal(h.mf, 1);
    assert_int_equal(h.frag_off, 1);
}

static void ipv4_parse_fragment_end_limit(void **state)
{
    (void)state;
    uint8_t b[64];
    struct ip_spec s = ip_spec(SRC, DST, 17);
    struct ipv4_hdr h;
    /* 8189 * 8 + 23 == 65535: the last byte of the largest datagram */
    s.frag_off = 8189;
    size_t n = mk_ip(b, &s, NULL, 23);
    assert_int_equal(parse(b, n, &h), 20);
    n = mk_ip(b, &s, NULL, 24);
    assert_int_equal(parse(b, n, &h), IPV4_E_FRAG);
    s.frag_off = 8191;
    n = mk_ip(b, &s, NULL, 8);
    assert_int_equal(parse(b, n, &h), IPV4_E_FRAG);
    n = mk_ip(b, &s, NULL, 7);
    assert_int_equal(parse(b, n, &h), 20);
    s.mf = 1;
    n = mk_ip(b, &s, NULL, 8);
    assert_int_equal(parse(b, n, &h), IPV4_E_FRAG);
}

static void ipv4_emit_writes_exact_bytes(void **state)
{
    (void)state;
    struct ipv4_hdr h = {.tos = 0x10, .total_len = 48, .id = 0x4321, .df = 1, .mf = 0, .frag_off = 0,
                         .ttl = 64, .proto = 1, .src = SRC, .dst = DST, .hdr_len = 44};
    uint8_t want[20];
    struct ip_spec s = ip_spec(SRC, DST, 1);
    s.tos = 0x10;
    s.id = 0x4321;
    s.df = 1;
    mk_ip(want, &s, NULL, 0);
    put16(want + 2, 48);
    fix_csum(want, 20);
    uint8_t *out = exact(want, 20);
    memset(out, 0x77, 20);
    assert_int_equal(ipv4_emit(out, 20, &h), 20);
    assert_memory_equal(out, want, 20);
    assert_int_equal(ref_fold(ref_sum(0, out, 20)), 0xffff);
}

static void ipv4_emit_rejects_bad_input(void **state)
{
    (void)state;
    uint8_t junk[20] = {0};
    struct ipv4_hdr h = {.total_len = 20, .ttl = 1, .proto = 17, .src = SRC, .dst = DST};
    for (size_t cap = 0; cap < 20; cap++)
        assert_int_equal(ipv4_emit(exact(junk, cap), cap, &h), IPV4_E_SPACE);
    uint8_t buf[20];
    h.total_len = 19;
    assert_int_equal(ipv4_emit(buf, sizeof buf, &h), IPV4_E_TOTLEN);
    h.total_len = 20;
    h.frag_off = 8192;
    assert_int_equal(ipv4_emit(buf, sizeof buf, &h), IPV4_E_FRAG);
    h.frag_off = 0;
    h.df = 2;
    assert_int_equal(ipv4_emit(buf, sizeof buf, &h), IPV4_E_FRAG);
    h.df = 0;
    h.mf = 2;
    assert_int_equal(ipv4_emit(buf, sizeof buf, &h), IPV4_E_FRAG);
}

/* What the emitter writes, its own parser must accept: a fragment ending
 * past 65535 is no datagram any receiver (including ours) will take. */
static void ipv4_emit_refuses_fragment_end_past_65535(void **state)
{
    (void)state;
    uint8_t buf[64] = {0};
    struct ipv4_hdr h = {.total_len = 28, .frag_off = 8191, .ttl = 1, .proto = 17, .src = SRC, .dst = DST};
    assert_int_equal(ipv4_emit(buf, sizeof buf, &h), IPV4_E_FRAG);
    /* one 8-byte block less and it is a legal last fragment again */
    h.frag_off = 8190;
    assert_int_equal(ipv4_emit(buf, sizeof buf, &h), IPV4_HDR_MIN);
    struct ipv4_hdr back;
    assert_int_equal(ipv4_parse(buf, 28, &back), IPV4_HDR_MIN);
    assert_int_equal(back.frag_off, 8190);
}

static void ipv4_round_trip(void **state)
{
    (void)state;
    for (unsigned seed = 0; seed < 64; seed++) {
        uint8_t r[16];
        fill_pattern(r, sizeof r, seed);
        struct ipv4_hdr a = {0}, b;
        a.tos = r[0];
        a.total_len = (uint16_t)(20 + r[1] % 64);
        a.id = get16(r + 2);
        a.df = r[4] & 1;
        a.mf = (r[4] >> 1) & 1;
        a.frag_off = (uint16_t)(get16(r + 5) % 8000);
        a.ttl = r[7];
        a.proto = r[8];
        a.src = get32(r + 9);
        a.dst = get32(r + 12);
        uint8_t buf[100] = {0};
        assert_int_equal(ipv4_emit(buf, sizeof buf, &a), 20);
        assert_int_equal(ipv4_parse(buf, a.total_len, &b), 20);
        assert_int_equal(b.hdr_len, 20);
        assert_int_equal(b.tos, a.tos);
        assert_int_equal(b.total_len, a.total_len);
        assert_int_equal(b.id, a.id);
        assert_int_equal(b.df, a.df);
        assert_int_equal(b.mf, a.mf);
        assert_int_equal(b.frag_off, a.frag_off);
        assert_int_equal(b.ttl, a.ttl);
        assert_int_equal(b.proto, a.proto);
        assert_int_equal(b.src, a.src);
        assert_int_equal(b.dst, a.dst);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv4_parse_rejects_short),
        cmocka_unit_test(ipv4_parse_rejects_other_versions),
        cmocka_unit_test(ipv4_parse_rejects_ihl_below_five),
        cmocka_unit_test(ipv4_parse_rejects_ihl_beyond_buffer),
        cmocka_unit_test(ipv4_parse_rejects_total_length_beyond_buffer),
        cmocka_unit_test(ipv4_parse_rejects_total_length_below_header),
        cmocka_unit_test(ipv4_parse_rejects_bad_checksum),
        cmocka_unit_test(ipv4_parse_skips_options),
        cmocka_unit_test(ipv4_parse_reads_fields),
        cmocka_unit_test(ipv4_parse_fragment_end_limit),
        cmocka_unit_test(ipv4_emit_writes_exact_bytes),
        cmocka_unit_test(ipv4_emit_rejects_bad_input),
        cmocka_unit_test(ipv4_emit_refuses_fragment_end_past_65535),
        cmocka_unit_test(ipv4_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, exact_teardown);
}
