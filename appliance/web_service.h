/* The site appliance's network side: HTTPS (TLS 1.3 + HTTP/1.1) on one
 * port and plain HTTP answering 301 to https:// on another, over Atoll
 * TCP, from one static table of connections.
 *
 * Politeness under load: at most max_conns connections are served at
 * once. When a new one arrives at the cap, the longest-waiting connection
 * that is not in the middle of a response (an idle keep-alive connection,
 * an unfinished handshake or request head: what a slowloris holds) is
 * closed to make room; when every connection is busy answering, a few
 * spare slots answer 503 with Retry-After; beyond those, the connection is
 * reset. Handshakes and request heads must complete within the header
 * timeout, keep-alive connections idle out, and a peer that stops reading
 * its response is dropped. */
#ifndef ATOLL_WEB_SERVICE_H
#define ATOLL_WEB_SERVICE_H

#include <stdint.h>

#include "tcpip/atoll_tcpip.h"
#include "appliance/http/http.h"
#include "tls/tls.h"

#define WEB_SPARE 8u   /* slots beyond max_conns that only answer 503 */

struct web_config {
    const struct tls_server_config *tls;
    const struct tls_crypto *crypto;
    const struct http_config *https; /* the site, for the TLS port */
    const struct http_config *http;  /* the port-80 redirector; NULL: no plain port */
    uint16_t https_port, http_port;
    uint32_t max_conns;              /* 1 .. CONFIG_MAX_CONNS */
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
};

/* Listens on both ports. 0, or -1 when a port is taken. The config must
 * outlive the service. One service per process. */
int web_start(struct atoll_stack *st, const struct web_config *cfg);

/* Runs the connections' timers; returns the next deadline (UINT64_MAX:
 * none). Call it from the event loop on every turn. */
uint64_t web_poll(uint64_t now_ms);

const struct web_stats *web_stats(void);

/* The http_log callback the service puts in its http_configs: formats one
 * line (Combined Log Format plus TLS version and suite). Exposed for the
 * configs the caller builds. */
void web_http_log(void *slot, const struct http_log *e);

#endif
