/* SPDX-License-Identifier: Apache-2.0 */
/* The DHCP client against a fake server: acquisition, retransmission,
 * renewal at T1, rebinding at T2, expiry, NAKs, and replies to ignore. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp_msgs.h"
#include "fake_dhcp_server.h"
#include "netsim.h"

#define LEASE_MS 3600000u
#define T1_MS (LEASE_MS / 2)      /* RFC 2131 4.4.5 defaults */
#define T2_MS (LEASE_MS / 8 * 7)

struct fx {
    struct netsim *ns;
    struct fake_server srv;
};

static int start(void **state, int answer)
{
    struct fx *x = calloc(1, sizeof *x);
    if (!x)
        return -1;
    fake_server_init(&x->srv);
    x->srv.offer = x->srv.ack = answer;
    struct atoll_config c = ns_dhcp_config();
    x->ns = ns_create_r(&c, 0, fake_server_respond, &x->srv);
    if (!x->ns) {
        free(x);
        return -1;
    }
    *state = x;
    return 0;
}

/* The server stays quiet unless a test speaks for it. */
static int setup_silent(void **state)
{
    return start(state, 0);
}

/* Bound at t=0 by an answering server, which then falls silent. */
static int setup_bound(void **state)
{
    if (start(state, 1))
        return -1;
    struct fx *x = *state;
    x->srv.offer = x->srv.ack = 0;
    return 0;
}

static int teardown(void **state)
{
    struct fx *x = *state;
    ns_destroy(x->ns);
    free(x);
    return 0;
}

static int has_event(const struct netsim *ns, enum atoll_event ev, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < ns->nevents; i++)
        if (ns->events[i].ev == ev && ns->events[i].a == a && ns->events[i].b == b)
            return 1;
    return 0;
}

static uint32_t our_ip(const struct netsim *ns)
{
    uint32_t ip = 0;
    if (atoll_ipv4_addr(ns->st, &ip, NULL, NULL) != ATOLL_OK)
        return 0;
    return ip;
}

static void offer(struct fx *x, uint32_t xid)
{
    struct server_reply r = fake_server_reply(&x->srv, 2, xid);
    fake_server_send(x->ns, &r);
}

static void check_in_window(uint64_t gap, uint64_t nominal)
{
    /* RFC 2131 4.1: randomised by +/- 1 s */
    assert_true(gap >= nominal - 1000 && gap <= nominal + 1000);
}

static void dhcp_discover_is_broadcast(void **state)
{
    struct fx *x = *state;
    assert_int_equal(x->srv.n, 1);
    const struct cmsg *d = &x->srv.log[0];
    assert_int_equal(d->type, 1);
    assert_int_equal(d->t, 0);
    assert_int_equal(d->ip_src, 0);
    assert_int_equal(d->ip_dst, 0xffffffffu);
    assert_memory_equal(d->eth_dst, BCAST_MAC, 6);
    assert_int_equal(d->flags, 0x8000);
    assert_int_equal(d->ciaddr, 0);
    assert_false(d->has50 || d->has54);
    assert_int_equal(ns_count_events(x->ns, ATOLL_EV_DHCP_DISCOVER), 1);
    assert_int_equal(atoll_ipv4_addr(x->ns->st, NULL, NULL, NULL), ATOLL_E_NOROUTE);
}

