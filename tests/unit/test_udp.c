/* SPDX-License-Identifier: Apache-2.0 */
/* UDP through the public API: binding rules, delivery, sending (framing,
 * checksum, fragmentation, routing) and the errors each call returns. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"

#define BINDINGS 8

static void nop_rx(void *user, struct atoll_stack *st, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                   const uint8_t *data, size_t len, uint64_t now)
{
    (void)user;
    (void)st;
    (void)src_ip;
    (void)src_port;
    (void)dst_port;
    (void)data;
    (void)len;
    (void)now;
}

/* The echo service pattern: answer from inside the receive callback. */
static void echo_rx(void *user, struct atoll_stack *st, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                    const uint8_t *data, size_t len, uint64_t now)
{
    int *calls = user;
    (*calls)++;
    assert_int_equal(atoll_udp_send(st, dst_port, src_ip, src_port, data, len, now), ATOLL_OK);
}

static int setup(void **state)
{
    if (ns_setup_static(state))
        return -1;
    ns_learn(*state, PEER_MAC, PEER_IP);
    return 0;
}

static void udp_bind_rules(void **state)
{
    struct netsim *ns = *state;
    assert_int_equal(atoll_udp_bind(ns->st, 0, nop_rx, NULL), ATOLL_E_CONFIG);
    assert_int_equal(atoll_udp_bind(ns->st, 100, NULL, NULL), ATOLL_E_CONFIG);
    assert_int_equal(atoll_udp_bind(ns->st, 68, nop_rx, NULL), ATOLL_E_CONFIG); /* the DHCP client's */
    for (uint16_t p = 1; p <= BINDINGS; p++)
        assert_int_equal(atoll_udp_bind(ns->st, (uint16_t)(1000 + p), nop_rx, NULL), ATOLL_OK);
    assert_int_equal(atoll_udp_bind(ns->st, 1001, nop_rx, NULL), ATOLL_E_INUSE);
    assert_int_equal(atoll_udp_bind(ns->st, 2000, nop_rx, NULL), ATOLL_E_FULL);
    assert_int_equal(atoll_udp_unbind(ns->st, 2000), ATOLL_E_NOTFOUND);
    assert_int_equal(atoll_udp_unbind(ns->st, 0), ATOLL_E_NOTFOUND);
    assert_int_equal(atoll_udp_unbind(ns->st, 1005), ATOLL_OK);
    assert_int_equal(atoll_udp_unbind(ns->st, 1005), ATOLL_E_NOTFOUND);
    assert_int_equal(atoll_udp_bind(ns->st, 2000, nop_rx, NULL), ATOLL_OK);
    assert_int_equal(atoll_udp_bind(ns->st, 2001, nop_rx, NULL), ATOLL_E_FULL);
}

static void udp_receive_on_bound_port(void **state)
{
    struct netsim *ns = *state;
    ns_bind(ns, 7000);
    uint8_t d[300];
    fill_pattern(d, sizeof d, 1);
    ns_send_udp(ns, NS_IP, 4321, 7000, d, sizeof d);
    assert_int_equal(ns->rx->count, 1);
    assert_int_equal(ns->rx->src, PEER_IP);
    assert_int_equal(ns->rx->sport, 4321);
    assert_int_equal(ns->rx->dport, 7000);
    assert_int_equal(ns->rx->len, sizeof d);
    assert_memory_equal(ns->rx->data, d, sizeof d);
    ns_send_udp(ns, NS_IP, 4321, 7000, NULL, 0);
    assert_int_equal(ns->rx->count, 2);
    assert_int_equal(ns->rx->len, 0);
    assert_int_equal(ns->nframes, 0);
    /* unbound: no delivery, a port unreachable instead */
    assert_int_equal(atoll_udp_unbind(ns->st, 7000), ATOLL_OK);
    ns_send_udp(ns, NS_IP, 4321, 7000, d, 4);
    assert_int_equal(ns->rx->count, 2);
    assert_int_equal(ns_count_ip(ns, 1), 1);
}

static void udp_bound_ports_ignore_broadcast(void **state)
{
    struct netsim *ns = *state;
    ns_bind(ns, 7000);
    ns_send_udp(ns, NS_BCAST, 4321, 7000, (const uint8_t *)"x", 1);
    ns_send_udp(ns, 0xffffffffu, 4321, 7000, (const uint8_t *)"x", 1);
    assert_int_equal(ns->rx->count, 0);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_UDP_DROP_NO_PORT), 2);
    assert_int_equal(ns->nframes, 0);
}

