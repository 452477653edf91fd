/* SPDX-License-Identifier: Apache-2.0 */
/* The one connection pump: moves bytes between a transport (Atoll TCP in
 * the appliance, a socket in tools/tls_client.c, memory in the unit tests)
 * and an application, through a TLS engine connection or in the clear.
 * The HTTPS site, the plain-HTTP redirector, the TLS echo service and the
 * TLS client all run this code, so what the TLS tests exercise is what
 * serves the site.
 *
 * The caller owns every buffer and all policy (timeouts, eviction,
 * counting); the pump only decides what moves next and when a connection
 * has nothing left to do. */
#ifndef ATOLL_PUMP_H
#define ATOLL_PUMP_H

#include <stddef.h>
#include <stdint.h>

#include "tls/tls.h"

struct pump_transport {
    void *ctx;
    /* Bytes taken (may be fewer than len, 0 when full), or -1 when the
     * connection is gone. */
    long (*send)(void *ctx, const uint8_t *p, size_t len);
    /* Bytes received, 0 when none now, -1 at end of stream or error. */
    long (*recv)(void *ctx, uint8_t *p, size_t cap);
};

/* What an application implements. The pump calls nothing before start, and
 * start only once the bytes are private (TLS: the handshake is complete;
 * in the clear: at pump_init). */
struct pump_app {
    void (*start)(void *app);
    /* Takes the first bytes of p (request bytes, plaintext); returns how
     * many it consumed. The rest is offered again with what follows. */
    size_t (*input)(void *app, const uint8_t *p, size_t n);
    /* No more input will come (the peer's close_notify or end of stream),
     * after every byte has been offered. Called once. */
    void (*input_eof)(void *app);
    /* Bytes the application wants sent: their count (0: none now) and *p. */
    size_t (*output)(void *app, const uint8_t **p);
    /* The first n bytes of the last output were taken. */
    void (*sent)(void *app, size_t n);
    /* Nothing more to send: the pump ends the stream (TLS: close_notify). */
    int (*done)(void *app);
};

struct pump {
    struct atoll_tls_conn *tls; /* NULL: in the clear */
    struct pump_transport t;
    const struct pump_app *app;
    void *app_ctx;
    uint8_t *in;          /* input read but not yet consumed by the app */
    size_t in_cap, in_len;
    int linger;           /* after our close, read on until the peer's */
    int peer_eof;         /* the transport reported end of stream */
    int in_eof;           /* no more input will come */
    int eof_given;        /* input_eof called */
    int started;          /* start called */
    int close_sent;       /* TLS: close_notify queued */
    int more;             /* pump_run stopped at its bound with work left */
    size_t rec_max;       /* TLS: the most plaintext one record has taken */
};

enum pump_result {
    PUMP_AGAIN = 0, /* waiting for the transport or the application */
    PUMP_CLOSE,     /* finished (cleanly, or failed with the alert sent): close the transport */
    PUMP_ABORT,     /* the transport is gone: reset it */
};

/* Sets up a pump over transport t with its input staging buffer in[in_cap]
 * (the application sees at most in_cap bytes at once). tls NULL pumps in
 * the clear and starts the application at once. linger: once our side has
 * finished, keep reading (and offering input) until the peer finishes too
 * (a client); otherwise the pump is done as soon as our close has left (a
 * server). */
void pump_init(struct pump *p, struct atoll_tls_conn *tls, const struct pump_transport *t, const struct pump_app *app,
               void *app_ctx, uint8_t *in, size_t in_cap, int linger);

/* Runs until nothing more can move now, or for at most PUMP_ROUNDS rounds
 * (a round answers at most one pipelined request), so one connection
 * cannot starve the others. *progress is set to 1 when bytes moved in a
 * completed round (for the caller's stall detection), and left alone
 * otherwise. */
#define PUMP_ROUNDS 64
enum pump_result pump_run(struct pump *p, uint64_t now_ms, int *progress);

/* After PUMP_AGAIN: 1 when pump_run stopped at its bound with work left
 * (input already buffered, which no transport event will announce): the
 * caller must call pump_run again soon, without waiting for an event. 0:
 * only the transport or a timer can move this connection on. */
int pump_more(const struct pump *p);

/* Is TLS output waiting for the transport? */
int pump_output_pending(const struct pump *p);

/* The echo application (TLS interop and alert tests): every input byte
 * comes back, as fast as the peer reads; done after the input ends and all
 * of it has gone back. */
#define PUMP_ECHO_BUF 4096u
struct pump_echo {
    int eof;
    size_t off, len;
    uint8_t *buf; /* PUMP_ECHO_BUF bytes, lent: NULL allowed while nothing waits (off == len) */
};
extern const struct pump_app pump_echo_app;
void pump_echo_init(struct pump_echo *e, uint8_t *buf);

#endif
