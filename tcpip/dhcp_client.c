/* SPDX-License-Identifier: Apache-2.0 */
/* DHCPv4 client (RFC 2131 section 4.4): INIT -> SELECTING -> REQUESTING ->
 * BOUND -> RENEWING -> REBINDING, with NAK and lease expiry back to INIT. */
#include <string.h>

#include "tcpip/stack.h"
#include "tcpip/wire_dhcp.h"
#include "tcpip/wire_udp.h"

#define DHCP_MAX_REQUEST_TRIES 4
#define DHCP_MIN_RETRANS_MS 60000u /* RFC 2131 4.4.5: renew/rebind retry floor */
#define DHCP_NAK_HOLD_MS 2000u
#define DHCP_DEFAULT_LEASE 3600u

/* RFC 2131 4.1: 4 s doubling to 64 s, randomised by +/- 1 s. */
static uint64_t backoff(struct atoll_stack *st, unsigned tries)
{
    uint64_t base = 4000u;
    for (unsigned i = 0; i < tries && base < 64000u; i++)
        base *= 2u;
    return base - 1000u + stack_rand(st) % 2001u;
}

static void dhcp_send(struct atoll_stack *st, uint8_t type)
{
    struct dhcp_client *c = &st->dhcp;
    struct dhcp_msg m;
    memset(&m, 0, sizeof m);
    m.xid = c->xid;
    uint64_t secs = (st->now - c->started) / 1000u;
    m.secs = (uint16_t)(secs > 65535u ? 65535u : secs);
    memcpy(m.chaddr, st->mac, 6);
    m.msg_type = type;
    uint32_t src = 0, dst = 0xffffffffu;
    if (c->state == DHCPS_REQUESTING) {
        m.has_req_ip = 1;
        m.req_ip = c->offered;
        m.has_server_id = 1;
        m.server_id = c->server;
    }
    if (c->state == DHCPS_RENEWING || c->state == DHCPS_REBINDING) {
        m.ciaddr = st->ip;
        src = st->ip;
        if (c->state == DHCPS_RENEWING)
            dst = c->server;
    }
    /* Ask for broadcast replies while we cannot yet receive unicast. */
    if (src == 0)
        m.flags = 0x8000u;
    uint8_t *out = st->tx + UDP_HDR_LEN;
    int n = dhcp_emit(out, sizeof st->tx - UDP_HDR_LEN, &m);
    if (n < 0)
        return;
    if (udp_send_from(st, src, DHCP_CLIENT_PORT, dst, DHCP_SERVER_PORT, out, (size_t)n) == ATOLL_OK)
        CTR(st, DHCP_TX);
}

static void to_init(struct atoll_stack *st, uint64_t when)
{
    st->dhcp.state = DHCPS_INIT;
    st->dhcp.next_tx = when;
}

void dhcp_start(struct atoll_stack *st)
{
    memset(&st->dhcp, 0, sizeof st->dhcp);
    to_init(st, st->now);
    dhcp_timers(st);
}

/* Half the time left until `until`, but not below the RFC's floor. */
static uint64_t retrans_before(const struct atoll_stack *st, uint64_t until)
{
    uint64_t half = until > st->now ? (until - st->now) / 2u : 0;
    if (half < DHCP_MIN_RETRANS_MS)
        half = DHCP_MIN_RETRANS_MS;
    return stack_min(st->now + half, until);
}

uint64_t dhcp_timers(struct atoll_stack *st)
{
    struct dhcp_client *c = &st->dhcp;
    switch (c->state) {
    case DHCPS_OFF:
        return ATOLL_NO_DEADLINE;
    case DHCPS_INIT:
        if (st->now < c->next_tx)
            return c->next_tx;
        c->xid = (uint32_t)stack_rand(st);
        c->tries = 0;
        c->started = st->now;
        c->state = DHCPS_SELECTING;
        stack_event(st, ATOLL_EV_DHCP_DISCOVER, 0, 0);
        dhcp_send(st, DHCP_DISCOVER);
        c->next_tx = st->now + backoff(st, c->tries);
        return c->next_tx;
    case DHCPS_SELECTING:
        if (st->now >= c->next_tx) {
            c->tries++;
            dhcp_send(st, DHCP_DISCOVER);
            c->next_tx = st->now + backoff(st, c->tries);
        }
        return c->next_tx;
    case DHCPS_REQUESTING:
        if (st->now >= c->next_tx) {
            if (c->tries >= DHCP_MAX_REQUEST_TRIES) {
                to_init(st, st->now);
                return dhcp_timers(st);
            }
            c->tries++;
            dhcp_send(st, DHCP_REQUEST);
            c->next_tx = st->now + backoff(st, c->tries);
        }
        return c->next_tx;
    case DHCPS_BOUND:
        if (st->now < c->t1)
            return c->t1;
        c->state = DHCPS_RENEWING;
        c->xid = (uint32_t)stack_rand(st);
        c->started = st->now;
        c->req_at = st->now;
        dhcp_send(st, DHCP_REQUEST);
        c->next_tx = retrans_before(st, c->t2);
        return c->next_tx;
    case DHCPS_RENEWING:
        if (st->now >= c->t2) {
            c->state = DHCPS_REBINDING;
            c->req_at = st->now;
            dhcp_send(st, DHCP_REQUEST);
            c->next_tx = retrans_before(st, c->expiry);
        } else if (st->now >= c->next_tx) {
            dhcp_send(st, DHCP_REQUEST);
            c->next_tx = retrans_before(st, c->t2);
        }
        return c->next_tx;
    case DHCPS_REBINDING:
        if (st->now >= c->expiry) {
            uint32_t old = st->ip;
            stack_set_addr(st, 0, 0, 0);
            stack_event(st, ATOLL_EV_DHCP_EXPIRED, old, 0);
            to_init(st, st->now);
            return dhcp_timers(st);
        }
        if (st->now >= c->next_tx) {
            dhcp_send(st, DHCP_REQUEST);
            c->next_tx = retrans_before(st, c->expiry);
        }
        return c->next_tx;
    default:
        return ATOLL_NO_DEADLINE;
    }
}