static void udp_receive_checks(void **state)
{
    struct netsim *ns = *state;
    ns_bind(ns, 7000);
    uint8_t u[64], f[128];
    struct ip_spec s = ip_spec(PEER_IP, NS_IP, 17);
    size_t ul = mk_udp(u, PEER_IP, NS_IP, 1, 7000, (const uint8_t *)"payload!", 8);
    /* checksum 0: none computed, accepted as is */
    put16(u + 6, 0);
    ns_input(ns, f, mk_ip_frame(f, &s, u, ul));
    assert_int_equal(ns->rx->count, 1);
    /* a wrong checksum */
    ul = mk_udp(u, PEER_IP, NS_IP, 1, 7000, (const uint8_t *)"payload!", 8);
    u[9] ^= 0x20;
    ns_input(ns, f, mk_ip_frame(f, &s, u, ul));
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_UDP_DROP_CSUM), 1);
    /* a UDP length beyond the IP payload */
    ul = mk_udp(u, PEER_IP, NS_IP, 1, 7000, (const uint8_t *)"payload!", 8);
    put16(u + 4, 17);
    put16(u + 6, 0);
    ns_input(ns, f, mk_ip_frame(f, &s, u, ul));
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_UDP_DROP_LENGTH), 1);
    /* shorter than a UDP header */
    ns_input(ns, f, mk_ip_frame(f, &s, u, 7));
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_UDP_DROP_TRUNC), 1);
    assert_int_equal(ns->rx->count, 1);
    assert_int_equal(ns->nframes, 0);
}

static void udp_send_frames_datagram(void **state)
{
    struct netsim *ns = *state;
    uint8_t d[101];
    fill_pattern(d, sizeof d, 2);
    assert_int_equal(atoll_udp_send(ns->st, 5000, PEER_IP, 6000, d, sizeof d, ns->now), ATOLL_OK);
    assert_int_equal(ns->nframes, 1);
    const struct ns_frame *f = &ns->frames[0];
    assert_memory_equal(f->b, PEER_MAC, 6);
    assert_memory_equal(f->b + 6, NS_MAC, 6);
    const uint8_t *ip = fr_ip(f);
    assert_non_null(ip);
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(get16(ip + 2), 20 + 8 + sizeof d);
    assert_int_equal(get16(ip + 6) & 0x3fff, 0);
    assert_int_equal(ip[8], 64);
    assert_int_equal(ip[9], 17);
    assert_int_equal(get32(ip + 12), NS_IP);
    assert_int_equal(get32(ip + 16), PEER_IP);
    const uint8_t *u = ip + 20;
    assert_int_equal(get16(u), 5000);
    assert_int_equal(get16(u + 2), 6000);
    assert_int_equal(get16(u + 4), 8 + sizeof d);
    assert_int_not_equal(get16(u + 6), 0);
    assert_int_equal(ref_udp_csum(NS_IP, PEER_IP, u, 8 + sizeof d), 0);
    assert_memory_equal(u + 8, d, sizeof d);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_UDP_TX), 1);
}

static void udp_send_large_is_fragmented(void **state)
{
    struct netsim *ns = *state;
    static uint8_t d[4000], back[8192];
    fill_pattern(d, sizeof d, 3);
    assert_int_equal(atoll_udp_send(ns->st, 5000, PEER_IP, 6000, d, sizeof d, ns->now), ATOLL_OK);
    assert_int_equal(ns->nframes, 3); /* 4008 = 1480 + 1480 + 1048 */
    uint16_t id = get16(fr_ip(&ns->frames[0]) + 4);
    long n = ns_reassemble(ns, 17, id, back, sizeof back);
    assert_int_equal(n, 4008);
    assert_int_equal(get16(back + 4), 4008);
    assert_int_equal(ref_udp_csum(NS_IP, PEER_IP, back, 4008), 0);
    assert_memory_equal(back + 8, d, sizeof d);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_TX_FRAG), 3);
    /* the next datagram gets another identification */
    assert_int_equal(atoll_udp_send(ns->st, 5000, PEER_IP, 6000, d, 10, ns->now), ATOLL_OK);
    assert_int_not_equal(get16(fr_ip(&ns->frames[3]) + 4), id);
}

