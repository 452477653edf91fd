/* SPDX-License-Identifier: Apache-2.0 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "appliance/config.h"
#include "appliance/log.h"
#include "appliance/pump.h"
#include "appliance/web_service.h"
#include "tls/alert.h"

#define LISTENERS 4u
#define NO_SET UINT32_MAX
/* A buffer set: what one connection needs while bytes are in flight,
 * lent from the pool and taken back as soon as every buffer in it is
 * empty (after the handshake's flight is in TCP, after a response has
 * left). The pump's input staging (also the echo's buffer), the HTTP head
 * and response buffers, the TLS record input, handshake reassembly and
 * record output. */
#define REQ_OFF 0u
#define HTTP_IN_OFF (REQ_OFF + HTTP_HEAD_MAX)
#define HTTP_OUT_OFF (HTTP_IN_OFF + HTTP_HEAD_MAX)
#define TLS_IN_BUF ((TLS_RECORD_MAX + 15u) & ~15u)
#define TLS_IN_OFF (HTTP_OUT_OFF + HTTP_OUT_MAX)
#define HS_BUF 16384u
#define HS_OFF (TLS_IN_OFF + TLS_IN_BUF)
#define OUT_BUF 32768u
#define OUT_OFF (HS_OFF + HS_BUF)
#define SET_BYTES (OUT_OFF + OUT_BUF)
/* A ClientHello longer than HS_BUF (legal up to ATOLL_TLS_CH_BODY_MAX) borrows
 * one of the web_config's hs_big buffers while it is reassembled and
 * processed; with none free its handshake fails with internal_error
 * (spec/tls_alerts.md C2). */
#define HS_BIG ((ATOLL_TLS_CH_BODY_MAX + 4u + 15u) & ~15u)
/* Lingering close (RFC 9112 §9.6), nginx's lingering_time: after our
 * last response, what the client still sends is dropped for at most
 * LINGER_TIME_MS. Long enough for a client to notice the response and stop
 * an upload (a few round trips, plus a slow reader's slack). The TCP stack
 * does it for a closed connection (an orphan, bounded in number and
 * reclaimed first), so a lingering peer holds no slot: a client that never
 * takes its response cannot fill the table with them. */
#define LINGER_TIME_MS 30000u

struct listener {
    int tls_on, echo;
    const struct http_config *hcfg;
};

struct slot {
    struct atoll_tcp *tcp;
    const struct http_config *hcfg;
    int used, tls_on, busy;
    int echo;             /* the echo application instead of HTTP */
    int opened;           /* the application has started (counted) */
    uint64_t accepted_ms, progress_ms;
    uint64_t now;         /* the clocks of the current pump run */
    int64_t unix_now;
    uint32_t peer_ip;
    uint16_t peer_port;
    uint32_t live_pos;    /* its place in W.live */
    uint32_t set;         /* the buffer set lent to it, NO_SET: none */
    uint64_t lent_ms;     /* since when */
    int received;         /* peer bytes came in since the set was lent */
    int starved;          /* wants a set and none was free: pumped again once one is */
    struct pump pump;
    union {
        struct http_conn http;
        struct pump_echo echo_app;
    };
    struct atoll_tls_conn tls;
};

static struct {
    struct atoll_stack *st;
    const struct web_config *cfg;
    struct web_stats stats;
    size_t nlisteners;
    struct listener listeners[LISTENERS];
    struct slot *slots;
    uint32_t nslots;
    /* The slots in use, densely (web_poll visits only these), and the free
     * ones, a stack: neither costs a scan of the whole table. */
    uint32_t *live, *free_slots;
    uint32_t nlive, nfree_slots, nbusy;
    uint8_t *sets;        /* nsets * SET_BYTES */
    uint32_t *free_sets;  /* nfree of them, a stack */
    uint32_t nsets, nfree, nstarved;
    uint64_t next_reclaim; /* reclaim_set's next try */
    uint8_t *hs_big;      /* nhs_big * HS_BIG */
    uint8_t *hs_big_used;
    uint32_t nhs_big;
} W;

static uint8_t *hs_borrow(void *ctx, size_t need, size_t *cap)
{
    (void)ctx;
    for (uint32_t i = 0; i < W.nhs_big; i++)
        if (!W.hs_big_used[i] && need <= HS_BIG) {
            W.hs_big_used[i] = 1;
            *cap = HS_BIG;
            return W.hs_big + (size_t)i * HS_BIG;
        }
    return NULL;
}

