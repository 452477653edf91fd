/* SPDX-License-Identifier: Apache-2.0 */
#include "netsim.h"
#include "tcpsim.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

const uint8_t NS_MAC[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
const uint8_t PEER_MAC[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0xaa};
const uint8_t BCAST_MAC[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

uint16_t get16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

uint32_t get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

uint32_t ref_sum(uint32_t acc, const uint8_t *b, size_t n)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        acc += ((uint32_t)b[i] << 8) | b[i + 1];
    if (n % 2)
        acc += (uint32_t)b[n - 1] << 8;
    return acc;
}

uint16_t ref_fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffffu) + (acc >> 16);
    return (uint16_t)acc;
}

uint16_t ref_csum(const uint8_t *b, size_t n)
{
    return (uint16_t)~ref_fold(ref_sum(0, b, n));
}

uint16_t ref_udp_csum(uint32_t src, uint32_t dst, const uint8_t *u, size_t n)
{
    uint32_t acc = (src >> 16) + (src & 0xffffu) + (dst >> 16) + (dst & 0xffffu) + 17u + (uint32_t)n;
    return (uint16_t)~ref_fold(ref_sum(acc, u, n));
}

/* ---- exact-size copies ---- */

#define EXACT_MAX 4096
static void *exact_ptrs[EXACT_MAX];
static size_t exact_n;

uint8_t *exact(const void *src, size_t n)
{
    assert_true(exact_n < EXACT_MAX);
    /* malloc(0) still gives a distinct pointer that ASan treats as 0 bytes. */
    uint8_t *p = malloc(n);
    assert_non_null(p);
    if (n)
        memcpy(p, src, n);
    exact_ptrs[exact_n++] = p;
    return p;
}

void exact_free_all(void)
{
    for (size_t i = 0; i < exact_n; i++)
        free(exact_ptrs[i]);
    exact_n = 0;
}

int exact_teardown(void **state)
{
    (void)state;
    exact_free_all();
    return 0;
}

/* ---- builders ---- */

size_t mk_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    put16(f + 12, type);
    return 14;
}

size_t mk_arp(uint8_t *f, const uint8_t *eth_dst, const uint8_t *eth_src, uint16_t op, const uint8_t *sha,
              uint32_t spa, const uint8_t *tha, uint32_t tpa)
{
    mk_eth(f, eth_dst, eth_src, 0x0806);
    uint8_t *a = f + 14;
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    memcpy(a + 8, sha, 6);
    put32(a + 14, spa);
    memcpy(a + 18, tha, 6);
    put32(a + 24, tpa);
    return 42;
}

struct ip_spec ip_spec(uint32_t src, uint32_t dst, uint8_t proto)
{
    struct ip_spec s;
    memset(&s, 0, sizeof s);
    s.src = src;
    s.dst = dst;
    s.proto = proto;
    s.ttl = 64;
    s.id = 0x1234;
    return s;
}

size_t mk_ip(uint8_t *p, const struct ip_spec *s, const uint8_t *payload, size_t plen)
{
    size_t hl = 20 + s->opt_len;
    p[0] = (uint8_t)(0x40 | (hl / 4));
    p[1] = s->tos;
    put16(p + 2, (uint16_t)(hl + plen));
    put16(p + 4, s->id);
    put16(p + 6, (uint16_t)((s->df ? 0x4000 : 0) | (s->mf ? 0x2000 : 0) | (s->frag_off & 0x1fff)));
    p[8] = s->ttl;
    p[9] = s->proto;
    put16(p + 10, 0);
    put32(p + 12, s->src);
    put32(p + 16, s->dst);
    memset(p + 20, 1, s->opt_len); /* NOP options */
    put16(p + 10, ref_csum(p, hl));
    if (plen && payload)
        memmove(p + hl, payload, plen);
    else if (plen)
        memset(p + hl, 0, plen);
    return hl + plen;
}

size_t mk_ip_frame(uint8_t *f, const struct ip_spec *s, const uint8_t *payload, size_t plen)
{
    mk_eth(f, NS_MAC, PEER_MAC, 0x0800);
    return 14 + mk_ip(f + 14, s, payload, plen);
}

size_t mk_udp(uint8_t *u, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, const uint8_t *data, size_t n)
{
    if (n)
        memmove(u + 8, data, n);
    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, (uint16_t)(8 + n));
    put16(u + 6, 0);
    uint16_t c = ref_udp_csum(src, dst, u, 8 + n);
    put16(u + 6, c ? c : 0xffff);
    return 8 + n;
}

size_t mk_icmp_echo(uint8_t *m, uint8_t type, uint16_t id, uint16_t seq, const uint8_t *data, size_t n)
{
    if (n)
        memmove(m + 8, data, n);
    m[0] = type;
    m[1] = 0;
    put16(m + 2, 0);
    put16(m + 4, id);
    put16(m + 6, seq);
    put16(m + 2, ref_csum(m, 8 + n));
    return 8 + n;
}

