/* SPDX-License-Identifier: Apache-2.0 */
#include "tcpsim.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"
#include "tcpip/stack.h"
#include "tcpip/tcp_seq.h"

struct tsim_pkt {
    uint64_t at;     /* delivery time, ms */
    uint64_t order;  /* FIFO among equal times */
    int from, to;
    size_t len;
    uint8_t data[];
};

/* ---- PRNG (splitmix64) ---- */

static uint64_t tsim_rand(struct tsim *s)
{
    uint64_t z = (s->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int tsim_chance(struct tsim *s, double pct)
{
    if (pct <= 0.0)
        return 0;
    double u = (double)(tsim_rand(s) >> 11) * (1.0 / 9007199254740992.0);
    return u * 100.0 < pct;
}

void tsim_fill(uint8_t *b, size_t n, uint64_t seed)
{
    struct tsim t;
    t.rng = seed;
    size_t i = 0;
    while (i < n) {
        uint64_t v = tsim_rand(&t);
        for (int k = 0; k < 8 && i < n; k++, i++) {
            b[i] = (uint8_t)v;
            v >>= 8;
        }
    }
}

/* ---- event heap ---- */

static int pkt_before(const struct tsim_pkt *a, const struct tsim_pkt *b)
{
    return a->at < b->at || (a->at == b->at && a->order < b->order);
}

static void heap_push(struct tsim *s, struct tsim_pkt *p)
{
    if (s->nheap == s->heap_cap) {
        s->heap_cap = s->heap_cap ? s->heap_cap * 2 : 256;
        s->heap = realloc(s->heap, s->heap_cap * sizeof *s->heap);
        assert_non_null(s->heap);
    }
    p->order = s->order++;
    size_t i = s->nheap++;
    s->heap[i] = p;
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!pkt_before(s->heap[i], s->heap[up]))
            break;
        struct tsim_pkt *t = s->heap[i];
        s->heap[i] = s->heap[up];
        s->heap[up] = t;
        i = up;
    }
}

static struct tsim_pkt *heap_pop(struct tsim *s)
{
    struct tsim_pkt *top = s->heap[0];
    s->heap[0] = s->heap[--s->nheap];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->nheap && pkt_before(s->heap[l], s->heap[m]))
            m = l;
        if (r < s->nheap && pkt_before(s->heap[r], s->heap[m]))
            m = r;
        if (m == i)
            break;
        struct tsim_pkt *t = s->heap[i];
        s->heap[i] = s->heap[m];
        s->heap[m] = t;
        i = m;
    }
    return top;
}

/* ---- hosts and the link ---- */

struct atoll_config tsim_host_config(int idx)
{
    struct atoll_config c;
    memset(&c, 0, sizeof c);
    c.mac[0] = 0x02;
    c.mac[4] = 0x01;
    c.mac[5] = (uint8_t)(idx + 1);
    c.ip = TSIM_IP(idx);
    c.netmask = 0xffffff00u;
    c.gateway = 0;
    c.seed = 0x5eed0000u + (uint64_t)idx * 7919u;
    for (int i = 0; i < 16; i++)
        c.secret[i] = (uint8_t)(0xa0 + idx * 16 + i);
    c.tcp_max_conns = 8;
    c.tcp_buffers = 16;
    c.tcp_buffer_size = 65536;
    return c;
}

struct tsim *tsim_new(uint64_t seed, uint64_t start_ms)
{
    struct tsim *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->rng = seed;
    s->now = start_ms;
    return s;
}

void tsim_free(struct tsim *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nhosts; i++)
        free(s->host[i].arena);
    for (size_t i = 0; i < s->nheap; i++)
        free(s->heap[i]);
    free(s->heap);
    free(s);
}

static int is_ipv4(const uint8_t *f, size_t len)
{
    return len >= 34 && f[12] == 0x08 && f[13] == 0x00;
}

/* TSIM_TRACE=1 in the environment prints every TCP segment and its fate. */
static int trace_on(void)
{
    static int on = -1;
    if (on < 0) {
        const char *e = getenv("TSIM_TRACE");
        on = e && *e && *e != '0';
    }
    return on;
}

