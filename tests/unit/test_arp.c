/* SPDX-License-Identifier: Apache-2.0 */
/* ARP engine: replies, learning, expiry and refresh, eviction, the
 * rate-limited resolution with its bounded queue, announcements, conflicts. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"

static const uint8_t ZERO[6] = {0};
static const uint8_t OTHER_MAC[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0xbb};
#define OTHER_IP 0x0a000007u

/* Spec values (the numbers the design promises, not the header's). */
#define TTL_MS 60000u
#define CACHE 32
#define QUEUE 16

static void send_seq(struct netsim *ns, uint32_t dst, uint8_t seq)
{
    uint8_t d[4] = {seq, 0xa5, 0x5a, seq};
    assert_int_equal(atoll_udp_send(ns->st, 5000, dst, 6000, d, sizeof d, ns->now), ATOLL_OK);
}

/* The UDP sequence byte of a captured frame sent by send_seq. */
static int frame_seq(const struct ns_frame *f)
{
    const uint8_t *ip = fr_ip(f);
    assert_non_null(ip);
    assert_int_equal(ip[9], 17);
    return ip[20 + 8];
}

static size_t ip_frames_to(const struct netsim *ns, const uint8_t *mac, uint32_t ip_dst)
{
    size_t n = 0;
    for (size_t i = 0; i < ns->nframes; i++) {
        const uint8_t *ip = fr_ip(&ns->frames[i]);
        if (ip && memcmp(ns->frames[i].b, mac, 6) == 0 && get32(ip + 16) == ip_dst)
            n++;
    }
    return n;
}

static void mac_n(uint8_t mac[6], unsigned i)
{
    static const uint8_t base[6] = {0x02, 0x00, 0x00, 0x00, 0x01, 0x00};
    memcpy(mac, base, 6);
    mac[5] = (uint8_t)i;
}

static void reply_from(struct netsim *ns, const uint8_t *mac, uint32_t ip)
{
    uint8_t f[42];
    mk_arp(f, NS_MAC, mac, 2, mac, ip, NS_MAC, NS_IP);
    ns_input(ns, f, sizeof f);
}

/* A request on the wire must be well formed wherever it appears. */
static void check_request(const struct ns_frame *f, const uint8_t *eth_dst, uint32_t tpa)
{
    assert_true(f->len >= 42);
    assert_memory_equal(f->b, eth_dst, 6);
    assert_memory_equal(f->b + 6, NS_MAC, 6);
    assert_int_equal(fr_type(f), 0x0806);
    assert_int_equal(get16(f->b + 14), 1);
    assert_int_equal(get16(f->b + 16), 0x0800);
    assert_int_equal(f->b[18], 6);
    assert_int_equal(f->b[19], 4);
    assert_int_equal(get16(f->b + 20), 1);
    assert_memory_equal(f->b + 22, NS_MAC, 6);
    assert_int_equal(get32(f->b + 28), NS_IP);
    assert_memory_equal(f->b + 32, ZERO, 6);
    assert_int_equal(get32(f->b + 38), tpa);
}

static void arp_replies_to_request_for_us(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[42];
    mk_arp(f, BCAST_MAC, PEER_MAC, 1, PEER_MAC, PEER_IP, ZERO, NS_IP);
    ns_input(ns, f, sizeof f);
    assert_int_equal(ns->nframes, 1);
    const struct ns_frame *r = &ns->frames[0];
    assert_int_equal(r->len, 60); /* padded to the Ethernet minimum */
    assert_memory_equal(r->b, PEER_MAC, 6);
    assert_memory_equal(r->b + 6, NS_MAC, 6);
    assert_int_equal(fr_type(r), 0x0806);
    assert_int_equal(get16(r->b + 14), 1);
    assert_int_equal(get16(r->b + 16), 0x0800);
    assert_int_equal(r->b[18], 6);
    assert_int_equal(r->b[19], 4);
    assert_int_equal(get16(r->b + 20), 2);
    assert_memory_equal(r->b + 22, NS_MAC, 6);
    assert_int_equal(get32(r->b + 28), NS_IP);
    assert_memory_equal(r->b + 32, PEER_MAC, 6);
    assert_int_equal(get32(r->b + 38), PEER_IP);
    for (size_t i = 42; i < 60; i++)
        assert_int_equal(r->b[i], 0);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_REPLY_TX), 1);
}

static void arp_ignores_request_for_other_address(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[42];
    mk_arp(f, BCAST_MAC, PEER_MAC, 1, PEER_MAC, PEER_IP, ZERO, 0x0a000009u);
    ns_input(ns, f, sizeof f);
    assert_int_equal(ns->nframes, 0);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_REPLY_TX), 0);
    /* nor does a stranger's request for someone else create an entry */
    send_seq(ns, PEER_IP, 1);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 1);
    assert_int_equal(ip_frames_to(ns, PEER_MAC, PEER_IP), 0);
}

