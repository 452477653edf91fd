/* SPDX-License-Identifier: Apache-2.0 */
/* The HTTP connection state machine end to end (http.h): requests in,
 * response bytes out, over a small site image built in memory
 * (http_testsite.h). Every status, keep-alive and close, pipelining,
 * timeouts, conditional and range requests, gzip negotiation, the port-80
 * redirect mode, the busy mode and the log callback. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "appliance/http/http.h"
#include "http_testsite.h"

#define T0 1000000u          /* monotonic ms at the start */
#define NOW 1700000000       /* wall clock: Tue, 14 Nov 2023 22:13:20 GMT */
#define NOW_DATE "Tue, 14 Nov 2023 22:13:20 GMT"

static uint8_t img[TS_CAP], img_no404[TS_CAP];
static struct site_image site, site_no404;

/* ---- log capture ---- */

struct logged {
    char line[1100], referer[600], agent[600];
    int status;
    uint64_t bytes;
    int64_t unix_s;
};
static struct logged logs[16];
static size_t nlogs;

static void on_log(void *ctx, const struct http_log *e)
{
    assert_ptr_equal(ctx, &nlogs);
    assert_true(nlogs < 16);
    struct logged *l = &logs[nlogs++];
    assert_true(e->line_len < sizeof l->line && e->referer_len < sizeof l->referer && e->agent_len < sizeof l->agent);
    memcpy(l->line, e->line, e->line_len);
    l->line[e->line_len] = 0;
    memcpy(l->referer, e->referer, e->referer_len);
    l->referer[e->referer_len] = 0;
    memcpy(l->agent, e->agent, e->agent_len);
    l->agent[e->agent_len] = 0;
    l->status = e->status;
    l->bytes = e->bytes;
    l->unix_s = e->unix_s;
    for (size_t i = 0; i < e->line_len; i++)
        assert_true(e->line[i] >= 0x20 && e->line[i] < 0x7f);
}

static struct http_config base_cfg(void)
{
    struct http_config c;
    memset(&c, 0, sizeof c);
    c.site = &site;
    c.headers = "Strict-Transport-Security: max-age=63072000\r\nX-Content-Type-Options: nosniff\r\n";
    c.header_timeout_ms = 10000;
    c.idle_timeout_ms = 60000;
    c.log = on_log;
    return c;
}

static int setup(void **state)
{
    (void)state;
    size_t n = ts_build(img, TS_SITE, TS_NSITE, 1);
    if (site_image_open(img, n, &site) != 0)
        return -1;
    n = ts_build(img_no404, TS_SITE, TS_NSITE, SITE_NONE);
    if (site_image_open(img_no404, n, &site_no404) != 0)
        return -1;
    return 0;
}

static int reset(void **state)
{
    (void)state;
    nlogs = 0;
    memset(logs, 0, sizeof logs);
    return 0;
}

/* ---- driving a connection ---- */

static struct http_conn conn;
static uint8_t conn_in[HTTP_HEAD_MAX], conn_out[HTTP_OUT_MAX];
static char outbuf[65536];
static size_t outlen;

/* Sends everything the connection has, in chunks of at most chunk bytes. */
static void drain(struct http_conn *h, size_t chunk, uint64_t now)
{
    const uint8_t *p;
    size_t n;
    while ((n = http_conn_output(h, &p)) > 0) {
        if (n > chunk)
            n = chunk;
        assert_true(outlen + n < sizeof outbuf);
        memcpy(outbuf + outlen, p, n);
        outlen += n;
        http_conn_sent(h, n, now, NOW);
    }
    outbuf[outlen] = 0;
}

/* Feeds all of in (as a caller would: what is not taken is offered again
 * after the output drained), draining as it goes. */
static void feed(struct http_conn *h, const char *in, size_t n, uint64_t now)
{
    size_t off = 0;
    int stuck = 0;
    while (off < n && !http_conn_done(h)) {
        size_t t = http_conn_input(h, (const uint8_t *)in + off, n - off, now, NOW);
        off += t;
        size_t before = outlen;
        drain(h, 1000, now);
        if (t == 0 && outlen == before)
            assert_true(++stuck < 3);
    }
}

/* A fresh connection with cfg; in fed whole; output in outbuf. */
static void run_cfg(const struct http_config *cfg, const char *in)
{
    outlen = 0;
    nlogs = 0;
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, cfg, &nlogs, 0, T0);
    feed(&conn, in, strlen(in), T0);
}

static struct http_config cfg;

static void run(const char *in)
{
    cfg = base_cfg();
    run_cfg(&cfg, in);
}

static int has(const char *needle)
{
    return strstr(outbuf, needle) != NULL;
}

/* The body after the first response head. */
static const char *body(void)
{
    const char *e = strstr(outbuf, "\r\n\r\n");
    assert_non_null(e);
    return e + 4;
}

