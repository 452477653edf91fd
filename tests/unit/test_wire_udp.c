/* SPDX-License-Identifier: Apache-2.0 */
/* UDP header view: length against the IP payload, pseudo-header checksum,
 * checksum 0 meaning none, a computed 0 sent as 0xffff. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"
#include "tcpip/wire_udp.h"

#define SRC 0x0a000005u
#define DST 0x0a000002u

static int parse(const uint8_t *b, size_t n, struct udp_hdr *h)
{
    return udp_parse(exact(b, n), n, SRC, DST, h);
}

static void udp_parse_rejects_short(void **state)
{
    (void)state;
    uint8_t u[16];
    mk_udp(u, SRC, DST, 1000, 53, NULL, 0);
    for (size_t n = 0; n < 8; n++) {
        struct udp_hdr h;
        assert_int_equal(parse(u, n, &h), UDP_E_TRUNC);
    }
}

static void udp_parse_rejects_bad_length(void **state)
{
    (void)state;
    uint8_t d[20], u[64];
    fill_pattern(d, sizeof d, 2);
    size_t n = mk_udp(u, SRC, DST, 1000, 53, d, sizeof d);
    struct udp_hdr h;
    /* the UDP length says more than the IP payload holds */
    for (size_t cut = 8; cut < n; cut++)
        assert_int_equal(parse(u, cut, &h), UDP_E_LENGTH);
    put16(u + 6, 0); /* no checksum, so only the length can object */
    for (uint16_t l = 0; l < 8; l++) {
        put16(u + 4, l);
        assert_int_equal(parse(u, n, &h), UDP_E_LENGTH);
    }
    put16(u + 4, 0xffff);
    assert_int_equal(parse(u, n, &h), UDP_E_LENGTH);
}

static void udp_parse_reads_fields_and_ignores_padding(void **state)
{
    (void)state;
    uint8_t d[5], u[64] = {0};
    fill_pattern(d, sizeof d, 3);
    size_t n = mk_udp(u, SRC, DST, 40000, 7, d, sizeof d);
    memset(u + n, 0xab, 20); /* Ethernet padding, not covered by the checksum */
    struct udp_hdr h;
    assert_int_equal(parse(u, n + 20, &h), 8);
    assert_int_equal(h.sport, 40000);
    assert_int_equal(h.dport, 7);
    assert_int_equal(h.length, n);
    assert_int_equal(h.csum, get16(u + 6));
}

static void udp_parse_checks_checksum(void **state)
{
    (void)state;
    uint8_t d[31], u[64];
    fill_pattern(d, sizeof d, 4);
    size_t n = mk_udp(u, SRC, DST, 1, 2, d, sizeof d);
    struct udp_hdr h;
    for (size_t i = 0; i < n; i++) {
        if (i == 4 || i == 5)
            continue; /* length bytes: a length error comes first */
        uint8_t c[64];
        memcpy(c, u, n);
        c[i] ^= 0x04;
        if (i == 6 || i == 7) {
            if (get16(c + 6) == 0)
                continue;
        }
        assert_int_equal(parse(c, n, &h), UDP_E_CSUM);
    }
    /* the pseudo-header counts: same bytes, other addresses */
    assert_int_equal(udp_parse(exact(u, n), n, SRC, DST + 1, &h), UDP_E_CSUM);
    assert_int_equal(udp_parse(exact(u, n), n, SRC + 0x100, DST, &h), UDP_E_CSUM);
}

static void udp_parse_zero_checksum_means_none(void **state)
{
    (void)state;
    uint8_t d[12], u[64];
    fill_pattern(d, sizeof d, 5);
    size_t n = mk_udp(u, SRC, DST, 9, 10, d, sizeof d);
    put16(u + 6, 0);
    u[10] ^= 0xff; /* data that would not verify */
    struct udp_hdr h;
    assert_int_equal(parse(u, n, &h), 8);
    assert_int_equal(h.csum, 0);
}