static void hs_give_back(void *ctx, uint8_t *b)
{
    (void)ctx;
    for (uint32_t i = 0; i < W.nhs_big; i++)
        if (b == W.hs_big + (size_t)i * HS_BIG) {
            memset(b, 0, HS_BIG); /* another peer's hello must not be readable */
            W.hs_big_used[i] = 0;
        }
}

static uint64_t now_ms(void);
static int evictable(const struct slot *s);
static void finish(struct slot *s, int abort, uint64_t now);

/* Every set is lent and connections wait: one that has held its set for
 * RECLAIM_IDLE_MS while it could be closed losing nothing (a request head
 * or a record in part, no output pending: what a slowloris holds, however
 * slowly it trickles) is closed, the longest holder first, so no peer can
 * keep the pool from the others. A legitimate client's partial record
 * completes within a round trip. Tried at most every RECLAIM_EVERY_MS. */
#define RECLAIM_IDLE_MS 1000u
#define RECLAIM_EVERY_MS 250u
static void reclaim_set(uint64_t now)
{
    struct slot *victim = NULL;
    for (uint32_t i = 0; i < W.nlive; i++) {
        struct slot *o = &W.slots[W.live[i]];
        if (o->set != NO_SET && now - o->lent_ms >= RECLAIM_IDLE_MS && evictable(o) &&
            (!victim || o->lent_ms < victim->lent_ms))
            victim = o;
    }
    if (victim) {
        W.stats.sets_reclaimed++;
        finish(victim, 1, now);
    }
}

/* Lends s a buffer set if it has none: 0 when none is free (s waits, and
 * web_poll pumps it again once another connection gives one back). */
static int lend_set(struct slot *s)
{
    if (s->set != NO_SET)
        return 1;
    if (W.nfree == 0) {
        if (!s->starved) {
            s->starved = 1;
            W.nstarved++;
            W.stats.waited++;
        }
        return 0;
    }
    if (s->starved) {
        s->starved = 0;
        W.nstarved--;
    }
    s->set = W.free_sets[--W.nfree];
    s->lent_ms = now_ms();
    uint8_t *b = W.sets + (size_t)s->set * SET_BYTES;
    s->pump.in = b + REQ_OFF;
    s->pump.in_cap = HTTP_HEAD_MAX;
    if (s->tls_on) {
        struct atoll_tls_buffers tb = {b + TLS_IN_OFF, TLS_IN_BUF, b + HS_OFF, HS_BUF, b + OUT_OFF, OUT_BUF};
        atoll_tls_attach_buffers(&s->tls, &tb);
    }
    if (s->echo)
        s->echo_app.buf = b + HTTP_IN_OFF;
    else
        http_conn_buffers(&s->http, b + HTTP_IN_OFF, b + HTTP_OUT_OFF);
    W.stats.sets_lent++;
    if (W.nsets - W.nfree > W.stats.sets_peak)
        W.stats.sets_peak = W.nsets - W.nfree;
    return 1;
}

/* Takes s's set back. What held the peer's plaintext (the pump's staging,
 * the request head, records decrypted in place) is wiped: the next
 * borrower is another peer. Outputs hold what anyone may fetch. */
static void take_set(struct slot *s)
{
    if (s->starved) {
        s->starved = 0;
        W.nstarved--;
    }
    if (s->set == NO_SET)
        return;
    uint8_t *b = W.sets + (size_t)s->set * SET_BYTES;
    if (s->received) { /* a set lent for output only (an ACK opened the window) holds nothing of theirs */
        memset(b + REQ_OFF, 0, 2u * HTTP_HEAD_MAX);
        memset(b + TLS_IN_OFF, 0, TLS_IN_BUF);
        s->received = 0;
    }
    s->pump.in = NULL;
    s->pump.in_len = 0;
    if (s->tls_on)
        atoll_tls_detach_buffers(&s->tls);
    if (s->echo) {
        s->echo_app.buf = NULL;
        s->echo_app.off = s->echo_app.len = 0;
    } else {
        http_conn_buffers(&s->http, NULL, NULL);
    }
    W.free_sets[W.nfree++] = s->set;
    s->set = NO_SET;
}