static int count(const char *needle)
{
    int c = 0;
    for (const char *p = outbuf; (p = strstr(p, needle)) != NULL; p++)
        c++;
    return c;
}

#define GET(path) "GET " path " HTTP/1.1\r\nHost: example.org\r\n\r\n"

/* Buffers on loan: idle between requests (nothing buffered, the response
 * gone), so the caller may take them back and lend others, which still
 * hold the last borrower's bytes; a head in part or a response not yet
 * sent keeps them. */
static void buffers_lent_between_requests(void **state)
{
    (void)state;
    static uint8_t in2[HTTP_HEAD_MAX], out2[HTTP_OUT_MAX];
    cfg = base_cfg();
    run_cfg(&cfg, GET("/"));
    assert_true(strncmp(outbuf, "HTTP/1.1 200 OK\r\n", 17) == 0);
    assert_true(http_conn_buffers_idle(&conn));
    http_conn_buffers(&conn, NULL, NULL);
    memset(in2, 'Z', sizeof in2);
    memset(out2, 'Y', sizeof out2);
    http_conn_buffers(&conn, in2, out2);
    static const char part[] = "GET /big.txt HTTP/1.1\r\nHost: exa";
    assert_int_equal(http_conn_input(&conn, (const uint8_t *)part, strlen(part), T0, NOW), strlen(part));
    assert_false(http_conn_buffers_idle(&conn)); /* the head in part */
    static const char rest[] = "mple.org\r\n\r\n";
    assert_int_equal(http_conn_input(&conn, (const uint8_t *)rest, strlen(rest), T0, NOW), strlen(rest));
    assert_false(http_conn_buffers_idle(&conn)); /* the response waits */
    outlen = 0;
    drain(&conn, 100000, T0);
    assert_true(strncmp(outbuf, "HTTP/1.1 200 OK\r\n", 17) == 0);
    assert_string_equal(body(), TS_BIG);
    assert_true(http_conn_buffers_idle(&conn));
    http_conn_buffers(&conn, conn_in, conn_out);
    outlen = 0;
    feed(&conn, GET("/index.html"), strlen(GET("/index.html")), T0);
    assert_true(strncmp(outbuf, "HTTP/1.1 200 OK\r\n", 17) == 0);
    assert_string_equal(body(), "<h1>home</h1>");
    assert_int_equal(nlogs, 3);
}

/* ---- 200 / HEAD ---- */

static void get_200(void **state)
{
    (void)state;
    run(GET("/"));
    assert_true(strncmp(outbuf, "HTTP/1.1 200 OK\r\n", 17) == 0);
    assert_true(has("\r\nDate: " NOW_DATE "\r\n"));
    assert_true(has("\r\nServer: atoll\r\n"));
    assert_true(has("\r\nContent-Type: text/html; charset=utf-8\r\n"));
    assert_true(has("\r\nContent-Length: 13\r\n"));
    assert_true(has("\r\nETag: \"home\"\r\n"));
    assert_true(has("\r\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"));
    assert_true(has("\r\nAccept-Ranges: bytes\r\n"));
    assert_true(has("\r\nStrict-Transport-Security: max-age=63072000\r\nX-Content-Type-Options: nosniff\r\n\r\n"));
    assert_false(has("Vary:"));
    assert_false(has("Connection:"));
    assert_string_equal(body(), "<h1>home</h1>");
    assert_false(http_conn_done(&conn));
    assert_int_equal(nlogs, 1);
    assert_string_equal(logs[0].line, "GET / HTTP/1.1");
    assert_int_equal(logs[0].status, 200);
    assert_int_equal(logs[0].bytes, 13);
    assert_int_equal(logs[0].unix_s, NOW);
    /* percent-decoded lookups, dot segments, absolute-form */
    run(GET("/a%20b.html"));
    assert_string_equal(body(), "spaced");
    run(GET("/blog/../a%20b.html?x=1"));
    assert_string_equal(body(), "spaced");
    run("GET http://example.org/a%20b.html HTTP/1.1\r\nHost: example.org\r\n\r\n");
    assert_string_equal(body(), "spaced");
    run(GET("/empty.txt"));
    assert_true(has("Content-Length: 0\r\n"));
    assert_string_equal(body(), "");
}

static void head_has_no_body(void **state)
{
    (void)state;
    run("HEAD / HTTP/1.1\r\nHost: example.org\r\n\r\n" GET("/a%20b.html"));
    /* the HEAD response: GET's headers, no body; then the GET */
    assert_true(strncmp(outbuf, "HTTP/1.1 200 OK\r\n", 17) == 0);
    assert_true(has("Content-Length: 13\r\n"));
    const char *second = strstr(outbuf + 1, "HTTP/1.1 200 OK");
    assert_non_null(second);
    assert_true(strncmp(second - 4, "\r\n\r\n", 4) == 0); /* nothing between the two heads */
    assert_string_equal(strstr(second, "\r\n\r\n") + 4, "spaced");
    assert_int_equal(nlogs, 2);
    assert_int_equal(logs[0].bytes, 0);
    assert_int_equal(logs[1].bytes, 6);
}