/* Two data bytes chosen so that the checksum computes to 0. */
static void data_summing_to_zero(uint8_t d[2])
{
    uint8_t u[10] = {0};
    put16(u, 1234);
    put16(u + 2, 5678);
    put16(u + 4, 10);
    uint16_t c = ref_udp_csum(SRC, DST, u, 10); /* ~fold(S) */
    /* adding ~fold(S) to S makes the folded sum 0xffff, the field 0 */
    put16(d, c);
    u[8] = d[0];
    u[9] = d[1];
    assert_int_equal(ref_udp_csum(SRC, DST, u, 10), 0);
}

static void udp_emit_sends_computed_zero_as_ffff(void **state)
{
    (void)state;
    uint8_t d[2];
    data_summing_to_zero(d);
    uint8_t buf[10];
    memcpy(buf + 8, d, 2);
    struct udp_hdr h = {.sport = 1234, .dport = 5678};
    assert_int_equal(udp_emit(buf, sizeof buf, SRC, DST, &h, 2), 10);
    assert_int_equal(get16(buf + 6), 0xffff);
    /* and the receiver takes 0xffff as a valid checksum of that data */
    struct udp_hdr back;
    assert_int_equal(parse(buf, 10, &back), 8);
    assert_int_equal(back.csum, 0xffff);
}

static void udp_emit_writes_exact_bytes(void **state)
{
    (void)state;
    uint8_t d[27], want[64], out[64];
    fill_pattern(d, sizeof d, 8);
    size_t n = mk_udp(want, SRC, DST, 68, 67, d, sizeof d);
    memset(out, 0x33, 8);
    memcpy(out + 8, d, sizeof d);
    struct udp_hdr h = {.sport = 68, .dport = 67, .length = 999, .csum = 0x4444};
    uint8_t *o = exact(out, n);
    assert_int_equal(udp_emit(o, n, SRC, DST, &h, sizeof d), (int)n);
    assert_memory_equal(o, want, n);
}

static void udp_emit_refuses_too_much(void **state)
{
    (void)state;
    uint8_t junk[32] = {0};
    struct udp_hdr h = {.sport = 1, .dport = 2};
    for (size_t cap = 0; cap < 8 + 4; cap++)
        assert_int_equal(udp_emit(exact(junk, cap), cap, SRC, DST, &h, 4), UDP_E_SPACE);
    static uint8_t big[70000];
    assert_int_equal(udp_emit(big, sizeof big, SRC, DST, &h, 65535 - 8 + 1), UDP_E_SPACE);
    assert_int_equal(udp_emit(big, sizeof big, SRC, DST, &h, 65535 - 8), 65535);
    assert_int_equal(ref_udp_csum(SRC, DST, big, 65535), 0);
}

static void udp_round_trip(void **state)
{
    (void)state;
    for (unsigned len = 0; len < 100; len += 7) {
        uint8_t buf[128];
        fill_pattern(buf + 8, len, len);
        struct udp_hdr a = {.sport = (uint16_t)(len * 100), .dport = (uint16_t)(65535 - len)}, b;
        assert_int_equal(udp_emit(buf, sizeof buf, SRC, DST, &a, len), (int)(8 + len));
        assert_int_equal(udp_parse(buf, 8 + len, SRC, DST, &b), 8);
        assert_int_equal(b.sport, a.sport);
        assert_int_equal(b.dport, a.dport);
        assert_int_equal(b.length, 8 + len);
        assert_int_not_equal(b.csum, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(udp_parse_rejects_short),
        cmocka_unit_test(udp_parse_rejects_bad_length),
        cmocka_unit_test(udp_parse_reads_fields_and_ignores_padding),
        cmocka_unit_test(udp_parse_checks_checksum),
        cmocka_unit_test(udp_parse_zero_checksum_means_none),
        cmocka_unit_test(udp_emit_sends_computed_zero_as_ffff),
        cmocka_unit_test(udp_emit_writes_exact_bytes),
        cmocka_unit_test(udp_emit_refuses_too_much),
        cmocka_unit_test(udp_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, exact_teardown);
}
