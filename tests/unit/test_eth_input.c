/* SPDX-License-Identifier: Apache-2.0 */
/* Frame dispatch: runts, tagged frames, frames for others, other
 * ethertypes and oversize frames are dropped and counted, silently. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"

static const uint8_t ZERO[6] = {0};

/* An ARP request for our address: the one frame sure to get an answer. */
static size_t who_has_us(uint8_t *f)
{
    return mk_arp(f, BCAST_MAC, PEER_MAC, 1, PEER_MAC, PEER_IP, ZERO, NS_IP);
}

static void eth_control_request_is_answered(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[42];
    ns_input(ns, f, who_has_us(f));
    assert_int_equal(ns->nframes, 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ETH_RX), 1);
}

static void eth_runts_dropped(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[42];
    who_has_us(f);
    uint64_t rx = ns_ctr(ns, ATOLL_CTR_ETH_RX);
    for (size_t n = 0; n < 14; n++)
        ns_input(ns, f, n);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ETH_DROP_RUNT), 14);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ETH_RX), rx + 14);
    assert_int_equal(ns->nframes, 0);
    /* a bare header reaches ARP, which finds no packet */
    ns_input(ns, f, 14);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ETH_DROP_RUNT), 14);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_DROP_TRUNC), 1);
    assert_int_equal(ns->nframes, 0);
}

static void eth_vlan_and_qinq_dropped(void **state)
{
    struct netsim *ns = *state;
    static const uint16_t tpids[] = {0x8100, 0x88a8};
    for (size_t i = 0; i < 2; i++) {
        /* a tagged copy of a request we would otherwise answer */
        uint8_t plain[42], f[64];
        who_has_us(plain);
        memcpy(f, plain, 12);
        put16(f + 12, tpids[i]);
        put16(f + 14, 5);      /* VID 5 */
        if (i == 1) {
            put16(f + 16, 0x8100); /* QinQ: an inner C-tag */
            put16(f + 18, 7);
            memcpy(f + 20, plain + 12, 30);
            ns_input(ns, f, 50);
        } else {
            memcpy(f + 16, plain + 12, 30);
            ns_input(ns, f, 46);
        }
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ETH_DROP_VLAN), 2);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_RX), 0);
    assert_int_equal(ns->nframes, 0);
}

static void eth_not_for_us_dropped(void **state)
{
    struct netsim *ns = *state;
    static const uint8_t other[6] = {0x02, 0, 0, 0, 0, 0x02};
    static const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
    static const uint8_t almost_bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};
    const uint8_t *dsts[] = {other, mcast, almost_bcast};
    for (size_t i = 0; i < 3; i++) {
        uint8_t f[42];
        who_has_us(f);
        memcpy(f, dsts[i], 6);
        ns_input(ns, f, sizeof f);
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ETH_DROP_NOT_FOR_US), 3);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_RX), 0);
    assert_int_equal(ns->nframes, 0);
    /* addressed to our MAC rather than broadcast: answered */
    uint8_t f[42];
    who_has_us(f);
    memcpy(f, NS_MAC, 6);
    ns_input(ns, f, sizeof f);
    assert_int_equal(ns->nframes, 1);
}

static void eth_other_ethertype_dropped(void **state)
{
    struct netsim *ns = *state;
    static const uint16_t types[] = {0x86dd, 0x88cc, 0x0000, 0x05dc /* 802.3 length */};
    for (size_t i = 0; i < 4; i++) {
        uint8_t f[60] = {0};
        mk_eth(f, NS_MAC, PEER_MAC, types[i]);
        ns_input(ns, f, sizeof f);
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ETH_DROP_ETHERTYPE), 4);
    assert_int_equal(ns->nframes, 0);
}

static void eth_oversize_dropped(void **state)
{
    struct netsim *ns = *state;
    static uint8_t f[1600];
    memset(f, 0, sizeof f);
    who_has_us(f);
    ns_input(ns, f, 1515);
    ns_input(ns, f, 1600);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ETH_DROP_OVERSIZE), 2);
    assert_int_equal(ns->nframes, 0);
    ns_input(ns, f, 1514); /* the largest frame is fine */
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ETH_DROP_OVERSIZE), 2);
    assert_int_equal(ns->nframes, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(eth_control_request_is_answered, ns_setup_static, ns_teardown),
        cmocka_unit_test_setup_teardown(eth_runts_dropped, ns_setup_static, ns_teardown),
        cmocka_unit_test_setup_teardown(eth_vlan_and_qinq_dropped, ns_setup_static, ns_teardown),
        cmocka_unit_test_setup_teardown(eth_not_for_us_dropped, ns_setup_static, ns_teardown),
        cmocka_unit_test_setup_teardown(eth_other_ethertype_dropped, ns_setup_static, ns_teardown),
        cmocka_unit_test_setup_teardown(eth_oversize_dropped, ns_setup_static, ns_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