/* A connection with nothing in flight gives its set back. */
static void take_set_if_idle(struct slot *s)
{
    if (s->set == NO_SET || s->pump.in_len != 0)
        return;
    if (s->tls_on && !atoll_tls_buffers_idle(&s->tls))
        return;
    if (s->echo ? s->echo_app.off != s->echo_app.len : !http_conn_buffers_idle(&s->http))
        return;
    take_set(s);
}

static const struct atoll_tls_hs_lender hs_lender = {hs_borrow, hs_give_back, NULL};

static uint64_t now_ms(void)
{
    return W.cfg->now_ms(W.cfg->clock_ctx);
}

static int64_t unix_s(void)
{
    return W.cfg->unix_s(W.cfg->clock_ctx);
}

/* Keys and plaintext do not outlive the exchange. */
static void release(struct slot *s)
{
    if (!s->used)
        return;
    /* Out of the live list (the last one takes its place) and onto the free stack. */
    uint32_t last = W.live[--W.nlive];
    W.live[s->live_pos] = last;
    W.slots[last].live_pos = s->live_pos;
    W.free_slots[W.nfree_slots++] = (uint32_t)(s - W.slots);
    W.nbusy -= s->busy ? 1u : 0u;
    s->used = 0;
    s->tcp = NULL;
    atoll_tls_release(&s->tls); /* a borrowed handshake buffer goes back (into the set) */
    take_set(s);
    memset(&s->tls, 0, sizeof s->tls);
}

/* Ends the connection: FIN after what is queued (close) or RST (abort). */
static void finish(struct slot *s, int abort, uint64_t now)
{
    if (abort)
        atoll_tcp_abort(s->tcp, now);
    else
        atoll_tcp_close(s->tcp, now);
    release(s);
}

/* The pump's transport: the slot's Atoll TCP connection. */
static long tcp_send(void *ctx, const uint8_t *p, size_t len)
{
    struct slot *s = ctx;
    size_t room = atoll_tcp_writable(s->tcp);
    if (room == 0)
        return 0;
    long n = atoll_tcp_send(s->tcp, p, len < room ? len : room, s->now);
    return n < 0 ? -1 : n;
}

static long tcp_recv(void *ctx, uint8_t *p, size_t cap)
{
    struct slot *s = ctx;
    long n = atoll_tcp_recv(s->tcp, p, cap, s->now);
    if (n == ATOLL_TCP_EOF)
        return -1;
    if (n > 0)
        s->received = 1;
    return n < 0 ? 0 : n;
}

/* http_conn as the pump's application, on the slot's clocks. */
static void http_start(void *ctx)
{
    struct slot *s = ctx;
    http_conn_init(&s->http, s->hcfg, s, s->busy, s->now);
}

static size_t http_input(void *ctx, const uint8_t *p, size_t n)
{
    struct slot *s = ctx;
    return http_conn_input(&s->http, p, n, s->now, s->unix_now);
}

static void http_input_eof(void *ctx)
{
    struct slot *s = ctx;
    http_conn_input_eof(&s->http, s->now, s->unix_now);
}

static size_t http_output(void *ctx, const uint8_t **p)
{
    struct slot *s = ctx;
    return http_conn_output(&s->http, p);
}

static void http_sent(void *ctx, size_t n)
{
    struct slot *s = ctx;
    http_conn_sent(&s->http, n, s->now, s->unix_now);
}

static int http_done(void *ctx)
{
    struct slot *s = ctx;
    return http_conn_done(&s->http);
}

static const struct pump_app http_app = {http_start, http_input, http_input_eof, http_output, http_sent, http_done};

/* Counts a TLS handshake once the pump has started the application. */
static void note_open(struct slot *s)
{
    if (s->opened || !s->pump.started)
        return;
    s->opened = 1;
    if (!s->tls_on)
        return;
    W.stats.handshakes++;
    if (log_enabled(LOG_DEBUG))
        log_msg(LOG_DEBUG, "tls: %s %s%s", atoll_tls_suite_name(s->tls.suite), atoll_tls_group_name(s->tls.group),
                s->tls.resumed ? " resumed" : "");
}

/* Our side is done and everything is queued in TCP: the FIN follows the
 * response, and the peer's late bytes (the rest of an upload refused with
 * 413, a request pipelined after Connection: close) are dropped by the
 * stack instead of answered with a reset, which would make the peer's TCP
 * discard the response unread. */
static void linger(struct slot *s, uint64_t now)
{
    if (s->pump.peer_eof) {
        finish(s, 0, now);
        return;
    }
    W.stats.lingered++;
    atoll_tcp_close_lingering(s->tcp, LINGER_TIME_MS, now);
    release(s);
}