/* ---- 404, 301, 405, 501 ---- */

static void not_found(void **state)
{
    (void)state;
    run(GET("/nope"));
    assert_true(strncmp(outbuf, "HTTP/1.1 404 Not Found\r\n", 24) == 0);
    assert_string_equal(body(), "<h1>not here</h1>");
    assert_true(has("Content-Type: text/html; charset=utf-8\r\n"));
    assert_false(has("ETag"));
    assert_false(http_conn_done(&conn)); /* a 404 keeps the connection */
    cfg = base_cfg();
    cfg.site = &site_no404;
    run_cfg(&cfg, GET("/nope"));
    assert_true(strncmp(outbuf, "HTTP/1.1 404 Not Found\r\n", 24) == 0);
    assert_string_equal(body(), "404 Not Found\n");
    /* HEAD of a missing page: no body */
    run("HEAD /nope HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_true(has("Content-Length: 17\r\n"));
    assert_string_equal(body(), "");
    /* a path longer than any in an image, and a decoded control byte */
    char big[1200 + 64];
    memset(big, 0, sizeof big);
    strcpy(big, "GET /");
    memset(big + 5, 'x', 1100);
    strcat(big, " HTTP/1.1\r\nHost: a\r\n\r\n");
    run(big);
    assert_true(strncmp(outbuf, "HTTP/1.1 404", 12) == 0);
    run(GET("/%0a"));
    assert_true(strncmp(outbuf, "HTTP/1.1 404", 12) == 0);
}

static void redirects(void **state)
{
    (void)state;
    run(GET("/blog"));
    assert_true(strncmp(outbuf, "HTTP/1.1 301 Moved Permanently\r\n", 32) == 0);
    assert_true(has("\r\nLocation: /blog/\r\n"));
    assert_true(has("\r\nContent-Length: 0\r\n"));
    assert_false(http_conn_done(&conn));
    run(GET("/blog?page=2"));
    assert_true(has("\r\nLocation: /blog/?page=2\r\n"));
    run(GET("/blog/"));
    assert_string_equal(body(), "<p>posts</p>");
}

static void method_not_allowed(void **state)
{
    (void)state;
    /* a small body is read and dropped; the connection stays usable */
    run("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" GET("/a%20b.html"));
    assert_true(strncmp(outbuf, "HTTP/1.1 405 Method Not Allowed\r\n", 33) == 0);
    assert_true(has("\r\nAllow: GET, HEAD\r\n"));
    assert_int_equal(count("HTTP/1.1 "), 2);
    assert_true(has("\r\n\r\nspaced"));
    assert_false(http_conn_done(&conn));
    run("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 405", 12) == 0);
    /* a body on GET is allowed, read and dropped */
    run("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc" GET("/a%20b.html"));
    assert_int_equal(count("HTTP/1.1 200 OK"), 2);
    assert_true(has("\r\n\r\nspaced"));
}

static void closes_with(const char *in, const char *status_line)
{
    run(in);
    if (strncmp(outbuf, status_line, strlen(status_line)) != 0)
        fail_msg("got %.60s want %s", outbuf, status_line);
    assert_true(has("\r\nConnection: close\r\n"));
    assert_true(http_conn_done(&conn));
    assert_int_equal(count("HTTP/1.1 "), 1);
    assert_int_equal(nlogs, 1);
}

