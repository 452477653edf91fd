/* Moves bytes between a transport (Atoll TCP, or a socket in tests) and a
 * TLS engine connection, and between the engine and an application. The
 * same pump serves every transport, so what the TLS tests exercise is what
 * the appliance runs. */
#ifndef ATOLL_TLS_PUMP_H
#define ATOLL_TLS_PUMP_H

#include <stddef.h>
#include <stdint.h>

#include "tls/tls.h"

struct tls_transport {
    void *ctx;
    /* Bytes sent (may be fewer than len, 0 when full), or -1 when closed. */
    long (*send)(void *ctx, const uint8_t *p, size_t len);
    /* Bytes received, 0 when none now, -1 at end of stream or error. */
    long (*recv)(void *ctx, uint8_t *p, size_t cap);
};

/* What the application does with plaintext: called while plaintext is
 * readable; it reads with tls_read and answers with tls_write, taking no
 * more than tls_writable allows (back-pressure). */
typedef void (*tls_app_fn)(void *app, struct tls_conn *c);

enum tls_pump_result {
    TLS_PUMP_AGAIN = 0,   /* waiting for the transport */
    TLS_PUMP_DONE = 1,    /* finished (closed cleanly or failed): close the transport */
};

/* Runs until no more progress can be made now. peer_eof is set once the
 * transport has reported end of stream. */
enum tls_pump_result tls_pump(struct tls_conn *c, const struct tls_transport *t, tls_app_fn app, void *app_ctx,
                              uint64_t now_ms, int *peer_eof);

/* The TLS echo application (tests and interop before HTTPS). */
void tls_echo_app(void *app, struct tls_conn *c);

#endif