/* One info line per failed handshake (what a user debugging a client
 * needs: who, which alert, which name it asked for), at most
 * TLS_FAIL_LOG_BURST per TLS_FAIL_LOG_MS so a flood of garbage cannot
 * flood the console; the lines left out are counted in the next one. */
#define TLS_FAIL_LOG_BURST 10u
#define TLS_FAIL_LOG_MS 10000u
static void log_tls_failure(const struct slot *s)
{
    static uint64_t window_ms;
    static unsigned logged, skipped;
    if (!log_enabled(LOG_INFO))
        return;
    if (s->now - window_ms >= TLS_FAIL_LOG_MS || window_ms == 0) {
        window_ms = s->now ? s->now : 1;
        logged = 0;
    }
    if (logged >= TLS_FAIL_LOG_BURST) {
        skipped++;
        return;
    }
    logged++;
    char ip[16], more[48] = "";
    int sent = atoll_tls_alert_sent(&s->tls), got = atoll_tls_alert_received(&s->tls);
    if (skipped)
        snprintf(more, sizeof more, " (%u more not logged)", skipped);
    skipped = 0;
    log_msg(LOG_INFO, "tls: handshake with %s:%u failed: %s %s, SNI %s%s%s%s", format_ipv4(s->peer_ip, ip),
            (unsigned)s->peer_port, got >= 0 ? "alert received" : "alert sent",
            tls_alert_name(got >= 0 ? got : sent), s->tls.sni[0] ? "\"" : "", s->tls.sni[0] ? s->tls.sni : "none",
            s->tls.sni[0] ? "\"" : "", more);
}

static void pump(struct slot *s)
{
    if (!lend_set(s))
        return;
    s->now = now_ms();
    s->unix_now = unix_s();
    int progress = 0;
    enum pump_result r = pump_run(&s->pump, s->now, &progress);
    if (progress)
        s->progress_ms = s->now;
    note_open(s);
    if (r == PUMP_AGAIN) {
        if (!pump_more(&s->pump))
            take_set_if_idle(s);
        return;
    }
    if (r == PUMP_CLOSE && s->tls_on && atoll_tls_state(&s->tls) == ATOLL_TLS_ST_FAILED) {
        W.stats.tls_failed++;
        log_tls_failure(s);
    }
    if (r == PUMP_ABORT)
        finish(s, 1, s->now);
    else
        linger(s, s->now);
}

static void on_event(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    struct slot *s = user;
    if (!s->used || s->tcp != c)
        return; /* a connection this slot has already let go of */
    if (ev == ATOLL_TCP_CLOSED || ev == ATOLL_TCP_RESET) {
        release(s);
        return;
    }
    pump(s);
}

/* May this connection be closed to make room? Only when closing it loses
 * nothing in flight: an idle keep-alive connection (or echo), or one still
 * in its handshake or request head, and only once the peer has
 * acknowledged every byte we sent: a response still in the TLS output or
 * the TCP send buffer would be cut by the reset. */
static int evictable(const struct slot *s)
{
    if (!s->pump.started)
        return 1;
    if (atoll_tcp_unacked(s->tcp) != 0)
        return 0;
    if (s->pump.close_sent || pump_output_pending(&s->pump))
        return 0;
    if (s->echo)
        return s->echo_app.off == s->echo_app.len;
    const uint8_t *p;
    if (http_conn_output((struct http_conn *)&s->http, &p) != 0)
        return 0;
    return s->http.phase == HTTP_IDLE || s->http.phase == HTTP_READING;
}

/* A free slot, or NULL. */
static struct slot *pop_free_slot(void)
{
    return W.nfree_slots ? &W.slots[W.free_slots[--W.nfree_slots]] : NULL;
}

static struct slot *take_slot(int *busy, int may_busy, uint64_t now)
{
    *busy = 0;
    /* Under the cap there is always a free slot (at most WEB_SPARE are
     * busy ones): no scan on the common path. */
    if (W.nlive - W.nbusy < W.cfg->max_conns)
        return pop_free_slot();
    struct slot *victim = NULL;
    for (uint32_t i = 0; i < W.nlive; i++) {
        struct slot *s = &W.slots[W.live[i]];
        if (!s->busy && evictable(s) && (!victim || s->progress_ms < victim->progress_ms))
            victim = s;
    }
    if (victim) {
        W.stats.evicted++;
        finish(victim, 1, now);
        return pop_free_slot();
    }
    if (may_busy && W.nbusy < WEB_SPARE && W.nfree_slots > 0) {
        W.stats.busy++;
        *busy = 1;
        return pop_free_slot();
    }
    return NULL;
}