static int mask_ok(uint32_t m)
{
    uint32_t inv = ~m;
    return m != 0 && m != 0xffffffffu && (inv & (inv + 1u)) == 0;
}

static void on_ack(struct atoll_stack *st, const struct dhcp_msg *m)
{
    struct dhcp_client *c = &st->dhcp;
    uint32_t mask = m->has_mask && mask_ok(m->mask) ? m->mask : 0xffffff00u;
    uint32_t ip = m->yiaddr;
    if (ip == 0 || ip >= 0xe0000000u || (ip & ~mask) == 0 || (ip | mask) == 0xffffffffu) {
        CTR(st, DHCP_DROP_UNEXPECTED);
        return;
    }
    uint32_t gw = m->has_router && (m->router & mask) == (ip & mask) ? m->router : 0;
    uint64_t lease = m->has_lease ? m->lease : DHCP_DEFAULT_LEASE;
    uint64_t t1 = m->has_t1 ? m->t1 : lease / 2u;
    uint64_t t2 = m->has_t2 ? m->t2 : lease * 7u / 8u;
    if (t2 > lease || t2 == 0)
        t2 = lease * 7u / 8u;
    if (t1 > t2 || t1 == 0)
        t1 = t2 / 2u ? t2 / 2u : 1u;
    /* The lease runs from when the request was sent (RFC 2131 4.4.1). */
    uint64_t base = c->req_at;
    uint8_t prev = c->state;
    if (m->lease == 0xffffffffu && m->has_lease) {
        c->t1 = c->t2 = c->expiry = ATOLL_NO_DEADLINE;
    } else {
        c->t1 = base + t1 * 1000u;
        c->t2 = base + t2 * 1000u;
        c->expiry = base + lease * 1000u;
    }
    if (m->has_server_id)
        c->server = m->server_id;
    c->state = DHCPS_BOUND;
    c->lease_start = base;
    stack_set_addr(st, ip, mask, gw);
    enum atoll_event ev = prev == DHCPS_RENEWING ? ATOLL_EV_DHCP_RENEWED
                          : prev == DHCPS_REBINDING ? ATOLL_EV_DHCP_REBOUND
                                                    : ATOLL_EV_DHCP_BOUND;
    stack_event(st, ev, ip, (uint32_t)lease);
}

void dhcp_input(struct atoll_stack *st, const uint8_t *p, size_t len)
{
    struct dhcp_client *c = &st->dhcp;
    struct dhcp_msg m;
    CTR(st, DHCP_RX);
    if (dhcp_parse(p, len, &m) < 0) {
        CTR(st, DHCP_DROP_MALFORMED);
        return;
    }
    if (m.op != 2u || m.xid != c->xid || memcmp(m.chaddr, st->mac, 6) != 0) {
        CTR(st, DHCP_DROP_UNEXPECTED);
        return;
    }
    int awaiting_ack = c->state == DHCPS_REQUESTING || c->state == DHCPS_RENEWING || c->state == DHCPS_REBINDING;
    if (m.msg_type == DHCP_OFFER && c->state == DHCPS_SELECTING && m.has_server_id && m.yiaddr != 0) {
        c->offered = m.yiaddr;
        c->server = m.server_id;
        c->state = DHCPS_REQUESTING;
        c->tries = 0;
        c->req_at = st->now;
        stack_event(st, ATOLL_EV_DHCP_OFFER, m.yiaddr, m.server_id);
        dhcp_send(st, DHCP_REQUEST);
        c->next_tx = st->now + backoff(st, 0);
        return;
    }
    if (m.msg_type == DHCP_ACK && awaiting_ack) {
        if (c->state == DHCPS_REQUESTING && m.has_server_id && m.server_id != c->server) {
            CTR(st, DHCP_DROP_UNEXPECTED);
            return;
        }
        on_ack(st, &m);
        return;
    }
    if (m.msg_type == DHCP_NAK && awaiting_ack) {
        if (c->state == DHCPS_REQUESTING && m.has_server_id && m.server_id != c->server) {
            CTR(st, DHCP_DROP_UNEXPECTED);
            return;
        }
        stack_event(st, ATOLL_EV_DHCP_NAK, m.has_server_id ? m.server_id : 0, 0);
        if (st->ip != 0)
            stack_set_addr(st, 0, 0, 0);
        to_init(st, st->now + DHCP_NAK_HOLD_MS);
        return;
    }
    CTR(st, DHCP_DROP_UNEXPECTED);
}
