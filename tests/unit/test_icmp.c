/* SPDX-License-Identifier: Apache-2.0 */
/* ICMP: echo (small and fragmented), port unreachable with the offending
 * datagram quoted, the error rate limit, and when no error may be sent. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"

static int setup(void **state)
{
    if (ns_setup_static(state))
        return -1;
    ns_learn(*state, PEER_MAC, PEER_IP);
    return 0;
}

static void ping(struct netsim *ns, uint32_t dst, uint16_t seq, const uint8_t *data, size_t n)
{
    static uint8_t m[2000], f[2100];
    assert_true(n <= 1472);
    size_t ml = mk_icmp_echo(m, 8, 0x4242, seq, data, n);
    struct ip_spec s = ip_spec(PEER_IP, dst, 1);
    ns_input(ns, f, mk_ip_frame(f, &s, m, ml));
}

static void closed_port(struct netsim *ns, uint32_t dst, size_t n, size_t opt_len, uint8_t *sent, size_t *sent_len)
{
    static uint8_t u[1600], d[1500], f[1600];
    fill_pattern(d, n, (unsigned)n);
    size_t ul = mk_udp(u, PEER_IP, dst, 4000, 9999, d, n);
    struct ip_spec s = ip_spec(PEER_IP, dst, 17);
    s.opt_len = opt_len;
    size_t fl = mk_ip_frame(f, &s, u, ul);
    if (sent) {
        memcpy(sent, f + 14, fl - 14);
        *sent_len = fl - 14;
    }
    ns_input(ns, f, fl);
}

static void icmp_echo_reply(void **state)
{
    struct netsim *ns = *state;
    for (size_t n = 56; n <= 57; n++) {
        ns_clear(ns);
        uint8_t data[64];
        fill_pattern(data, n, 9);
        ping(ns, NS_IP, (uint16_t)n, data, n);
        assert_int_equal(ns->nframes, 1);
        const struct ns_frame *f = &ns->frames[0];
        assert_memory_equal(f->b, PEER_MAC, 6);
        const uint8_t *ip = fr_ip(f);
        assert_non_null(ip);
        assert_int_equal(get16(ip + 2), 20 + 8 + n);
        assert_int_equal(get16(ip + 6) & 0x3fff, 0);
        assert_int_equal(ip[8], 64);
        assert_int_equal(ip[9], 1);
        assert_int_equal(get32(ip + 12), NS_IP);
        assert_int_equal(get32(ip + 16), PEER_IP);
        const uint8_t *m = ip + 20;
        assert_int_equal(m[0], 0);
        assert_int_equal(m[1], 0);
        assert_int_equal(get16(m + 4), 0x4242);
        assert_int_equal(get16(m + 6), n);
        assert_memory_equal(m + 8, data, n);
        assert_int_equal(ref_fold(ref_sum(0, m, 8 + n)), 0xffff);
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ICMP_ECHO_REPLY_TX), 2);
}

static void icmp_big_ping_fragmented_both_ways(void **state)
{
    struct netsim *ns = *state;
    static uint8_t data[5000], m[5008], f[1600], back[8192];
    fill_pattern(data, sizeof data, 5000);
    size_t ml = mk_icmp_echo(m, 8, 0x4242, 1, data, sizeof data);
    for (size_t off = 0; off < ml; off += 1480) {
        size_t n = ml - off < 1480 ? ml - off : 1480;
        struct ip_spec s = ip_spec(PEER_IP, NS_IP, 1);
        s.id = 0x7777;
        s.mf = off + n < ml;
        s.frag_off = (uint16_t)(off / 8);
        ns_input(ns, f, mk_ip_frame(f, &s, m + off, n));
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_OK), 1);
    assert_int_equal(ns_count_ip(ns, 1), 4); /* 1480 + 1480 + 1480 + 568 */
    uint16_t id = get16(fr_ip(ns_nth_ip(ns, 1, 0)) + 4);
    for (size_t i = 0; i < 4; i++) {
        const struct ns_frame *fr = ns_nth_ip(ns, 1, i);
        const uint8_t *ip = fr_ip(fr);
        assert_true(fr->len <= 1514);
        assert_memory_equal(fr->b, PEER_MAC, 6);
        assert_int_equal(get16(ip + 4), id);
        size_t pl = get16(ip + 2) - 20u;
        int mf = (get16(ip + 6) & 0x2000) != 0;
        assert_int_equal(mf, i < 3);
        if (mf)
            assert_int_equal(pl % 8, 0);
    }
    long n = ns_reassemble(ns, 1, id, back, sizeof back);
    assert_int_equal(n, 5008);
    assert_int_equal(back[0], 0);
    assert_int_equal(back[1], 0);
    assert_int_equal(get16(back + 4), 0x4242);
    assert_int_equal(get16(back + 6), 1);
    assert_memory_equal(back + 8, data, sizeof data);
    assert_int_equal(ref_fold(ref_sum(0, back, 5008)), 0xffff);
}

