/* SPDX-License-Identifier: Apache-2.0 */
/* ARP (RFC 826): replies, a bounded cache with expiry, rate-limited
 * requests, gratuitous announcements and a small queue of frames waiting
 * for resolution. */
#include <string.h>

#include "tcpip/stack.h"
#include "tcpip/wire_arp.h"

static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t zero_mac[6] = {0};

static void arp_send(struct atoll_stack *st, uint16_t op, const uint8_t *dst_mac, const uint8_t *tha, uint32_t tpa)
{
    /* Padded to the Ethernet minimum: real NICs and some bridges drop runts. */
    uint8_t f[60];
    struct eth_hdr eh;
    struct arp_pkt a;
    memset(f, 0, sizeof f);
    memcpy(eh.dst, dst_mac, 6);
    memcpy(eh.src, st->mac, 6);
    eh.type = ETHERTYPE_ARP;
    a.oper = op;
    memcpy(a.sha, st->mac, 6);
    a.spa = st->ip;
    memcpy(a.tha, tha, 6);
    a.tpa = tpa;
    eth_emit(f, sizeof f, &eh);
    arp_emit(f + ETH_HDR_LEN, sizeof f - ETH_HDR_LEN, &a);
    st->cb.send_frame(st->cb.ctx, f, sizeof f);
    CTR(st, ETH_TX);
}

static void arp_request(struct atoll_stack *st, struct arp_entry *e, const uint8_t *dst_mac)
{
    arp_send(st, ARP_OP_REQUEST, dst_mac, zero_mac, e->ip);
    e->last_req = st->now;
    CTR(st, ARP_REQUEST_TX);
}

void arp_announce(struct atoll_stack *st)
{
    st->announce_left = ARP_ANNOUNCE_COUNT;
    st->announce_at = st->now;
    arp_timers(st);
}

static struct arp_entry *arp_find(struct atoll_stack *st, uint32_t ip)
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++)
        if (st->arp[i].state != ARP_FREE && st->arp[i].ip == ip)
            return &st->arp[i];
    return NULL;
}

static void queue_drop_for(struct atoll_stack *st, uint32_t ip)
{
    for (int i = 0; i < ARP_QUEUE_SIZE; i++) {
        if (st->arpq[i].used && st->arpq[i].next_hop == ip) {
            st->arpq[i].used = 0;
            CTR(st, ARP_QUEUE_DROP);
        }
    }
}

/* A free slot, else a failed one, else the oldest incomplete one (its
 * queued frames go with it), else the resolved entry closest to expiry:
 * a flood of lookups for silent addresses must not flush live neighbours. */
static struct arp_entry *arp_alloc(struct atoll_stack *st, uint32_t ip)
{
    struct arp_entry *victim = NULL;
    int best_rank = 4;
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &st->arp[i];
        int rank = e->state == ARP_FREE ? 0 : e->state == ARP_FAILED ? 1 : e->state == ARP_INCOMPLETE ? 2 : 3;
        int older = victim && (rank == 3 ? e->expires < victim->expires : e->last_req < victim->last_req);
        if (rank < best_rank || (rank == best_rank && rank >= 2 && older)) {
            victim = e;
            best_rank = rank;
        }
    }
    if (best_rank >= 2) {
        CTR(st, ARP_CACHE_EVICT);
        queue_drop_for(st, victim->ip);
    }
    memset(victim, 0, sizeof *victim);
    victim->ip = ip;
    return victim;
}

static void queue_flush_to(struct atoll_stack *st, const struct arp_entry *e)
{
    /* FIFO per destination: send in the order the frames were queued. */
    for (;;) {
        struct arp_pending *oldest = NULL;
        for (int i = 0; i < ARP_QUEUE_SIZE; i++) {
            struct arp_pending *q = &st->arpq[i];
            if (q->used && q->next_hop == e->ip && (!oldest || (int32_t)(q->seq - oldest->seq) < 0))
                oldest = q;
        }
        if (!oldest)
            return;
        memcpy(oldest->frame, e->mac, 6);
        st->cb.send_frame(st->cb.ctx, oldest->frame, oldest->len);
        CTR(st, ETH_TX);
        oldest->used = 0;
    }
}

static void arp_learn(struct atoll_stack *st, struct arp_entry *e, const uint8_t *mac)
{
    memcpy(e->mac, mac, 6);
    e->state = ARP_RESOLVED;
    e->tries = 0;
    e->expires = st->now + ARP_ENTRY_TTL_MS;
    queue_flush_to(st, e);
}

