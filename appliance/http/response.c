/* SPDX-License-Identifier: Apache-2.0 */
/* What to answer (RFC 9110 §13.2.2 order of preconditions, §14 ranges,
 * §15 statuses) and the response head. */
#include "appliance/http/response.h"

#include <string.h>

#include "appliance/http/date.h"
#include "appliance/http/fields.h"
#include "appliance/http/path.h"

void http_w_init(struct http_writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->overflow = 0;
}

void http_w_bytes(struct http_writer *w, const void *p, size_t n)
{
    if (w->overflow || n > w->cap - w->len) {
        w->overflow = 1;
        return;
    }
    if (n > 0)
        memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void http_w_str(struct http_writer *w, const char *s)
{
    http_w_bytes(w, s, strlen(s));
}

void http_w_u64(struct http_writer *w, uint64_t v)
{
    uint8_t d[20];
    size_t i = sizeof d;
    do {
        d[--i] = (uint8_t)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    http_w_bytes(w, d + i, sizeof d - i);
}

static void w_date(struct http_writer *w, int64_t t)
{
    uint8_t d[HTTP_DATE_LEN];
    http_date_format(t, d);
    http_w_bytes(w, d, sizeof d);
}

const char *http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

/* Statuses after which the request's framing cannot be trusted: the
 * connection closes (RFC 9112 §9.6: a server that does not read the rest
 * of a message cannot use the connection). */
static int closes(int status)
{
    return status == 400 || status == 408 || status == 413 || status == 414 || status == 431 ||
           status == 500 || status == 501 || status == 505 || status == 503;
}

/* The response being planned. */
struct plan {
    int status;
    const struct site_entry *entry; /* representation metadata (200/206/304/416), or NULL */
    int gzip;                       /* the gzip variant is selected */
    uint8_t etag[SITE_ETAG_MAX + 3];
    size_t etag_len;
    const uint8_t *type;
    size_t type_len;
    const uint8_t *body;            /* the whole body the head announces */
    uint64_t body_len;
    int range;                      /* 206: first..last of full_len */
    uint64_t first, last, full_len;
    const uint8_t *loc[3];          /* 301: Location pieces, loc_port after the first */
    size_t loc_len[3];
    uint32_t loc_port;
    int allow;                      /* 405 */
};

static const char TEXT[] = "text/plain; charset=utf-8";

static const char *error_body(int status)
{
    switch (status) {
    case 400: return "400 Bad Request\n";
    case 404: return "404 Not Found\n";
    case 405: return "405 Method Not Allowed\n";
    case 408: return "408 Request Timeout\n";
    case 413: return "413 Content Too Large\n";
    case 414: return "414 URI Too Long\n";
    case 431: return "431 Request Header Fields Too Large\n";
    case 501: return "501 Not Implemented\n";
    case 503: return "503 Service Unavailable\n";
    case 505: return "505 HTTP Version Not Supported\n";
    default: return "";
    }
}

static void plan_error(struct plan *p, int status)
{
    const char *b = error_body(status);
    p->status = status;
    p->body = (const uint8_t *)b;
    p->body_len = strlen(b);
    p->type = (const uint8_t *)TEXT;
    p->type_len = sizeof TEXT - 1;
}

static const uint8_t *span(const struct http_exchange *x, struct http_span s)
{
    return x->head + s.off;
}

/* 404: the site's own page if it has one. */
static void plan_not_found(const struct http_exchange *x, struct plan *p, struct site_entry *nf)
{
    if (x->cfg->site != NULL && site_not_found(x->cfg->site, nf) == 1) {
        p->status = 404;
        p->body = nf->body;
        p->body_len = nf->body_len;
        p->type = nf->type;
        p->type_len = nf->type_len;
        return;
    }
    plan_error(p, 404);
}

/* The origin-form part of the target ("/path?query"; "" for an
 * absolute-form without a path) and its query ("?..." or empty). */
static void origin_part(const struct http_exchange *x, size_t origin, const uint8_t **o, size_t *olen,
                        const uint8_t **q, size_t *qlen)
{
    const uint8_t *t = span(x, x->req->target);
    size_t n = x->req->target.len;
    *o = t + origin;
    *olen = n - origin;
    size_t i = origin;
    while (i < n && t[i] != '?')
        i++;
    *q = t + i;
    *qlen = n - i;
}

/* Port-80 mode: the same target on https. The host comes from Host, or
 * from an absolute-form target, whose authority wins (RFC 9112 §3.2.2). */
static void plan_https_redirect(const struct http_exchange *x, struct plan *p)
{
    const struct http_req *r = x->req;
    const uint8_t *t = span(x, r->target);
    int o = http_target_origin(t, r->target.len);
    const uint8_t *host = span(x, r->host);
    size_t host_len = r->host_count == 1 ? r->host.len : 0, name_len;
    int bad = o < 0;
    if (o > 0) {
        /* The authority after "scheme://": http_target_origin's contract
         * bounds o by the target, not where the scheme ends, so look
         * within t[0 .. o-1] only. */
        size_t a = 0;
        while (a < (size_t)o && t[a] != ':')
            a++;
        if (a + 3 > (size_t)o) {
            bad = 1;
        } else {
            host = t + a + 3;
            host_len = (size_t)o - (a + 3);
        }
    }
    if (bad || http_host_parse(host, host_len, &name_len) != 0) {
        plan_error(p, 400);
        return;
    }
    const uint8_t *op, *q;
    size_t olen, qlen;
    origin_part(x, (size_t)o, &op, &olen, &q, &qlen);
    p->status = 301;
    p->loc[0] = host;
    p->loc_len[0] = name_len;
    p->loc_port = x->cfg->https_port != 443 ? x->cfg->https_port : 0;
    if (olen == 0 || op[0] == '?') {
        p->loc[1] = (const uint8_t *)"/";
        p->loc_len[1] = 1;
    }
    p->loc[2] = op;
    p->loc_len[2] = olen;
}

/* 200/206/304/416 for a file or index entry. */
static void plan_entity(const struct http_exchange *x, struct plan *p, const struct site_entry *e)
{
    const struct http_req *r = x->req;
    p->entry = e;
    p->type = e->type;
    p->type_len = e->type_len;
    p->gzip = e->gzip_len > 0 && r->accept_enc.len > 0 &&
              http_accepts_gzip(span(x, r->accept_enc), r->accept_enc.len);
    if (p->gzip) {
        p->etag_len = http_etag_gz(e->etag, e->etag_len, p->etag);
        p->body = e->gzip;
        p->body_len = e->gzip_len;
    } else {
        memcpy(p->etag, e->etag, e->etag_len);
        p->etag_len = e->etag_len;
        p->body = e->body;
        p->body_len = e->body_len;
    }
    /* §13.2.2: If-None-Match, else If-Modified-Since (GET and HEAD only,
     * which is all that reaches here). */
    if (r->inm.len > 0) {
        if (http_inm_match(span(x, r->inm), r->inm.len, p->etag, p->etag_len)) {
            p->status = 304;
            return;
        }
    } else if (r->ims.len > 0) {
        int64_t t;
        if (http_date_parse(span(x, r->ims), r->ims.len, &t) == 0 && (int64_t)e->mtime <= t) {
            p->status = 304;
            return;
        }
    }
    p->status = 200;
    /* §14.2: Range only for GET; §13.1.5: If-Range must match, or the
     * whole representation is sent. */
    if (r->method_kind != HTTP_M_GET || r->range_count != 1)
        return;
    if (r->if_range.len > 0) {
        const uint8_t *v = span(x, r->if_range);
        int ok;
        if (v[0] == '"' || v[0] == 'W') {
            ok = http_if_range_etag_match(v, r->if_range.len, p->etag, p->etag_len);
        } else {
            int64_t t;
            ok = http_date_parse(v, r->if_range.len, &t) == 0 && t == (int64_t)e->mtime;
        }
        if (!ok)
            return;
    }
    uint64_t first, last;
    int rr = http_range_parse(span(x, r->range), r->range.len, p->body_len, &first, &last);
    if (rr == HTTP_RANGE_OK) {
        p->status = 206;
        p->range = 1;
        p->first = first;
        p->last = last;
        p->full_len = p->body_len;
    } else if (rr == HTTP_RANGE_UNSAT) {
        p->status = 416;
        p->full_len = p->body_len;
    }
}

static void plan_site(const struct http_exchange *x, struct plan *p, struct site_entry *e, struct site_entry *nf)
{
    const struct http_req *r = x->req;
    if (r->method_kind == HTTP_M_UNKNOWN) {
        plan_error(p, 501);
        return;
    }
    if (r->method_kind == HTTP_M_OTHER) {
        plan_error(p, 405);
        p->allow = 1;
        return;
    }
    size_t name_len;
    if (r->host.len > 0 && http_host_parse(span(x, r->host), r->host.len, &name_len) != 0) {
        plan_error(p, 400); /* RFC 9112 §3.2: an invalid Host is a 400 */
        return;
    }
    uint8_t path[HTTP_TARGET_MAX + 1];
    size_t origin;
    int n = http_target_to_path(span(x, r->target), r->target.len, path, &origin);
    if (n < 0) {
        plan_error(p, 400);
        return;
    }
    if (x->cfg->site == NULL || n > SITE_PATH_MAX || site_lookup(x->cfg->site, path, (size_t)n, e) != 1) {
        plan_not_found(x, p, nf);
        return;
    }
    if (e->kind == SITE_REDIRECT) {
        const uint8_t *op, *q;
        size_t olen, qlen;
        origin_part(x, origin, &op, &olen, &q, &qlen);
        p->status = 301;
        p->loc[0] = e->location;
        p->loc_len[0] = e->location_len;
        p->loc[2] = q; /* keep the query: /blog?page=2 -> /blog/?page=2 */
        p->loc_len[2] = qlen;
        return;
    }
    plan_entity(x, p, e);
}

static void write_head(struct http_writer *w, const struct http_exchange *x, const struct plan *p)
{
    http_w_str(w, "HTTP/1.1 ");
    http_w_u64(w, (uint64_t)p->status);
    http_w_str(w, " ");
    http_w_str(w, http_reason(p->status));
    http_w_str(w, "\r\nDate: ");
    w_date(w, x->unix_s);
    http_w_str(w, "\r\nServer: atoll\r\n");
    if (p->status == 301) {
        http_w_str(w, "Location: ");
        if (x->cfg->redirect_https)
            http_w_str(w, "https://");
        http_w_bytes(w, p->loc[0], p->loc_len[0]);
        if (p->loc_port != 0) {
            http_w_str(w, ":");
            http_w_u64(w, p->loc_port);
        }
        http_w_bytes(w, p->loc[1], p->loc_len[1]);
        http_w_bytes(w, p->loc[2], p->loc_len[2]);
        http_w_str(w, "\r\n");
    }
    if (p->allow)
        http_w_str(w, "Allow: GET, HEAD\r\n");
    if (p->status == 503)
        http_w_str(w, "Retry-After: 5\r\n");
    if (p->status != 304) {
        if (p->type_len > 0 && p->status != 416) {
            http_w_str(w, "Content-Type: ");
            http_w_bytes(w, p->type, p->type_len);
            http_w_str(w, "\r\n");
        }
        uint64_t cl = p->body_len;
        if (p->status == 206)
            cl = p->last - p->first + 1;
        else if (p->status == 416)
            cl = 0;
        http_w_str(w, "Content-Length: ");
        http_w_u64(w, cl);
        http_w_str(w, "\r\n");
    }
    if (p->status == 206 || p->status == 416) {
        http_w_str(w, "Content-Range: bytes ");
        if (p->status == 206) {
            http_w_u64(w, p->first);
            http_w_str(w, "-");
            http_w_u64(w, p->last);
        } else {
            http_w_str(w, "*");
        }
        http_w_str(w, "/");
        http_w_u64(w, p->full_len);
        http_w_str(w, "\r\n");
    }
    if (p->entry != NULL) {
        if (p->gzip && p->status != 304 && p->status != 416)
            http_w_str(w, "Content-Encoding: gzip\r\n");
        if (p->entry->gzip_len > 0)
            http_w_str(w, "Vary: Accept-Encoding\r\n");
        http_w_str(w, "ETag: ");
        http_w_bytes(w, p->etag, p->etag_len);
        http_w_str(w, "\r\nLast-Modified: ");
        w_date(w, p->entry->mtime);
        http_w_str(w, "\r\n");
        if (p->status != 304)
            http_w_str(w, "Accept-Ranges: bytes\r\n");
    }
    if (x->close)
        http_w_str(w, "Connection: close\r\n");
    else if (x->req != NULL && x->req->minor == 0)
        http_w_str(w, "Connection: keep-alive\r\n");
    if (x->cfg->headers != NULL)
        http_w_str(w, x->cfg->headers);
    http_w_str(w, "\r\n");
}

size_t http_respond(struct http_exchange *x, uint8_t *out, size_t cap)
{
    struct plan p;
    struct site_entry e, nf;
    memset(&p, 0, sizeof p);
    if (x->err != 0)
        plan_error(&p, x->err);
    else if (x->busy)
        plan_error(&p, 503);
    else if (x->cfg->redirect_https)
        plan_https_redirect(x, &p);
    else
        plan_site(x, &p, &e, &nf);
    if (closes(p.status))
        x->close = 1;
    struct http_writer w;
    http_w_init(&w, out, cap);
    write_head(&w, x, &p);
    if (w.overflow) {
        static const char FAIL[] = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        http_w_init(&w, out, cap);
        http_w_bytes(&w, FAIL, sizeof FAIL - 1);
        x->close = 1;
        x->status = 500;
        x->body = NULL;
        x->body_len = 0;
        return w.len;
    }
    x->status = p.status;
    x->body = p.body;
    x->body_len = 0;
    if (!x->head_only && p.status != 304 && p.status != 416 && p.body != NULL) {
        if (p.status == 206) {
            x->body = p.body + p.first;
            x->body_len = (size_t)(p.last - p.first + 1);
        } else {
            x->body_len = (size_t)p.body_len;
        }
    }
    return w.len;
}
