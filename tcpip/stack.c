/* SPDX-License-Identifier: Apache-2.0 */
/* Stack instance: init, frame dispatch, timers, counters. */
#include <string.h>

#include "tcpip/stack.h"

#define BASE_SIZE ((sizeof(struct atoll_stack) + 15u) / 16u * 16u)

_Static_assert(BASE_SIZE + TCP_DEFAULT_CONNS * (sizeof(struct atoll_tcp) + 16u)
                       + TCP_DEFAULT_BUFFERS * (TCP_DEFAULT_BUFSIZE + sizeof(uint32_t)) + 64u
                   <= ATOLL_ARENA_SIZE,
               "ATOLL_ARENA_SIZE too small for the default sizing");

static const char *const counter_names[] = {
#define ATOLL_CTR_NAME_(n) #n,
    ATOLL_COUNTERS(ATOLL_CTR_NAME_)
#undef ATOLL_CTR_NAME_
};

const char *atoll_counter_name(enum atoll_counter c)
{
    if ((unsigned)c >= ATOLL_CTR_COUNT)
        return "?";
    return counter_names[c];
}

size_t atoll_stack_size_for(const struct atoll_config *cfg)
{
    return BASE_SIZE + tcp_arena_need(cfg);
}

size_t atoll_stack_size(void)
{
    return atoll_stack_size_for(NULL);
}

uint64_t stack_min(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* xorshift64*: not cryptographic, only to make identifiers unpredictable
 * enough that they do not collide across restarts. */
uint64_t stack_rand(struct atoll_stack *st)
{
    uint64_t x = st->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    st->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

void stack_event(struct atoll_stack *st, enum atoll_event ev, uint32_t a, uint32_t b)
{
    if (st->cb.event)
        st->cb.event(st->cb.ctx, ev, a, b);
}

static uint32_t prefix_len(uint32_t mask)
{
    uint32_t n = 0;
    while (mask & 0x80000000u) {
        n++;
        mask <<= 1;
    }
    return n;
}

static int mask_valid(uint32_t mask)
{
    /* contiguous ones from the top */
    uint32_t inv = ~mask;
    return (inv & (inv + 1u)) == 0;
}

void stack_set_addr(struct atoll_stack *st, uint32_t ip, uint32_t mask, uint32_t gw)
{
    uint32_t old = st->ip;
    int changed = old != ip || st->netmask != mask;
    if (old != 0 && changed)
        stack_event(st, ATOLL_EV_ADDR_DOWN, old, 0);
    st->ip = ip;
    st->netmask = mask;
    st->gateway = gw;
    if (changed) {
        /* Neighbours learnt under another subnet may not be neighbours now. */
        arp_flush(st);
    }
    if (ip != 0 && changed) {
        stack_event(st, ATOLL_EV_ADDR_UP, ip, prefix_len(mask));
        arp_announce(st);
    }
}

struct atoll_stack *atoll_stack_init(void *arena, size_t arena_len, const struct atoll_config *cfg,
                                     const struct atoll_callbacks *cb, uint64_t now)
{
    if (arena == NULL || cfg == NULL || cb == NULL || cb->send_frame == NULL)
        return NULL;
    if (arena_len < atoll_stack_size_for(cfg) || ((uintptr_t)arena % 16u) != 0)
        return NULL;
    if (cfg->mac[0] & 1u) /* a multicast source address is not an address */
        return NULL;
    if (!cfg->use_dhcp) {
        /* Multicast, class E, "this network" (0/8) and loopback are never a host's address. */
        uint32_t top = cfg->ip / 16777216u;
        if (cfg->ip >= 0xe0000000u || top == 0u || top == 127u)
            return NULL;
        if (cfg->netmask == 0 || !mask_valid(cfg->netmask) || cfg->netmask == 0xffffffffu)
            return NULL;
        if ((cfg->ip & ~cfg->netmask) == 0 || (cfg->ip | cfg->netmask) == 0xffffffffu)
            return NULL; /* network or broadcast address of its own subnet */
        if (cfg->gateway != 0 && (cfg->gateway & cfg->netmask) != (cfg->ip & cfg->netmask))
            return NULL;
    }
    struct atoll_stack *st = arena;
    memset(st, 0, sizeof *st);
    st->cb = *cb;
    memcpy(st->mac, cfg->mac, 6);
    st->rng = cfg->seed ? cfg->seed : 0x9E3779B97F4A7C15ULL;
    st->ip_id = (uint16_t)stack_rand(st);
    st->now = now;
    st->icmp_tokens = ICMP_ERR_BURST * 1000u;
    st->icmp_last = now;
    if (cb->send_frame_ex) {
        st->tso_max = cfg->tso_max;
        st->tx_csum_offload = (uint8_t)(cfg->tx_csum_offload || cfg->tso_max);
    }
    if (tcp_init(st, cfg, (uint8_t *)arena + BASE_SIZE, arena_len - BASE_SIZE) != ATOLL_OK)
        return NULL;
    if (cfg->use_dhcp) {
        dhcp_start(st);
    } else {
        stack_set_addr(st, cfg->ip, cfg->netmask, cfg->gateway);
    }
    return st;
}

static int mac_is_ours(const struct atoll_stack *st, const uint8_t *m)
{
    return memcmp(m, st->mac, 6) == 0;
}

static int mac_is_bcast(const uint8_t *m)
{
    static const uint8_t b[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    return memcmp(m, b, 6) == 0;
}

void atoll_input(struct atoll_stack *st, const uint8_t *frame, size_t len, uint64_t now)
{
    struct eth_hdr eh;
    st->now = now;
    CTR(st, ETH_RX);
    if (eth_parse(frame, len, &eh) < 0) {
        CTR(st, ETH_DROP_RUNT);
        return;
    }
    if (len > ETH_FRAME_MAX) {
        CTR(st, ETH_DROP_OVERSIZE);
        return;
    }
    if (eh.type == ETHERTYPE_VLAN || eh.type == ETHERTYPE_QINQ) {
        /* We are not a VLAN member; a tagged frame is someone else's. */
        CTR(st, ETH_DROP_VLAN);
        return;
    }
    int bcast = mac_is_bcast(eh.dst);
    if (!bcast && !mac_is_ours(st, eh.dst)) {
        CTR(st, ETH_DROP_NOT_FOR_US);
        return;
    }
    if (eh.type == ETHERTYPE_ARP)
        arp_input(st, &eh, frame + ETH_HDR_LEN, len - ETH_HDR_LEN);
    else if (eh.type == ETHERTYPE_IPV4) {
        st->in_input = 1;
        ipv4_input(st, frame + ETH_HDR_LEN, len - ETH_HDR_LEN, bcast);
        st->in_input = 0;
    } else
        CTR(st, ETH_DROP_ETHERTYPE);
}

uint64_t atoll_poll(struct atoll_stack *st, uint64_t now)
{
    st->now = now;
    uint64_t d = arp_timers(st);
    d = stack_min(d, reasm_timers(st));
    d = stack_min(d, dhcp_timers(st));
    d = stack_min(d, tcp_timers(st));
    return d;
}

int atoll_ipv4_addr(const struct atoll_stack *st, uint32_t *ip, uint32_t *netmask, uint32_t *gateway)
{
    if (st->ip == 0)
        return ATOLL_E_NOROUTE;
    if (ip)
        *ip = st->ip;
    if (netmask)
        *netmask = st->netmask;
    if (gateway)
        *gateway = st->gateway;
    return ATOLL_OK;
}

const struct atoll_counters *atoll_get_counters(const struct atoll_stack *st)
{
    return &st->ctr;
}