static void trace(const struct tsim *s, int from, int to, const uint8_t *f, size_t len, const char *fate)
{
    struct tseg t;
    if (!is_ipv4(f, len) || (get16(f + 20) & 0x3fffu) || !tseg_parse(f, len, &t)) {
        printf("%8llu %d>%d %s frame len %zu\n", (unsigned long long)s->now, from, to, fate, len);
        return;
    }
    printf("%8llu %d>%d %-5s %c%c%c%c%c seq %u ack %u win %u len %zu", (unsigned long long)s->now, from, to, fate,
           (t.flags & TSF_SYN) ? 'S' : '.', (t.flags & TSF_ACK) ? 'A' : '.', (t.flags & TSF_FIN) ? 'F' : '.',
           (t.flags & TSF_RST) ? 'R' : '.', (t.flags & TSF_PSH) ? 'P' : '.', t.seq, t.ack, t.win, t.dlen);
    if (t.has_ts)
        printf(" ts %u/%u", t.tsval, t.tsecr);
    for (int i = 0; i < t.nsack; i++)
        printf(" sack %u-%u", t.sack_l[i], t.sack_r[i]);
    printf("\n");
}

static void link_enqueue(struct tsim *s, int from, int to, const uint8_t *f, size_t len)
{
    const struct tsim_impair *imp = &s->imp[from][to];
    struct tsim_dir_stats *stt = &s->stats[from][to];
    int impaired = is_ipv4(f, len) || imp->impair_arp;
    uint64_t now_us = s->now * 1000u;
    uint64_t done_us = now_us;
    stt->sent++;
    if (imp->bandwidth_bps) {
        uint64_t *busy = &s->busy_until_us[from][to];
        uint64_t start = *busy > now_us ? *busy : now_us;
        uint64_t backlog = (start - now_us) * imp->bandwidth_bps / 8000000u;
        if (imp->queue_bytes && backlog + len > imp->queue_bytes) {
            stt->queue_drops++;
            if (trace_on())
                trace(s, from, to, f, len, "QDROP");
            return;
        }
        uint64_t ser = ((uint64_t)len * 8u * 1000000u + imp->bandwidth_bps - 1u) / imp->bandwidth_bps;
        *busy = start + ser;
        done_us = *busy;
    }
    if (impaired && tsim_chance(s, imp->loss_pct)) {
        stt->lost++;
        if (trace_on())
            trace(s, from, to, f, len, "LOST");
        return;
    }
    uint64_t at_us = done_us + (uint64_t)imp->delay_ms * 1000u;
    if (impaired && tsim_chance(s, imp->reorder_pct)) {
        at_us += (uint64_t)imp->reorder_ms * 1000u;
        stt->reordered++;
    }
    int copies = 1;
    if (impaired && tsim_chance(s, imp->dup_pct)) {
        copies = 2;
        stt->duplicated++;
    }
    if (trace_on())
        trace(s, from, to, f, len, copies == 2 ? "DUP" : "send");
    for (int k = 0; k < copies; k++) {
        struct tsim_pkt *p = malloc(sizeof *p + len);
        assert_non_null(p);
        p->at = (at_us + 999u) / 1000u + (uint64_t)k;
        p->from = from;
        p->to = to;
        p->len = len;
        memcpy(p->data, f, len);
        if (impaired && is_ipv4(f, len) && tsim_chance(s, imp->corrupt_pct)) {
            /* One byte of the datagram (not the link padding) changes. */
            size_t ip_len = (size_t)f[16] * 256u + f[17];
            if (ip_len > len - 14)
                ip_len = len - 14;
            size_t pos = 14 + (size_t)(tsim_rand(s) % ip_len);
            p->data[pos] ^= (uint8_t)(1u + tsim_rand(s) % 255u);
            stt->corrupted++;
        }
        heap_push(s, p);
    }
}

static void tsim_send_frame(void *ctx, const uint8_t *f, size_t len)
{
    struct tsim_host *h = ctx;
    struct tsim *s = h->sim;
    assert_true(len >= 14 && len <= 1514);
    if (h->down)
        return;
    if (s->filter && s->filter(s->filter_ctx, s, h->idx, f, len)) {
        s->stats[h->idx][h->idx].filtered++;
        return;
    }
    uint8_t mangled[1514];
    if (s->mangle) {
        memcpy(mangled, f, len);
        if (s->mangle(s->mangle_ctx, s, h->idx, mangled, &len)) {
            s->stats[h->idx][h->idx].filtered++;
            return;
        }
        assert_true(len >= 14 && len <= 1514);
        f = mangled;
    }
    int bcast = (f[0] & 1u) != 0;
    int found = 0;
    for (int i = 0; i < s->nhosts; i++) {
        if (i == h->idx)
            continue;
        if (bcast || memcmp(f, s->host[i].cfg.mac, 6) == 0) {
            link_enqueue(s, h->idx, i, f, len);
            found = 1;
        }
    }
    if (!found)
        s->frames_unknown_dst++;
}