static void udp_send_largest_and_too_large(void **state)
{
    struct netsim *ns = *state;
    static uint8_t d[65536], back[65536];
    fill_pattern(d, sizeof d, 4);
    assert_int_equal(atoll_udp_send(ns->st, 5000, PEER_IP, 6000, d, 65508, ns->now), ATOLL_E_TOOBIG);
    assert_int_equal(ns->nframes, 0);
    assert_int_equal(atoll_udp_send(ns->st, 5000, PEER_IP, 6000, d, 65507, ns->now), ATOLL_OK);
    uint16_t id = get16(fr_ip(&ns->frames[0]) + 4);
    assert_int_equal(ns_reassemble(ns, 17, id, back, sizeof back), 65515);
    assert_memory_equal(back + 8, d, 65507);
    assert_int_equal(ref_udp_csum(NS_IP, PEER_IP, back, 65515), 0);
}

static void udp_send_argument_errors(void **state)
{
    struct netsim *ns = *state;
    uint8_t d[4] = {0};
    assert_int_equal(atoll_udp_send(ns->st, 5000, 0, 6000, d, 4, ns->now), ATOLL_E_CONFIG);
    assert_int_equal(atoll_udp_send(ns->st, 0, PEER_IP, 6000, d, 4, ns->now), ATOLL_E_CONFIG);
    assert_int_equal(atoll_udp_send(ns->st, 5000, PEER_IP, 0, d, 4, ns->now), ATOLL_E_CONFIG);
    /* port 68 is the DHCP client's, for sending as for binding */
    assert_int_equal(atoll_udp_send(ns->st, 68, PEER_IP, 67, d, 4, ns->now), ATOLL_E_CONFIG);
    assert_int_equal(ns->nframes, 0);
}

static void udp_send_without_address_or_route(void **state)
{
    (void)state;
    struct atoll_config c = ns_dhcp_config();
    struct netsim *ns = ns_create(&c, 0);
    assert_non_null(ns);
    ns_clear(ns);
    uint8_t d[4] = {0};
    assert_int_equal(atoll_udp_send(ns->st, 5000, PEER_IP, 6000, d, 4, 0), ATOLL_E_NOROUTE);
    assert_int_equal(ns->nframes, 0);
    ns_destroy(ns);
    /* static address without a gateway: only the subnet is reachable */
    c = ns_static_config();
    c.gateway = 0;
    ns = ns_create(&c, 0);
    assert_non_null(ns);
    ns_clear(ns);
    assert_int_equal(atoll_udp_send(ns->st, 5000, 0x08080808u, 6000, d, 4, 0), ATOLL_E_NOROUTE);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_TX_NO_ROUTE), 1);
    assert_int_equal(ns->nframes, 0);
    ns_destroy(ns);
}

static void udp_reply_from_receive_callback(void **state)
{
    struct netsim *ns = *state;
    int calls = 0;
    assert_int_equal(atoll_udp_bind(ns->st, 7, echo_rx, &calls), ATOLL_OK);
    uint8_t d[77];
    fill_pattern(d, sizeof d, 6);
    ns_send_udp(ns, NS_IP, 33333, 7, d, sizeof d);
    assert_int_equal(calls, 1);
    assert_int_equal(ns->nframes, 1);
    const uint8_t *ip = fr_ip(&ns->frames[0]);
    const uint8_t *u = ip + 20;
    assert_int_equal(get32(ip + 16), PEER_IP);
    assert_int_equal(get16(u), 7);
    assert_int_equal(get16(u + 2), 33333);
    assert_memory_equal(u + 8, d, sizeof d);
    assert_int_equal(ref_udp_csum(NS_IP, PEER_IP, u, 8 + sizeof d), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, ns_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(udp_bind_rules),
        T(udp_receive_on_bound_port),
        T(udp_bound_ports_ignore_broadcast),
        T(udp_receive_checks),
        T(udp_send_frames_datagram),
        T(udp_send_large_is_fragmented),
        T(udp_send_largest_and_too_large),
        T(udp_send_argument_errors),
        cmocka_unit_test(udp_send_without_address_or_route),
        T(udp_reply_from_receive_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
