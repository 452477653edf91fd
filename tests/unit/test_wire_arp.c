/* SPDX-License-Identifier: Apache-2.0 */
/* ARP packet view: lengths, the Ethernet/IPv4 pairing, opcodes, round trip. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"
#include "tcpip/wire_arp.h"

static const uint8_t THA[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

/* The 28-byte ARP body of a frame built by mk_arp. */
static void body(uint8_t out[28], uint16_t op)
{
    uint8_t f[42];
    mk_arp(f, BCAST_MAC, PEER_MAC, op, PEER_MAC, PEER_IP, THA, NS_IP);
    memcpy(out, f + 14, 28);
}

static void arp_parse_rejects_short(void **state)
{
    (void)state;
    uint8_t b[28];
    body(b, 1);
    for (size_t n = 0; n < 28; n++) {
        struct arp_pkt p;
        assert_int_equal(arp_parse(exact(b, n), n, &p), ARP_E_TRUNC);
    }
}

static void arp_parse_reads_fields(void **state)
{
    (void)state;
    uint8_t b[46] = {0}; /* with Ethernet padding behind it */
    body(b, 2);
    struct arp_pkt p;
    assert_int_equal(arp_parse(exact(b, 28), 28, &p), 28);
    assert_int_equal(arp_parse(exact(b, 46), 46, &p), 28);
    assert_int_equal(p.oper, 2);
    assert_memory_equal(p.sha, PEER_MAC, 6);
    assert_int_equal(p.spa, PEER_IP);
    assert_memory_equal(p.tha, THA, 6);
    assert_int_equal(p.tpa, NS_IP);
}

static void arp_parse_rejects_other_pairings(void **state)
{
    (void)state;
    static const struct { size_t at; uint8_t v; } bad[] = {
        {1, 6},    /* htype 6 (IEEE 802) */
        {0, 1},    /* htype 0x0101 */
        {2, 0x86}, /* ptype 0x8600 */
        {3, 0xdd}, /* ptype 0x08dd */
        {4, 8},    /* hlen 8 */
        {5, 16},   /* plen 16 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t b[28];
        body(b, 1);
        b[bad[i].at] = bad[i].v;
        struct arp_pkt p;
        assert_int_equal(arp_parse(exact(b, 28), 28, &p), ARP_E_UNSUPPORTED);
    }
}

static void arp_parse_rejects_unknown_opcodes(void **state)
{
    (void)state;
    static const uint16_t ops[] = {0, 3, 4, 8, 0x0100, 0x0101, 0xffff};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        uint8_t b[28];
        body(b, ops[i]);
        struct arp_pkt p;
        assert_int_equal(arp_parse(exact(b, 28), 28, &p), ARP_E_OPCODE);
    }
}

static void arp_emit_writes_exact_bytes(void **state)
{
    (void)state;
    uint8_t want[28];
    body(want, 1);
    struct arp_pkt p = {.oper = 1, .spa = PEER_IP, .tpa = NS_IP};
    memcpy(p.sha, PEER_MAC, 6);
    memcpy(p.tha, THA, 6);
    uint8_t *out = exact(want, 28);
    memset(out, 0xcc, 28);
    assert_int_equal(arp_emit(out, 28, &p), 28);
    assert_memory_equal(out, want, 28);
    uint8_t junk[28] = {0};
    for (size_t cap = 0; cap < 28; cap++)
        assert_int_equal(arp_emit(exact(junk, cap), cap, &p), ARP_E_TRUNC);
}

static void arp_round_trip(void **state)
{
    (void)state;
    for (unsigned seed = 0; seed < 20; seed++) {
        uint8_t r[20];
        fill_pattern(r, sizeof r, seed);
        struct arp_pkt a, b;
        a.oper = seed % 2 ? ARP_OP_REQUEST : ARP_OP_REPLY;
        memcpy(a.sha, r, 6);
        memcpy(a.tha, r + 6, 6);
        a.spa = get32(r + 12);
        a.tpa = get32(r + 16);
        uint8_t buf[28];
        assert_int_equal(arp_emit(buf, sizeof buf, &a), 28);
        assert_int_equal(arp_parse(buf, sizeof buf, &b), 28);
        assert_int_equal(a.oper, b.oper);
        assert_memory_equal(a.sha, b.sha, 6);
        assert_memory_equal(a.tha, b.tha, 6);
        assert_int_equal(a.spa, b.spa);
        assert_int_equal(a.tpa, b.tpa);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arp_parse_rejects_short),
        cmocka_unit_test(arp_parse_reads_fields),
        cmocka_unit_test(arp_parse_rejects_other_pairings),
        cmocka_unit_test(arp_parse_rejects_unknown_opcodes),
        cmocka_unit_test(arp_emit_writes_exact_bytes),
        cmocka_unit_test(arp_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, exact_teardown);
}