void fill_pattern(uint8_t *b, size_t n, unsigned seed)
{
    uint32_t x = 2463534242u ^ seed;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b[i] = (uint8_t)x;
    }
}

/* ---- the virtual host ---- */

static void cap_frame(void *ctx, const uint8_t *frame, size_t len)
{
    struct netsim *ns = ctx;
    assert_true(ns->nframes < NS_MAX_FRAMES);
    assert_true(len >= 14 && len <= 1514);
    struct ns_frame *f = &ns->frames[ns->nframes++];
    f->len = len;
    memcpy(f->b, frame, len);
}

static void cap_event(void *ctx, enum atoll_event ev, uint32_t a, uint32_t b)
{
    struct netsim *ns = ctx;
    assert_true(ns->nevents < NS_MAX_EVENTS);
    ns->events[ns->nevents].ev = ev;
    ns->events[ns->nevents].a = a;
    ns->events[ns->nevents].b = b;
    ns->nevents++;
}

struct atoll_config ns_static_config(void)
{
    struct atoll_config c;
    memset(&c, 0, sizeof c);
    memcpy(c.mac, NS_MAC, 6);
    c.ip = NS_IP;
    c.netmask = NS_MASK;
    c.gateway = NS_GW;
    c.seed = 12345;
    return c;
}

struct atoll_config ns_dhcp_config(void)
{
    struct atoll_config c;
    memset(&c, 0, sizeof c);
    memcpy(c.mac, NS_MAC, 6);
    c.use_dhcp = 1;
    c.seed = 777;
    return c;
}

static void pump(struct netsim *ns)
{
    while (ns->seen < ns->nframes) {
        const struct ns_frame *f = &ns->frames[ns->seen++];
        if (ns->responder)
            ns->responder(ns, f);
    }
}

struct netsim *ns_create(const struct atoll_config *cfg, uint64_t now)
{
    return ns_create_r(cfg, now, NULL, NULL);
}

struct netsim *ns_create_r(const struct atoll_config *cfg, uint64_t now, ns_responder r, void *user)
{
    struct netsim *ns = calloc(1, sizeof *ns);
    assert_non_null(ns);
    ns->responder = r;
    ns->user = user;
    ns->frames = calloc(NS_MAX_FRAMES, sizeof *ns->frames);
    ns->arena = aligned_alloc(16, ATOLL_ARENA_SIZE);
    ns->rx = calloc(1, sizeof *ns->rx);
    assert_non_null(ns->rx);
    assert_non_null(ns->frames);
    assert_non_null(ns->arena);
    ns->now = now;
    struct atoll_callbacks cb = {.ctx = ns, .send_frame = cap_frame, .event = cap_event};
    ns->st = atoll_stack_init(ns->arena, ATOLL_ARENA_SIZE, cfg, &cb, now);
    if (!ns->st) {
        ns_destroy(ns);
        return NULL;
    }
    pump(ns);
    return ns;
}

void ns_destroy(struct netsim *ns)
{
    if (!ns)
        return;
    free(ns->arena);
    free(ns->frames);
    free(ns->rx);
    free(ns);
}

void ns_clear(struct netsim *ns)
{
    ns->nframes = 0;
    ns->seen = 0;
    ns->nevents = 0;
}

void ns_input(struct netsim *ns, const uint8_t *frame, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    if (len)
        memcpy(copy, frame, len);
    atoll_input(ns->st, copy, len, ns->now);
    free(copy);
    tsim_tcp_check(ns->st);
    pump(ns);
}

uint64_t ns_poll(struct netsim *ns)
{
    uint64_t d = atoll_poll(ns->st, ns->now);
    tsim_tcp_check(ns->st);
    pump(ns);
    return d;
}

void ns_run_until(struct netsim *ns, uint64_t t)
{
    int spins = 0;
    for (;;) {
        uint64_t d = ns_poll(ns);
        if (d > t)
            break;
        if (d <= ns->now) {
            /* A deadline already due means "poll again"; it must settle. */
            assert_true(++spins < 100);
            continue;
        }
        spins = 0;
        ns->now = d;
    }
    if (ns->now < t) {
        ns->now = t;
        ns_poll(ns);
    }
}

uint64_t ns_ctr(const struct netsim *ns, enum atoll_counter c)
{
    return atoll_get_counters(ns->st)->v[c];
}

size_t ns_count_events(const struct netsim *ns, enum atoll_event ev)
{
    size_t n = 0;
    for (size_t i = 0; i < ns->nevents; i++)
        n += ns->events[i].ev == ev;
    return n;
}

static void rx_record(void *user, struct atoll_stack *st, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                      const uint8_t *data, size_t len, uint64_t now)
{
    struct netsim *ns = user;
    assert_ptr_equal(st, ns->st);
    assert_true(len <= sizeof ns->rx->data);
    ns->rx->count++;
    ns->rx->src = src_ip;
    ns->rx->sport = src_port;
    ns->rx->dport = dst_port;
    ns->rx->now = now;
    ns->rx->len = len;
    if (len)
        memcpy(ns->rx->data, data, len);
}