void arp_input(struct atoll_stack *st, const struct eth_hdr *eh, const uint8_t *p, size_t len)
{
    struct arp_pkt a;
    int r = arp_parse(p, len, &a);
    CTR(st, ARP_RX);
    if (r == ARP_E_TRUNC) {
        CTR(st, ARP_DROP_TRUNC);
        return;
    }
    if (r == ARP_E_UNSUPPORTED) {
        CTR(st, ARP_DROP_UNSUPPORTED);
        return;
    }
    if (r < 0) {
        CTR(st, ARP_DROP_OPCODE);
        return;
    }
    /* A sender hardware address that is group or ours, or that disagrees
     * with the frame's source, is a spoof or a loop. */
    if ((a.sha[0] & 1u) || memcmp(a.sha, st->mac, 6) == 0 || memcmp(a.sha, eh->src, 6) != 0) {
        CTR(st, ARP_DROP_BAD_SENDER);
        return;
    }
    if (st->ip == 0) {
        CTR(st, ARP_DROP_NO_ADDR);
        return;
    }
    if (a.spa == st->ip) {
        CTR(st, ARP_CONFLICT);
        stack_event(st, ATOLL_EV_ARP_CONFLICT, st->ip, 0);
        return;
    }
    int for_us = a.tpa == st->ip;
    int sender_ok = a.spa != 0 && a.spa != 0xffffffffu && (a.spa & st->netmask) == (st->ip & st->netmask)
                    && !ipv4_is_local_bcast(st, a.spa);
    if (sender_ok) {
        struct arp_entry *e = arp_find(st, a.spa);
        if (e)
            arp_learn(st, e, a.sha);
        else if (for_us)
            arp_learn(st, arp_alloc(st, a.spa), a.sha);
    }
    if (for_us && a.oper == ARP_OP_REQUEST) {
        arp_send(st, ARP_OP_REPLY, a.sha, a.sha, a.spa);
        CTR(st, ARP_REPLY_TX);
    }
}

void arp_output(struct atoll_stack *st, uint32_t next_hop, size_t len)
{
    if (next_hop == 0xffffffffu || ipv4_is_local_bcast(st, next_hop)) {
        memcpy(st->frame, bcast_mac, 6);
        st->cb.send_frame(st->cb.ctx, st->frame, len);
        CTR(st, ETH_TX);
        return;
    }
    struct arp_entry *e = arp_find(st, next_hop);
    if (e && e->state == ARP_RESOLVED) {
        if (e->expires - st->now < ARP_REFRESH_MS) {
            /* Ask again before the entry lapses so traffic never stalls. */
            if (st->now - e->last_req >= ARP_RETRY_MS)
                arp_request(st, e, e->mac);
            else
                CTR(st, ARP_REQUEST_RATE_LIMITED);
        }
        memcpy(st->frame, e->mac, 6);
        st->cb.send_frame(st->cb.ctx, st->frame, len);
        CTR(st, ETH_TX);
        return;
    }
    if (e && e->state == ARP_FAILED) {
        CTR(st, ARP_RESOLVE_FAIL);
        return;
    }
    struct arp_pending *slot = NULL;
    for (int i = 0; i < ARP_QUEUE_SIZE && !slot; i++)
        if (!st->arpq[i].used)
            slot = &st->arpq[i];
    if (!slot) {
        /* Full: the oldest frame has had longest to be answered; give its
         * place to the newest. */
        for (int i = 0; i < ARP_QUEUE_SIZE; i++)
            if (!slot || (int32_t)(st->arpq[i].seq - slot->seq) < 0)
                slot = &st->arpq[i];
        CTR(st, ARP_QUEUE_DROP);
    }
    {
        slot->used = 1;
        slot->next_hop = next_hop;
        slot->len = (uint16_t)len;
        slot->queued_at = st->now;
        slot->seq = st->arpq_seq++;
        memcpy(slot->frame, st->frame, len);
    }
    if (!e) {
        e = arp_alloc(st, next_hop);
        e->state = ARP_INCOMPLETE;
        e->tries = 1;
        arp_request(st, e, bcast_mac);
        e->next_retry = st->now + ARP_RETRY_MS;
    }
}

uint64_t arp_timers(struct atoll_stack *st)
{
    uint64_t next = ATOLL_NO_DEADLINE;
    if (st->announce_left > 0 && st->ip != 0) {
        if (st->now >= st->announce_at) {
            /* Gratuitous ARP: a request for our own address, so that
             * neighbours update stale entries and a conflict shows. */
            arp_send(st, ARP_OP_REQUEST, bcast_mac, zero_mac, st->ip);
            CTR(st, ARP_GRATUITOUS_TX);
            st->announce_left--;
            st->announce_at = st->now + ARP_ANNOUNCE_GAP_MS;
        }
        if (st->announce_left > 0)
            next = stack_min(next, st->announce_at);
    }
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &st->arp[i];
        if (e->state == ARP_INCOMPLETE) {
            if (st->now >= e->next_retry) {
                if (e->tries >= ARP_MAX_TRIES) {
                    e->state = ARP_FAILED;
                    e->expires = st->now + ARP_FAIL_HOLD_MS;
                    CTR(st, ARP_RESOLVE_FAIL);
                    queue_drop_for(st, e->ip);
                } else {
                    e->tries++;
                    arp_request(st, e, bcast_mac);
                    e->next_retry = st->now + ARP_RETRY_MS;
                }
            }
            next = stack_min(next, e->state == ARP_INCOMPLETE ? e->next_retry : e->expires);
        } else if (e->state == ARP_RESOLVED || e->state == ARP_FAILED) {
            if (st->now >= e->expires) {
                if (e->state == ARP_RESOLVED)
                    CTR(st, ARP_CACHE_EXPIRE);
                e->state = ARP_FREE;
            } else {
                next = stack_min(next, e->expires);
            }
        }
    }
    return next;
}

void arp_flush(struct atoll_stack *st)
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        if (st->arp[i].state != ARP_FREE)
            queue_drop_for(st, st->arp[i].ip);
        st->arp[i].state = ARP_FREE;
    }
}
