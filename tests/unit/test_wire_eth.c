/* SPDX-License-Identifier: Apache-2.0 */
/* Ethernet header view: runts, exact bytes, round trip. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"
#include "tcpip/wire_eth.h"

static void eth_parse_rejects_runts(void **state)
{
    (void)state;
    uint8_t f[14];
    mk_eth(f, NS_MAC, PEER_MAC, 0x0800);
    for (size_t n = 0; n < 14; n++) {
        struct eth_hdr h;
        assert_int_equal(eth_parse(exact(f, n), n, &h), ETH_E_TRUNC);
    }
}

static void eth_parse_reads_fields(void **state)
{
    (void)state;
    uint8_t f[60] = {0};
    mk_eth(f, BCAST_MAC, PEER_MAC, 0x88a8);
    for (size_t n = 14; n <= sizeof f; n += 46) {
        struct eth_hdr h;
        assert_int_equal(eth_parse(exact(f, n), n, &h), 14);
        assert_memory_equal(h.dst, BCAST_MAC, 6);
        assert_memory_equal(h.src, PEER_MAC, 6);
        assert_int_equal(h.type, 0x88a8);
    }
}

static void eth_emit_writes_exact_bytes(void **state)
{
    (void)state;
    struct eth_hdr h;
    memcpy(h.dst, PEER_MAC, 6);
    memcpy(h.src, NS_MAC, 6);
    h.type = 0x0806;
    uint8_t want[14];
    mk_eth(want, PEER_MAC, NS_MAC, 0x0806);
    uint8_t *out = exact(want, 14);
    memset(out, 0xee, 14);
    assert_int_equal(eth_emit(out, 14, &h), 14);
    assert_memory_equal(out, want, 14);
}

static void eth_emit_refuses_small_buffer(void **state)
{
    (void)state;
    struct eth_hdr h = {.type = 0x0800};
    uint8_t junk[14];
    memset(junk, 0x5a, sizeof junk);
    for (size_t cap = 0; cap < 14; cap++) {
        uint8_t *out = exact(junk, cap);
        assert_int_equal(eth_emit(out, cap, &h), ETH_E_TRUNC);
    }
}

static void eth_round_trip(void **state)
{
    (void)state;
    for (unsigned seed = 0; seed < 20; seed++) {
        struct eth_hdr a, b;
        uint8_t r[14];
        fill_pattern(r, sizeof r, seed);
        memcpy(a.dst, r, 6);
        memcpy(a.src, r + 6, 6);
        a.type = (uint16_t)(r[12] * 256u + r[13]);
        uint8_t buf[14];
        assert_int_equal(eth_emit(buf, sizeof buf, &a), 14);
        assert_int_equal(eth_parse(buf, sizeof buf, &b), 14);
        assert_memory_equal(a.dst, b.dst, 6);
        assert_memory_equal(a.src, b.src, 6);
        assert_int_equal(a.type, b.type);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eth_parse_rejects_runts),
        cmocka_unit_test(eth_parse_reads_fields),
        cmocka_unit_test(eth_emit_writes_exact_bytes),
        cmocka_unit_test(eth_emit_refuses_small_buffer),
        cmocka_unit_test(eth_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, exact_teardown);
}