static void icmp_ip_identification_differs(void **state)
{
    struct netsim *ns = *state;
    uint8_t d[8] = {0};
    for (uint16_t i = 0; i < 3; i++)
        ping(ns, NS_IP, i, d, sizeof d);
    assert_int_equal(ns_count_ip(ns, 1), 3);
    uint16_t a = get16(fr_ip(ns_nth_ip(ns, 1, 0)) + 4);
    uint16_t b = get16(fr_ip(ns_nth_ip(ns, 1, 1)) + 4);
    uint16_t c = get16(fr_ip(ns_nth_ip(ns, 1, 2)) + 4);
    assert_int_not_equal(a, b);
    assert_int_not_equal(b, c);
    assert_int_not_equal(a, c);
}

static void icmp_no_reply_to_broadcast_ping(void **state)
{
    struct netsim *ns = *state;
    uint8_t d[8] = {0};
    ping(ns, NS_BCAST, 1, d, sizeof d);
    ping(ns, 0xffffffffu, 2, d, sizeof d);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ICMP_DROP_BROADCAST), 2);
    assert_int_equal(ns->nframes, 0);
}

static void icmp_drops_bad_messages(void **state)
{
    struct netsim *ns = *state;
    uint8_t m[64], f[128];
    size_t ml = mk_icmp_echo(m, 8, 1, 1, (const uint8_t *)"abcdefgh", 8);
    m[12] ^= 1;
    struct ip_spec s = ip_spec(PEER_IP, NS_IP, 1);
    ns_input(ns, f, mk_ip_frame(f, &s, m, ml));
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ICMP_DROP_CSUM), 1);
    ns_input(ns, f, mk_ip_frame(f, &s, m, 7));
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ICMP_DROP_TRUNC), 1);
    assert_int_equal(ns->nframes, 0);
}

static void icmp_port_unreachable_quotes_datagram(void **state)
{
    struct netsim *ns = *state;
    for (size_t opt = 0; opt <= 8; opt += 8) {
        ns_clear(ns);
        uint8_t sent[1600];
        size_t sl;
        closed_port(ns, NS_IP, 100, opt, sent, &sl);
        assert_int_equal(ns_count_ip(ns, 1), 1);
        const struct ns_frame *fr = ns_nth_ip(ns, 1, 0);
        assert_memory_equal(fr->b, PEER_MAC, 6);
        const uint8_t *ip = fr_ip(fr);
        assert_int_equal(get32(ip + 12), NS_IP);
        assert_int_equal(get32(ip + 16), PEER_IP);
        const uint8_t *m = ip + 20;
        size_t ml = get16(ip + 2) - 20u;
        assert_int_equal(m[0], 3);
        assert_int_equal(m[1], 3);
        assert_int_equal(get32(m + 4), 0);
        assert_int_equal(ml, 8 + sl);
        assert_memory_equal(m + 8, sent, sl);
        assert_int_equal(ref_fold(ref_sum(0, m, ml)), 0xffff);
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_UDP_DROP_NO_PORT), 2);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ICMP_UNREACH_TX), 2);
}

