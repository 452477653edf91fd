#include <string.h>

#include "appliance/log.h"
#include "appliance/tls_service.h"

#define SLOTS 64u
#define HS_BUF 16384u
#define OUT_BUF 32768u

struct slot {
    struct tls_service *svc;
    struct atoll_tcp *tcp;
    struct tls_conn tls;
    int used, peer_eof, opened;
    uint8_t in[TLS_RECORD_MAX];
    uint8_t hs[HS_BUF];
    uint8_t out[OUT_BUF];
};

struct tls_service {
    struct atoll_stack *st;
    const struct tls_server_config *cfg;
    struct tls_crypto crypto;
    tls_app_fn app;
    void *app_ctx;
    uint64_t (*now_ms)(void *);
    void *now_ctx;
    struct tls_service_stats stats;
    struct slot slots[SLOTS];
};

static struct tls_service the_service;

static long tcp_send(void *ctx, const uint8_t *p, size_t len)
{
    struct slot *s = ctx;
    size_t room = atoll_tcp_writable(s->tcp);
    if (room == 0)
        return 0;
    long n = atoll_tcp_send(s->tcp, p, len < room ? len : room, s->svc->now_ms(s->svc->now_ctx));
    return n < 0 ? -1 : n;
}

static long tcp_recv(void *ctx, uint8_t *p, size_t cap)
{
    struct slot *s = ctx;
    long n = atoll_tcp_recv(s->tcp, p, cap, s->svc->now_ms(s->svc->now_ctx));
    if (n == ATOLL_TCP_EOF)
        return -1;
    return n < 0 ? 0 : n;
}

static void release(struct slot *s)
{
    s->used = 0;
    s->tcp = NULL;
    /* Keys and plaintext do not outlive the connection. */
    memset(&s->tls, 0, sizeof s->tls);
}

static void pump(struct slot *s)
{
    struct tls_service *svc = s->svc;
    struct tls_transport t = {.ctx = s, .send = tcp_send, .recv = tcp_recv};
    uint64_t now = svc->now_ms(svc->now_ctx);
    enum tls_pump_result r = tls_pump(&s->tls, &t, svc->app, svc->app_ctx, now, &s->peer_eof);
    if (!s->opened && tls_state(&s->tls) == TLS_ST_OPEN) {
        s->opened = 1;
        svc->stats.handshakes++;
        if (log_enabled(LOG_DEBUG))
            log_msg(LOG_DEBUG, "tls: %s %s%s", tls_suite_name(s->tls.suite), tls_group_name(s->tls.group),
                    s->tls.resumed ? " resumed" : "");
    }
    if (r == TLS_PUMP_DONE) {
        if (tls_state(&s->tls) == TLS_ST_FAILED) {
            svc->stats.failed++;
            if (log_enabled(LOG_DEBUG))
                log_msg(LOG_DEBUG, "tls: failed, alert sent %d received %d", tls_alert_sent(&s->tls),
                        tls_alert_received(&s->tls));
        } else {
            svc->stats.closed++;
        }
        atoll_tcp_close(s->tcp, now);
        release(s);
    }
}

static void on_event(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    struct slot *s = user;
    if (!s->used || s->tcp != c)
        return; /* a connection this slot has already let go of */
    if (ev == ATOLL_TCP_CLOSED || ev == ATOLL_TCP_RESET) {
        /* The TCP connection is gone: nothing more can be sent. */
        release(s);
        return;
    }
    pump(s);
}

static void on_accept(void *user, struct atoll_tcp *c)
{
    struct tls_service *svc = user;
    uint64_t now = svc->now_ms(svc->now_ctx);
    for (size_t i = 0; i < SLOTS; i++) {
        struct slot *s = &svc->slots[i];
        if (s->used)
            continue;
        struct tls_buffers b = {s->in, sizeof s->in, s->hs, sizeof s->hs, s->out, sizeof s->out};
        if (tls_server_init(&s->tls, svc->cfg, &svc->crypto, &b) != 0)
            break;
        s->svc = svc;
        s->tcp = c;
        s->used = 1;
        s->peer_eof = 0;
        s->opened = 0;
        svc->stats.accepted++;
        atoll_tcp_set_handler(c, on_event, s);
        return;
    }
    /* Full: refuse at once rather than hold a connection we cannot serve. */
    svc->stats.refused++;
    atoll_tcp_abort(c, now);
}

struct tls_service *tls_service_start(struct atoll_stack *st, uint16_t port, const struct tls_server_config *cfg,
                                      const struct tls_crypto *crypto, tls_app_fn app, void *app_ctx,
                                      uint64_t (*now_ms)(void *), void *now_ctx)
{
    struct tls_service *svc = &the_service;
    memset(svc, 0, sizeof *svc);
    svc->st = st;
    svc->cfg = cfg;
    svc->crypto = *crypto;
    svc->app = app;
    svc->app_ctx = app_ctx;
    svc->now_ms = now_ms;
    svc->now_ctx = now_ctx;
    if (atoll_tcp_listen(st, port, on_accept, svc) != ATOLL_OK)
        return NULL;
    return svc;
}

const struct tls_service_stats *tls_service_stats(const struct tls_service *s)
{
    return &s->stats;
}