void ns_bind(struct netsim *ns, uint16_t port)
{
    assert_int_equal(atoll_udp_bind(ns->st, port, rx_record, ns), ATOLL_OK);
}

void ns_learn(struct netsim *ns, const uint8_t *mac, uint32_t ip)
{
    static const uint8_t zero[6] = {0};
    uint8_t f[42];
    mk_arp(f, BCAST_MAC, mac, 1, mac, ip, zero, NS_IP);
    ns_input(ns, f, sizeof f);
    ns_clear(ns);
}

void ns_send_udp(struct netsim *ns, uint32_t dst, uint16_t sport, uint16_t dport, const uint8_t *data, size_t n)
{
    static uint8_t u[1600], f[1600];
    assert_true(n <= 1472);
    size_t ul = mk_udp(u, PEER_IP, dst, sport, dport, data, n);
    struct ip_spec s = ip_spec(PEER_IP, dst, 17);
    size_t fl = mk_ip_frame(f, &s, u, ul);
    ns_input(ns, f, fl);
}

int ns_setup_static(void **state)
{
    struct atoll_config c = ns_static_config();
    struct netsim *ns = ns_create(&c, 1000);
    if (!ns)
        return -1;
    ns_run_until(ns, 3000); /* let both announcements go out */
    ns_clear(ns);
    *state = ns;
    return 0;
}

int ns_teardown(void **state)
{
    ns_destroy(*state);
    *state = NULL;
    exact_free_all();
    return 0;
}

/* ---- reading captured frames ---- */

uint16_t fr_type(const struct ns_frame *f)
{
    return get16(f->b + 12);
}

int fr_is_arp(const struct ns_frame *f, uint16_t op, uint32_t tpa)
{
    return f->len >= 42 && fr_type(f) == 0x0806 && get16(f->b + 20) == op && get32(f->b + 38) == tpa;
}

const uint8_t *fr_ip(const struct ns_frame *f)
{
    if (f->len < 34 || fr_type(f) != 0x0800)
        return NULL;
    const uint8_t *ip = f->b + 14;
    size_t hl = (size_t)(ip[0] & 15u) * 4u;
    assert_int_equal(ip[0] >> 4, 4);
    assert_true(hl >= 20 && 14 + hl <= f->len);
    assert_int_equal(ref_fold(ref_sum(0, ip, hl)), 0xffff);
    assert_int_equal(14 + get16(ip + 2), f->len);
    return ip;
}

size_t ns_count_arp(const struct netsim *ns, uint16_t op, uint32_t tpa)
{
    size_t n = 0;
    for (size_t i = 0; i < ns->nframes; i++)
        n += (size_t)fr_is_arp(&ns->frames[i], op, tpa);
    return n;
}

size_t ns_count_ip(const struct netsim *ns, uint8_t proto)
{
    size_t n = 0;
    for (size_t i = 0; i < ns->nframes; i++) {
        const uint8_t *ip = fr_ip(&ns->frames[i]);
        n += ip && ip[9] == proto;
    }
    return n;
}

const struct ns_frame *ns_nth_ip(const struct netsim *ns, uint8_t proto, size_t k)
{
    for (size_t i = 0; i < ns->nframes; i++) {
        const uint8_t *ip = fr_ip(&ns->frames[i]);
        if (ip && ip[9] == proto && k-- == 0)
            return &ns->frames[i];
    }
    return NULL;
}

long ns_reassemble(const struct netsim *ns, uint8_t proto, uint16_t id, uint8_t *out, size_t cap)
{
    uint8_t *have = calloc(cap ? cap : 1, 1);
    assert_non_null(have);
    long total = -1;
    int bad = 0;
    for (size_t i = 0; i < ns->nframes && !bad; i++) {
        const uint8_t *ip = fr_ip(&ns->frames[i]);
        if (!ip || ip[9] != proto || get16(ip + 4) != id)
            continue;
        size_t hl = (size_t)(ip[0] & 15u) * 4u;
        size_t n = get16(ip + 2) - hl;
        size_t off = (size_t)(get16(ip + 6) & 0x1fffu) * 8u;
        int mf = (get16(ip + 6) & 0x2000u) != 0;
        if (off + n > cap) {
            bad = 1;
            break;
        }
        for (size_t k = 0; k < n; k++) {
            if (have[off + k])
                bad = 1;
            have[off + k] = 1;
        }
        memcpy(out + off, ip + hl, n);
        if (!mf)
            total = (long)(off + n);
    }
    if (!bad && total >= 0) {
        for (long k = 0; k < total; k++)
            if (!have[k])
                bad = 1;
    }
    free(have);
    return bad ? -1 : total;
}