static void errors_close(void **state)
{
    (void)state;
    closes_with("BREW / HTTP/1.1\r\nHost: a\r\n\r\n" GET("/"), "HTTP/1.1 501 Not Implemented\r\n");
    assert_string_equal(body(), "501 Not Implemented\n");
    nlogs = 0;
    closes_with("get / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 501 ");
    nlogs = 0;
    closes_with("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "HTTP/1.1 501 ");
    nlogs = 0;
    closes_with("GET / HTTP/2.0\r\nHost: a\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported\r\n");
    /* an HTTP/2 prior-knowledge preface is refused at its first line */
    nlogs = 0;
    closes_with("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/1.1 505 ");
    nlogs = 0;
    closes_with("GET / HTTP/1.1\r\n\r\n" GET("/"), "HTTP/1.1 400 Bad Request\r\n");
    nlogs = 0;
    closes_with("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "HTTP/1.1 400 ");
    nlogs = 0;
    closes_with("GET / HTTP/1.1\r\nHost : a\r\n\r\n", "HTTP/1.1 400 ");
    nlogs = 0;
    closes_with("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", "HTTP/1.1 400 ");
    nlogs = 0;
    closes_with("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "HTTP/1.1 400 ");
    nlogs = 0;
    closes_with("GET /%00 HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 400 ");
    nlogs = 0;
    closes_with("GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 400 ");
    nlogs = 0;
    closes_with("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "HTTP/1.1 400 ");
    nlogs = 0;
    closes_with("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 65537\r\n\r\n", "HTTP/1.1 413 Content Too Large\r\n");
    nlogs = 0;
    closes_with("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", "HTTP/1.1 413 ");
    /* a bare-LF client gets its 400 at once, not a timeout */
    nlogs = 0;
    closes_with("GET / HTTP/1.1\nHost: a\n\n", "HTTP/1.1 400 ");
    /* junk is refused as soon as its first line is complete */
    nlogs = 0;
    closes_with("\x16\x03\x01\x02\x7f\x01\x05\x01\xfc\x03\x03\n", "HTTP/1.1 400 ");
    assert_string_equal(logs[0].line, "\\x16\\x03\\x01\\x02\\x7f\\x01\\x05\\x01\\xfc\\x03\\x03");
}

static void too_large(void **state)
{
    (void)state;
    /* 414: a target over HTTP_TARGET_MAX */
    char *in = malloc(HTTP_HEAD_MAX * 2);
    assert_non_null(in);
    strcpy(in, "GET /");
    memset(in + 5, 'a', HTTP_TARGET_MAX);
    strcpy(in + 5 + HTTP_TARGET_MAX, " HTTP/1.1\r\nHost: a\r\n\r\n");
    closes_with(in, "HTTP/1.1 414 URI Too Long\r\n");
    assert_true(strncmp(logs[0].line, "GET /aaaa", 9) == 0);
    assert_true(strlen(logs[0].line) < 1100);
    /* 414: a request line that fills the whole buffer without ending */
    nlogs = 0;
    strcpy(in, "GET /");
    memset(in + 5, 'a', HTTP_HEAD_MAX);
    in[5 + HTTP_HEAD_MAX] = 0;
    closes_with(in, "HTTP/1.1 414 ");
    /* 431: fields that fill the buffer */
    nlogs = 0;
    strcpy(in, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: ");
    size_t l = strlen(in);
    memset(in + l, 'b', HTTP_HEAD_MAX);
    in[l + HTTP_HEAD_MAX] = 0;
    closes_with(in, "HTTP/1.1 431 Request Header Fields Too Large\r\n");
    assert_string_equal(logs[0].line, "GET / HTTP/1.1");
    /* 431: too many fields */
    nlogs = 0;
    strcpy(in, "GET / HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < HTTP_FIELDS_MAX; i++)
        sprintf(in + strlen(in), "X-%d: v\r\n", i);
    strcat(in, "\r\n");
    closes_with(in, "HTTP/1.1 431 ");
    free(in);
}

/* ---- keep-alive, close, pipelining, limits ---- */

static void keep_alive_and_close(void **state)
{
    (void)state;
    run("GET / HTTP/1.0\r\n\r\n");
    assert_true(has("\r\nConnection: close\r\n"));
    assert_true(http_conn_done(&conn));
    run("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert_true(has("\r\nConnection: keep-alive\r\n"));
    assert_false(http_conn_done(&conn));
    run("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" GET("/"));
    assert_true(has("\r\nConnection: close\r\n"));
    assert_true(http_conn_done(&conn));
    assert_int_equal(count("HTTP/1.1 "), 1); /* nothing after close */
    /* bytes after the close are taken and dropped */
    const char *in = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n";
    outlen = 0;
    cfg = base_cfg();
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    size_t t = http_conn_input(&conn, (const uint8_t *)in, strlen(in), T0, NOW);
    assert_int_equal(t, strlen(in));
    drain(&conn, 7, T0);
    assert_true(http_conn_done(&conn));
}

static void pipelining(void **state)
{
    (void)state;
    const char *in = GET("/a%20b.html") "HEAD /blog/ HTTP/1.1\r\nHost: a\r\n\r\n" GET("/nope");
    outlen = 0;
    cfg = base_cfg();
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    size_t n = strlen(in), off = 0;
    /* one request at a time: the rest is left with the caller */
    size_t t = http_conn_input(&conn, (const uint8_t *)in, n, T0, NOW);
    assert_int_equal(t, strlen(GET("/a%20b.html")));
    assert_int_equal(http_conn_input(&conn, (const uint8_t *)in + t, n - t, T0, NOW), 0);
    off = t;
    drain(&conn, 3, T0);
    feed(&conn, in + off, n - off, T0);
    assert_int_equal(count("HTTP/1.1 "), 3);
    const char *a = strstr(outbuf, "HTTP/1.1 200"), *b = strstr(a + 1, "HTTP/1.1 200"), *c = strstr(b + 1, "HTTP/1.1 404");
    assert_true(a == outbuf && b != NULL && c != NULL);
    assert_true(strstr(outbuf, "spaced") < b);
    assert_string_equal(strstr(c, "\r\n\r\n") + 4, "<h1>not here</h1>");
    assert_int_equal(nlogs, 3);
    assert_string_equal(logs[1].line, "HEAD /blog/ HTTP/1.1");
    assert_false(http_conn_done(&conn));
    /* empty lines between requests are ignored (RFC 9112 §2.2) */
    run("\r\n" GET("/a%20b.html") "\r\n\r\n" GET("/a%20b.html"));
    assert_int_equal(count("HTTP/1.1 200"), 2);
}

static void max_requests(void **state)
{
    (void)state;
    cfg = base_cfg();
    cfg.max_requests = 2;
    run_cfg(&cfg, GET("/") GET("/") GET("/"));
    assert_int_equal(count("HTTP/1.1 200"), 2);
    assert_int_equal(count("Connection: close"), 1);
    assert_true(http_conn_done(&conn));
}

static void byte_by_byte(void **state)
{
    (void)state;
    const char *in = "GET /a%20b.html HTTP/1.1\r\nHost: a\r\nUser-Agent: x\r\n\r\n" GET("/blog/");
    outlen = 0;
    cfg = base_cfg();
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    size_t n = strlen(in), off = 0;
    while (off < n) {
        size_t t = http_conn_input(&conn, (const uint8_t *)in + off, 1, T0 + off, NOW);
        off += t;
        drain(&conn, 1, T0 + off);
    }
    assert_int_equal(count("HTTP/1.1 200"), 2);
    assert_true(has("\r\n\r\nspaced"));
    assert_true(has("\r\n\r\n<p>posts</p>"));
}

/* ---- timeouts and EOF ---- */

static void header_timeout(void **state)
{
    (void)state;
    cfg = base_cfg();
    outlen = 0;
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    assert_int_equal(http_conn_deadline(&conn), T0 + 60000); /* idle until a first byte */
    const char *part = "GET / HTTP/1.1\r\nHo";
    assert_int_equal(http_conn_input(&conn, (const uint8_t *)part, strlen(part), T0 + 5, NOW), strlen(part));
    assert_int_equal(http_conn_deadline(&conn), T0 + 5 + 10000);
    http_conn_timer(&conn, T0 + 10004, NOW);
    drain(&conn, 100, T0 + 10004);
    assert_int_equal(outlen, 0);
    http_conn_timer(&conn, T0 + 10005, NOW);
    drain(&conn, 100, T0 + 10005);
    assert_true(strncmp(outbuf, "HTTP/1.1 408 Request Timeout\r\n", 30) == 0);
    assert_true(has("\r\nConnection: close\r\n"));
    assert_true(http_conn_done(&conn));
    assert_int_equal(nlogs, 1);
    assert_int_equal(logs[0].status, 408);
    /* the header timeout runs from the first byte of each request */
    outlen = 0;
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    feed(&conn, GET("/"), strlen(GET("/")), T0 + 100);
    assert_int_equal(http_conn_deadline(&conn), T0 + 100 + 60000); /* idle again */
    feed(&conn, "G", 1, T0 + 200);
    assert_int_equal(http_conn_deadline(&conn), T0 + 200 + 10000);
}

static void idle_timeout(void **state)
{
    (void)state;
    run(GET("/"));
    size_t before = outlen;
    uint64_t d = http_conn_deadline(&conn);
    assert_int_equal(d, T0 + 60000);
    http_conn_timer(&conn, d - 1, NOW);
    assert_false(http_conn_done(&conn));
    http_conn_timer(&conn, d, NOW);
    assert_true(http_conn_done(&conn));
    drain(&conn, 100, d);
    assert_int_equal(outlen, before); /* silently */
    assert_int_equal(nlogs, 1);
    /* no deadline while a response is being written */
    outlen = 0;
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    assert_int_equal(http_conn_input(&conn, (const uint8_t *)GET("/"), strlen(GET("/")), T0, NOW), strlen(GET("/")));
    assert_int_equal(http_conn_deadline(&conn), UINT64_MAX);
    /* timeouts of 0 mean none */
    cfg.idle_timeout_ms = 0;
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    assert_int_equal(http_conn_deadline(&conn), UINT64_MAX);
}

static void peer_eof(void **state)
{
    (void)state;
    /* EOF while writing: the response finishes, then done */
    cfg = base_cfg();
    outlen = 0;
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    http_conn_input(&conn, (const uint8_t *)GET("/"), strlen(GET("/")), T0, NOW);
    http_conn_input_eof(&conn, T0, NOW);
    assert_false(http_conn_done(&conn));
    drain(&conn, 5, T0);
    assert_string_equal(body(), "<h1>home</h1>");
    assert_true(http_conn_done(&conn));
    /* EOF when idle: done at once */
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    http_conn_input_eof(&conn, T0, NOW);
    assert_true(http_conn_done(&conn));
    /* EOF in the middle of a head: done, nothing sent */
    outlen = 0;
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    http_conn_input(&conn, (const uint8_t *)"GET / HT", 8, T0, NOW);
    http_conn_input_eof(&conn, T0, NOW);
    assert_true(http_conn_done(&conn));
    drain(&conn, 5, T0);
    assert_int_equal(outlen, 0);
}

/* ---- gzip, conditionals, ranges ---- */

static void gzip_negotiation(void **state)
{
    (void)state;
    run("GET /css/site.css HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br, gzip;q=0.8\r\n\r\n");
    assert_true(has("\r\nContent-Encoding: gzip\r\n"));
    assert_true(has("\r\nVary: Accept-Encoding\r\n"));
    assert_true(has("\r\nETag: \"css-gz\"\r\n"));
    assert_true(has("\r\nContent-Length: 10\r\n"));
    assert_string_equal(body(), "GZ-SMALLER");
    run("GET /css/site.css HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip;q=0\r\n\r\n");
    assert_false(has("Content-Encoding"));
    assert_true(has("\r\nVary: Accept-Encoding\r\n"));
    assert_true(has("\r\nETag: \"css\"\r\n"));
    assert_string_equal(body(), "body { color: red; color: red; color: red; }");
    run(GET("/css/site.css"));
    assert_false(has("Content-Encoding"));
    assert_true(has("\r\nVary: Accept-Encoding\r\n"));
    /* no variant: no Vary, whatever the client accepts */
    run("GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n");
    assert_false(has("Vary"));
    assert_false(has("Content-Encoding"));
    /* HEAD gets the same headers */
    run("HEAD /css/site.css HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n");
    assert_true(has("\r\nContent-Encoding: gzip\r\n"));
    assert_true(has("\r\nContent-Length: 10\r\n"));
    assert_string_equal(body(), "");
}

static void not_modified(void **state)
{
    (void)state;
    static const char *hit[] = {
        "If-None-Match: \"home\"", "If-None-Match: W/\"home\"", "If-None-Match: *",
        "If-None-Match: \"x\", \"home\"", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT",
        "If-Modified-Since: Sunday, 06-Nov-94 08:49:38 GMT",
    };
    for (size_t i = 0; i < sizeof hit / sizeof hit[0]; i++) {
        char in[256];
        snprintf(in, sizeof in, "GET / HTTP/1.1\r\nHost: a\r\n%s\r\n\r\n", hit[i]);
        run(in);
        if (strncmp(outbuf, "HTTP/1.1 304 Not Modified\r\n", 27) != 0)
            fail_msg("%s: %.40s", hit[i], outbuf);
        assert_true(has("\r\nETag: \"home\"\r\n"));
        assert_true(has("\r\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"));
        assert_true(has("\r\nDate: "));
        assert_false(has("Content-Length"));
        assert_string_equal(body(), "");
        assert_false(http_conn_done(&conn));
    }
    static const char *miss[] = {
        "If-None-Match: \"other\"", "If-None-Match: \"home-gz\"",
        "If-Modified-Since: Sun, 06 Nov 1994 08:49:36 GMT", "If-Modified-Since: yesterday",
        /* If-None-Match wins over If-Modified-Since (§13.2.2) */
        "If-None-Match: \"other\"\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT",
    };
    for (size_t i = 0; i < sizeof miss / sizeof miss[0]; i++) {
        char in[256];
        snprintf(in, sizeof in, "GET / HTTP/1.1\r\nHost: a\r\n%s\r\n\r\n", miss[i]);
        run(in);
        if (strncmp(outbuf, "HTTP/1.1 200 OK\r\n", 17) != 0)
            fail_msg("%s: %.40s", miss[i], outbuf);
    }
    /* the gzip variant has its own validator, and a 304 names Vary */
    run("GET /css/site.css HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\nIf-None-Match: \"css-gz\"\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 304", 12) == 0);
    assert_true(has("\r\nVary: Accept-Encoding\r\n"));
    assert_true(has("\r\nETag: \"css-gz\"\r\n"));
    assert_false(has("Content-Encoding"));
    run("GET /css/site.css HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\nIf-None-Match: \"css\"\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 200", 12) == 0);
    run("GET /css/site.css HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"css\"\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 304", 12) == 0);
    assert_int_equal(logs[0].bytes, 0);
}

static void ranges(void **state)
{
    (void)state;
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=10-19\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 206 Partial Content\r\n", 30) == 0);
    assert_true(has("\r\nContent-Range: bytes 10-19/300\r\n"));
    assert_true(has("\r\nContent-Length: 10\r\n"));
    assert_true(has("\r\nContent-Type: text/plain; charset=utf-8\r\n"));
    assert_string_equal(body(), "0123456789");
    assert_int_equal(logs[0].bytes, 10);
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=-5\r\n\r\n");
    assert_true(has("\r\nContent-Range: bytes 295-299/300\r\n"));
    assert_string_equal(body(), "56789");
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=297-\r\n\r\n");
    assert_string_equal(body(), "789");
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-18446744073709551616\r\n\r\n");
    assert_true(has("\r\nContent-Range: bytes 0-299/300\r\n"));
    /* unsatisfiable */
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=300-\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 416 Range Not Satisfiable\r\n", 36) == 0);
    assert_true(has("\r\nContent-Range: bytes */300\r\n"));
    assert_true(has("\r\nContent-Length: 0\r\n"));
    assert_string_equal(body(), "");
    assert_false(http_conn_done(&conn));
    run("GET /empty.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-\r\n\r\n");
    assert_true(has("\r\nContent-Range: bytes */0\r\n"));
    /* several ranges, malformed ranges, other units: the whole body */
    static const char *full[] = {"bytes=0-1,5-6", "bytes=5-1", "lines=1-2", "bytes=x"};
    for (size_t i = 0; i < 4; i++) {
        char in[128];
        snprintf(in, sizeof in, "GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: %s\r\n\r\n", full[i]);
        run(in);
        assert_true(strncmp(outbuf, "HTTP/1.1 200", 12) == 0);
        assert_true(has("\r\nContent-Length: 300\r\n"));
    }
    /* two Range lines: ignored */
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\nRange: bytes=0-1\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 200", 12) == 0);
    /* HEAD ignores Range (§14.2) */
    run("HEAD /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 200", 12) == 0);
    /* If-Range: the ETag or the exact date, else the whole body */
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\nIf-Range: \"big\"\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 206", 12) == 0);
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\nIf-Range: \"old\"\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 200", 12) == 0);
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\nIf-Range: W/\"big\"\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 200", 12) == 0);
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\nIf-Range: Sun, 13 Sep 2020 12:26:40 GMT\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 206", 12) == 0);
    run("GET /big.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1\r\nIf-Range: Sun, 13 Sep 2020 12:26:41 GMT\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 200", 12) == 0);
    /* ranges of the gzip variant */
    run("GET /css/site.css HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\nRange: bytes=0-1\r\n\r\n");
    assert_true(has("\r\nContent-Range: bytes 0-1/10\r\n"));
    assert_true(has("\r\nContent-Encoding: gzip\r\n"));
    assert_string_equal(body(), "GZ");
}

