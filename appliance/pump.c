#include "appliance/pump.h"

/* Sends what the engine has queued; returns bytes sent, or -1 if the
 * transport is gone. */
static long flush(struct tls_conn *c, const struct tls_transport *t)
{
    const uint8_t *p;
    size_t n = tls_output(c, &p);
    if (n == 0)
        return 0;
    long s = t->send(t->ctx, p, n);
    if (s > 0)
        tls_output_done(c, (size_t)s);
    return s;
}

enum tls_pump_result tls_pump(struct tls_conn *c, const struct tls_transport *t, tls_app_fn app, void *app_ctx,
                              uint64_t now_ms, int *peer_eof)
{
    for (int round = 0; round < 64; round++) {
        int progress = 0;
        long s = flush(c, t);
        if (s < 0)
            return TLS_PUMP_DONE;
        progress |= s > 0;

        enum tls_state st = tls_state(c);
        if (st == TLS_ST_FAILED) {
            /* Only the alert remains: done once it has left. */
            const uint8_t *p;
            return tls_output(c, &p) == 0 ? TLS_PUMP_DONE : TLS_PUMP_AGAIN;
        }
        if (tls_readable(c) != 0) {
            size_t before = tls_readable(c);
            app(app_ctx, c);
            progress |= tls_readable(c) != before;
        }
        if (st == TLS_ST_CLOSED && tls_readable(c) == 0) {
            /* The peer closed: answer close_notify, then we are done. */
            tls_close(c);
            const uint8_t *p;
            if (flush(c, t) < 0 || tls_output(c, &p) == 0)
                return TLS_PUMP_DONE;
            return TLS_PUMP_AGAIN;
        }
        if (!*peer_eof) {
            size_t room;
            uint8_t *in = tls_input_buffer(c, &room);
            if (room != 0) {
                long r = t->recv(t->ctx, in, room);
                if (r < 0) {
                    *peer_eof = 1;
                } else if (r > 0) {
                    (void)tls_input_commit(c, (size_t)r, now_ms);
                    progress = 1;
                }
            }
        }
        if (*peer_eof && tls_readable(c) == 0) {
            /* The transport ended without close_notify (truncation): nothing
             * more can arrive; finish sending and stop. */
            const uint8_t *p;
            if (flush(c, t) < 0 || tls_output(c, &p) == 0)
                return TLS_PUMP_DONE;
            return TLS_PUMP_AGAIN;
        }
        if (!progress)
            break;
    }
    return TLS_PUMP_AGAIN;
}

void tls_echo_app(void *app, struct tls_conn *c)
{
    (void)app;
    uint8_t chunk[4096];
    for (;;) {
        size_t w = tls_writable(c);
        size_t r = tls_readable(c);
        if (w == 0 || r == 0)
            return;
        size_t n = w < sizeof chunk ? w : sizeof chunk;
        n = tls_read(c, chunk, n);
        if (n == 0)
            return;
        if (tls_write(c, chunk, n) < 0)
            return;
    }
}