static void host_start(struct tsim *s, struct tsim_host *h)
{
    struct atoll_callbacks cb = {.ctx = h, .send_frame = tsim_send_frame, .event = NULL};
    h->st = atoll_stack_init(h->arena, h->arena_len, &h->cfg, &cb, s->now);
    assert_non_null(h->st);
    h->deadline = 0;
}

int tsim_add_host(struct tsim *s, const struct atoll_config *cfg)
{
    assert_true(s->nhosts < TSIM_MAX_HOSTS);
    int idx = s->nhosts++;
    struct tsim_host *h = &s->host[idx];
    memset(h, 0, sizeof *h);
    h->sim = s;
    h->idx = idx;
    h->cfg = cfg ? *cfg : tsim_host_config(idx);
    h->arena_len = (atoll_stack_size_for(&h->cfg) + 15u) / 16u * 16u;
    h->arena = aligned_alloc(16, h->arena_len);
    assert_non_null(h->arena);
    host_start(s, h);
    return idx;
}

struct atoll_stack *tsim_st(struct tsim *s, int host)
{
    return s->host[host].st;
}

void tsim_impair_all(struct tsim *s, const struct tsim_impair *imp)
{
    for (int a = 0; a < TSIM_MAX_HOSTS; a++)
        for (int b = 0; b < TSIM_MAX_HOSTS; b++)
            s->imp[a][b] = *imp;
}

void tsim_host_reboot(struct tsim *s, int host)
{
    host_start(s, &s->host[host]);
}

uint64_t tsim_ctr(struct tsim *s, int host, enum atoll_counter c)
{
    return atoll_get_counters(s->host[host].st)->v[c];
}

struct tsim_dir_stats tsim_total(const struct tsim *s)
{
    struct tsim_dir_stats t;
    memset(&t, 0, sizeof t);
    for (int a = 0; a < TSIM_MAX_HOSTS; a++) {
        for (int b = 0; b < TSIM_MAX_HOSTS; b++) {
            const struct tsim_dir_stats *x = &s->stats[a][b];
            t.sent += x->sent;
            t.lost += x->lost;
            t.queue_drops += x->queue_drops;
            t.reordered += x->reordered;
            t.duplicated += x->duplicated;
            t.corrupted += x->corrupted;
            t.delivered += x->delivered;
            t.filtered += x->filtered;
        }
    }
    return t;
}

size_t tsim_in_flight(const struct tsim *s)
{
    return s->nheap;
}

void tsim_tcp_check(struct atoll_stack *st)
{
    if (!st)
        return;
    const struct tcp_stack *ts = &st->tcp;
    for (uint32_t i = 0; i < ts->max_conns; i++) {
        const struct atoll_tcp *c = &ts->conns[i];
        if (!c->used || c->state == TCPS_CLOSED || c->state == TCPS_LISTEN)
            continue;
        if (!seq_leq(c->snd_una, c->snd_nxt) || !seq_leq(c->snd_nxt, c->snd_max))
            fail_msg("conn %u: snd_una %u snd_nxt %u snd_max %u out of order", i, c->snd_una, c->snd_nxt, c->snd_max);
        uint32_t flight = tcp_flight(c), pipe = tcp_pipe(c);
        if (pipe > flight)
            fail_msg("conn %u: pipe %u > flight %u (snd_una %u snd_nxt %u snd_max %u, %u SACK blocks)", i, pipe,
                     flight, c->snd_una, c->snd_nxt, c->snd_max, c->nsb);
        if (c->nsb > TCP_SACK_RANGES)
            fail_msg("conn %u: %u SACK blocks", i, c->nsb);
        for (uint8_t b = 0; b < c->nsb; b++) {
            uint32_t l = c->sb_l[b], r = c->sb_r[b];
            if (!seq_leq(c->snd_una, l) || !seq_lt(l, r) || !seq_leq(r, c->snd_max)
                || (b > 0 && !seq_lt(c->sb_r[b - 1], l)))
                fail_msg("conn %u: SACK block %u [%u, %u) bad (snd_una %u snd_max %u)", i, b, l, r, c->snd_una,
                         c->snd_max);
        }
    }
}

/* ---- the event loop ---- */

static void flow_timed_read(struct tsim_flow *f);

