/* SPDX-License-Identifier: Apache-2.0 */
/* IPv4 input (validation, delivery, reassembly hand-off) and output
 * (routing, identification, fragmentation). */
#include <string.h>

#include "tcpip/stack.h"
#include "tcpip/wire_tcp.h"

int ipv4_is_local_bcast(const struct atoll_stack *st, uint32_t a)
{
    return st->ip != 0 && st->netmask != 0xffffffffu && a == (st->ip | ~st->netmask);
}

static int addr_is_group_or_bcast(uint32_t a)
{
    return a >= 0xe0000000u; /* multicast, reserved class E and limited broadcast */
}

static void count_parse_error(struct atoll_stack *st, int r)
{
    switch (r) {
    case IPV4_E_TRUNC: CTR(st, IP_DROP_TRUNC); break;
    case IPV4_E_VERSION: CTR(st, IP_DROP_VERSION); break;
    case IPV4_E_HDRLEN: CTR(st, IP_DROP_HDRLEN); break;
    case IPV4_E_TOTLEN: CTR(st, IP_DROP_TOTLEN); break;
    case IPV4_E_CSUM: CTR(st, IP_DROP_CSUM); break;
    default: CTR(st, IP_DROP_FRAG_RANGE); break;
    }
}

void ipv4_input(struct atoll_stack *st, const uint8_t *p, size_t len, int link_bcast)
{
    struct ipv4_hdr h;
    CTR(st, IP_RX);
    int r = ipv4_parse(p, len, &h);
    if (r < 0) {
        count_parse_error(st, r);
        return;
    }
    if (h.src == 0 || addr_is_group_or_bcast(h.src) || (h.src / 16777216u) == 127u || (st->ip != 0 && h.src == st->ip)
        || ipv4_is_local_bcast(st, h.src)) {
        CTR(st, IP_DROP_BAD_SRC);
        return;
    }
    int to_us = st->ip != 0 && h.dst == st->ip;
    int bcast = h.dst == 0xffffffffu || ipv4_is_local_bcast(st, h.dst);
    if (!to_us && !bcast) {
        CTR(st, IP_DROP_NOT_FOR_US);
        return;
    }
    st->rx_link_bcast = (uint8_t)(link_bcast || bcast);

    const uint8_t *pl = p + h.hdr_len;
    size_t plen = (size_t)h.total_len - h.hdr_len;
    struct reasm_slot *slot = NULL;
    if (h.mf || h.frag_off != 0) {
        if (!reasm_input(st, &h, pl, plen, p, &pl, &plen, &slot))
            return;
    }
    const uint8_t *hdr = slot ? slot->hdr : p;
    if (h.proto == IPV4_PROTO_ICMP) {
        icmp_input(st, &h, pl, plen);
    } else if (h.proto == IPV4_PROTO_UDP) {
        udp_input(st, &h, hdr, pl, plen);
    } else if (h.proto == IPV4_PROTO_TCP) {
        tcp_input(st, &h, pl, plen);
    } else {
        CTR(st, IP_DROP_PROTO);
        icmp_unreachable(st, 2u, &h, hdr, slot ? slot->hdr_len : h.hdr_len, pl, plen);
    }
    if (slot)
        reasm_release(slot);
}

static uint32_t next_hop_for(const struct atoll_stack *st, uint32_t dst)
{
    if (dst == 0xffffffffu || ipv4_is_local_bcast(st, dst))
        return dst;
    if (st->ip == 0)
        return 0;
    if ((dst & st->netmask) == (st->ip & st->netmask))
        return dst;
    return st->gateway;
}

static void emit_one(struct atoll_stack *st, uint32_t hop, const struct ipv4_hdr *h, const uint8_t *data, size_t n)
{
    struct eth_hdr eh;
    memset(eh.dst, 0, 6); /* filled by ARP */
    memcpy(eh.src, st->mac, 6);
    eh.type = ETHERTYPE_IPV4;
    eth_emit(st->frame, sizeof st->frame, &eh);
    ipv4_emit(st->frame + ETH_HDR_LEN, sizeof st->frame - ETH_HDR_LEN, h);
    memcpy(st->frame + ETH_HDR_LEN + IPV4_HDR_MIN, data, n);
    CTR(st, IP_TX);
    arp_output(st, hop, ETH_HDR_LEN + IPV4_HDR_MIN + n);
}

