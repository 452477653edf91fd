/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "appliance/pump.h"

void pump_init(struct pump *p, struct atoll_tls_conn *tls, const struct pump_transport *t, const struct pump_app *app,
               void *app_ctx, uint8_t *in, size_t in_cap, int linger)
{
    memset(p, 0, sizeof *p);
    p->tls = tls;
    p->t = *t;
    p->app = app;
    p->app_ctx = app_ctx;
    p->in = in;
    p->in_cap = in_cap;
    p->linger = linger;
    if (!tls) {
        p->started = 1;
        app->start(app_ctx);
    }
}

int pump_output_pending(const struct pump *p)
{
    const uint8_t *o;
    return p->tls && atoll_tls_output(p->tls, &o) != 0;
}

/* Sends queued TLS records; bytes sent, or -1 when the transport is gone. */
static long flush(struct pump *p)
{
    const uint8_t *o;
    size_t n = atoll_tls_output(p->tls, &o);
    if (n == 0)
        return 0;
    long m = p->t.send(p->t.ctx, o, n);
    if (m > 0)
        atoll_tls_output_done(p->tls, (size_t)m);
    return m;
}

/* Input in, output out between the application and the TLS connection
 * (or the transport, in the clear); 1 when anything moved. */
static int app_step(struct pump *p)
{
    const struct pump_app *a = p->app;
    int progress = 0;
    if (!p->in_eof && p->in_len < p->in_cap) {
        if (p->tls) {
            size_t n = atoll_tls_read(p->tls, p->in + p->in_len, p->in_cap - p->in_len);
            p->in_len += n;
            progress |= n != 0;
            if (atoll_tls_readable(p->tls) == 0 && (atoll_tls_state(p->tls) == ATOLL_TLS_ST_CLOSED || p->peer_eof))
                p->in_eof = 1;
        } else {
            long n = p->t.recv(p->t.ctx, p->in + p->in_len, p->in_cap - p->in_len);
            if (n < 0)
                p->in_eof = p->peer_eof = 1;
            else
                p->in_len += (size_t)n;
            progress |= n != 0;
        }
    }
    if (p->in_len != 0) {
        size_t k = a->input(p->app_ctx, p->in, p->in_len);
        if (k != 0) {
            memmove(p->in, p->in + k, p->in_len - k);
            p->in_len -= k;
            progress = 1;
        }
    }
    if (p->in_eof && p->in_len == 0 && !p->eof_given) {
        a->input_eof(p->app_ctx);
        p->eof_given = 1;
        progress = 1;
    }
    for (;;) {
        const uint8_t *o;
        size_t n = a->output(p->app_ctx, &o);
        if (n == 0)
            break;
        long sent;
        if (p->tls) {
            /* Back-pressure: take no more plaintext than records fit. */
            size_t room = atoll_tls_writable(p->tls);
            if (room > p->rec_max)
                p->rec_max = room;
            if (room == 0)
                break;
            if (n > room) {
                /* Only full records while more follows: a record cut to
                 * what the output has left (as the window opens) costs a
                 * seal and a header for a few bytes. The output empties
                 * before anything waits, so a full record's room comes. */
                if (room < p->rec_max)
                    break;
                n = room;
            }
            int w = atoll_tls_write(p->tls, o, n);
            sent = w < 0 ? -1 : (long)w;
        } else {
            sent = p->t.send(p->t.ctx, o, n);
        }
        if (sent <= 0)
            break;
        a->sent(p->app_ctx, (size_t)sent);
        progress = 1;
        if (p->tls && flush(p) < 0)
            break;
    }
    return progress;
}

/* One round over TLS: PUMP_AGAIN to go on, else the verdict. */
static enum pump_result tls_round(struct pump *p, uint64_t now_ms, int *progress)
{
    long f = flush(p);
    if (f < 0)
        return PUMP_ABORT;
    *progress |= f > 0;
    enum atoll_tls_state st = atoll_tls_state(p->tls);
    if (st == ATOLL_TLS_ST_FAILED) {
        /* Only the alert remains: done once it has left. */
        *progress = 0;
        return pump_output_pending(p) ? PUMP_AGAIN : PUMP_CLOSE;
    }
    if (st != ATOLL_TLS_ST_HANDSHAKE) {
        if (!p->started) {
            p->started = 1;
            p->app->start(p->app_ctx);
        }
        *progress |= app_step(p);
        if (p->app->done(p->app_ctx) && !p->close_sent) {
            atoll_tls_close(p->tls);
            p->close_sent = 1;
            *progress = 1;
        }
        if (p->close_sent && !pump_output_pending(p) && (!p->linger || p->eof_given))
            return PUMP_CLOSE;
    }
    if (!p->peer_eof) {
        size_t room;
        uint8_t *in = atoll_tls_input_buffer(p->tls, &room);
        if (room != 0) {
            long r = p->t.recv(p->t.ctx, in, room);
            if (r < 0) {
                p->peer_eof = 1;
                *progress = 1;
            } else if (r > 0) {
                (void)atoll_tls_input_commit(p->tls, (size_t)r, now_ms);
                *progress = 1;
            }
        }
    }
    if (p->peer_eof && !p->started)
        return PUMP_CLOSE; /* gone before the handshake finished: nothing to answer */
    return PUMP_AGAIN;
}

int pump_more(const struct pump *p)
{
    return p->more;
}

enum pump_result pump_run(struct pump *p, uint64_t now_ms, int *progress)
{
    p->more = 0;
    for (int round = 0; round < PUMP_ROUNDS; round++) {
        int moved = 0;
        enum pump_result r;
        if (p->tls) {
            r = tls_round(p, now_ms, &moved);
        } else {
            moved = app_step(p);
            r = p->app->done(p->app_ctx) && (!p->linger || p->eof_given) ? PUMP_CLOSE : PUMP_AGAIN;
        }
        if (r != PUMP_AGAIN)
            return r;
        if (!moved)
            return PUMP_AGAIN;
        *progress = 1;
    }
    /* Still moving (a deep pipeline): no transport event may come for the
     * bytes already buffered, so the caller must run us again. */
    p->more = 1;
    return PUMP_AGAIN;
}

static void echo_start(void *app)
{
    (void)app;
}

static size_t echo_input(void *app, const uint8_t *p, size_t n)
{
    struct pump_echo *e = app;
    if (e->off != 0) {
        memmove(e->buf, e->buf + e->off, e->len - e->off);
        e->len -= e->off;
        e->off = 0;
    }
    size_t room = PUMP_ECHO_BUF - e->len;
    if (n > room)
        n = room;
    memcpy(e->buf + e->len, p, n);
    e->len += n;
    return n;
}

static void echo_input_eof(void *app)
{
    struct pump_echo *e = app;
    e->eof = 1;
}

static size_t echo_output(void *app, const uint8_t **p)
{
    struct pump_echo *e = app;
    *p = e->buf + e->off;
    return e->len - e->off;
}

static void echo_sent(void *app, size_t n)
{
    struct pump_echo *e = app;
    e->off += n;
}

static int echo_done(void *app)
{
    const struct pump_echo *e = app;
    return e->eof && e->off == e->len;
}

const struct pump_app pump_echo_app = {echo_start, echo_input, echo_input_eof, echo_output, echo_sent, echo_done};

void pump_echo_init(struct pump_echo *e, uint8_t *buf)
{
    e->buf = buf;
    e->eof = 0;
    e->off = e->len = 0;
}