static void dhcp_offer_request_ack_binds(void **state)
{
    struct fx *x = *state;
    struct netsim *ns = x->ns;
    uint32_t xid = x->srv.log[0].xid;
    offer(x, xid);
    assert_true(has_event(ns, ATOLL_EV_DHCP_OFFER, SRV_YI, SRV_IP));
    assert_int_equal(x->srv.n, 2);
    const struct cmsg *r = &x->srv.log[1];
    assert_int_equal(r->type, 3);
    assert_int_equal(r->xid, xid);
    assert_true(r->has50 && r->opt50 == SRV_YI);
    assert_true(r->has54 && r->opt54 == SRV_IP);
    assert_int_equal(r->ciaddr, 0);
    assert_int_equal(r->ip_src, 0);
    assert_int_equal(r->ip_dst, 0xffffffffu);
    assert_memory_equal(r->eth_dst, BCAST_MAC, 6);
    assert_int_equal(r->flags, 0x8000);
    assert_int_equal(our_ip(ns), 0);

    ns_clear(ns);
    struct server_reply a = fake_server_reply(&x->srv, 5, xid);
    fake_server_send(ns, &a);
    uint32_t ip, mask, gw;
    assert_int_equal(atoll_ipv4_addr(ns->st, &ip, &mask, &gw), ATOLL_OK);
    assert_int_equal(ip, SRV_YI);
    assert_int_equal(mask, 0xffffff00u);
    assert_int_equal(gw, SRV_IP);
    assert_true(has_event(ns, ATOLL_EV_ADDR_UP, SRV_YI, 24));
    assert_true(has_event(ns, ATOLL_EV_DHCP_BOUND, SRV_YI, 3600));
    /* the new address is announced, and answered for */
    assert_int_equal(ns_count_arp(ns, 1, SRV_YI), 1);
    static const uint8_t zero[6] = {0};
    uint8_t f[42];
    mk_arp(f, BCAST_MAC, PEER_MAC, 1, PEER_MAC, PEER_IP, zero, SRV_YI);
    ns_input(ns, f, sizeof f);
    assert_int_equal(ns_count_arp(ns, 2, PEER_IP), 1);
}

static void dhcp_discover_backs_off(void **state)
{
    struct fx *x = *state;
    ns_run_until(x->ns, 250000);
    static const uint64_t gaps[] = {4000, 8000, 16000, 32000, 64000, 64000};
    assert_true(x->srv.n >= 7);
    for (size_t i = 0; i < 6; i++) {
        const struct cmsg *a = &x->srv.log[i], *b = &x->srv.log[i + 1];
        assert_int_equal(b->type, 1);
        assert_int_equal(b->xid, x->srv.log[0].xid);
        check_in_window(b->t - a->t, gaps[i]);
        assert_int_equal(b->secs, b->t / 1000);
    }
}

static void dhcp_request_retransmits_then_restarts(void **state)
{
    struct fx *x = *state;
    uint32_t xid = x->srv.log[0].xid;
    offer(x, xid);
    ns_run_until(x->ns, 200000);
    static const uint64_t gaps[] = {4000, 8000, 16000, 32000};
    assert_int_equal(fake_server_count(&x->srv, 3), 5);
    for (size_t i = 1; i < 5; i++) {
        const struct cmsg *a = &x->srv.log[i], *b = &x->srv.log[i + 1];
        assert_int_equal(b->type, 3);
        assert_int_equal(b->xid, xid);
        assert_true(b->has50 && b->has54);
        check_in_window(b->t - a->t, gaps[i - 1]);
    }
    /* no answer to the last either: start over with a new transaction */
    assert_true(x->srv.n >= 7);
    const struct cmsg *d = &x->srv.log[6];
    assert_int_equal(d->type, 1);
    assert_int_not_equal(d->xid, xid);
    assert_true(d->t - x->srv.log[5].t >= 63000);
    assert_int_equal(our_ip(x->ns), 0);
}

static void dhcp_renews_at_t1(void **state)
{
    struct fx *x = *state;
    struct netsim *ns = x->ns;
    assert_int_equal(our_ip(ns), SRV_YI);
    assert_int_equal(x->srv.n, 2);
    uint32_t bound_xid = x->srv.log[1].xid;
    x->srv.ack = 1;
    ns_run_until(ns, T1_MS - 1);
    assert_int_equal(x->srv.n, 2);
    ns_clear(ns);
    ns_run_until(ns, T1_MS);
    assert_int_equal(x->srv.n, 3);
    const struct cmsg *r = &x->srv.log[2];
    assert_int_equal(r->type, 3);
    assert_int_equal(r->t, T1_MS);
    assert_int_equal(r->ip_src, SRV_YI);
    assert_int_equal(r->ip_dst, SRV_IP);
    assert_memory_equal(r->eth_dst, SRV_MAC, 6);
    assert_int_equal(r->ciaddr, SRV_YI);
    assert_int_equal(r->flags, 0);
    assert_false(r->has50 || r->has54); /* RFC 2131 table 5: not when renewing */
    assert_int_not_equal(r->xid, bound_xid);
    assert_true(has_event(ns, ATOLL_EV_DHCP_RENEWED, SRV_YI, 3600));
    assert_int_equal(ns_count_events(ns, ATOLL_EV_ADDR_DOWN), 0);
    assert_int_equal(our_ip(ns), SRV_YI);
    /* the renewed lease runs from the renewal */
    ns_run_until(ns, 2 * T1_MS - 1);
    assert_int_equal(x->srv.n, 3);
    ns_run_until(ns, 2 * T1_MS);
    assert_int_equal(x->srv.n, 4);
}