static void on_accept(void *user, struct atoll_tcp *c)
{
    const struct listener *l = user;
    uint64_t now = now_ms();
    int busy;
    /* A spare slot only answers 503: the echo has no such answer. */
    struct slot *s = take_slot(&busy, !l->echo, now);
    if (!s) {
        W.stats.refused++;
        atoll_tcp_abort(c, now);
        return;
    }
    memset(s, 0, sizeof *s);
    s->set = NO_SET;
    s->tls_on = l->tls_on;
    s->echo = l->echo;
    s->hcfg = l->hcfg;
    if (s->tls_on) {
        struct atoll_tls_buffers b = {NULL, TLS_IN_BUF, NULL, HS_BUF, NULL, OUT_BUF}; /* lent while in flight */
        if (atoll_tls_server_init(&s->tls, W.cfg->tls, W.cfg->crypto, &b) != 0) {
            W.free_slots[W.nfree_slots++] = (uint32_t)(s - W.slots);
            W.stats.refused++;
            atoll_tcp_abort(c, now);
            return;
        }
        atoll_tls_server_lender(&s->tls, &hs_lender);
    }
    s->used = 1;
    s->busy = busy;
    W.nbusy += busy ? 1u : 0u;
    s->live_pos = W.nlive;
    W.live[W.nlive++] = (uint32_t)(s - W.slots);
    s->tcp = c;
    s->accepted_ms = s->progress_ms = s->now = now;
    s->unix_now = unix_s();
    atoll_tcp_peer(c, &s->peer_ip, &s->peer_port);
    W.stats.accepted++;
    struct pump_transport t = {.ctx = s, .send = tcp_send, .recv = tcp_recv};
    struct atoll_tls_conn *tls = s->tls_on ? &s->tls : NULL;
    if (s->echo) {
        pump_echo_init(&s->echo_app, NULL);
        pump_init(&s->pump, tls, &t, &pump_echo_app, &s->echo_app, NULL, HTTP_HEAD_MAX, 0);
    } else {
        pump_init(&s->pump, tls, &t, &http_app, s, NULL, HTTP_HEAD_MAX, 0);
    }
    note_open(s);
    atoll_tcp_set_handler(c, on_event, s);
}

static size_t align16(size_t n)
{
    return (n + 15u) & ~(size_t)15u;
}

size_t web_slot_bytes(void)
{
    return sizeof(struct slot);
}

size_t web_set_bytes(void)
{
    return SET_BYTES;
}

size_t web_hs_big_bytes(void)
{
    return HS_BIG;
}

size_t web_memory_need(uint32_t max_conns, uint32_t sets, uint32_t hs_big)
{
    size_t slots = (size_t)max_conns + WEB_SPARE;
    return align16(slots * sizeof(struct slot)) + 2u * align16(slots * sizeof(uint32_t)) +
           align16((size_t)sets * sizeof(uint32_t)) + align16(hs_big) +
           (size_t)sets * SET_BYTES + (size_t)hs_big * HS_BIG;
}

int web_init(struct atoll_stack *st, const struct web_config *cfg)
{
    memset(&W, 0, sizeof W);
    if (cfg->max_conns == 0 || cfg->sets == 0 || ((uintptr_t)cfg->mem & 15u) != 0 ||
        cfg->mem_len < web_memory_need(cfg->max_conns, cfg->sets, cfg->hs_big))
        return -1;
    W.st = st;
    W.cfg = cfg;
    uint8_t *m = cfg->mem;
    W.nslots = cfg->max_conns + WEB_SPARE;
    W.slots = (struct slot *)(void *)m;
    m += align16((size_t)W.nslots * sizeof(struct slot));
    W.live = (uint32_t *)(void *)m;
    m += align16((size_t)W.nslots * sizeof(uint32_t));
    W.free_slots = (uint32_t *)(void *)m;
    m += align16((size_t)W.nslots * sizeof(uint32_t));
    W.free_sets = (uint32_t *)(void *)m;
    m += align16((size_t)cfg->sets * sizeof(uint32_t));
    W.hs_big_used = m;
    m += align16(cfg->hs_big);
    W.hs_big = m;
    m += (size_t)cfg->hs_big * HS_BIG;
    W.sets = m;
    W.nsets = W.nfree = cfg->sets;
    W.nhs_big = cfg->hs_big;
    /* The arena comes zero-filled: a slot's page is touched only once a
     * connection uses it. */
    for (uint32_t i = 0; i < W.nslots; i++)
        W.free_slots[i] = W.nslots - 1u - i;
    W.nfree_slots = W.nslots;
    for (uint32_t i = 0; i < cfg->sets; i++)
        W.free_sets[i] = cfg->sets - 1u - i;
    return 0;
}