/* ---- port-80 redirect mode, busy ---- */

static void redirect_https(void **state)
{
    (void)state;
    cfg = base_cfg();
    cfg.site = NULL;
    cfg.redirect_https = 1;
    cfg.https_port = 443;
    run_cfg(&cfg, "GET /a%20b?x=1 HTTP/1.1\r\nHost: Example.org:80\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 301 Moved Permanently\r\n", 32) == 0);
    assert_true(has("\r\nLocation: https://Example.org/a%20b?x=1\r\n"));
    assert_true(has("\r\nStrict-Transport-Security: "));
    assert_false(http_conn_done(&conn));
    cfg.https_port = 8443;
    run_cfg(&cfg, "HEAD /p HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
    assert_true(has("\r\nLocation: https://[::1]:8443/p\r\n"));
    /* an absolute-form target's authority wins over Host (RFC 9112 §3.2.2) */
    run_cfg(&cfg, "GET http://target.example:80/p HTTP/1.1\r\nHost: host.example\r\n\r\n");
    assert_true(has("\r\nLocation: https://target.example:8443/p\r\n"));
    run_cfg(&cfg, "GET http://user@target.example/p HTTP/1.1\r\nHost: host.example\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 400", 12) == 0);
    run_cfg(&cfg, "GET http://h?q HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_true(has("\r\nLocation: https://h:8443/?q\r\n"));
    /* no usable Host: 400 */
    run_cfg(&cfg, "GET / HTTP/1.0\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 400", 12) == 0);
    run_cfg(&cfg, "GET / HTTP/1.1\r\nHost:\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 400", 12) == 0);
    run_cfg(&cfg, "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 400", 12) == 0);
    run_cfg(&cfg, "GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 400", 12) == 0);
}