int tsim_run(struct tsim *s, uint64_t until, int (*done)(void *), void *arg)
{
    unsigned idle_spins = 0;
    uint64_t same_ms = 0, last_now = s->now;
    for (;;) {
        if (s->now != last_now) {
            last_now = s->now;
            same_ms = 0;
        }
        /* A storm of frames within one millisecond means a loop. */
        assert_true(++same_ms < 200000);
        uint64_t next = ATOLL_NO_DEADLINE;
        for (int i = 0; i < s->nhosts; i++) {
            struct tsim_host *h = &s->host[i];
            if (h->down)
                continue;
            h->deadline = atoll_poll(h->st, s->now);
            tsim_tcp_check(h->st);
            if (h->deadline < next)
                next = h->deadline;
        }
        for (int i = 0; i < s->nflows; i++) {
            struct tsim_flow *f = s->flows[i];
            if (f->read_every_ms && f->c && f->next_read <= s->now)
                flow_timed_read(f);
            if (f->read_every_ms && f->c && f->next_read < next)
                next = f->next_read;
        }
        if (done && done(arg))
            return 1;
        int delivered = 0;
        while (s->nheap > 0 && s->heap[0]->at <= s->now) {
            struct tsim_pkt *p = heap_pop(s);
            struct tsim_host *h = &s->host[p->to];
            if (!h->down && !s->host[p->from].down) {
                s->stats[p->from][p->to].delivered++;
                atoll_input(h->st, p->data, p->len, s->now);
                tsim_tcp_check(h->st);
            }
            free(p);
            delivered = 1;
        }
        if (delivered)
            continue;
        if (s->nheap > 0 && s->heap[0]->at < next)
            next = s->heap[0]->at;
        if (next <= s->now) {
            /* A deadline already due means "poll again"; it must settle. */
            assert_true(++idle_spins < 1000);
            continue;
        }
        idle_spins = 0;
        if (next > until) {
            if (s->now >= until)
                return 0;
            s->now = until;
            continue;
        }
        s->now = next;
    }
}

void tsim_run_for(struct tsim *s, uint64_t ms)
{
    tsim_run(s, s->now + ms, NULL, NULL);
}

/* ---- flows ---- */

static uint64_t flow_now(const struct tsim_flow *f)
{
    return *f->clock;
}

void tsim_flow_init(struct tsim_flow *f, struct tsim *s, int host)
{
    memset(f, 0, sizeof *f);
    f->sim = s;
    f->st = s->host[host].st;
    f->clock = &s->now;
    assert_true(s->nflows < TSIM_MAX_FLOWS);
    s->flows[s->nflows++] = f;
}

void tsim_flow_init_st(struct tsim_flow *f, struct atoll_stack *st, uint64_t *clock)
{
    memset(f, 0, sizeof *f);
    f->st = st;
    f->clock = clock;
}

void tsim_flow_tx(struct tsim_flow *f, const uint8_t *data, size_t len, int shut_when_sent)
{
    f->tx = data;
    f->tx_len = len;
    f->tx_off = 0;
    f->shut_when_sent = shut_when_sent;
}

void tsim_flow_rx(struct tsim_flow *f, uint8_t *buf, size_t cap)
{
    f->rx = buf;
    f->rx_cap = cap;
    f->rx_len = 0;
}

static void flow_pump_tx(struct tsim_flow *f)
{
    while (f->c && f->tx_off < f->tx_len) {
        long n = atoll_tcp_send(f->c, f->tx + f->tx_off, f->tx_len - f->tx_off, flow_now(f));
        if (n <= 0)
            break;
        f->tx_off += (size_t)n;
    }
    if (f->c && f->tx_off == f->tx_len && f->shut_when_sent && !f->shut_done) {
        f->shut_done = 1;
        atoll_tcp_shutdown(f->c, flow_now(f));
    }
}

/* Reads up to `limit` bytes (0: all); handles EOF. */
static void flow_read(struct tsim_flow *f, size_t limit)
{
    static uint8_t scratch[65536];
    size_t total = 0;
    while (f->c && (limit == 0 || total < limit)) {
        size_t want = limit ? limit - total : sizeof scratch;
        uint8_t *dst = scratch;
        if (f->rx && f->rx_len < f->rx_cap) {
            dst = f->rx + f->rx_len;
            if (want > f->rx_cap - f->rx_len)
                want = f->rx_cap - f->rx_len;
        } else if (want > sizeof scratch) {
            want = sizeof scratch;
        }
        long n = atoll_tcp_recv(f->c, dst, want, flow_now(f));
        if (n == ATOLL_TCP_EOF) {
            f->eof_reads++;
            if (!f->eof) {
                f->eof = 1;
                f->t_eof = flow_now(f);
            }
            /* (the stack may have ended the handle from inside recv) */
            if (f->c && f->close_on_eof && f->tx_off == f->tx_len) {
                struct atoll_tcp *c = f->c;
                f->c = NULL;
                f->closed_by_us = 1;
                atoll_tcp_close(c, flow_now(f));
            }
            return;
        }
        assert_true(n >= 0);
        if (n == 0)
            return;
        if (dst == scratch)
            f->overflow += (uint64_t)n;
        else
            f->rx_len += (size_t)n;
        total += (size_t)n;
    }
}

