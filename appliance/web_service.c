/* SPDX-License-Identifier: Apache-2.0 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "appliance/config.h"
#include "appliance/log.h"
#include "appliance/pump.h"
#include "appliance/web_service.h"
#include "tls/alert.h"

#define SLOTS (CONFIG_MAX_CONNS + WEB_SPARE)
#define LISTENERS 4u
#define HS_BUF 16384u
/* A ClientHello longer than HS_BUF (legal up to TLS_CH_BODY_MAX) borrows
 * one of these while it is reassembled and processed; with none free its
 * handshake fails with internal_error (spec/tls_alerts.md C2). */
#define HS_BIG_BUFS 4u
#define HS_BIG (TLS_CH_BODY_MAX + 4u)
#define OUT_BUF 32768u
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
    struct pump pump;
    uint8_t req[HTTP_HEAD_MAX]; /* input read but not yet taken by the application */
    union {
        struct http_conn http;
        struct pump_echo echo_app;
    };
    struct tls_conn tls;
    uint8_t in[TLS_RECORD_MAX];
    uint8_t hs[HS_BUF];
    uint8_t out[OUT_BUF];
};

static struct {
    struct atoll_stack *st;
    const struct web_config *cfg;
    struct web_stats stats;
    size_t nlisteners;
    struct listener listeners[LISTENERS];
    struct slot slots[SLOTS];
} W;

static struct {
    uint8_t used[HS_BIG_BUFS];
    uint8_t buf[HS_BIG_BUFS][HS_BIG];
} HSP;

static uint8_t *hs_borrow(void *ctx, size_t need, size_t *cap)
{
    (void)ctx;
    for (size_t i = 0; i < HS_BIG_BUFS; i++)
        if (!HSP.used[i] && need <= HS_BIG) {
            HSP.used[i] = 1;
            *cap = HS_BIG;
            return HSP.buf[i];
        }
    return NULL;
}

static void hs_give_back(void *ctx, uint8_t *b)
{
    (void)ctx;
    for (size_t i = 0; i < HS_BIG_BUFS; i++)
        if (b == HSP.buf[i]) {
            memset(b, 0, HS_BIG); /* another peer's hello must not be readable */
            HSP.used[i] = 0;
        }
}

static const struct tls_hs_lender hs_lender = {hs_borrow, hs_give_back, NULL};

static uint64_t now_ms(void)
{
    return W.cfg->now_ms(W.cfg->clock_ctx);
}

static int64_t unix_s(void)
{
    return W.cfg->unix_s(W.cfg->clock_ctx);
}

/* Keys and plaintext do not outlive the exchange. */
static void scrub(struct slot *s)
{
    memset(&s->tls, 0, sizeof s->tls);
    memset(s->req, 0, s->pump.in_len);
    s->pump.in_len = 0;
}

static void release(struct slot *s)
{
    s->used = 0;
    s->tcp = NULL;
    tls_release(&s->tls); /* a borrowed handshake buffer goes back */
    scrub(s);
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
        log_msg(LOG_DEBUG, "tls: %s %s%s", tls_suite_name(s->tls.suite), tls_group_name(s->tls.group),
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
    int sent = tls_alert_sent(&s->tls), got = tls_alert_received(&s->tls);
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
    s->now = now_ms();
    s->unix_now = unix_s();
    int progress = 0;
    enum pump_result r = pump_run(&s->pump, s->now, &progress);
    if (progress)
        s->progress_ms = s->now;
    note_open(s);
    if (r == PUMP_AGAIN)
        return;
    if (r == PUMP_CLOSE && s->tls_on && tls_state(&s->tls) == TLS_ST_FAILED) {
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

static struct slot *take_slot(int *busy, int may_busy, uint64_t now)
{
    size_t active = 0, spare = 0;
    struct slot *free_slot = NULL, *victim = NULL;
    for (size_t i = 0; i < SLOTS; i++) {
        struct slot *s = &W.slots[i];
        if (!s->used) {
            if (!free_slot)
                free_slot = s;
            continue;
        }
        if (s->busy) {
            spare++;
            continue;
        }
        active++;
        if (evictable(s) && (!victim || s->progress_ms < victim->progress_ms))
            victim = s;
    }
    *busy = 0;
    int serve = active < W.cfg->max_conns, answer_busy = !victim && may_busy && spare < WEB_SPARE;
    if (serve && free_slot)
        return free_slot;
    if (victim) {
        W.stats.evicted++;
        finish(victim, 1, now);
        return victim;
    }
    if (answer_busy && free_slot) {
        W.stats.busy++;
        *busy = 1;
        return free_slot;
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
    memset(s, 0, offsetof(struct slot, req));
    s->tls_on = l->tls_on;
    s->echo = l->echo;
    s->hcfg = l->hcfg;
    if (s->tls_on) {
        struct tls_buffers b = {s->in, sizeof s->in, s->hs, sizeof s->hs, s->out, sizeof s->out};
        if (tls_server_init(&s->tls, W.cfg->tls, W.cfg->crypto, &b) != 0) {
            W.stats.refused++;
            atoll_tcp_abort(c, now);
            return;
        }
        tls_server_lender(&s->tls, &hs_lender);
    }
    s->used = 1;
    s->busy = busy;
    s->tcp = c;
    s->accepted_ms = s->progress_ms = s->now = now;
    s->unix_now = unix_s();
    atoll_tcp_peer(c, &s->peer_ip, &s->peer_port);
    W.stats.accepted++;
    struct pump_transport t = {.ctx = s, .send = tcp_send, .recv = tcp_recv};
    struct tls_conn *tls = s->tls_on ? &s->tls : NULL;
    if (s->echo) {
        pump_echo_init(&s->echo_app);
        pump_init(&s->pump, tls, &t, &pump_echo_app, &s->echo_app, s->req, sizeof s->req, 0);
    } else {
        pump_init(&s->pump, tls, &t, &http_app, s, s->req, sizeof s->req, 0);
    }
    note_open(s);
    atoll_tcp_set_handler(c, on_event, s);
}

void web_init(struct atoll_stack *st, const struct web_config *cfg)
{
    memset(&W, 0, sizeof W);
    W.st = st;
    W.cfg = cfg;
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
    for (size_t i = 0; i < SLOTS; i++) {
        struct slot *s = &W.slots[i];
        if (!s->used)
            continue;
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
            if (now >= d) {
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
    }
    return next;
}

const struct web_stats *web_stats(void)
{
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
                                s->tls_on ? tls_suite_name(s->tls.suite) : "-");
    W.cfg->access_log(line, n);
}
