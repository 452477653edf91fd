/* SPDX-License-Identifier: Apache-2.0 */
/* ICMP message view: length, checksum over the whole message, emitter. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"
#include "tcpip/wire_icmp.h"

static void icmp_parse_rejects_short(void **state)
{
    (void)state;
    uint8_t m[8];
    mk_icmp_echo(m, 8, 1, 1, NULL, 0);
    for (size_t n = 0; n < 8; n++) {
        struct icmp_hdr h;
        assert_int_equal(icmp_parse(exact(m, n), n, &h), ICMP_E_TRUNC);
    }
}

static void icmp_parse_reads_echo(void **state)
{
    (void)state;
    uint8_t data[37], m[64];
    fill_pattern(data, sizeof data, 5);
    size_t n = mk_icmp_echo(m, 8, 0xabcd, 0x0102, data, sizeof data); /* odd length */
    struct icmp_hdr h;
    assert_int_equal(icmp_parse(exact(m, n), n, &h), 8);
    assert_int_equal(h.type, 8);
    assert_int_equal(h.code, 0);
    assert_int_equal(h.csum, get16(m + 2));
    assert_int_equal(h.rest, 0xabcd0102u);
}

static void icmp_parse_checks_whole_message(void **state)
{
    (void)state;
    uint8_t data[40], m[64];
    fill_pattern(data, sizeof data, 6);
    size_t n = mk_icmp_echo(m, 8, 1, 2, data, sizeof data);
    struct icmp_hdr h;
    for (size_t i = 0; i < n; i++) {
        uint8_t c[64];
        memcpy(c, m, n);
        c[i] ^= 0x80;
        assert_int_equal(icmp_parse(exact(c, n), n, &h), ICMP_E_CSUM);
    }
    /* a message cut short no longer verifies */
    assert_int_equal(icmp_parse(exact(m, n - 2), n - 2, &h), ICMP_E_CSUM);
}

static void icmp_emit_writes_header_and_checksum(void **state)
{
    (void)state;
    uint8_t data[33], want[64], out[64];
    fill_pattern(data, sizeof data, 7);
    size_t n = mk_icmp_echo(want, 0, 0x1111, 0x2222, data, sizeof data);
    memset(out, 0x99, sizeof out);
    memcpy(out + 8, data, sizeof data);
    struct icmp_hdr h = {.type = 0, .code = 0, .csum = 0x5555, .rest = 0x11112222u};
    uint8_t *o = exact(out, n);
    assert_int_equal(icmp_emit(o, n, &h, sizeof data), (int)n);
    assert_memory_equal(o, want, n);
    assert_int_equal(ref_fold(ref_sum(0, o, n)), 0xffff);
}

static void icmp_emit_refuses_small_buffer(void **state)
{
    (void)state;
    uint8_t junk[64] = {0};
    struct icmp_hdr h = {.type = 3, .code = 3};
    for (size_t cap = 0; cap < 8 + 10; cap++)
        assert_int_equal(icmp_emit(exact(junk, cap), cap, &h, 10), ICMP_E_SPACE);
    assert_int_equal(icmp_emit(junk, 8, &h, 9), ICMP_E_SPACE);
    assert_int_equal(icmp_emit(junk, 8, &h, SIZE_MAX), ICMP_E_SPACE);
}

static void icmp_round_trip(void **state)
{
    (void)state;
    for (unsigned len = 0; len < 80; len += 3) {
        uint8_t buf[100];
        fill_pattern(buf + 8, len, len);
        struct icmp_hdr a = {.type = (uint8_t)len, .code = (uint8_t)(len * 3), .rest = len * 0x01010101u}, b;
        assert_int_equal(icmp_emit(buf, sizeof buf, &a, len), (int)(8 + len));
        assert_int_equal(icmp_parse(buf, 8 + len, &b), 8);
        assert_int_equal(b.type, a.type);
        assert_int_equal(b.code, a.code);
        assert_int_equal(b.rest, a.rest);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(icmp_parse_rejects_short),
        cmocka_unit_test(icmp_parse_reads_echo),
        cmocka_unit_test(icmp_parse_checks_whole_message),
        cmocka_unit_test(icmp_emit_writes_header_and_checksum),
        cmocka_unit_test(icmp_emit_refuses_small_buffer),
        cmocka_unit_test(icmp_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, exact_teardown);
}
