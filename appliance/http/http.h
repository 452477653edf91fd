/* SPDX-License-Identifier: Apache-2.0 */
/* HTTP/1.1 over one connection, serving a site image: the request parser,
 * the response builder and the per-connection state machine (keep-alive,
 * pipelining, timeouts). Transport-agnostic and pure: no I/O, no clock
 * reads, no allocation. The caller (plain TCP for port 80, TLS for 443, a
 * test harness) feeds request bytes, takes response bytes, and passes the
 * time in. Bodies are never copied: output points into the site image.
 *
 * Time: now_ms is a monotonic clock (timeouts); unix_s is wall-clock
 * seconds (Date, If-Modified-Since). */
#ifndef ATOLL_HTTP_H
#define ATOLL_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "appliance/site/image.h"

/* Limits, each answered with its status (RFC 9110/9112). */
#define HTTP_HEAD_MAX 8192     /* request line + fields: beyond -> 431 (414 when the line alone is too long) */
#define HTTP_TARGET_MAX 4096   /* request-target bytes: beyond -> 414 */
#define HTTP_FIELDS_MAX 64     /* header fields per request: beyond -> 431 */
#define HTTP_HDR_OUT_MAX 2048  /* extra headers configured, bytes */
/* A response head: room for the extra headers, a Location of a whole
 * target or a site redirect, and the rest of a head. */
#define HTTP_RESP_HEAD_MAX (HTTP_HDR_OUT_MAX + HTTP_TARGET_MAX + 2048)
#define HTTP_OUT_MAX 16384

/* One response, for the access log. The texts are escaped for a quoted
 * log field (http_log_escape): no '"', no byte outside 0x20..0x7e. */
struct http_log {
    int64_t unix_s;             /* when the response was queued */
    const uint8_t *line;        /* the request line as received (may be empty, e.g. 408), */
    size_t line_len;            /* at most HTTP_LOG_LINE_MAX */
    int status;
    uint64_t bytes;             /* body bytes in the response (CLF's "%b"; 0 for HEAD/304) */
    const uint8_t *referer, *agent; /* may be empty; at most HTTP_LOG_FIELD_MAX */
    size_t referer_len, agent_len;
};

/* Room for an entry's escaped texts, "..." included, so that a whole
 * access line stays well within the log's 2 KiB line. */
#define HTTP_LOG_LINE_MAX 600u  /* the request line */
#define HTTP_LOG_FIELD_MAX 300u /* Referer, User-Agent */
/* Longest access line (http_access_line): the texts at their maximum and
 * the fixed parts (address, time, status, size, TLS version and suite). */
#define HTTP_ACCESS_LINE_MAX (HTTP_LOG_LINE_MAX + 2u * HTTP_LOG_FIELD_MAX + 192u)

/* The one escaper of request bytes for a log (access_log.c). Copies
 * s[0 .. n-1] into d (room for cap >= 3 bytes) fit for a quoted log field:
 * '"' and '\\' become \" and \\, control and non-ASCII bytes \xHH
 * (lower-case hex), the rest is kept. A text that does not fit is cut
 * before the first byte whose escape would leave no room for "...", and
 * "..." ends it. Returns the length written (<= cap; 0 when cap < 3). */
size_t http_log_escape(uint8_t *d, size_t cap, const uint8_t *s, size_t n);

/* Writes the access line of e into out (room for cap bytes, NUL-terminated
 * when cap > 0), the Combined Log Format with the TLS version and suite:
 *   IP - - [DD/Mon/YYYY:HH:MM:SS +0000] "LINE" STATUS BYTES "REFERER" "AGENT" PROTO SUITE
 * an empty text as "-", the time in UTC (clamped to 1970..9999). e's texts
 * are copied as they are (already escaped). proto and suite name the TLS
 * version and cipher suite ("-" for plain HTTP). Returns the length, at
 * most cap - 1 (cut when cap < HTTP_ACCESS_LINE_MAX). */
size_t http_access_line(char *out, size_t cap, const struct http_log *e, uint32_t peer_ip, const char *proto,
                        const char *suite);