static void flow_timed_read(struct tsim_flow *f)
{
    f->next_read = flow_now(f) + f->read_every_ms;
    flow_read(f, f->read_chunk);
}

void tsim_flow_pump(struct tsim_flow *f)
{
    flow_pump_tx(f);
    if (!f->no_read && !f->read_every_ms)
        flow_read(f, 0);
}

void tsim_flow_event(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    struct tsim_flow *f = user;
    assert_non_null(f);
    if (f->c)
        assert_ptr_equal(f->c, c);
    switch (ev) {
    case ATOLL_TCP_CONNECTED:
        assert_false(f->connected);
        f->connected = 1;
        f->t_connected = flow_now(f);
        if (f->read_every_ms)
            f->next_read = flow_now(f) + f->read_every_ms;
        flow_pump_tx(f);
        break;
    case ATOLL_TCP_READABLE:
        f->readable_events++;
        if (!f->no_read && !f->read_every_ms)
            flow_read(f, 0);
        break;
    case ATOLL_TCP_WRITABLE:
        f->writable_events++;
        flow_pump_tx(f);
        break;
    case ATOLL_TCP_CLOSED:
        assert_false(f->closed || f->reset);
        f->closed = 1;
        f->t_closed = flow_now(f);
        f->c = NULL;
        break;
    case ATOLL_TCP_RESET:
        assert_false(f->closed || f->reset);
        f->reset = 1;
        f->t_reset = flow_now(f);
        f->c = NULL;
        break;
    default:
        fail_msg("unknown TCP event %d", (int)ev);
    }
}

int tsim_flow_connect(struct tsim_flow *f, uint32_t dst_ip, uint16_t port)
{
    f->c = atoll_tcp_connect(f->st, dst_ip, port, tsim_flow_event, f, flow_now(f));
    return f->c ? 0 : -1;
}

int tsim_flow_done(const struct tsim_flow *f)
{
    return f->tx_off == f->tx_len && f->eof && (f->closed || f->closed_by_us) && !f->reset;
}

void tsim_acceptor_init(struct tsim_acceptor *a, struct tsim_flow *flows, int n)
{
    a->flows = flows;
    a->n = n;
    a->next = 0;
    a->refused = 0;
}

void tsim_accept(void *user, struct atoll_tcp *c)
{
    struct tsim_acceptor *a = user;
    if (a->next >= a->n) {
        a->refused++;
        atoll_tcp_close(c, 0);
        return;
    }
    struct tsim_flow *f = &a->flows[a->next++];
    f->c = c;
    f->accepted = 1;
    f->t_connected = flow_now(f);
    if (f->read_every_ms)
        f->next_read = flow_now(f) + f->read_every_ms;
    atoll_tcp_set_handler(c, tsim_flow_event, f);
    flow_pump_tx(f);
}

/* ---- independent TCP/IPv4 frames ---- */

static uint32_t tcp_pseudo(uint32_t src, uint32_t dst, size_t len)
{
    return (src >> 16) + (src & 0xffffu) + (dst >> 16) + (dst & 0xffffu) + 6u + (uint32_t)len;
}

size_t tseg_build(uint8_t *f, const struct tseg *t)
{
    uint8_t opt[40];
    size_t ol = 0;
    if (t->has_mss) {
        opt[ol++] = 2;
        opt[ol++] = 4;
        put16(opt + ol, t->mss);
        ol += 2;
    }
    if (t->sack_perm) {
        opt[ol++] = 4;
        opt[ol++] = 2;
    }
    if (t->has_ts) {
        opt[ol++] = 8;
        opt[ol++] = 10;
        put32(opt + ol, t->tsval);
        put32(opt + ol + 4, t->tsecr);
        ol += 8;
    }
    if (t->has_ws) {
        opt[ol++] = 1;
        opt[ol++] = 3;
        opt[ol++] = 3;
        opt[ol++] = t->ws;
    }
    if (t->nsack) {
        opt[ol++] = 1;
        opt[ol++] = 1;
        opt[ol++] = 5;
        opt[ol++] = (uint8_t)(2 + 8 * t->nsack);
        for (int i = 0; i < t->nsack; i++) {
            put32(opt + ol, t->sack_l[i]);
            put32(opt + ol + 4, t->sack_r[i]);
            ol += 8;
        }
    }
    while (ol % 4)
        opt[ol++] = 0; /* EOL padding */
    assert_true(ol <= 40);
    size_t hl = 20 + ol;
    assert_true(hl + t->dlen <= 1480);
    uint8_t seg[1500];
    put16(seg, t->sport);
    put16(seg + 2, t->dport);
    put32(seg + 4, t->seq);
    put32(seg + 8, t->ack);
    seg[12] = (uint8_t)((hl / 4) << 4);
    seg[13] = t->flags;
    put16(seg + 14, t->win);
    put16(seg + 16, 0);
    put16(seg + 18, t->urp);
    memcpy(seg + 20, opt, ol);
    if (t->dlen)
        memcpy(seg + hl, t->data, t->dlen);
    size_t sl = hl + t->dlen;
    put16(seg + 16, (uint16_t)~ref_fold(ref_sum(tcp_pseudo(t->src, t->dst, sl), seg, sl)));
    struct ip_spec is = ip_spec(t->src, t->dst, 6);
    is.id = t->ip_id;
    memcpy(f, t->dmac, 6);
    memcpy(f + 6, t->smac, 6);
    put16(f + 12, 0x0800);
    return 14 + mk_ip(f + 14, &is, seg, sl);
}

