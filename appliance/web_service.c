#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "appliance/config.h"
#include "appliance/web_service.h"

#define SLOTS (CONFIG_MAX_CONNS + WEB_SPARE)
#define HS_BUF 16384u
#define OUT_BUF 32768u

struct slot {
    struct atoll_tcp *tcp;
    const struct http_config *hcfg;
    int used, tls_on, busy;
    int tcp_eof;          /* the peer's FIN has been read */
    int in_eof;           /* no more request bytes will come */
    int eof_given;        /* http_conn_input_eof called */
    int http_started;     /* TLS: after the handshake; plain: at accept */
    int close_sent;       /* close_notify queued */
    uint64_t accepted_ms, progress_ms;
    uint32_t peer_ip;
    uint16_t peer_port;
    size_t req_len;       /* request bytes read but not yet taken by http */
    uint8_t req[HTTP_HEAD_MAX];
    struct http_conn http;
    struct tls_conn tls;
    uint8_t in[TLS_RECORD_MAX];
    uint8_t hs[HS_BUF];
    uint8_t out[OUT_BUF];
};

static struct {
    struct atoll_stack *st;
    const struct web_config *cfg;
    struct web_stats stats;
    struct slot slots[SLOTS];
} W;

static uint64_t now_ms(void)
{
    return W.cfg->now_ms(W.cfg->clock_ctx);
}

static int64_t unix_s(void)
{
    return W.cfg->unix_s(W.cfg->clock_ctx);
}