static void dhcp_rebinds_at_t2(void **state)
{
    struct fx *x = *state;
    struct netsim *ns = x->ns;
    ns_run_until(ns, T2_MS - 1);
    assert_true(x->srv.n >= 4);
    uint64_t last = 0;
    for (size_t i = 2; i < x->srv.n; i++) {
        const struct cmsg *r = &x->srv.log[i];
        assert_int_equal(r->type, 3);
        assert_int_equal(r->ip_dst, SRV_IP);
        assert_int_equal(r->ciaddr, SRV_YI);
        if (i == 2)
            assert_int_equal(r->t, T1_MS);
        else
            assert_true(r->t - last >= 60000); /* RFC 2131 4.4.5 floor */
        last = r->t;
    }
    size_t before = x->srv.n;
    ns_run_until(ns, T2_MS);
    assert_int_equal(x->srv.n, before + 1);
    const struct cmsg *r = fake_server_last(&x->srv);
    assert_int_equal(r->type, 3);
    assert_int_equal(r->t, T2_MS);
    assert_int_equal(r->ip_src, SRV_YI);
    assert_int_equal(r->ip_dst, 0xffffffffu);
    assert_memory_equal(r->eth_dst, BCAST_MAC, 6);
    assert_int_equal(r->ciaddr, SRV_YI);
    assert_false(r->has50 || r->has54);
    assert_int_equal(our_ip(ns), SRV_YI);
    struct server_reply a = fake_server_reply(&x->srv, 5, r->xid);
    fake_server_send(ns, &a);
    assert_true(has_event(ns, ATOLL_EV_DHCP_REBOUND, SRV_YI, 3600));
    assert_int_equal(ns_count_events(ns, ATOLL_EV_ADDR_DOWN), 0);
    assert_int_equal(our_ip(ns), SRV_YI);
}

static void dhcp_lease_expires_back_to_discover(void **state)
{
    struct fx *x = *state;
    struct netsim *ns = x->ns;
    ns_run_until(ns, LEASE_MS - 1);
    assert_int_equal(our_ip(ns), SRV_YI);
    assert_int_equal(ns_count_events(ns, ATOLL_EV_ADDR_DOWN), 0);
    for (size_t i = 2; i < x->srv.n; i++) {
        const struct cmsg *r = &x->srv.log[i];
        assert_int_equal(r->type, 3);
        assert_int_equal(r->ip_dst, r->t >= T2_MS ? 0xffffffffu : SRV_IP);
    }
    uint32_t old_xid = fake_server_last(&x->srv)->xid;
    ns_run_until(ns, LEASE_MS);
    assert_int_equal(our_ip(ns), 0);
    assert_true(has_event(ns, ATOLL_EV_ADDR_DOWN, SRV_YI, 0));
    assert_true(has_event(ns, ATOLL_EV_DHCP_EXPIRED, SRV_YI, 0));
    const struct cmsg *d = fake_server_last(&x->srv);
    assert_int_equal(d->type, 1);
    assert_int_equal(d->t, LEASE_MS);
    assert_int_equal(d->ip_src, 0);
    assert_int_not_equal(d->xid, old_xid);
}

static void dhcp_uses_t1_t2_options(void **state)
{
    (void)state;
    struct fx x;
    fake_server_init(&x.srv);
    x.srv.lease = 300;
    x.srv.t1 = 100;
    x.srv.t2 = 200;
    struct atoll_config c = ns_dhcp_config();
    x.ns = ns_create_r(&c, 0, fake_server_respond, &x.srv);
    assert_non_null(x.ns);
    x.srv.offer = x.srv.ack = 0;
    assert_int_equal(our_ip(x.ns), SRV_YI);
    ns_run_until(x.ns, 299999);
    /* renew at T1 and 60 s later (the floor), rebind at T2 and 60 s later */
    static const uint64_t times[] = {100000, 160000, 200000, 260000};
    static const uint32_t dsts[] = {SRV_IP, SRV_IP, 0xffffffffu, 0xffffffffu};
    assert_int_equal(x.srv.n, 2 + 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(x.srv.log[2 + i].t, times[i]);
        assert_int_equal(x.srv.log[2 + i].ip_dst, dsts[i]);
    }
    assert_int_equal(our_ip(x.ns), SRV_YI);
    ns_run_until(x.ns, 300000);
    assert_int_equal(our_ip(x.ns), 0);
    ns_destroy(x.ns);
}

