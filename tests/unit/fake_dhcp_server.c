/* SPDX-License-Identifier: Apache-2.0 */
#include "fake_dhcp_server.h"

#include <stdarg.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp_msgs.h"

const uint8_t SRV_MAC[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x5e};

void fake_server_init(struct fake_server *s)
{
    memset(s, 0, sizeof *s);
    s->offer = s->ack = s->arp = 1;
    s->lease = 3600;
}

struct server_reply fake_server_reply(const struct fake_server *s, uint8_t type, uint32_t xid)
{
    struct server_reply r;
    memset(&r, 0, sizeof r);
    r.type = type;
    r.xid = xid;
    r.yiaddr = type == 6 ? 0 : SRV_YI;
    r.server_id = SRV_IP;
    if (type != 6) {
        r.lease = s->lease;
        r.t1 = s->t1;
        r.t2 = s->t2;
        r.mask = 0xffffff00u;
        r.router = SRV_IP;
    }
    return r;
}

static void send_msg(struct netsim *ns, const uint8_t *msg, size_t len, uint32_t dst, const uint8_t *eth_dst)
{
    static uint8_t u[1600], f[1600];
    assert_true(len + 8 + 20 + 14 <= sizeof f);
    size_t ul = mk_udp(u, SRV_IP, dst, 67, 68, msg, len);
    mk_eth(f, eth_dst, SRV_MAC, 0x0800);
    struct ip_spec is = ip_spec(SRV_IP, dst, 17);
    ns_input(ns, f, 14 + mk_ip(f + 14, &is, u, ul));
}

void fake_server_send(struct netsim *ns, const struct server_reply *r)
{
    uint8_t msg[600];
    size_t p = mk_bootp(msg, r->op ? r->op : 2, r->xid, r->yiaddr, r->chaddr ? r->chaddr : NS_MAC);
    p = opt_put8(msg, p, 53, r->type);
    if (r->server_id)
        p = opt_put32(msg, p, 54, r->server_id);
    if (r->lease)
        p = opt_put32(msg, p, 51, r->lease);
    if (r->t1)
        p = opt_put32(msg, p, 58, r->t1);
    if (r->t2)
        p = opt_put32(msg, p, 59, r->t2);
    if (r->mask)
        p = opt_put32(msg, p, 1, r->mask);
    if (r->router)
        p = opt_put32(msg, p, 3, r->router);
    msg[p++] = 255;
    while (p < 300)
        msg[p++] = 0;
    if (r->unicast)
        send_msg(ns, msg, p, r->yiaddr, NS_MAC);
    else
        send_msg(ns, msg, p, 0xffffffffu, BCAST_MAC);
}

void fake_server_send_raw(struct netsim *ns, const uint8_t *msg, size_t len)
{
    send_msg(ns, msg, len, 0xffffffffu, BCAST_MAC);
}

/* Checks a client message and logs it; returns its log entry or NULL. */
static const struct cmsg *log_client_msg(struct netsim *ns, struct fake_server *s, const struct ns_frame *f)
{
    const uint8_t *ip = fr_ip(f);
    if (!ip || ip[9] != 17)
        return NULL;
    size_t hl = (size_t)(ip[0] & 15u) * 4u;
    const uint8_t *u = ip + hl;
    if (get16(u) != 68 || get16(u + 2) != 67)
        return NULL;
    size_t ul = get16(u + 4);
    assert_int_equal(ul, get16(ip + 2) - hl);
    assert_int_not_equal(get16(u + 6), 0);
    assert_int_equal(ref_udp_csum(get32(ip + 12), get32(ip + 16), u, ul), 0);
    const uint8_t *m = u + 8;
    size_t ml = ul - 8;
    assert_true(ml >= 300); /* BOOTP minimum for old relays */
    assert_int_equal(m[0], 1);
    assert_int_equal(m[1], 1);
    assert_int_equal(m[2], 6);
    assert_memory_equal(m + 28, NS_MAC, 6);
    assert_int_equal(get32(m + 236), 0x63825363u);
    assert_true(s->n < sizeof s->log / sizeof s->log[0]);
    struct cmsg *c = &s->log[s->n++];
    memset(c, 0, sizeof *c);
    c->t = ns->now;
    size_t ol;
    const uint8_t *o = opt_find(m, ml, 53, &ol);
    assert_non_null(o);
    assert_int_equal(ol, 1);
    c->type = o[0];
    c->xid = get32(m + 4);
    c->secs = get16(m + 8);
    c->flags = get16(m + 10);
    c->ciaddr = get32(m + 12);
    c->ip_src = get32(ip + 12);
    c->ip_dst = get32(ip + 16);
    memcpy(c->eth_dst, f->b, 6);
    if ((o = opt_find(m, ml, 50, &ol)) != NULL) {
        assert_int_equal(ol, 4);
        c->has50 = 1;
        c->opt50 = get32(o);
    }
    if ((o = opt_find(m, ml, 54, &ol)) != NULL) {
        assert_int_equal(ol, 4);
        c->has54 = 1;
        c->opt54 = get32(o);
    }
    return c;
}

void fake_server_respond(struct netsim *ns, const struct ns_frame *f)
{
    struct fake_server *s = ns->user;
    if (fr_is_arp(f, 1, SRV_IP) && s->arp) {
        uint8_t a[42];
        mk_arp(a, NS_MAC, SRV_MAC, 2, SRV_MAC, SRV_IP, f->b + 22, get32(f->b + 28));
        ns_input(ns, a, sizeof a);
        return;
    }
    const struct cmsg *c = log_client_msg(ns, s, f);
    if (!c)
        return;
    if (c->type == 1 && s->offer) {
        struct server_reply r = fake_server_reply(s, 2, c->xid);
        fake_server_send(ns, &r);
    } else if (c->type == 3 && (s->ack || s->nak)) {
        struct server_reply r = fake_server_reply(s, s->nak ? 6 : 5, c->xid);
        /* a renewing client is reachable by unicast; others asked for broadcast */
        r.unicast = c->ciaddr != 0 && c->ip_dst != 0xffffffffu && !s->nak;
        fake_server_send(ns, &r);
    }
}

size_t fake_server_count(const struct fake_server *s, uint8_t type)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += s->log[i].type == type;
    return n;
}

const struct cmsg *fake_server_last(const struct fake_server *s)
{
    assert_true(s->n > 0);
    return &s->log[s->n - 1];
}
