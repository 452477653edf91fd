/* SPDX-License-Identifier: Apache-2.0 */
/* ICMP: echo replies, destination-unreachable errors under a token bucket,
 * and the RFC 1122 rules on when an error must not be sent. */
#include <string.h>

#include "tcpip/stack.h"
#include "tcpip/wire_icmp.h"

static int is_error_type(uint8_t t)
{
    return t == ICMP_DEST_UNREACH || t == ICMP_SOURCE_QUENCH || t == ICMP_REDIRECT || t == ICMP_TIME_EXCEEDED
           || t == ICMP_PARAM_PROBLEM;
}

void icmp_input(struct atoll_stack *st, const struct ipv4_hdr *h, const uint8_t *p, size_t len)
{
    struct icmp_hdr ih;
    CTR(st, ICMP_RX);
    int r = icmp_parse(p, len, &ih);
    if (r == ICMP_E_TRUNC) {
        CTR(st, ICMP_DROP_TRUNC);
        return;
    }
    if (r < 0) {
        CTR(st, ICMP_DROP_CSUM);
        return;
    }
    if (ih.type == ICMP_ECHO_REQUEST) {
        /* Answering broadcast pings turns us into an amplifier (smurf). */
        if (h->dst != st->ip) {
            CTR(st, ICMP_DROP_BROADCAST);
            return;
        }
        memmove(st->tx, p, len);
        struct icmp_hdr reply = {.type = ICMP_ECHO_REPLY, .code = 0, .csum = 0, .rest = ih.rest};
        if (icmp_emit(st->tx, sizeof st->tx, &reply, len - ICMP_HDR_LEN) < 0)
            return;
        if (ipv4_output(st, st->ip, h->src, IPV4_PROTO_ICMP, len) == ATOLL_OK)
            CTR(st, ICMP_ECHO_REPLY_TX);
        return;
    }
    if (is_error_type(ih.type))
        CTR(st, ICMP_RX_ERROR);
    else
        CTR(st, ICMP_RX_OTHER);
}

static int rate_allow(struct atoll_stack *st)
{
    uint64_t dt = st->now - st->icmp_last;
    st->icmp_last = st->now;
    uint64_t t = st->icmp_tokens + dt * ICMP_ERR_PER_SEC;
    if (t > ICMP_ERR_BURST * 1000u)
        t = ICMP_ERR_BURST * 1000u;
    if (t < 1000u) {
        st->icmp_tokens = (uint32_t)t;
        return 0;
    }
    st->icmp_tokens = (uint32_t)(t - 1000u);
    return 1;
}

void icmp_unreachable(struct atoll_stack *st, uint8_t code, const struct ipv4_hdr *h, const uint8_t *hdr,
                      size_t hlen, const uint8_t *pl, size_t plen)
{
    /* RFC 1122 3.2.2: no error about an ICMP error, a broadcast or
     * multicast datagram, a link-layer broadcast, or a non-initial fragment. */
    if (h->proto == IPV4_PROTO_ICMP && (plen < 1 || is_error_type(pl[0])))
        return;
    if (st->rx_link_bcast || h->dst != st->ip || st->ip == 0)
        return;
    if (!rate_allow(st)) {
        CTR(st, ICMP_RATE_LIMITED);
        return;
    }
    /* As much of the offending datagram as fits in 576 bytes (RFC 1812). */
    size_t room = 576u - IPV4_HDR_MIN - ICMP_HDR_LEN - hlen;
    size_t n = plen < room ? plen : room;
    memcpy(st->tx + ICMP_HDR_LEN, hdr, hlen);
    memcpy(st->tx + ICMP_HDR_LEN + hlen, pl, n);
    struct icmp_hdr ih = {.type = ICMP_DEST_UNREACH, .code = code, .csum = 0, .rest = 0};
    int len = icmp_emit(st->tx, sizeof st->tx, &ih, hlen + n);
    if (len < 0)
        return;
    if (ipv4_output(st, st->ip, h->src, IPV4_PROTO_ICMP, (size_t)len) == ATOLL_OK)
        CTR(st, ICMP_UNREACH_TX);
}