static void dhcp_infinite_lease_never_renews(void **state)
{
    (void)state;
    struct fx x;
    fake_server_init(&x.srv);
    x.srv.lease = 0xffffffffu;
    struct atoll_config c = ns_dhcp_config();
    x.ns = ns_create_r(&c, 0, fake_server_respond, &x.srv);
    assert_non_null(x.ns);
    assert_int_equal(our_ip(x.ns), SRV_YI);
    ns_run_until(x.ns, 10000);
    assert_int_equal(atoll_poll(x.ns->st, x.ns->now), ATOLL_NO_DEADLINE);
    x.ns->now = 30ull * 24 * 3600 * 1000;
    ns_poll(x.ns);
    assert_int_equal(x.srv.n, 2);
    assert_int_equal(our_ip(x.ns), SRV_YI);
    ns_destroy(x.ns);
}

static void dhcp_nak_while_requesting_restarts(void **state)
{
    struct fx *x = *state;
    struct netsim *ns = x->ns;
    uint32_t xid = x->srv.log[0].xid;
    ns->now = 500;
    offer(x, xid);
    struct server_reply n = fake_server_reply(&x->srv, 6, xid);
    fake_server_send(ns, &n);
    assert_true(has_event(ns, ATOLL_EV_DHCP_NAK, SRV_IP, 0));
    assert_int_equal(our_ip(ns), 0);
    assert_int_equal(ns_count_events(ns, ATOLL_EV_ADDR_UP), 0);
    assert_int_equal(fake_server_count(&x->srv, 1), 1);
    ns_run_until(ns, 500 + 4000);
    assert_int_equal(fake_server_count(&x->srv, 1), 2);
    const struct cmsg *d = fake_server_last(&x->srv);
    assert_int_equal(d->type, 1);
    assert_int_not_equal(d->xid, xid);
    assert_int_equal(fake_server_count(&x->srv, 3), 1); /* the NAKed request is not repeated */
}

static void dhcp_nak_while_renewing_drops_address(void **state)
{
    struct fx *x = *state;
    struct netsim *ns = x->ns;
    x->srv.nak = 1;
    ns_run_until(ns, T1_MS);
    assert_int_equal(fake_server_last(&x->srv)->type, 3);
    assert_true(has_event(ns, ATOLL_EV_DHCP_NAK, SRV_IP, 0));
    assert_true(has_event(ns, ATOLL_EV_ADDR_DOWN, SRV_YI, 0));
    assert_int_equal(our_ip(ns), 0);
    x->srv.nak = 0;
    ns_run_until(ns, T1_MS + 4000);
    const struct cmsg *d = fake_server_last(&x->srv);
    assert_int_equal(d->type, 1);
    assert_int_equal(d->ip_src, 0);
    assert_int_equal(d->ciaddr, 0);
}

static void dhcp_ignores_replies_for_others(void **state)
{
    struct fx *x = *state;
    struct netsim *ns = x->ns;
    static const uint8_t other_mac[6] = {0x02, 0, 0, 0, 0, 0x77};
    uint32_t xid = x->srv.log[0].xid;
    struct server_reply r = fake_server_reply(&x->srv, 2, xid ^ 1u);
    fake_server_send(ns, &r);
    r = fake_server_reply(&x->srv, 2, xid);
    r.chaddr = other_mac;
    fake_server_send(ns, &r);
    r = fake_server_reply(&x->srv, 2, xid);
    r.op = 1; /* a request, not a reply */
    fake_server_send(ns, &r);
    r = fake_server_reply(&x->srv, 5, xid); /* an ACK while selecting */
    fake_server_send(ns, &r);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_DHCP_DROP_UNEXPECTED), 4);
    assert_int_equal(x->srv.n, 1);
    assert_int_equal(ns_count_events(ns, ATOLL_EV_DHCP_OFFER), 0);

    offer(x, xid);
    assert_int_equal(fake_server_count(&x->srv, 3), 1);
    r = fake_server_reply(&x->srv, 5, xid + 1);
    fake_server_send(ns, &r);
    r = fake_server_reply(&x->srv, 5, xid);
    r.chaddr = other_mac;
    fake_server_send(ns, &r);
    r = fake_server_reply(&x->srv, 5, xid);
    r.server_id = 0x0a0000feu; /* not the server we asked */
    fake_server_send(ns, &r);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_DHCP_DROP_UNEXPECTED), 7);
    assert_int_equal(our_ip(ns), 0);
    r = fake_server_reply(&x->srv, 5, xid);
    fake_server_send(ns, &r);
    assert_int_equal(our_ip(ns), SRV_YI);
}