int ipv4_output(struct atoll_stack *st, uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
    if (len > IPV4_MAX_LEN - IPV4_HDR_MIN) {
        CTR(st, IP_TX_TOO_BIG);
        return ATOLL_E_TOOBIG;
    }
    uint32_t hop = next_hop_for(st, dst);
    if (hop == 0) {
        CTR(st, IP_TX_NO_ROUTE);
        return ATOLL_E_NOROUTE;
    }
    struct ipv4_hdr h;
    memset(&h, 0, sizeof h);
    h.ttl = IP_DEFAULT_TTL;
    h.proto = proto;
    h.src = src;
    h.dst = dst;
    /* A fresh identification for every datagram, fragmented or not, so a
     * receiver never joins pieces of two datagrams (RFC 6864 allows reuse
     * only for atomic datagrams; we do not rely on that). */
    h.id = st->ip_id++;
    const size_t max_pl = ETH_MTU - IPV4_HDR_MIN;
    if (len <= max_pl) {
        h.total_len = (uint16_t)(IPV4_HDR_MIN + len);
        emit_one(st, hop, &h, st->tx, len);
        return ATOLL_OK;
    }
    const size_t chunk = max_pl / 8u * 8u;
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        h.mf = off + n < len;
        h.frag_off = (uint16_t)(off / 8u);
        h.total_len = (uint16_t)(IPV4_HDR_MIN + n);
        CTR(st, IP_TX_FRAG);
        emit_one(st, hop, &h, st->tx + off, n);
    }
    return ATOLL_OK;
}

const uint8_t *ipv4_hop_mac(const struct atoll_stack *st, uint32_t dst)
{
    uint32_t hop = next_hop_for(st, dst);
    if (hop == 0 || hop == 0xffffffffu || ipv4_is_local_bcast(st, hop))
        return NULL;
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        const struct arp_entry *e = &st->arp[i];
        if (e->state == ARP_RESOLVED && e->ip == hop)
            return e->expires > st->now && e->expires - st->now >= ARP_REFRESH_MS ? e->mac : NULL;
    }
    return NULL;
}

int ipv4_output_offload(struct atoll_stack *st, const uint8_t mac[6], uint32_t src, uint32_t dst, size_t len,
                        size_t thl, uint16_t gso_size)
{
    if (len > IPV4_MAX_LEN - IPV4_HDR_MIN || thl > len || thl > TCP_HDR_MAX) {
        CTR(st, IP_TX_TOO_BIG);
        return ATOLL_E_TOOBIG;
    }
    uint8_t head[ETH_HDR_LEN + IPV4_HDR_MIN + TCP_HDR_MAX];
    struct eth_hdr eh;
    memcpy(eh.dst, mac, 6);
    memcpy(eh.src, st->mac, 6);
    eh.type = ETHERTYPE_IPV4;
    eth_emit(head, sizeof head, &eh);
    size_t body = len - thl;
    int gso = gso_size > 0 && body > gso_size;
    struct ipv4_hdr h;
    memset(&h, 0, sizeof h);
    h.ttl = IP_DEFAULT_TTL;
    h.proto = IPV4_PROTO_TCP;
    h.src = src;
    h.dst = dst;
    h.total_len = (uint16_t)(IPV4_HDR_MIN + len);
    /* The device numbers the pieces from this one up: each datagram on the
     * wire still gets an identification of its own. */
    h.id = st->ip_id;
    st->ip_id = (uint16_t)(st->ip_id + (gso ? (body + gso_size - 1u) / gso_size : 1u));
    ipv4_emit(head + ETH_HDR_LEN, sizeof head - ETH_HDR_LEN, &h);
    memcpy(head + ETH_HDR_LEN + IPV4_HDR_MIN, st->tx, thl);
    struct atoll_tx_meta m;
    memset(&m, 0, sizeof m);
    m.flags = ATOLL_TX_CSUM;
    m.csum_start = ETH_HDR_LEN + IPV4_HDR_MIN;
    m.csum_offset = 16u; /* the TCP checksum field */
    m.hdr_len = (uint16_t)(ETH_HDR_LEN + IPV4_HDR_MIN + thl);
    if (gso) {
        m.gso_type = ATOLL_TX_GSO_TCPV4;
        m.gso_size = gso_size;
    }
    CTR(st, IP_TX);
    CTR(st, ETH_TX);
    st->cb.send_frame_ex(st->cb.ctx, head, m.hdr_len, st->tx + thl, body, &m);
    return ATOLL_OK;
}
