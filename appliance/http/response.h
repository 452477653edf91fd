/* SPDX-License-Identifier: Apache-2.0 */
/* Responses: what to answer one request with (status, representation,
 * conditional and range handling, redirects) and its head written into a
 * caller buffer. The body is never copied: it stays in the site image (or
 * in a static string for the built-in error bodies). */
#ifndef ATOLL_HTTP_RESPONSE_H
#define ATOLL_HTTP_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include "appliance/http/http.h"
#include "appliance/http/parse.h"

/* A request body up to this size is read and thrown away; a larger one
 * gets 413 and the connection closes. */
#define HTTP_BODY_DISCARD_MAX 65536u

/* Appends to buf[0 .. cap-1]; once something does not fit, overflow is
 * set and nothing more is written. */
struct http_writer {
    uint8_t *buf;
    size_t cap, len;
    int overflow;
};

void http_w_init(struct http_writer *w, uint8_t *buf, size_t cap);
void http_w_bytes(struct http_writer *w, const void *p, size_t n);
void http_w_str(struct http_writer *w, const char *s);
void http_w_u64(struct http_writer *w, uint64_t v);

/* One request and its answer. */
struct http_exchange {
    /* in */
    const struct http_config *cfg;
    const uint8_t *head;           /* the request head the spans of req point into */
    const struct http_req *req;    /* the parsed head; with err != 0 maybe only its request line */
    int err;                       /* 0, or the status of a request that cannot be served (400, 408, ...) */
    int head_only;                 /* the request was HEAD: no body whatever the status */
    int busy;                      /* answer 503 */
    int close;                     /* in: the connection closes after this response anyway; out: final */
    int64_t unix_s;
    /* out */
    int status;
    const uint8_t *body;           /* the bytes to send after the head */
    size_t body_len;
};

/* Decides the response to x and writes its head into out[0 .. cap-1].
 * Returns the head's length (a cap below HTTP_RESPONSE_MIN_CAP is never
 * enough). A head that does not fit (extra headers too long for the
 * buffer) becomes a bodiless 500 that closes the connection. */
#define HTTP_RESPONSE_MIN_CAP 128
size_t http_respond(struct http_exchange *x, uint8_t *out, size_t cap);

/* The reason phrase of a status this server sends. */
const char *http_reason(int status);

#endif