int tseg_parse(const uint8_t *f, size_t len, struct tseg *o)
{
    memset(o, 0, sizeof *o);
    if (len < 34 || get16(f + 12) != 0x0800)
        return 0;
    const uint8_t *ip = f + 14;
    size_t ihl = (size_t)(ip[0] & 15u) * 4u;
    assert_int_equal(ip[0] >> 4, 4);
    assert_true(ihl >= 20 && 14 + ihl <= len);
    assert_int_equal(ref_fold(ref_sum(0, ip, ihl)), 0xffff);
    size_t tot = get16(ip + 2);
    assert_true(tot >= ihl && 14 + tot <= len);
    if (ip[9] != 6)
        return 0;
    memcpy(o->dmac, f, 6);
    memcpy(o->smac, f + 6, 6);
    o->src = get32(ip + 12);
    o->dst = get32(ip + 16);
    o->ip_id = get16(ip + 4);
    if (get16(ip + 6) & 0x3fffu) {
        o->ip_frag = 1;
        return 1;
    }
    const uint8_t *t = ip + ihl;
    size_t sl = tot - ihl;
    assert_true(sl >= 20);
    assert_int_equal(ref_fold(ref_sum(tcp_pseudo(o->src, o->dst, sl), t, sl)), 0xffff);
    o->sport = get16(t);
    o->dport = get16(t + 2);
    o->seq = get32(t + 4);
    o->ack = get32(t + 8);
    o->hdr_len = (uint8_t)((t[12] >> 4) * 4);
    assert_true(o->hdr_len >= 20 && o->hdr_len <= sl);
    o->flags = t[13];
    o->win = get16(t + 14);
    o->urp = get16(t + 18);
    size_t i = 20;
    while (i < o->hdr_len) {
        uint8_t k = t[i];
        if (k == 0)
            break;
        if (k == 1) {
            i++;
            continue;
        }
        if (i + 1 >= o->hdr_len || t[i + 1] < 2 || i + t[i + 1] > o->hdr_len) {
            o->bad_option = 1;
            break;
        }
        uint8_t ol = t[i + 1];
        const uint8_t *v = t + i + 2;
        if (k == 2 && ol == 4) {
            o->has_mss = 1;
            o->mss = get16(v);
        } else if (k == 3 && ol == 3) {
            o->has_ws = 1;
            o->ws = v[0];
        } else if (k == 4 && ol == 2) {
            o->sack_perm = 1;
        } else if (k == 8 && ol == 10) {
            o->has_ts = 1;
            o->tsval = get32(v);
            o->tsecr = get32(v + 4);
        } else if (k == 5 && ol >= 10 && (ol - 2) % 8 == 0) {
            o->nsack = (uint8_t)((ol - 2) / 8);
            for (int b = 0; b < o->nsack && b < 4; b++) {
                o->sack_l[b] = get32(v + 8 * b);
                o->sack_r[b] = get32(v + 8 * b + 4);
            }
        } else {
            o->bad_option = 1;
        }
        i += ol;
    }
    o->data = t + o->hdr_len;
    o->dlen = sl - o->hdr_len;
    return 1;
}

uint32_t tseg_len(const struct tseg *t)
{
    return (uint32_t)t->dlen + ((t->flags & TSF_SYN) ? 1u : 0u) + ((t->flags & TSF_FIN) ? 1u : 0u);
}

/* ---- the scripted peer ---- */

void tpeer_init(struct tpeer *p, struct netsim *ns, uint16_t sport, uint16_t dport, uint32_t iss)
{
    memset(p, 0, sizeof *p);
    p->ns = ns;
    p->cursor = ns->nframes;
    p->sport = sport;
    p->dport = dport;
    p->iss = iss;
    p->snd_nxt = iss;
    p->win = 65535;
    p->ws = 7;
    p->tsval = 100000;
}