static void busy(void **state)
{
    (void)state;
    cfg = base_cfg();
    outlen = 0;
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 1, T0);
    feed(&conn, GET("/") GET("/"), strlen(GET("/") GET("/")), T0);
    assert_true(strncmp(outbuf, "HTTP/1.1 503 Service Unavailable\r\n", 34) == 0);
    assert_true(has("\r\nRetry-After: "));
    assert_true(has("\r\nConnection: close\r\n"));
    assert_int_equal(count("HTTP/1.1 "), 1);
    assert_true(http_conn_done(&conn));
}

/* ---- the log ---- */

static void log_fields(void **state)
{
    (void)state;
    run("GET /a%20b.html?q=\"x\" HTTP/1.1\r\nHost: a\r\nReferer: https://r.example/\"p\"\r\n"
        "User-Agent: Mozilla/5.0 (X11) \xc3\xa9\\\r\n\r\n");
    /* '"' is not a target character: 400, logged escaped */
    assert_int_equal(nlogs, 1);
    assert_int_equal(logs[0].status, 400);
    assert_string_equal(logs[0].line, "GET /a%20b.html?q=\\\"x\\\" HTTP/1.1");
    nlogs = 0;
    run("GET /a%20b.html?q=1 HTTP/1.1\r\nHost: a\r\nReferer: https://r.example/\"p\"\r\n"
        "User-Agent: Mozilla/5.0 (X11) \xc3\xa9\\\r\n\r\n");
    assert_int_equal(nlogs, 1);
    assert_string_equal(logs[0].line, "GET /a%20b.html?q=1 HTTP/1.1");
    assert_string_equal(logs[0].referer, "https://r.example/\\\"p\\\"");
    assert_string_equal(logs[0].agent, "Mozilla/5.0 (X11) \\xc3\\xa9\\\\");
    assert_int_equal(logs[0].status, 200);
    assert_int_equal(logs[0].bytes, 6);
    /* no callback: fine */
    cfg = base_cfg();
    cfg.log = NULL;
    nlogs = 0;
    run_cfg(&cfg, GET("/"));
    assert_int_equal(nlogs, 0);
    assert_true(strncmp(outbuf, "HTTP/1.1 200", 12) == 0);
}