struct http_config {
    const struct site_image *site;  /* NULL only with redirect_https */
    /* Port-80 mode: every request gets 301 to https://HOST[:https_port]TARGET,
     * HOST from the Host field (a request without a valid Host gets 400). */
    int redirect_https;
    uint16_t https_port;            /* 443 is left out of the Location */
    /* Extra response headers, each "Name: value\r\n", sent on every
     * response (HSTS and the security headers; built by the caller). */
    const char *headers;
    uint32_t header_timeout_ms;     /* first byte of a request -> its last header byte; 408 (0: none) */
    uint32_t idle_timeout_ms;       /* before the first request and between requests; closed silently (0: none) */
    uint32_t max_requests;          /* per connection; 0: unlimited */
    /* Once per response, when it is queued; may be NULL. The entry and the
     * bytes it points to live only during the call. */
    void (*log)(void *log_ctx, const struct http_log *e);
};

enum http_phase { HTTP_IDLE, HTTP_READING, HTTP_WRITING, HTTP_CLOSING, HTTP_DONE };

/* Connection state. Treat as opaque; sized for static tables. Its two
 * buffers are lent by the caller, so an idle connection costs only this
 * struct. */
struct http_conn {
    const struct http_config *cfg;
    void *log_ctx;
    int busy;                       /* answer every request 503 (over the connection cap) */
    enum http_phase phase;
    uint64_t deadline_ms;
    uint32_t requests;
    int peer_eof, close_after;
    size_t in_len;                  /* bytes buffered in in[] */
    size_t scan;                    /* in[0 .. scan-1] holds no end of head */
    int line_ok;                    /* the request line in in[] was checked */
    uint64_t discard;               /* request body bytes still to read and drop */
    uint8_t *in;                    /* HTTP_HEAD_MAX bytes, lent (http_conn_buffers) */
    size_t out_len, out_off;        /* response head (and body start) in out[] */
    /* The head, then a copy of the body's first bytes up to one TLS
     * record's plaintext (2^14, RFC 8446 §5.1): a small response leaves
     * as one record and, window permitting, one segment, and a bulk one
     * starts with a full record. HTTP_OUT_MAX bytes, lent. */
    uint8_t *out;
    const uint8_t *body;            /* body span still to send, after the head */
    size_t body_len;
};

/* Starts a connection at now_ms. busy: the caller is over its connection
 * cap and keeps this one only to answer 503 politely. */
void http_conn_init(struct http_conn *h, const struct http_config *cfg, void *log_ctx, int busy, uint64_t now_ms);

/* Lends h its buffers (in: HTTP_HEAD_MAX bytes, out: HTTP_OUT_MAX): before
 * it takes input, is asked for output or runs its timer. Kept across
 * http_conn_init. NULLs take them back, allowed while
 * http_conn_buffers_idle (no request bytes buffered, no response bytes
 * waiting in out; a body still being sent from the site image needs
 * neither). */
void http_conn_buffers(struct http_conn *h, uint8_t *in, uint8_t *out);
int http_conn_buffers_idle(const struct http_conn *h);

/* Takes request bytes; returns how many were taken (fewer than n while a
 * response is being written: pipelined requests wait in the caller's
 * buffer, which is the back-pressure). Offer the rest again once
 * http_conn_sent has finished the response. A connection that is closing
 * or done takes every byte and drops it. */
size_t http_conn_input(struct http_conn *h, const uint8_t *p, size_t n, uint64_t now_ms, int64_t unix_s);

/* The peer will send nothing more. */
void http_conn_input_eof(struct http_conn *h, uint64_t now_ms, int64_t unix_s);

/* The next bytes to send: their length (0: nothing now) and *p. Valid
 * until the next call on h. */
size_t http_conn_output(struct http_conn *h, const uint8_t **p);

/* n of the bytes http_conn_output gave were sent. */
void http_conn_sent(struct http_conn *h, size_t n, uint64_t now_ms, int64_t unix_s);

/* When http_conn_timer must run next (UINT64_MAX: no timer). */
uint64_t http_conn_deadline(const struct http_conn *h);

/* Timeouts: a request head not complete in time gets 408 and the
 * connection closes; an idle keep-alive connection just closes. */
void http_conn_timer(struct http_conn *h, uint64_t now_ms, int64_t unix_s);

/* 1 when everything has been sent and the connection should be closed
 * (Connection: close, an error, a timeout, the peer's EOF). */
int http_conn_done(const struct http_conn *h);

#endif