void tpeer_send_raw(struct tpeer *p, struct tseg *t)
{
    uint8_t f[1514];
    memcpy(t->smac, PEER_MAC, 6);
    memcpy(t->dmac, NS_MAC, 6);
    t->src = PEER_IP;
    t->dst = NS_IP;
    t->sport = p->sport;
    t->dport = p->dport;
    size_t n = tseg_build(f, t);
    ns_input(p->ns, f, n);
}

void tpeer_send(struct tpeer *p, uint8_t flags, uint32_t seq, uint32_t ack, const uint8_t *data, size_t n)
{
    struct tseg t;
    memset(&t, 0, sizeof t);
    t.flags = flags;
    t.seq = seq;
    t.ack = ack;
    t.win = p->win;
    t.data = data;
    t.dlen = n;
    if (p->ts_on && !(flags & TSF_RST)) {
        t.has_ts = 1;
        t.tsval = p->tsval;
        t.tsecr = p->ts_recent;
    }
    tpeer_send_raw(p, &t);
}

void tpeer_send_data(struct tpeer *p, const uint8_t *data, size_t n)
{
    tpeer_send(p, TSF_ACK | TSF_PSH, p->snd_nxt, p->rcv_nxt, data, n);
    p->snd_nxt += (uint32_t)n;
}

int tpeer_next(struct tpeer *p, struct tseg *out)
{
    struct netsim *ns = p->ns;
    if (p->cursor > ns->nframes)
        p->cursor = 0;
    while (p->cursor < ns->nframes) {
        const struct ns_frame *f = &ns->frames[p->cursor++];
        if (!tseg_parse(f->b, f->len, out))
            continue;
        if (out->src != NS_IP || out->dst != PEER_IP)
            continue;
        assert_false(out->ip_frag);
        if (out->has_ts)
            p->ts_recent = out->tsval;
        return 1;
    }
    return 0;
}

size_t tpeer_pending(struct tpeer *p)
{
    size_t save = p->cursor, n = 0;
    uint32_t ts = p->ts_recent;
    struct tseg t;
    while (tpeer_next(p, &t))
        n++;
    p->cursor = save;
    p->ts_recent = ts;
    return n;
}

void tpeer_skip_all(struct tpeer *p)
{
    struct tseg t;
    while (tpeer_next(p, &t))
        ;
}

void tpeer_clear(struct tpeer *p)
{
    tpeer_skip_all(p);
    ns_clear(p->ns);
    p->cursor = 0;
}

struct tseg tpeer_connect(struct tpeer *p, int options)
{
    struct tseg syn;
    memset(&syn, 0, sizeof syn);
    syn.flags = TSF_SYN;
    syn.seq = p->iss;
    syn.win = 65535;
    if (options & TPEER_MSS) {
        syn.has_mss = 1;
        syn.mss = 1460;
    }
    syn.sack_perm = (options & TPEER_SACK) != 0;
    if (options & TPEER_WS) {
        syn.has_ws = 1;
        syn.ws = p->ws;
    }
    if (options & TPEER_TS) {
        syn.has_ts = 1;
        syn.tsval = p->tsval;
        syn.tsecr = 0;
    }
    tpeer_send_raw(p, &syn);
    struct tseg sa;
    assert_true(tpeer_next(p, &sa));
    assert_int_equal(sa.flags, TSF_SYN | TSF_ACK);
    assert_int_equal(sa.ack, p->iss + 1);
    assert_int_equal(sa.sport, p->dport);
    assert_int_equal(sa.dport, p->sport);
    p->irs = sa.seq;
    p->rcv_nxt = sa.seq + 1;
    p->snd_nxt = p->iss + 1;
    p->ts_on = (options & TPEER_TS) && sa.has_ts;
    p->sack_on = (options & TPEER_SACK) && sa.sack_perm;
    p->ws_on = (options & TPEER_WS) && sa.has_ws;
    p->stack_ws = p->ws_on ? sa.ws : 0;
    if (!p->ws_on)
        p->ws = 0;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    return sa;
}

/* ---- the one-stack fixture ---- */

/* The peer answers ARP requests for its address (entries expire during
 * long virtual waits). */
static void tfix_arp_responder(struct netsim *ns, const struct ns_frame *fr)
{
    if (fr_is_arp(fr, 1, PEER_IP)) {
        uint8_t f[42];
        mk_arp(f, NS_MAC, PEER_MAC, 2, PEER_MAC, PEER_IP, NS_MAC, NS_IP);
        ns_input(ns, f, sizeof f);
    }
}