/* A small response is offered as one span, head and body together, so the
 * pump seals it as one TLS record (and TCP sends it as one segment). */
static void small_response_is_one_span(void **state)
{
    (void)state;
    cfg = base_cfg();
    http_conn_buffers(&conn, conn_in, conn_out);
    http_conn_init(&conn, &cfg, &nlogs, 0, T0);
    const char *req = GET("/big.txt");
    assert_int_equal(http_conn_input(&conn, (const uint8_t *)req, strlen(req), T0, NOW), strlen(req));
    const uint8_t *p;
    size_t n = http_conn_output(&conn, &p);
    const char *e = strstr((const char *)p, "\r\n\r\n");
    assert_non_null(e);
    assert_int_equal(n - (size_t)(e + 4 - (const char *)p), 300); /* the whole body follows the head */
    assert_memory_equal(e + 4, "0123456789", 10);
    http_conn_sent(&conn, n, T0, NOW);
    assert_int_equal(http_conn_output(&conn, &p), 0);
    assert_int_equal(conn.phase, HTTP_IDLE);
}

/* A head refused by the parser is logged by its request line alone: the
 * parser's contract promises no field span after a failure, so a Referer
 * or User-Agent seen before the bad field is not trusted. */
static void refused_head_logs_only_its_line(void **state)
{
    (void)state;
    run("GET /x HTTP/1.1\r\nHost: example.org\r\nReferer: https://r.example/\r\nUser-Agent: ua/1\r\n"
        "Bad Field\r\n\r\n");
    assert_true(strncmp(outbuf, "HTTP/1.1 400 ", 13) == 0);
    assert_int_equal(nlogs, 1);
    assert_int_equal(logs[0].status, 400);
    assert_string_equal(logs[0].line, "GET /x HTTP/1.1");
    assert_string_equal(logs[0].referer, "");
    assert_string_equal(logs[0].agent, "");
}