static void release(struct slot *s)
{
    s->used = 0;
    s->tcp = NULL;
    /* Keys and plaintext do not outlive the connection. */
    memset(&s->tls, 0, sizeof s->tls);
    memset(s->req, 0, s->req_len);
    s->req_len = 0;
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

static long tcp_send(struct slot *s, const uint8_t *p, size_t len, uint64_t now)
{
    size_t room = atoll_tcp_writable(s->tcp);
    if (room == 0)
        return 0;
    long n = atoll_tcp_send(s->tcp, p, len < room ? len : room, now);
    return n < 0 ? -1 : n;
}

/* Bytes received, 0 none now, -1 at the peer's FIN. */
static long tcp_recv(struct slot *s, uint8_t *p, size_t cap, uint64_t now)
{
    long n = atoll_tcp_recv(s->tcp, p, cap, now);
    if (n == ATOLL_TCP_EOF)
        return -1;
    return n < 0 ? 0 : n;
}

/* Sends queued TLS records; bytes sent or -1 when the connection is gone. */
static long tls_flush(struct slot *s, uint64_t now)
{
    const uint8_t *p;
    size_t n = tls_output(&s->tls, &p);
    if (n == 0)
        return 0;
    long m = tcp_send(s, p, n, now);
    if (m > 0)
        tls_output_done(&s->tls, (size_t)m);
    return m;
}

static int tls_pending(struct slot *s)
{
    const uint8_t *p;
    return tls_output(&s->tls, &p) != 0;
}

/* Request bytes in, response bytes out; 1 when anything moved. */
static int http_step(struct slot *s, uint64_t now, int64_t unix_now)
{
    int progress = 0;
    if (!s->in_eof && s->req_len < sizeof s->req) {
        if (s->tls_on) {
            size_t n = tls_read(&s->tls, s->req + s->req_len, sizeof s->req - s->req_len);
            s->req_len += n;
            progress |= n != 0;
            if (tls_readable(&s->tls) == 0 && (tls_state(&s->tls) == TLS_ST_CLOSED || s->tcp_eof))
                s->in_eof = 1;
        } else {
            long n = tcp_recv(s, s->req + s->req_len, sizeof s->req - s->req_len, now);
            if (n < 0)
                s->in_eof = s->tcp_eof = 1;
            else
                s->req_len += (size_t)n;
            progress |= n != 0;
        }
    }
    if (s->req_len != 0) {
        size_t k = http_conn_input(&s->http, s->req, s->req_len, now, unix_now);
        if (k != 0) {
            memmove(s->req, s->req + k, s->req_len - k);
            s->req_len -= k;
            progress = 1;
        }
    }
    if (s->in_eof && s->req_len == 0 && !s->eof_given) {
        http_conn_input_eof(&s->http, now, unix_now);
        s->eof_given = 1;
        progress = 1;
    }
    for (;;) {
        const uint8_t *p;
        size_t n = http_conn_output(&s->http, &p);
        if (n == 0)
            break;
        size_t room = s->tls_on ? tls_writable(&s->tls) : atoll_tcp_writable(s->tcp);
        if (room == 0)
            break;
        if (n > room)
            n = room;
        long sent;
        if (s->tls_on)
            sent = tls_write(&s->tls, p, n) < 0 ? -1 : (long)n;
        else
            sent = tcp_send(s, p, n, now);
        if (sent <= 0)
            break;
        http_conn_sent(&s->http, (size_t)sent, now, unix_now);
        progress = 1;
        if (s->tls_on && tls_flush(s, now) < 0)
            break;
    }
    return progress;
}

static void start_http(struct slot *s, uint64_t now)
{
    http_conn_init(&s->http, s->hcfg, s, s->busy, now);
    s->http_started = 1;
}

static void pump(struct slot *s)
{
    uint64_t now = now_ms();
    int64_t unix_now = unix_s();
    for (int round = 0; round < 64; round++) {
        int progress = 0;
        if (!s->tls_on) {
            progress |= http_step(s, now, unix_now);
            if (http_conn_done(&s->http)) {
                finish(s, 0, now);
                return;
            }
        } else {
            long f = tls_flush(s, now);
            if (f < 0) {
                finish(s, 1, now);
                return;
            }
            progress |= f > 0;
            enum tls_state st = tls_state(&s->tls);
            if (st == TLS_ST_FAILED) {
                if (!tls_pending(s)) {
                    W.stats.tls_failed++;
                    finish(s, 0, now);
                }
                return;
            }
            if (st != TLS_ST_HANDSHAKE) {
                if (!s->http_started) {
                    W.stats.handshakes++;
                    start_http(s, now);
                }
                progress |= http_step(s, now, unix_now);
                if (http_conn_done(&s->http) && !s->close_sent) {
                    tls_close(&s->tls);
                    s->close_sent = 1;
                    progress = 1;
                }
                if (s->close_sent && !tls_pending(s)) {
                    finish(s, 0, now);
                    return;
                }
            }
            if (!s->tcp_eof) {
                size_t room;
                uint8_t *in = tls_input_buffer(&s->tls, &room);
                if (room != 0) {
                    long r = tcp_recv(s, in, room, now);
                    if (r < 0) {
                        s->tcp_eof = 1;
                        progress = 1;
                    } else if (r > 0) {
                        (void)tls_input_commit(&s->tls, (size_t)r, now);
                        progress = 1;
                    }
                }
            }
            if (s->tcp_eof && !s->http_started) {
                /* Gone before the handshake finished: nothing to answer. */
                finish(s, 0, now);
                return;
            }
        }
        if (progress)
            s->progress_ms = now;
        else
            break;
    }
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
 * nothing in flight: an idle keep-alive connection, or one still in its
 * handshake or request head. */
static int evictable(const struct slot *s)
{
    if (!s->http_started)
        return 1;
    const uint8_t *p;
    if (s->close_sent || http_conn_output((struct http_conn *)&s->http, &p) != 0)
        return 0;
    return s->http.phase == HTTP_IDLE || s->http.phase == HTTP_READING;
}

static struct slot *take_slot(int *busy, uint64_t now)
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
    if (active < W.cfg->max_conns && free_slot)
        return free_slot;
    if (victim) {
        W.stats.evicted++;
        finish(victim, 1, now);
        return victim;
    }
    if (spare < WEB_SPARE && free_slot) {
        W.stats.busy++;
        *busy = 1;
        return free_slot;
    }
    return NULL;
}

static void accept_on(struct atoll_tcp *c, int tls_on)
{
    uint64_t now = now_ms();
    int busy;
    struct slot *s = take_slot(&busy, now);
    if (!s) {
        W.stats.refused++;
        atoll_tcp_abort(c, now);
        return;
    }
    memset(s, 0, offsetof(struct slot, req));
    s->tls_on = tls_on;
    s->hcfg = tls_on ? W.cfg->https : W.cfg->http;
    if (tls_on) {
        struct tls_buffers b = {s->in, sizeof s->in, s->hs, sizeof s->hs, s->out, sizeof s->out};
        if (tls_server_init(&s->tls, W.cfg->tls, W.cfg->crypto, &b) != 0) {
            W.stats.refused++;
            atoll_tcp_abort(c, now);
            return;
        }
    }
    s->used = 1;
    s->busy = busy;
    s->tcp = c;
    s->accepted_ms = s->progress_ms = now;
    atoll_tcp_peer(c, &s->peer_ip, &s->peer_port);
    W.stats.accepted++;
    if (!tls_on)
        start_http(s, now);
    atoll_tcp_set_handler(c, on_event, s);
}

static void accept_https(void *user, struct atoll_tcp *c)
{
    (void)user;
    accept_on(c, 1);
}

static void accept_http(void *user, struct atoll_tcp *c)
{
    (void)user;
    accept_on(c, 0);
}

int web_start(struct atoll_stack *st, const struct web_config *cfg)
{
    memset(&W, 0, sizeof W);
    W.st = st;
    W.cfg = cfg;
    if (atoll_tcp_listen(st, cfg->https_port, accept_https, NULL) != ATOLL_OK)
        return -1;
    if (cfg->http && cfg->http_port != 0 && atoll_tcp_listen(st, cfg->http_port, accept_http, NULL) != ATOLL_OK)
        return -1;
    return 0;
}

uint64_t web_poll(uint64_t now)
{
    uint64_t next = UINT64_MAX;
    for (size_t i = 0; i < SLOTS; i++) {
        struct slot *s = &W.slots[i];
        if (!s->used)
            continue;
        if (!s->http_started) {
            uint64_t d = s->accepted_ms + W.cfg->handshake_timeout_ms;
            if (now >= d) {
                W.stats.timeouts++;
                finish(s, 1, now);
                continue;
            }
            if (d < next)
                next = d;
        } else {
            uint64_t d = http_conn_deadline(&s->http);
            if (now >= d) {
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
