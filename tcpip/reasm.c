/* SPDX-License-Identifier: Apache-2.0 */
/* IPv4 fragment reassembly: a few bounded 64 KiB slots, a 30 s timeout
 * from the first fragment, and overlap rejection (a fragment that covers
 * bytes already held must repeat them exactly, otherwise the whole datagram
 * is discarded, which defeats the overlapping-fragment evasion attacks). */
#include <string.h>

#include "tcpip/stack.h"

static int map_get(const struct reasm_slot *s, size_t b)
{
    return (s->map[b / 8u] >> (b % 8u)) & 1u;
}

static void map_set(struct reasm_slot *s, size_t b)
{
    s->map[b / 8u] = (uint8_t)(s->map[b / 8u] | (1u << (b % 8u)));
}

void reasm_release(struct reasm_slot *slot)
{
    slot->used = 0;
}

static struct reasm_slot *slot_for(struct atoll_stack *st, const struct ipv4_hdr *h)
{
    struct reasm_slot *free_slot = NULL, *oldest = NULL;
    for (int i = 0; i < REASM_SLOTS; i++) {
        struct reasm_slot *s = &st->reasm[i];
        if (!s->used) {
            if (!free_slot)
                free_slot = s;
            continue;
        }
        if (s->src == h->src && s->dst == h->dst && s->id == h->id && s->proto == h->proto)
            return s;
        if (!oldest || s->started < oldest->started)
            oldest = s;
    }
    struct reasm_slot *s = free_slot;
    if (!s) {
        CTR(st, IP_REASM_EVICT);
        s = oldest;
    }
    s->used = 1;
    s->have_last = 0;
    s->have_first = 0;
    s->src = h->src;
    s->dst = h->dst;
    s->id = h->id;
    s->proto = h->proto;
    s->total = 0;
    s->received = 0;
    s->max_end = 0;
    s->started = st->now;
    s->deadline = st->now + REASM_TIMEOUT_MS;
    memset(s->map, 0, sizeof s->map);
    return s;
}

int reasm_input(struct atoll_stack *st, const struct ipv4_hdr *h, const uint8_t *payload, size_t plen,
                const uint8_t *hdr, const uint8_t **out, size_t *out_len, struct reasm_slot **slot)
{
    CTR(st, IP_FRAG_RX);
    size_t off = (size_t)h->frag_off * 8u;
    size_t end = off + plen;
    /* Only the last fragment may end off an 8-byte boundary, and an empty
     * fragment carries nothing but a claim on state. */
    if (plen == 0 || (h->mf && plen % 8u != 0) || end + h->hdr_len > IPV4_MAX_LEN) {
        CTR(st, IP_FRAG_DROP_MALFORMED);
        return 0;
    }
    struct reasm_slot *s = slot_for(st, h);
    /* A last fragment must not end before bytes already received, and no
     * fragment may reach past a known end. */
    if ((s->have_last && end > s->total) || (!h->mf && s->have_last && end != s->total)
        || (!h->mf && end < s->max_end)) {
        CTR(st, IP_FRAG_DROP_MALFORMED);
        s->used = 0;
        return 0;
    }
    size_t b0 = off / 8u, b1 = (end + 7u) / 8u;
    if (!h->mf) {
        /* Nothing may already lie beyond the end this fragment declares. */
        for (size_t b = b1; b < REASM_BLOCKS; b++) {
            if (map_get(s, b)) {
                CTR(st, IP_FRAG_DROP_MALFORMED);
                s->used = 0;
                return 0;
            }
        }
    }
    size_t held = 0;
    for (size_t b = b0; b < b1; b++)
        held += (size_t)map_get(s, b);
    if (held == b1 - b0 && memcmp(s->data + off, payload, plen) == 0) {
        CTR(st, IP_REASM_DUP);
        return 0;
    }
    if (held != 0) {
        CTR(st, IP_REASM_OVERLAP);
        s->used = 0;
        return 0;
    }
    for (size_t b = b0; b < b1; b++)
        map_set(s, b);
    memcpy(s->data + off, payload, plen);
    s->received += (uint32_t)plen;
    if (end > s->max_end)
        s->max_end = (uint32_t)end;
    if (!h->mf) {
        s->have_last = 1;
        s->total = (uint32_t)end;
    }
    if (off == 0) {
        memcpy(s->hdr, hdr, h->hdr_len);
        s->hdr_len = h->hdr_len;
        s->have_first = 1;
    }
    if (!s->have_last || s->received != s->total)
        return 0;
    CTR(st, IP_REASM_OK);
    *out = s->data;
    *out_len = s->total;
    *slot = s;
    return 1;
}

uint64_t reasm_timers(struct atoll_stack *st)
{
    uint64_t next = ATOLL_NO_DEADLINE;
    for (int i = 0; i < REASM_SLOTS; i++) {
        struct reasm_slot *s = &st->reasm[i];
        if (!s->used)
            continue;
        if (st->now >= s->deadline) {
            CTR(st, IP_REASM_TIMEOUT);
            s->used = 0;
        } else {
            next = stack_min(next, s->deadline);
        }
    }
    return next;
}