static void arp_learns_from_request_to_us(void **state)
{
    struct netsim *ns = *state;
    ns_learn(ns, PEER_MAC, PEER_IP);
    send_seq(ns, PEER_IP, 1);
    assert_int_equal(ns->nframes, 1);
    assert_int_equal(ip_frames_to(ns, PEER_MAC, PEER_IP), 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_REQUEST_TX), 0);
}

static void arp_updates_known_entry_from_any_packet(void **state)
{
    struct netsim *ns = *state;
    ns_learn(ns, PEER_MAC, PEER_IP);
    /* the peer moved to another NIC and announces it (gratuitous) */
    uint8_t f[42];
    mk_arp(f, BCAST_MAC, OTHER_MAC, 1, OTHER_MAC, PEER_IP, ZERO, PEER_IP);
    ns_input(ns, f, sizeof f);
    assert_int_equal(ns->nframes, 0);
    send_seq(ns, PEER_IP, 1);
    assert_int_equal(ip_frames_to(ns, OTHER_MAC, PEER_IP), 1);
    assert_int_equal(ip_frames_to(ns, PEER_MAC, PEER_IP), 0);
}

static void arp_drops_bad_senders(void **state)
{
    struct netsim *ns = *state;
    static const uint8_t group[6] = {0x03, 0, 0, 0, 0, 1};
    uint8_t f[42];
    mk_arp(f, BCAST_MAC, group, 1, group, PEER_IP, ZERO, NS_IP);
    ns_input(ns, f, sizeof f);
    mk_arp(f, BCAST_MAC, NS_MAC, 1, NS_MAC, PEER_IP, ZERO, NS_IP);
    ns_input(ns, f, sizeof f);
    mk_arp(f, BCAST_MAC, PEER_MAC, 1, OTHER_MAC, PEER_IP, ZERO, NS_IP); /* sha != source */
    ns_input(ns, f, sizeof f);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_DROP_BAD_SENDER), 3);
    assert_int_equal(ns->nframes, 0);
}

static void arp_drops_malformed(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[42];
    mk_arp(f, BCAST_MAC, PEER_MAC, 1, PEER_MAC, PEER_IP, ZERO, NS_IP);
    f[15] = 6; /* htype IEEE 802 */
    ns_input(ns, f, sizeof f);
    mk_arp(f, BCAST_MAC, PEER_MAC, 3, PEER_MAC, PEER_IP, ZERO, NS_IP); /* RARP request */
    ns_input(ns, f, sizeof f);
    mk_arp(f, BCAST_MAC, PEER_MAC, 1, PEER_MAC, PEER_IP, ZERO, NS_IP);
    ns_input(ns, f, 41);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_DROP_UNSUPPORTED), 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_DROP_OPCODE), 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_DROP_TRUNC), 1);
    assert_int_equal(ns->nframes, 0);
}

static void arp_cache_expires_after_60s(void **state)
{
    struct netsim *ns = *state;
    uint64_t t0 = ns->now;
    ns_learn(ns, PEER_MAC, PEER_IP);
    ns_run_until(ns, t0 + TTL_MS - 1);
    send_seq(ns, PEER_IP, 1);
    assert_int_equal(ip_frames_to(ns, PEER_MAC, PEER_IP), 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_CACHE_EXPIRE), 0);
    ns_clear(ns);
    ns_run_until(ns, t0 + TTL_MS);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_CACHE_EXPIRE), 1);
    send_seq(ns, PEER_IP, 2);
    assert_int_equal(ip_frames_to(ns, PEER_MAC, PEER_IP), 0);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 1);
    check_request(&ns->frames[ns->nframes - 1], BCAST_MAC, PEER_IP);
}