int web_listen(enum web_kind kind, uint16_t port, const struct http_config *http)
{
    if (W.nlisteners == LISTENERS || (kind != WEB_TLS_ECHO && !http))
        return -1;
    struct listener *l = &W.listeners[W.nlisteners];
    *l = (struct listener){.tls_on = kind != WEB_HTTP, .echo = kind == WEB_TLS_ECHO, .hcfg = http};
    if (atoll_tcp_listen(W.st, port, on_accept, l) != ATOLL_OK)
        return -1;
    W.nlisteners++;
    return 0;
}

uint64_t web_poll(uint64_t now)
{
    uint64_t next = UINT64_MAX;
    if (W.nstarved > 0 && W.nfree == 0 && now >= W.next_reclaim) {
        W.next_reclaim = now + RECLAIM_EVERY_MS;
        reclaim_set(now);
    }
    /* Backwards: a slot released on the way is replaced by the last one,
     * already visited. */
    for (uint32_t i = W.nlive; i-- > 0;) {
        if (i >= W.nlive)
            continue;
        struct slot *s = &W.slots[W.live[i]];
        if (s->starved && W.nfree > 0) {
            pump(s); /* its turn: a set came back */
            if (!s->used)
                continue;
        }
        if (pump_more(&s->pump)) {
            /* A pump that stopped at its bound (a deep pipeline) goes on a
             * bounded step each turn, other connections' turns between. */
            pump(s);
            if (!s->used)
                continue;
            if (pump_more(&s->pump))
                next = now;
        }
        if (!s->pump.started) {
            uint64_t d = s->accepted_ms + W.cfg->handshake_timeout_ms;
            if (now >= d) {
                W.stats.timeouts++;
                finish(s, 1, now);
                continue;
            }
            if (d < next)
                next = d;
        } else if (!s->echo) {
            uint64_t d = http_conn_deadline(&s->http);
            if (now >= d && !lend_set(s)) {
                d = UINT64_MAX; /* the 408 or close_notify waits for a set; the stall bound still holds */
            } else if (now >= d) {
                if (s->http.phase == HTTP_READING)
                    W.stats.timeouts++; /* a request head left unfinished: 408 */
                http_conn_timer(&s->http, now, unix_s());
                pump(s);
                if (!s->used)
                    continue;
                d = http_conn_deadline(&s->http);
            }
            if (d < next)
                next = d;
        }
        /* A peer that reads nothing (a zero window held open) would keep
         * its slot forever: no progress at all for this long drops it. */
        uint64_t stall = s->progress_ms + W.cfg->stall_timeout_ms;
        if (now >= stall) {
            W.stats.stalled++;
            finish(s, 1, now);
            continue;
        }
        if (stall < next)
            next = stall;
        if (s->starved && W.nfree > 0)
            next = now;
    }
    if (W.nstarved > 0 && W.nfree == 0 && W.next_reclaim < next)
        next = W.next_reclaim;
    return next;
}

const struct web_stats *web_stats(void)
{
    W.stats.sets_in_use = W.nsets - W.nfree;
    W.stats.open = W.nlive;
    return &W.stats;
}

/* The access line of one response (http_access_line): the entry's texts
 * come escaped by http_conn, so a request can never forge or split it. */
void web_http_log(void *slot, const struct http_log *e)
{
    struct slot *s = slot;
    if (!W.cfg || !W.cfg->access_log)
        return;
    char line[HTTP_ACCESS_LINE_MAX];
    size_t n = http_access_line(line, sizeof line, e, s->peer_ip, s->tls_on ? "TLSv1.3" : "-",
                                s->tls_on ? atoll_tls_suite_name(s->tls.suite) : "-");
    W.cfg->access_log(line, n);
}