struct tfix *tfix_new(uint32_t bufsize)
{
    struct tfix *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->cfg = ns_static_config();
    for (int i = 0; i < 16; i++)
        f->cfg.secret[i] = (uint8_t)(0x30 + i);
    f->cfg.tcp_max_conns = 8;
    f->cfg.tcp_buffers = 16;
    f->cfg.tcp_buffer_size = bufsize;
    f->ns = ns_create_r(&f->cfg, 1000, tfix_arp_responder, f);
    assert_non_null(f->ns);
    ns_run_until(f->ns, 3000);
    ns_clear(f->ns);
    ns_learn(f->ns, PEER_MAC, PEER_IP);
    for (int i = 0; i < TFIX_FLOWS; i++) {
        f->rxbuf[i] = malloc(1u << 20);
        assert_non_null(f->rxbuf[i]);
        tsim_flow_init_st(&f->flow[i], f->ns->st, &f->ns->now);
        tsim_flow_rx(&f->flow[i], f->rxbuf[i], 1u << 20);
    }
    tsim_acceptor_init(&f->acc, f->flow, TFIX_FLOWS);
    assert_int_equal(atoll_tcp_listen(f->ns->st, TFIX_PORT, tsim_accept, &f->acc), ATOLL_OK);
    return f;
}

void tfix_free(struct tfix *f)
{
    if (!f)
        return;
    ns_destroy(f->ns);
    for (int i = 0; i < TFIX_FLOWS; i++)
        free(f->rxbuf[i]);
    free(f);
}

struct tsim_flow *tfix_open(struct tfix *f, uint16_t peer_port, uint32_t peer_iss, int options)
{
    int before = f->acc.next;
    tpeer_init(&f->p, f->ns, peer_port, TFIX_PORT, peer_iss);
    tpeer_connect(&f->p, options);
    assert_int_equal(f->acc.next, before + 1);
    struct tsim_flow *fl = &f->flow[before];
    assert_true(fl->accepted);
    assert_non_null(fl->c);
    assert_string_equal(atoll_tcp_state_name(fl->c), "ESTABLISHED");
    return fl;
}

void tfix_wait(struct tfix *f, uint64_t ms)
{
    ns_run_until(f->ns, f->ns->now + ms);
}

/* ---- two hosts talking ---- */

#define PAIR_RX_SLACK 65536u

struct tsim_pair *tsim_pair_new(uint64_t seed, size_t cli_n, size_t srv_n, const struct atoll_config *srv_cfg,
                                uint16_t port, uint32_t delay_ms)
{
    struct tsim_pair *p = calloc(1, sizeof *p);
    assert_non_null(p);
    p->s = tsim_new(seed, 1000);
    tsim_add_host(p->s, NULL);
    tsim_add_host(p->s, srv_cfg);
    struct tsim_impair imp;
    memset(&imp, 0, sizeof imp);
    imp.delay_ms = delay_ms;
    tsim_impair_all(p->s, &imp);
    tsim_run_for(p->s, 10);
    p->cli_n = cli_n;
    p->srv_n = srv_n;
    p->cli_tx = malloc(cli_n + 1);
    p->srv_tx = malloc(srv_n + 1);
    p->cli_rx = malloc(srv_n + PAIR_RX_SLACK);
    p->srv_rx = malloc(cli_n + PAIR_RX_SLACK);
    assert_true(p->cli_tx && p->srv_tx && p->cli_rx && p->srv_rx);
    tsim_fill(p->cli_tx, cli_n, seed + 100);
    tsim_fill(p->srv_tx, srv_n, seed + 200);
    tsim_flow_init(&p->cli, p->s, 0);
    tsim_flow_init(&p->srv, p->s, 1);
    tsim_flow_tx(&p->cli, p->cli_tx, cli_n, 0);
    tsim_flow_tx(&p->srv, p->srv_tx, srv_n, 0);
    tsim_flow_rx(&p->cli, p->cli_rx, srv_n + PAIR_RX_SLACK);
    tsim_flow_rx(&p->srv, p->srv_rx, cli_n + PAIR_RX_SLACK);
    tsim_acceptor_init(&p->acc, &p->srv, 1);
    assert_int_equal(atoll_tcp_listen(tsim_st(p->s, 1), port, tsim_accept, &p->acc), ATOLL_OK);
    return p;
}

void tsim_pair_free(struct tsim_pair *p)
{
    if (!p)
        return;
    tsim_free(p->s);
    free(p->cli_tx);
    free(p->srv_tx);
    free(p->cli_rx);
    free(p->srv_rx);
    free(p);
}