static void arp_refreshes_before_expiry(void **state)
{
    struct netsim *ns = *state;
    uint64_t t0 = ns->now;
    ns_learn(ns, PEER_MAC, PEER_IP);
    /* well before expiry: no question asked */
    ns_run_until(ns, t0 + 40000);
    send_seq(ns, PEER_IP, 1);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 0);
    /* in the last 10 s: traffic flows and a unicast request goes out, once a second at most */
    ns_run_until(ns, t0 + 55000);
    ns_clear(ns);
    send_seq(ns, PEER_IP, 2);
    send_seq(ns, PEER_IP, 3);
    ns->now += 999;
    send_seq(ns, PEER_IP, 4);
    assert_int_equal(ip_frames_to(ns, PEER_MAC, PEER_IP), 3);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 1);
    check_request(&ns->frames[0], PEER_MAC, PEER_IP);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_REQUEST_RATE_LIMITED), 2);
    ns->now += 1;
    send_seq(ns, PEER_IP, 5);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 2);
    /* the answer extends the entry past the original 60 s */
    reply_from(ns, PEER_MAC, PEER_IP);
    ns_run_until(ns, t0 + TTL_MS + 30000);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_CACHE_EXPIRE), 0);
    ns_clear(ns);
    send_seq(ns, PEER_IP, 6);
    assert_int_equal(ip_frames_to(ns, PEER_MAC, PEER_IP), 1);
}

static void arp_evicts_entry_closest_to_expiry(void **state)
{
    struct netsim *ns = *state;
    uint8_t mac[6];
    for (unsigned i = 0; i < CACHE; i++) {
        mac_n(mac, i);
        ns_learn(ns, mac, 0x0a000010u + i);
        ns->now += 100;
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_CACHE_EVICT), 0);
    /* host 0 speaks again, so host 1 is now the stalest */
    mac_n(mac, 0);
    ns_learn(ns, mac, 0x0a000010u);
    mac_n(mac, CACHE);
    ns_learn(ns, mac, 0x0a000010u + CACHE);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_CACHE_EVICT), 1);
    for (unsigned i = 0; i <= CACHE; i++) {
        if (i == 1)
            continue;
        send_seq(ns, 0x0a000010u + i, (uint8_t)i);
        mac_n(mac, i);
        assert_int_equal(ip_frames_to(ns, mac, 0x0a000010u + i), 1);
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_REQUEST_TX), 0);
    send_seq(ns, 0x0a000011u, 1);
    assert_int_equal(ns_count_arp(ns, 1, 0x0a000011u), 1);
}

static void arp_resolution_rate_limited_then_fails(void **state)
{
    struct netsim *ns = *state;
    uint64_t t0 = ns->now;
    send_seq(ns, PEER_IP, 0);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 1);
    check_request(&ns->frames[0], BCAST_MAC, PEER_IP);
    ns->now = t0 + 500;
    send_seq(ns, PEER_IP, 1);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 1);
    ns_run_until(ns, t0 + 999);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 1);
    ns_run_until(ns, t0 + 1000);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 2);
    ns_run_until(ns, t0 + 1999);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 2);
    ns_run_until(ns, t0 + 2000);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 3);
    ns_run_until(ns, t0 + 2999);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_RESOLVE_FAIL), 0);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_QUEUE_DROP), 0);
    ns_run_until(ns, t0 + 3000);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 3);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_RESOLVE_FAIL), 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_QUEUE_DROP), 2);
    assert_int_equal(ns_count_ip(ns, 17), 0);
    /* a late answer finds nothing queued any more */
    /* while failed, sends are refused without asking again */
    send_seq(ns, PEER_IP, 2);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 3);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_RESOLVE_FAIL), 2);
    /* after the hold, a new attempt starts */
    ns_run_until(ns, t0 + 10000);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 3);
    send_seq(ns, PEER_IP, 3);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 4);
    reply_from(ns, PEER_MAC, PEER_IP);
    assert_int_equal(ip_frames_to(ns, PEER_MAC, PEER_IP), 1);
    assert_int_equal(frame_seq(&ns->frames[ns->nframes - 1]), 3);
}

static void arp_queue_bounded_and_flushed_in_order(void **state)
{
    struct netsim *ns = *state;
    for (unsigned i = 0; i < QUEUE + 4; i++)
        send_seq(ns, PEER_IP, (uint8_t)i);
    assert_int_equal(ns_count_arp(ns, 1, PEER_IP), 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_QUEUE_DROP), 4);
    ns_clear(ns);
    reply_from(ns, PEER_MAC, PEER_IP);
    assert_int_equal(ns->nframes, QUEUE);
    /* overflow pushed out the oldest frames: the newest QUEUE remain */
    for (unsigned i = 0; i < QUEUE; i++) {
        assert_memory_equal(ns->frames[i].b, PEER_MAC, 6);
        assert_int_equal(frame_seq(&ns->frames[i]), (int)(i + 4));
    }
    /* the queue is free again */
    ns_clear(ns);
    send_seq(ns, PEER_IP, 99);
    assert_int_equal(ns->nframes, 1);
}