static void icmp_unreachable_fits_576(void **state)
{
    struct netsim *ns = *state;
    uint8_t sent[1600];
    size_t sl;
    closed_port(ns, NS_IP, 1472, 0, sent, &sl);
    const uint8_t *ip = fr_ip(ns_nth_ip(ns, 1, 0));
    size_t total = get16(ip + 2);
    assert_int_equal(total, 576);
    assert_memory_equal(ip + 28, sent, total - 28);
    assert_int_equal(ref_fold(ref_sum(0, ip + 20, total - 20)), 0xffff);
}

static void icmp_errors_rate_limited(void **state)
{
    struct netsim *ns = *state;
    for (int i = 0; i < 15; i++)
        closed_port(ns, NS_IP, 4, 0, NULL, NULL);
    assert_int_equal(ns_count_ip(ns, 1), 10);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ICMP_RATE_LIMITED), 5);
    /* 10 per second: a tenth of a second earns one more */
    ns->now += 100;
    closed_port(ns, NS_IP, 4, 0, NULL, NULL);
    closed_port(ns, NS_IP, 4, 0, NULL, NULL);
    assert_int_equal(ns_count_ip(ns, 1), 11);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ICMP_RATE_LIMITED), 6);
    /* a long quiet spell refills the burst, but not beyond it */
    ns->now += 60000;
    for (int i = 0; i < 15; i++)
        closed_port(ns, NS_IP, 4, 0, NULL, NULL);
    assert_int_equal(ns_count_ip(ns, 1), 21);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ICMP_RATE_LIMITED), 11);
}

static void icmp_no_error_about_icmp_messages(void **state)
{
    struct netsim *ns = *state;
    static const uint8_t types[] = {3, 4, 5, 11, 12, 0, 13, 42};
    for (size_t i = 0; i < sizeof types; i++) {
        uint8_t m[64] = {0}, f[128];
        /* an error quoting some datagram of ours */
        struct ip_spec q = ip_spec(NS_IP, PEER_IP, 17);
        mk_ip(m + 8, &q, NULL, 8);
        m[0] = types[i];
        m[1] = 3;
        put16(m + 2, ref_csum(m, 36));
        struct ip_spec s = ip_spec(PEER_IP, NS_IP, 1);
        ns_input(ns, f, mk_ip_frame(f, &s, m, 36));
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ICMP_RX_ERROR), 5);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ICMP_RX_OTHER), 3);
    assert_int_equal(ns->nframes, 0);
}

static void icmp_no_error_for_broadcast(void **state)
{
    struct netsim *ns = *state;
    closed_port(ns, NS_BCAST, 4, 0, NULL, NULL);
    closed_port(ns, 0xffffffffu, 4, 0, NULL, NULL);
    /* unicast to us, but sent as a link-layer broadcast */
    uint8_t u[64], f[128];
    size_t ul = mk_udp(u, PEER_IP, NS_IP, 4000, 9999, NULL, 0);
    struct ip_spec s = ip_spec(PEER_IP, NS_IP, 17);
    size_t fl = mk_ip_frame(f, &s, u, ul);
    memcpy(f, BCAST_MAC, 6);
    ns_input(ns, f, fl);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_UDP_DROP_NO_PORT), 3);
    assert_int_equal(ns->nframes, 0);
    /* the same datagram as link unicast does get its error */
    memcpy(f, NS_MAC, 6);
    ns_input(ns, f, fl);
    assert_int_equal(ns_count_ip(ns, 1), 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, ns_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(icmp_echo_reply),
        T(icmp_big_ping_fragmented_both_ways),
        T(icmp_ip_identification_differs),
        T(icmp_no_reply_to_broadcast_ping),
        T(icmp_drops_bad_messages),
        T(icmp_port_unreachable_quotes_datagram),
        T(icmp_unreachable_fits_576),
        T(icmp_errors_rate_limited),
        T(icmp_no_error_about_icmp_messages),
        T(icmp_no_error_for_broadcast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
