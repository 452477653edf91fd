/* SPDX-License-Identifier: Apache-2.0 */
/* The per-connection state machine of http.h.
 *
 *   IDLE --first byte--> READING --head complete--> WRITING --sent--> IDLE
 *                           |                          (or CLOSING --sent--> DONE)
 *                           +--header timeout--> CLOSING (408)
 *   IDLE --idle timeout or peer EOF--> DONE
 *
 * One request at a time: while a response is in flight the input is not
 * taken (beyond a body being discarded), so pipelined requests wait in
 * the caller's buffer and responses leave in request order. */
#include <string.h>

#include "appliance/http/http.h"
#include "appliance/http/parse.h"
#include "appliance/http/response.h"

static void set_deadline(struct http_conn *h, uint64_t now_ms, uint32_t ms)
{
    h->deadline_ms = ms == 0 || now_ms > UINT64_MAX - ms ? UINT64_MAX : now_ms + ms;
}

void http_conn_init(struct http_conn *h, const struct http_config *cfg, void *log_ctx, int busy, uint64_t now_ms)
{
    uint8_t *in = h->in, *out = h->out;
    memset(h, 0, sizeof *h);
    h->in = in;
    h->out = out;
    h->cfg = cfg;
    h->log_ctx = log_ctx;
    h->busy = busy;
    h->phase = HTTP_IDLE;
    h->out_len = 0;
    h->out_off = 0;
    h->body = NULL;
    h->body_len = 0;
    set_deadline(h, now_ms, cfg->idle_timeout_ms);
}

void http_conn_buffers(struct http_conn *h, uint8_t *in, uint8_t *out)
{
    h->in = in;
    h->out = out;
    if (!out)
        h->out_len = h->out_off = 0;
}

int http_conn_buffers_idle(const struct http_conn *h)
{
    return h->in_len == 0 && h->out_off == h->out_len;
}

static void log_response(struct http_conn *h, const struct http_req *req, int line_parsed,
                         const struct http_exchange *x)
{
    if (h->cfg->log == NULL)
        return;
    uint8_t line[HTTP_LOG_LINE_MAX], ref[HTTP_LOG_FIELD_MAX], ua[HTTP_LOG_FIELD_MAX];
    struct http_log e;
    memset(&e, 0, sizeof e);
    e.unix_s = x->unix_s;
    e.status = x->status;
    e.bytes = x->body_len;
    e.line = line;
    e.referer = ref;
    e.agent = ua;
    if (line_parsed) {
        e.line_len = http_log_escape(line, sizeof line, h->in + req->line.off, req->line.len);
        e.referer_len = http_log_escape(ref, sizeof ref, h->in + req->referer.off, req->referer.len);
        e.agent_len = http_log_escape(ua, sizeof ua, h->in + req->agent.off, req->agent.len);
    } else {
        /* an unparsable request: its first line as far as it goes */
        size_t n = 0;
        while (n < h->in_len && h->in[n] != '\r' && h->in[n] != '\n')
            n++;
        e.line_len = http_log_escape(line, sizeof line, h->in, n);
    }
    h->cfg->log(h->log_ctx, &e);
}

/* Queues the response to the head in in[0 .. in_len-1] (err != 0: to a
 * request that cannot be served, with that status). */
static void respond(struct http_conn *h, int err, int64_t unix_s)
{
    struct http_req req;
    memset(&req, 0, sizeof req);
    int line_parsed = 0;
    if (err == 0) {
        int r = http_head_parse(h->in, h->in_len, &req);
        if (r < 0) {
            /* The contract promises nothing of req after a failure: what
             * the answer and the log may use of a refused head is its
             * request line alone, parsed afresh (its fields stay empty). */
            err = -r;
            memset(&req, 0, sizeof req);
            line_parsed = http_request_line_parse(h->in, h->in_len, &req) > 0;
        } else if (req.has_cl && req.content_length > HTTP_BODY_DISCARD_MAX) {
            line_parsed = 1;
            err = 413;
        } else {
            line_parsed = 1;
            if (req.has_cl)
                h->discard = req.content_length;
        }
    } else if (err != 408) {
        /* an early refusal: the request line alone may have parsed */
        if (http_request_line_parse(h->in, h->in_len, &req) > 0)
            line_parsed = 1;
    }
    h->requests++;
    struct http_exchange x;
    memset(&x, 0, sizeof x);
    x.cfg = h->cfg;
    x.head = h->in;
    x.req = line_parsed ? &req : NULL;
    x.err = err;
    x.head_only = line_parsed && req.method_kind == HTTP_M_HEAD;
    x.busy = h->busy;
    x.unix_s = unix_s;
    x.close = h->busy || h->close_after || (err == 0 && req.conn_close) ||
              (err == 0 && req.minor == 0 && !req.conn_keep_alive) ||
              (h->cfg->max_requests != 0 && h->requests >= h->cfg->max_requests);
    h->out_len = http_respond(&x, h->out, HTTP_RESP_HEAD_MAX);
    h->out_off = 0;
    h->body = x.body;
    h->body_len = x.body_len;
    /* One copy of at most a record's worth saves a record (its seal and
     * header) and a segment on every small response. */
    size_t c = HTTP_OUT_MAX - h->out_len;
    if (c > h->body_len)
        c = h->body_len;
    if (c > 0) {
        memcpy(h->out + h->out_len, h->body, c);
        h->out_len += c;
        h->body += c;
        h->body_len -= c;
    }
    if (x.close) {
        h->close_after = 1;
        h->discard = 0;
    }
    log_response(h, &req, line_parsed, &x);
    h->phase = x.close ? HTTP_CLOSING : HTTP_WRITING;
    h->deadline_ms = UINT64_MAX;
    h->in_len = 0;
    h->scan = 0;
    h->line_ok = 0;
}