static void arp_flush_order_survives_slot_reuse(void **state)
{
    struct netsim *ns = *state;
    uint64_t t0 = ns->now;
    send_seq(ns, OTHER_IP, 50); /* will fail, freeing its queue slot later */
    ns_run_until(ns, t0 + 2999);
    ns->now = t0 + 3000;
    send_seq(ns, PEER_IP, 1);   /* queued before the failure is noticed */
    ns_poll(ns);                /* OTHER fails: its slot comes free */
    send_seq(ns, PEER_IP, 2);   /* same millisecond, into the freed slot */
    ns_clear(ns);
    reply_from(ns, PEER_MAC, PEER_IP);
    assert_int_equal(ns->nframes, 2);
    assert_int_equal(frame_seq(&ns->frames[0]), 1);
    assert_int_equal(frame_seq(&ns->frames[1]), 2);
}

static void arp_announces_twice_at_init(void **state)
{
    (void)state;
    struct atoll_config c = ns_static_config();
    struct netsim *ns = ns_create(&c, 5000);
    assert_non_null(ns);
    assert_int_equal(ns->nframes, 1);
    const struct ns_frame *f = &ns->frames[0];
    assert_memory_equal(f->b, BCAST_MAC, 6);
    assert_int_equal(get16(f->b + 20), 1);
    assert_memory_equal(f->b + 22, NS_MAC, 6);
    assert_int_equal(get32(f->b + 28), NS_IP);
    assert_memory_equal(f->b + 32, ZERO, 6);
    assert_int_equal(get32(f->b + 38), NS_IP);
    ns_run_until(ns, 6999);
    assert_int_equal(ns->nframes, 1);
    ns_run_until(ns, 7000);
    assert_int_equal(ns->nframes, 2);
    assert_memory_equal(ns->frames[1].b, ns->frames[0].b, ns->frames[0].len);
    ns_run_until(ns, 100000);
    assert_int_equal(ns->nframes, 2);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_GRATUITOUS_TX), 2);
    assert_int_equal(atoll_poll(ns->st, 100000), ATOLL_NO_DEADLINE);
    ns_destroy(ns);
}

static void arp_conflict_counted(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[42];
    mk_arp(f, BCAST_MAC, OTHER_MAC, 1, OTHER_MAC, NS_IP, ZERO, NS_IP);
    ns_input(ns, f, sizeof f);
    mk_arp(f, NS_MAC, OTHER_MAC, 2, OTHER_MAC, NS_IP, NS_MAC, NS_IP);
    ns_input(ns, f, sizeof f);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_CONFLICT), 2);
    assert_int_equal(ns_count_events(ns, ATOLL_EV_ARP_CONFLICT), 2);
    assert_int_equal(ns->events[0].a, NS_IP);
    assert_int_equal(ns->nframes, 0);
    /* our own announcement looped back is not a conflict */
    mk_arp(f, BCAST_MAC, NS_MAC, 1, NS_MAC, NS_IP, ZERO, NS_IP);
    ns_input(ns, f, sizeof f);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_CONFLICT), 2);
}

static void arp_broadcast_needs_no_resolution(void **state)
{
    struct netsim *ns = *state;
    send_seq(ns, NS_BCAST, 1);
    send_seq(ns, 0xffffffffu, 2);
    assert_int_equal(ns->nframes, 2);
    assert_memory_equal(ns->frames[0].b, BCAST_MAC, 6);
    assert_memory_equal(ns->frames[1].b, BCAST_MAC, 6);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_ARP_REQUEST_TX), 0);
}

static void arp_off_subnet_goes_to_gateway(void **state)
{
    struct netsim *ns = *state;
    send_seq(ns, 0x08080808u, 1);
    assert_int_equal(ns_count_arp(ns, 1, NS_GW), 1);
    assert_int_equal(ns_count_arp(ns, 1, 0x08080808u), 0);
    ns_clear(ns);
    reply_from(ns, OTHER_MAC, NS_GW);
    assert_int_equal(ip_frames_to(ns, OTHER_MAC, 0x08080808u), 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, ns_setup_static, ns_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(arp_replies_to_request_for_us),
        T(arp_ignores_request_for_other_address),
        T(arp_learns_from_request_to_us),
        T(arp_updates_known_entry_from_any_packet),
        T(arp_drops_bad_senders),
        T(arp_drops_malformed),
        T(arp_cache_expires_after_60s),
        T(arp_refreshes_before_expiry),
        T(arp_evicts_entry_closest_to_expiry),
        T(arp_resolution_rate_limited_then_fails),
        T(arp_queue_bounded_and_flushed_in_order),
        T(arp_flush_order_survives_slot_reuse),
        cmocka_unit_test(arp_announces_twice_at_init),
        T(arp_conflict_counted),
        T(arp_broadcast_needs_no_resolution),
        T(arp_off_subnet_goes_to_gateway),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