static void dhcp_malformed_replies_counted(void **state)
{
    struct fx *x = *state;
    struct netsim *ns = x->ns;
    uint32_t xid = x->srv.log[0].xid;
    uint8_t m[400];
    size_t p;
    /* shorter than the fixed part */
    p = mk_bootp(m, 2, xid, SRV_YI, NS_MAC);
    fake_server_send_raw(ns, m, 200);
    /* no magic cookie */
    p = mk_bootp(m, 2, xid, SRV_YI, NS_MAC);
    p = opt_put8(m, p, 53, 2);
    p = opt_put32(m, p, 54, SRV_IP);
    m[p++] = 255;
    memset(m + 236, 0, 4);
    fake_server_send_raw(ns, m, p);
    /* the server id option runs past the end */
    p = mk_bootp(m, 2, xid, SRV_YI, NS_MAC);
    p = opt_put8(m, p, 53, 2);
    m[p++] = 54;
    m[p++] = 4;
    m[p++] = 10;
    fake_server_send_raw(ns, m, p);
    /* a zero-length server id */
    p = mk_bootp(m, 2, xid, SRV_YI, NS_MAC);
    p = opt_put8(m, p, 53, 2);
    p = opt_put(m, p, 54, 0, NULL);
    m[p++] = 255;
    fake_server_send_raw(ns, m, p);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_DHCP_DROP_MALFORMED), 4);
    assert_int_equal(x->srv.n, 1);
    offer(x, xid);
    assert_int_equal(fake_server_count(&x->srv, 3), 1);
}

static void dhcp_ack_with_unusable_address_ignored(void **state)
{
    struct fx *x = *state;
    struct netsim *ns = x->ns;
    uint32_t xid = x->srv.log[0].xid;
    offer(x, xid);
    static const uint32_t bad[] = {0, 0x0a0000ffu, 0x0a000000u, 0xe0000005u};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct server_reply r = fake_server_reply(&x->srv, 5, xid);
        r.yiaddr = bad[i];
        fake_server_send(ns, &r);
        assert_int_equal(our_ip(ns), 0);
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_DHCP_DROP_UNEXPECTED), 4);
    assert_int_equal(ns_count_events(ns, ATOLL_EV_DHCP_BOUND), 0);
}

static void dhcp_arp_unanswered_before_bound(void **state)
{
    struct fx *x = *state;
    struct netsim *ns = x->ns;
    static const uint8_t zero[6] = {0};
    uint8_t f[42];
    mk_arp(f, BCAST_MAC, PEER_MAC, 1, PEER_MAC, PEER_IP, zero, SRV_YI);
    size_t before = ns->nframes;
    ns_input(ns, f, sizeof f);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_DROP_NO_ADDR), 1);
    assert_int_equal(ns->nframes, before);
}

#define SILENT(f) cmocka_unit_test_setup_teardown(f, setup_silent, teardown)
#define BOUND(f) cmocka_unit_test_setup_teardown(f, setup_bound, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        SILENT(dhcp_discover_is_broadcast),
        SILENT(dhcp_offer_request_ack_binds),
        SILENT(dhcp_discover_backs_off),
        SILENT(dhcp_request_retransmits_then_restarts),
        BOUND(dhcp_renews_at_t1),
        BOUND(dhcp_rebinds_at_t2),
        BOUND(dhcp_lease_expires_back_to_discover),
        cmocka_unit_test(dhcp_uses_t1_t2_options),
        cmocka_unit_test(dhcp_infinite_lease_never_renews),
        SILENT(dhcp_nak_while_requesting_restarts),
        BOUND(dhcp_nak_while_renewing_drops_address),
        SILENT(dhcp_ignores_replies_for_others),
        SILENT(dhcp_malformed_replies_counted),
        SILENT(dhcp_ack_with_unusable_address_ignored),
        SILENT(dhcp_arp_unanswered_before_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