/* After bytes old .. in_len-1 arrived and no head end is among them:
 * refuses at once what can already be refused, so a client sending junk
 * is not kept waiting for the header timeout. */
static void check_partial(struct http_conn *h, size_t old, int64_t unix_s)
{
    if (!h->line_ok && memchr(h->in + old, '\n', h->in_len - old) != NULL) {
        struct http_req req;
        int r = http_request_line_parse(h->in, h->in_len, &req);
        if (r < 0) {
            respond(h, -r, unix_s);
            return;
        }
        h->line_ok = 1;
    }
    if (h->in_len == HTTP_HEAD_MAX)
        respond(h, h->line_ok ? 431 : 414, unix_s);
}

size_t http_conn_input(struct http_conn *h, const uint8_t *p, size_t n, uint64_t now_ms, int64_t unix_s)
{
    size_t taken = 0;
    while (taken < n) {
        if (h->phase == HTTP_CLOSING || h->phase == HTTP_DONE)
            return n; /* nothing more is read on this connection */
        if (h->discard > 0) {
            size_t d = n - taken;
            if (d > h->discard)
                d = (size_t)h->discard;
            h->discard -= d;
            taken += d;
            continue;
        }
        if (h->phase == HTTP_WRITING)
            break;
        if (h->in_len == 0) {
            /* RFC 9112 §2.2: empty lines before a request are ignored */
            if (p[taken] == '\r' || p[taken] == '\n') {
                taken++;
                continue;
            }
            h->phase = HTTP_READING;
            set_deadline(h, now_ms, h->cfg->header_timeout_ms);
        }
        size_t c = n - taken;
        if (c > HTTP_HEAD_MAX - h->in_len)
            c = HTTP_HEAD_MAX - h->in_len;
        size_t old = h->in_len;
        memcpy(h->in + old, p + taken, c);
        h->in_len += c;
        taken += c;
        size_t e = http_head_end(h->in, h->scan, h->in_len);
        if (e == 0) {
            h->scan = h->in_len;
            check_partial(h, old, unix_s);
            continue;
        }
        /* the bytes after the head are not ours yet: a body to discard or
         * the next request, taken once this response is out */
        taken -= h->in_len - e;
        h->in_len = e;
        respond(h, 0, unix_s);
    }
    if (h->peer_eof && h->phase == HTTP_READING)
        h->phase = HTTP_DONE; /* a head that can never complete */
    return taken;
}

void http_conn_input_eof(struct http_conn *h, uint64_t now_ms, int64_t unix_s)
{
    (void)now_ms;
    (void)unix_s;
    h->peer_eof = 1;
    if (h->phase == HTTP_IDLE || h->phase == HTTP_READING)
        h->phase = HTTP_DONE;
    else if (h->phase == HTTP_WRITING)
        h->close_after = 1;
}

size_t http_conn_output(struct http_conn *h, const uint8_t **p)
{
    if (h->out_off < h->out_len) {
        *p = h->out + h->out_off;
        return h->out_len - h->out_off;
    }
    if (h->body_len > 0) {
        *p = h->body;
        return h->body_len;
    }
    *p = NULL;
    return 0;
}

void http_conn_sent(struct http_conn *h, size_t n, uint64_t now_ms, int64_t unix_s)
{
    (void)unix_s;
    size_t a = h->out_len - h->out_off;
    if (a > n)
        a = n;
    h->out_off += a;
    n -= a;
    if (n > h->body_len)
        n = h->body_len;
    if (n > 0) {
        h->body += n;
        h->body_len -= n;
    }
    if (h->out_off < h->out_len || h->body_len > 0)
        return;
    if (h->phase == HTTP_CLOSING || (h->phase == HTTP_WRITING && h->close_after)) {
        h->phase = HTTP_DONE;
        h->deadline_ms = UINT64_MAX;
    } else if (h->phase == HTTP_WRITING) {
        h->phase = HTTP_IDLE;
        h->out_len = h->out_off = 0;
        set_deadline(h, now_ms, h->cfg->idle_timeout_ms);
    }
}

uint64_t http_conn_deadline(const struct http_conn *h)
{
    if (h->phase != HTTP_IDLE && h->phase != HTTP_READING)
        return UINT64_MAX;
    return h->deadline_ms;
}

void http_conn_timer(struct http_conn *h, uint64_t now_ms, int64_t unix_s)
{
    if ((h->phase != HTTP_IDLE && h->phase != HTTP_READING) || now_ms < h->deadline_ms)
        return;
    if (h->phase == HTTP_IDLE) {
        h->phase = HTTP_DONE;
        return;
    }
    h->discard = 0;
    respond(h, 408, unix_s);
}

int http_conn_done(const struct http_conn *h)
{
    return h->phase == HTTP_DONE;
}
