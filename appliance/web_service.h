/* SPDX-License-Identifier: Apache-2.0 */
/* The appliance's network side: HTTPS (TLS 1.3 + HTTP/1.1), plain HTTP
 * answering 301 to https://, and for tests a TLS echo, over Atoll TCP,
 * from one table of connections sized at start (appliance/mem_plan.h),
 * each pumped by appliance/pump.c and lent buffers only while bytes are in
 * flight.
 *
 * Politeness under load: at most max_conns connections are served at
 * once. When a new one arrives at the cap, the longest-waiting connection
 * that is not in the middle of a response (an idle keep-alive connection
 * whose every byte the peer has acknowledged, an unfinished handshake or
 * request head: what a slowloris holds) is closed to make room; when every
 * connection is busy answering, a few spare slots answer 503 with
 * Retry-After; beyond those, the connection is reset. Handshakes and
 * request heads must complete within the header timeout, keep-alive
 * connections idle out, and a peer that stops reading its response is
 * dropped.
 *
 * Closing (RFC 9112 §9.6): after the last response the connection is
 * half-closed and what the peer still sends is read and dropped until it
 * closes too, for at most 30 s, or 5 s of quiet once everything sent is
 * acknowledged; such a lingering connection holds no place under the cap
 * once its bytes are acknowledged. */
#ifndef ATOLL_WEB_SERVICE_H
#define ATOLL_WEB_SERVICE_H

#include <stdint.h>

#include "atoll/tcpip.h"
#include "appliance/http/http.h"
#include "tls/tls.h"

#define WEB_SPARE 8u   /* slots beyond max_conns that only answer 503 */

struct web_config {
    const struct atoll_tls_server_config *tls;
    const struct atoll_tls_crypto *crypto;
    uint32_t max_conns;              /* 1 .. CONFIG_MAX_CONNS */
    /* The memory of the connection table and the pools
     * (web_memory_need(max_conns, sets, hs_big) bytes, 16-aligned,
     * zero-filled): sets buffer sets, each lent to one connection while
     * bytes are in flight, and hs_big buffers for ClientHellos longer
     * than a set's handshake buffer. */
    void *mem;
    size_t mem_len;
    uint32_t sets, hs_big;
    uint32_t handshake_timeout_ms;   /* accept -> TLS handshake complete */
    uint32_t stall_timeout_ms;       /* no progress at all for this long: dropped */
    uint64_t (*now_ms)(void *ctx);
    int64_t (*unix_s)(void *ctx);
    void *clock_ctx;
    /* One access-log line (no newline), or NULL for none. */
    void (*access_log)(const char *line, size_t len);
};

struct web_stats {
    uint64_t accepted, evicted, busy, refused, handshakes, tls_failed, timeouts, stalled;
    uint64_t lingered; /* closes that drained the peer's late bytes (RFC 9112 §9.6) */
    uint64_t sets_lent;  /* buffer sets lent (a connection borrows one while bytes are in flight) */
    uint64_t waited;     /* times a connection found no set free and waited for one */
    uint64_t sets_reclaimed; /* connections closed to free a set (they held one losing nothing) */
    uint32_t open, sets_in_use, sets_peak; /* open: connections in the table now */
};

/* The memory model: what one connection costs idle (its slot: TCP's
 * control block is the stack's), what one set of buffers costs, what a
 * large-ClientHello buffer costs, and the bytes web_config.mem must hold. */
size_t web_slot_bytes(void);
size_t web_set_bytes(void);
size_t web_hs_big_bytes(void);
size_t web_memory_need(uint32_t max_conns, uint32_t sets, uint32_t hs_big);

/* Starts the service with no listener. The config must outlive the
 * service. One service per process. */
/* 0, or -1 when cfg's memory is short or misaligned. */
int web_init(struct atoll_stack *st, const struct web_config *cfg);

enum web_kind {
    WEB_HTTPS,    /* TLS, then HTTP over http */
    WEB_HTTP,     /* HTTP over http in the clear */
    WEB_TLS_ECHO, /* TLS, then every byte back (interop and alert tests) */
};

/* Listens on port for connections of that kind, served from the one table.
 * http must outlive the service (NULL for the echo). 0, or -1 when the port
 * is taken or there are too many listeners. */
int web_listen(enum web_kind kind, uint16_t port, const struct http_config *http);

/* Runs the connections' timers; returns the next deadline (UINT64_MAX:
 * none). Call it from the event loop on every turn. */
uint64_t web_poll(uint64_t now_ms);

const struct web_stats *web_stats(void);

/* The http_log callback the service puts in its http_configs: formats one
 * line (Combined Log Format plus TLS version and suite). Exposed for the
 * configs the caller builds. */
void web_http_log(void *slot, const struct http_log *e);

#endif
