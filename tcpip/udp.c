/* SPDX-License-Identifier: Apache-2.0 */
/* UDP: delivery to bound ports, port-unreachable for closed ones, sending. */
#include <string.h>

#include "tcpip/stack.h"
#include "tcpip/wire_dhcp.h"
#include "tcpip/wire_udp.h"

void udp_input(struct atoll_stack *st, const struct ipv4_hdr *h, const uint8_t *hdr, const uint8_t *p, size_t len)
{
    struct udp_hdr uh;
    CTR(st, UDP_RX);
    int r = udp_parse(p, len, h->src, h->dst, &uh);
    if (r == UDP_E_TRUNC) {
        CTR(st, UDP_DROP_TRUNC);
        return;
    }
    if (r == UDP_E_LENGTH) {
        CTR(st, UDP_DROP_LENGTH);
        return;
    }
    if (r < 0) {
        CTR(st, UDP_DROP_CSUM);
        return;
    }
    const uint8_t *data = p + UDP_HDR_LEN;
    size_t dlen = (size_t)uh.length - UDP_HDR_LEN;
    if (uh.dport == DHCP_CLIENT_PORT && uh.sport == DHCP_SERVER_PORT && st->dhcp.state != DHCPS_OFF) {
        dhcp_input(st, data, dlen);
        return;
    }
    /* Bound services answer unicast only: echoing broadcasts would make
     * every Atoll on a segment reply to one spoofed datagram. */
    if (h->dst == st->ip) {
        for (int i = 0; i < UDP_BINDINGS; i++) {
            if (st->udp[i].port != 0 && st->udp[i].port == uh.dport) {
                st->udp[i].fn(st->udp[i].user, st, h->src, uh.sport, uh.dport, data, dlen, st->now);
                return;
            }
        }
    }
    CTR(st, UDP_DROP_NO_PORT);
    size_t hlen = (size_t)(hdr[0] % 16u) * 4u;
    icmp_unreachable(st, 3u, h, hdr, hlen, p, len);
}

int atoll_udp_bind(struct atoll_stack *st, uint16_t port, atoll_udp_recv_fn fn, void *user)
{
    if (port == 0 || fn == NULL || port == DHCP_CLIENT_PORT)
        return ATOLL_E_CONFIG;
    struct udp_binding *free_b = NULL;
    for (int i = 0; i < UDP_BINDINGS; i++) {
        if (st->udp[i].port == port)
            return ATOLL_E_INUSE;
        if (st->udp[i].port == 0 && !free_b)
            free_b = &st->udp[i];
    }
    if (!free_b)
        return ATOLL_E_FULL;
    free_b->port = port;
    free_b->fn = fn;
    free_b->user = user;
    return ATOLL_OK;
}

int atoll_udp_unbind(struct atoll_stack *st, uint16_t port)
{
    for (int i = 0; i < UDP_BINDINGS; i++) {
        if (port != 0 && st->udp[i].port == port) {
            st->udp[i].port = 0;
            return ATOLL_OK;
        }
    }
    return ATOLL_E_NOTFOUND;
}

/* Shared by the public send and the DHCP client, which sends from 0.0.0.0. */
int udp_send_from(struct atoll_stack *st, uint32_t src_ip, uint16_t src_port, uint32_t dst_ip, uint16_t dst_port,
                  const uint8_t *data, size_t len)
{
    if (len > IPV4_MAX_LEN - IPV4_HDR_MIN - UDP_HDR_LEN)
        return ATOLL_E_TOOBIG;
    if (data != st->tx + UDP_HDR_LEN)
        memmove(st->tx + UDP_HDR_LEN, data, len);
    struct udp_hdr uh = {.sport = src_port, .dport = dst_port, .length = 0, .csum = 0};
    int n = udp_emit(st->tx, sizeof st->tx, src_ip, dst_ip, &uh, len);
    if (n < 0)
        return ATOLL_E_TOOBIG;
    int r = ipv4_output(st, src_ip, dst_ip, IPV4_PROTO_UDP, (size_t)n);
    if (r == ATOLL_OK)
        CTR(st, UDP_TX);
    return r;
}

int atoll_udp_send(struct atoll_stack *st, uint16_t src_port, uint32_t dst_ip, uint16_t dst_port,
                   const uint8_t *data, size_t len, uint64_t now)
{
    st->now = now;
    if (st->ip == 0)
        return ATOLL_E_NOROUTE;
    /* Port 68 belongs to the DHCP client, as in atoll_udp_bind(). */
    if (dst_ip == 0 || src_port == 0 || dst_port == 0 || src_port == DHCP_CLIENT_PORT)
        return ATOLL_E_CONFIG;
    return udp_send_from(st, st->ip, src_port, dst_ip, dst_port, data, len);
}