/* the headers that do not fit become a 500 that closes, not an overflow */
static void oversized_headers(void **state)
{
    (void)state;
    static char big[HTTP_OUT_MAX + 16];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    cfg = base_cfg();
    cfg.headers = big;
    run_cfg(&cfg, GET("/"));
    assert_true(strncmp(outbuf, "HTTP/1.1 500 ", 13) == 0);
    assert_true(http_conn_done(&conn));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(get_200, reset),
        cmocka_unit_test_setup(buffers_lent_between_requests, reset),
        cmocka_unit_test_setup(small_response_is_one_span, reset),
        cmocka_unit_test_setup(refused_head_logs_only_its_line, reset),
        cmocka_unit_test_setup(head_has_no_body, reset),
        cmocka_unit_test_setup(not_found, reset),
        cmocka_unit_test_setup(redirects, reset),
        cmocka_unit_test_setup(method_not_allowed, reset),
        cmocka_unit_test_setup(errors_close, reset),
        cmocka_unit_test_setup(too_large, reset),
        cmocka_unit_test_setup(keep_alive_and_close, reset),
        cmocka_unit_test_setup(pipelining, reset),
        cmocka_unit_test_setup(max_requests, reset),
        cmocka_unit_test_setup(byte_by_byte, reset),
        cmocka_unit_test_setup(header_timeout, reset),
        cmocka_unit_test_setup(idle_timeout, reset),
        cmocka_unit_test_setup(peer_eof, reset),
        cmocka_unit_test_setup(gzip_negotiation, reset),
        cmocka_unit_test_setup(not_modified, reset),
        cmocka_unit_test_setup(ranges, reset),
        cmocka_unit_test_setup(redirect_https, reset),
        cmocka_unit_test_setup(busy, reset),
        cmocka_unit_test_setup(log_fields, reset),
        cmocka_unit_test_setup(oversized_headers, reset),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
