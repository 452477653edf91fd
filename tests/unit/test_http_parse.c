/* SPDX-License-Identifier: Apache-2.0 */
/* The request head parser (http_parse.h) and the field-value, path and
 * date helpers (http_fields.h, http_path.h, http_date.h): every malformed
 * case refused with its status, every input in an exactly-sized heap
 * buffer so ASan sees any read past it. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "appliance/http/http.h"
#include "appliance/http/date.h"
#include "appliance/http/fields.h"
#include "appliance/http/range.h"
#include "appliance/http/parse.h"
#include "appliance/http/path.h"

static uint8_t *dup_exact(const void *s, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

/* http_head_parse on an exact copy of s; *req filled. */
static int parse(const char *s, struct http_req *req)
{
    size_t n = strlen(s);
    uint8_t *b = dup_exact(s, n);
    int r = http_head_parse(b, n, req);
    free(b);
    return r;
}

static int parse_status(const char *s)
{
    struct http_req req;
    int r = parse(s, &req);
    return r == (int)strlen(s) ? 0 : -r;
}

static int span_is(const char *head, struct http_span sp, const char *want)
{
    return sp.len == strlen(want) && memcmp(head + sp.off, want, sp.len) == 0;
}

/* ---- head end ---- */

static void head_end_found_once(void **state)
{
    (void)state;
    const char *h = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next";
    size_t n = strlen(h);
    uint8_t *b = dup_exact(h, n);
    assert_int_equal(http_head_end(b, 0, n), 27);
    assert_int_equal(http_head_end(b, 0, 26), 0);
    /* fed byte by byte, resuming the scan: found exactly at the end */
    size_t e = 0;
    for (size_t len = 1; len <= n && e == 0; len++) {
        e = http_head_end(b, len - 1, len);
        if (e != 0)
            assert_int_equal(len, 27);
    }
    assert_int_equal(e, 27);
    free(b);
    /* LF LF and LF CR LF both end a head (so a bare-LF client gets its 400) */
    uint8_t *c = dup_exact("GET / HTTP/1.1\n\n", 16);
    assert_int_equal(http_head_end(c, 0, 16), 16);
    free(c);
    uint8_t *d = dup_exact("\r\n\r", 3);
    assert_int_equal(http_head_end(d, 0, 3), 0);
    free(d);
}

static void truncated_heads_byte_by_byte(void **state)
{
    (void)state;
    const char *h = "GET /a%20b.html?q=1 HTTP/1.1\r\nHost: example.org\r\nUser-Agent: t\r\n\r\n";
    size_t n = strlen(h);
    for (size_t len = 1; len < n; len++) {
        uint8_t *b = dup_exact(h, len);
        assert_int_equal(http_head_end(b, 0, len), 0);
        struct http_req req;
        /* a truncated head handed over anyway is refused, never over-read */
        assert_int_equal(http_head_parse(b, len, &req), HTTP_E_BAD);
        free(b);
    }
}

/* ---- request line ---- */

static void parses_a_good_head(void **state)
{
    (void)state;
    const char *h = "GET /a%20b.html?x=1 HTTP/1.1\r\nHost: example.org:8080\r\nRange: bytes=0-1\r\n"
                    "If-None-Match: \"x\"\r\nReferer: http://r/\r\nUser-Agent:  curl/8 \t\r\n"
                    "Accept-Encoding: gzip\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n";
    struct http_req r;
    assert_int_equal(parse(h, &r), (int)strlen(h));
    assert_int_equal(r.method_kind, HTTP_M_GET);
    assert_int_equal(r.minor, 1);
    assert_true(span_is(h, r.line, "GET /a%20b.html?x=1 HTTP/1.1"));
    assert_true(span_is(h, r.method, "GET"));
    assert_true(span_is(h, r.target, "/a%20b.html?x=1"));
    assert_true(span_is(h, r.host, "example.org:8080"));
    assert_true(span_is(h, r.range, "bytes=0-1"));
    assert_true(span_is(h, r.inm, "\"x\""));
    assert_true(span_is(h, r.referer, "http://r/"));
    assert_true(span_is(h, r.agent, "curl/8"));
    assert_true(span_is(h, r.accept_enc, "gzip"));
    assert_int_equal(r.conn_close, 1);
    assert_int_equal(r.conn_keep_alive, 1);
    assert_int_equal(r.has_cl, 1);
    assert_int_equal(r.content_length, 0);
    assert_int_equal(r.nfields, 8);
    assert_int_equal(r.host_count, 1);
}

static void methods(void **state)
{
    (void)state;
    struct http_req r;
    assert_int_equal(parse("HEAD / HTTP/1.0\r\n\r\n", &r), 19);
    assert_int_equal(r.method_kind, HTTP_M_HEAD);
    assert_int_equal(r.minor, 0);
    const char *other[] = {"POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
    for (size_t i = 0; i < 7; i++) {
        char h[64];
        snprintf(h, sizeof h, "%s / HTTP/1.0\r\n\r\n", other[i]);
        assert_int_equal(parse(h, &r), (int)strlen(h));
        assert_int_equal(r.method_kind, HTTP_M_OTHER);
    }
    /* methods are case-sensitive: "get" is not GET */
    assert_int_equal(parse("get / HTTP/1.0\r\n\r\n", &r), 18);
    assert_int_equal(r.method_kind, HTTP_M_UNKNOWN);
    assert_int_equal(parse("BREW / HTTP/1.0\r\n\r\n", &r), 19);
    assert_int_equal(r.method_kind, HTTP_M_UNKNOWN);
    assert_int_equal(parse("GETS / HTTP/1.0\r\n\r\n", &r), 19);
    assert_int_equal(r.method_kind, HTTP_M_UNKNOWN);
}

static void bad_request_lines(void **state)
{
    (void)state;
    static const char *bad[] = {
        "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",       /* two spaces */
        "GET /  HTTP/1.1\r\nHost: a\r\n\r\n",
        " GET / HTTP/1.1\r\nHost: a\r\n\r\n",       /* leading space */
        "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",       /* trailing space */
        "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n",       /* HTAB is not SP */
        "GET / http/1.1\r\nHost: a\r\n\r\n",        /* HTTP-name is case-sensitive */
        "GET / HTTP/1.10\r\nHost: a\r\n\r\n",
        "GET / HTTP/1\r\nHost: a\r\n\r\n",
        "GET / HTTP/2\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.x\r\nHost: a\r\n\r\n",
        "GET /\r\nHost: a\r\n\r\n",                 /* HTTP/0.9 */
        "GET / HTTP/1.1\nHost: a\r\n\r\n",          /* bare LF */
        "GET / HTTP/1.1\r\nHost: a\n\n",
        "GET / HTTP/1.1\r\nHost: a\r\n\n",
        "GET / HTTP/1.1\rHost: a\r\n\r\n",          /* bare CR */
        "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a\"b HTTP/1.1\r\nHost: a\r\n\r\n",    /* not a target char */
        "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /\x80 HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /\x01 HTTP/1.1\r\nHost: a\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: a\r\n\r\n",        /* '(' is not a tchar */
        "\r\n",
        "GET  HTTP/1.1\r\nHost: a\r\n\r\n",         /* empty target */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (parse_status(bad[i]) != 400)
            fail_msg("case %zu: %d", i, parse_status(bad[i]));
    }
}

static void versions(void **state)
{
    (void)state;
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
    assert_int_equal(parse_status("GET / HTTP/1.0\r\n\r\n"), 0);
    assert_int_equal(parse_status("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), 505);
    assert_int_equal(parse_status("GET / HTTP/3.0\r\nHost: a\r\n\r\n"), 505);
    assert_int_equal(parse_status("GET / HTTP/1.2\r\nHost: a\r\n\r\n"), 505);
    assert_int_equal(parse_status("GET / HTTP/0.9\r\n\r\n"), 505);
    assert_int_equal(parse_status("GET / HTTP/9.9\r\n\r\n"), 505);
}

static void target_length(void **state)
{
    (void)state;
    char *h = malloc(HTTP_TARGET_MAX + 64);
    assert_non_null(h);
    memcpy(h, "GET /", 5);
    memset(h + 5, 'a', HTTP_TARGET_MAX - 1);
    strcpy(h + 4 + HTTP_TARGET_MAX, " HTTP/1.0\r\n\r\n");
    assert_int_equal(parse_status(h), 0); /* exactly HTTP_TARGET_MAX */
    memcpy(h, "GET /", 5);
    memset(h + 5, 'a', HTTP_TARGET_MAX);
    strcpy(h + 5 + HTTP_TARGET_MAX, " HTTP/1.0\r\n\r\n");
    assert_int_equal(parse_status(h), 414);
    free(h);
}

/* ---- fields ---- */

static void bad_fields(void **state)
{
    (void)state;
    static const char *bad[] = {
        "GET / HTTP/1.1\r\n: x\r\nHost: a\r\n\r\n",              /* empty field name */
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",                    /* SP before colon */
        "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n",     /* obs-fold */
        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n",
        "GET / HTTP/1.1\r\n Host: a\r\n\r\n",                    /* fold right after the line */
        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x01\r\n\r\n",        /* CTL in value */
        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x7f\r\n\r\n",        /* DEL */
        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n",         /* bare CR in value */
        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\nc\r\n\r\n",         /* bare LF */
        "GET / HTTP/1.1\r\nHost: a\r\nX-A\r\n\r\n",               /* no colon */
        "GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n",           /* not a token */
        "GET / HTTP/1.1\r\nHost: a\r\nX-\xc3\xa9: b\r\n\r\n",     /* non-ASCII name */
        "GET / HTTP/1.1\r\nHost: a\r\n\r",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (parse_status(bad[i]) != 400)
            fail_msg("case %zu: %d", i, parse_status(bad[i]));
    }
    /* HTAB and obs-text are fine in values; empty values too */
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\tc \xe9\r\nX-B:\r\nX-C: \t \r\n\r\n"), 0);
}

static void host_rules(void **state)
{
    (void)state;
    assert_int_equal(parse_status("GET / HTTP/1.1\r\n\r\n"), 400);              /* missing on 1.1 */
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n"), 400); /* duplicated */
    assert_int_equal(parse_status("GET / HTTP/1.0\r\nHost: a\r\nHOST: b\r\n\r\n"), 400);
    assert_int_equal(parse_status("GET / HTTP/1.0\r\n\r\n"), 0);                 /* optional on 1.0 */
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 0);        /* empty is allowed (§3.2) */
}

static void content_length_rules(void **state)
{
    (void)state;
    struct http_req r;
    const char *h = "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\ncontent-length: 12\r\n\r\n";
    assert_int_equal(parse(h, &r), (int)strlen(h));
    assert_int_equal(r.content_length, 12);
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\nContent-Length: 13\r\n\r\n"), 400);
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"), 400);
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n"), 400);
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n"), 400);
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1,1\r\n\r\n"), 400);
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n"), 400);
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n"), 400);
    /* huge values saturate, never wrap: the caller answers 413 */
    h = "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999999999999999999\r\n\r\n";
    assert_int_equal(parse(h, &r), (int)strlen(h));
    assert_int_equal(r.content_length, HTTP_CL_SAT);
    h = "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 18446744073709551616\r\n\r\n";
    assert_int_equal(parse(h, &r), (int)strlen(h));
    assert_int_equal(r.content_length, HTTP_CL_SAT);
    h = "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 000000000000000000000000000000000007\r\n\r\n";
    assert_int_equal(parse(h, &r), (int)strlen(h));
    assert_int_equal(r.content_length, 7);
    /* two saturated values that differ as text are the same "too big" */
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n"
                                  "Content-Length: 88888888888888888888\r\n\r\n"),
                     0);
}

static void transfer_encoding(void **state)
{
    (void)state;
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"), 501);
    assert_int_equal(parse_status("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"), 501);
    assert_int_equal(parse_status("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
}

static char *many_fields(size_t n)
{
    char *h = malloc(64 + n * 16);
    assert_non_null(h);
    strcpy(h, "GET / HTTP/1.1\r\nHost: a\r\n");
    for (size_t i = 1; i < n; i++)
        sprintf(h + strlen(h), "X-%zu: v\r\n", i);
    strcat(h, "\r\n");
    return h;
}

static void field_count(void **state)
{
    (void)state;
    char *h = many_fields(HTTP_FIELDS_MAX);
    assert_int_equal(parse_status(h), 0);
    free(h);
    h = many_fields(HTTP_FIELDS_MAX + 1);
    assert_int_equal(parse_status(h), 431);
    free(h);
}

static void connection_options(void **state)
{
    (void)state;
    struct http_req r;
    const char *h = "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n";
    assert_int_equal(parse(h, &r), (int)strlen(h));
    assert_int_equal(r.conn_keep_alive, 1);
    assert_int_equal(r.conn_close, 0);
    h = "GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade,,  CLOSE  \r\n\r\n";
    assert_int_equal(parse(h, &r), (int)strlen(h));
    assert_int_equal(r.conn_close, 1);
    h = "GET / HTTP/1.1\r\nHost: a\r\nConnection: closed, keep-alive2\r\n\r\n";
    assert_int_equal(parse(h, &r), (int)strlen(h));
    assert_int_equal(r.conn_close, 0);
    assert_int_equal(r.conn_keep_alive, 0);
}

/* ---- Range ---- */

static int range(const char *v, uint64_t size, uint64_t *a, uint64_t *b)
{
    uint8_t *p = dup_exact(v, strlen(v));
    int r = http_range_parse(p, strlen(v), size, a, b);
    free(p);
    return r;
}

static void ranges(void **state)
{
    (void)state;
    uint64_t a = 0, b = 0;
    assert_int_equal(range("bytes=0-9", 100, &a, &b), HTTP_RANGE_OK);
    assert_true(a == 0 && b == 9);
    assert_int_equal(range("bytes=90-", 100, &a, &b), HTTP_RANGE_OK);
    assert_true(a == 90 && b == 99);
    assert_int_equal(range("bytes=-10", 100, &a, &b), HTTP_RANGE_OK);
    assert_true(a == 90 && b == 99);
    assert_int_equal(range("bytes=-1000", 100, &a, &b), HTTP_RANGE_OK);
    assert_true(a == 0 && b == 99);
    assert_int_equal(range("bytes=50-1000", 100, &a, &b), HTTP_RANGE_OK);
    assert_true(a == 50 && b == 99);
    assert_int_equal(range("Bytes= 5-5 ", 100, &a, &b), HTTP_RANGE_OK);
    assert_true(a == 5 && b == 5);
    /* integer wrap attempts: saturate, never wrap */
    assert_int_equal(range("bytes=0-18446744073709551616", 100, &a, &b), HTTP_RANGE_OK);
    assert_true(a == 0 && b == 99);
    assert_int_equal(range("bytes=0-99999999999999999999999999999999999999", 100, &a, &b), HTTP_RANGE_OK);
    assert_true(a == 0 && b == 99);
    assert_int_equal(range("bytes=18446744073709551615-", 100, &a, &b), HTTP_RANGE_UNSAT);
    assert_int_equal(range("bytes=18446744073709551616-18446744073709551617", 100, &a, &b), HTTP_RANGE_UNSAT);
    assert_int_equal(range("bytes=-18446744073709551617", 100, &a, &b), HTTP_RANGE_OK);
    assert_true(a == 0 && b == 99);
    /* unsatisfiable */
    assert_int_equal(range("bytes=100-", 100, &a, &b), HTTP_RANGE_UNSAT);
    assert_int_equal(range("bytes=100-200", 100, &a, &b), HTTP_RANGE_UNSAT);
    assert_int_equal(range("bytes=-0", 100, &a, &b), HTTP_RANGE_UNSAT);
    assert_int_equal(range("bytes=0-", 0, &a, &b), HTTP_RANGE_UNSAT);
    assert_int_equal(range("bytes=-5", 0, &a, &b), HTTP_RANGE_UNSAT);
    /* ignored: malformed, other units, several ranges */
    static const char *none[] = {"bytes=5-4", "bytes=", "bytes=-", "bytes=a-b", "bytes=1-2-3", "bytes=--1",
                                 "items=0-1", "bytes 0-1", "bytes=0-1,2-3", "bytes=0-1, -5", "byte=0-1",
                                 "bytes=1 -2", "bytes=0x1-2", "", "bytes", "bytes=,"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        if (range(none[i], 100, &a, &b) != HTTP_RANGE_NONE)
            fail_msg("case %s", none[i]);
    }
    /* empty list elements do not count as ranges */
    assert_int_equal(range("bytes=, 0-1 ,", 100, &a, &b), HTTP_RANGE_OK);
}

/* ---- Accept-Encoding, entity-tags, Host ---- */

static int gz(const char *v)
{
    uint8_t *p = dup_exact(v, strlen(v));
    int r = http_accepts_gzip(p, strlen(v));
    free(p);
    return r;
}

static void accept_encoding(void **state)
{
    (void)state;
    assert_true(gz("gzip"));
    assert_true(gz("gzip, deflate, br"));
    assert_true(gz("br;q=1.0, GZIP;q=0.5"));
    assert_true(gz("x-gzip"));
    assert_true(gz("*"));
    assert_true(gz("gzip;q=0.001"));
    assert_true(gz("deflate, *;q=0.1"));
    assert_false(gz(""));
    assert_false(gz("identity"));
    assert_false(gz("deflate, br"));
    assert_false(gz("gzip;q=0"));
    assert_false(gz("gzip; q=0.000"));
    assert_false(gz("gzip;Q=0.0, *"));    /* named with q=0 beats "*" */
    assert_false(gz("*;q=0"));
    assert_false(gz("gzipx"));
    assert_false(gz("gzip2;q=1"));
    assert_true(gz("gzip;level=1;q=1"));
    assert_true(gz(" , ,gzip"));
}

static int inm(const char *v, const char *etag)
{
    uint8_t *p = dup_exact(v, strlen(v));
    int r = http_inm_match(p, strlen(v), (const uint8_t *)etag, strlen(etag));
    free(p);
    return r;
}

static int ifr(const char *v, const char *etag)
{
    uint8_t *p = dup_exact(v, strlen(v));
    int r = http_if_range_etag_match(p, strlen(v), (const uint8_t *)etag, strlen(etag));
    free(p);
    return r;
}

static void entity_tags(void **state)
{
    (void)state;
    assert_true(inm("*", "\"a\""));
    assert_true(inm("\"a\"", "\"a\""));
    assert_true(inm("W/\"a\"", "\"a\""));         /* weak comparison */
    assert_true(inm("\"x\", W/\"a\"", "\"a\""));
    assert_true(inm("\"x\" ,\"a\",", "\"a\""));
    assert_false(inm("\"ab\"", "\"a\""));
    assert_false(inm("\"a", "\"a\""));
    assert_false(inm("a", "\"a\""));
    assert_false(inm("\"x\" \"a\"", "\"a\""));   /* not a list */
    assert_false(inm("", "\"a\""));
    assert_false(inm("**", "\"a\""));
    assert_true(ifr("\"a\"", "\"a\""));
    assert_false(ifr("W/\"a\"", "\"a\""));        /* If-Range: strong only */
    assert_false(ifr("\"a\", \"b\"", "\"a\""));
    assert_false(ifr("\"b\"", "\"a\""));
    uint8_t out[16];
    size_t n = http_etag_gz((const uint8_t *)"\"abc\"", 5, out);
    assert_int_equal(n, 8);
    assert_memory_equal(out, "\"abc-gz\"", 8);
}

static int host(const char *v, size_t *nl)
{
    uint8_t *p = dup_exact(v, strlen(v));
    int r = http_host_parse(p, strlen(v), nl);
    free(p);
    return r;
}

static void hosts(void **state)
{
    (void)state;
    size_t nl = 0;
    assert_int_equal(host("example.org", &nl), 0);
    assert_int_equal(nl, 11);
    assert_int_equal(host("example.org:8080", &nl), 0);
    assert_int_equal(nl, 11);
    assert_int_equal(host("example.org:", &nl), 0);
    assert_int_equal(host("[::1]:443", &nl), 0);
    assert_int_equal(nl, 5);
    assert_int_equal(host("10.0.0.1", &nl), 0);
    static const char *bad[] = {"", ":80", "a:65536", "a:123456", "a:8x", "a b", "a/b", "[::1", "[]", "[::g]",
                                "a@b", "a:80:80", "\"a\"", "a\\b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (host(bad[i], &nl) != -1)
            fail_msg("case %s", bad[i]);
}

/* ---- paths ---- */

static int to_path(const char *t, char *out, size_t *origin)
{
    size_t n = strlen(t);
    uint8_t *p = dup_exact(t, n);
    uint8_t *o = malloc(n + 1);
    int r = http_target_to_path(p, n, o, origin);
    if (r >= 0) {
        memcpy(out, o, (size_t)r);
        out[r] = 0;
    }
    free(p);
    free(o);
    return r;
}

static void paths(void **state)
{
    (void)state;
    static const struct {
        const char *target, *path;
    } ok[] = {
        {"/", "/"},
        {"/a%20b.html", "/a b.html"},
        {"/a%20b.html?x=%zz", "/a b.html"},
        {"/a/b/c/./../../g", "/a/g"},
        {"/a/b/..", "/a/"},
        {"/a/b/.", "/a/b/"},
        {"/..", "/"},
        {"/../../../etc/passwd", "/etc/passwd"},
        {"/%2e%2e/%2E%2E/etc", "/etc"},
        {"/a%2f..%2fb", "/b"},
        {"/a/./b", "/a/b"},
        {"/.hidden", "/.hidden"},
        {"/..a/b..", "/..a/b.."},
        {"/a//b", "/a//b"},
        {"/?", "/"},
        {"/%c3%a9", "/\xc3\xa9"},
        {"http://example.org/x/y", "/x/y"},
        {"HTTPS://example.org:8443/x/../z?q", "/z"},
        {"http://example.org", "/"},
        {"http://example.org?q=1", "/"},
    };
    char out[256];
    size_t origin;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int r = to_path(ok[i].target, out, &origin);
        if (r < 0 || strcmp(out, ok[i].path) != 0)
            fail_msg("%s -> %d %s (want %s)", ok[i].target, r, r >= 0 ? out : "", ok[i].path);
    }
    assert_int_equal(to_path("http://example.org/x", out, &origin), 2);
    assert_int_equal(origin, 18);
    static const char *bad[] = {"/%00", "/a%0", "/a%", "/%zz", "/%g1", "*", "example.org:443", "ftp://h/x",
                                "http:///x", "http:/x", "a/b", "/%%41"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (to_path(bad[i], out, &origin) != HTTP_PATH_E_BAD)
            fail_msg("case %s", bad[i]);
}

/* ---- dates ---- */

static void dates(void **state)
{
    (void)state;
    uint8_t d[HTTP_DATE_LEN];
    http_date_format(784111777, d);
    assert_memory_equal(d, "Sun, 06 Nov 1994 08:49:37 GMT", HTTP_DATE_LEN);
    http_date_format(0, d);
    assert_memory_equal(d, "Thu, 01 Jan 1970 00:00:00 GMT", HTTP_DATE_LEN);
    http_date_format(951782400, d); /* leap day 2000 */
    assert_memory_equal(d, "Tue, 29 Feb 2000 00:00:00 GMT", HTTP_DATE_LEN);
    http_date_format(-5, d);
    assert_memory_equal(d, "Thu, 01 Jan 1970 00:00:00 GMT", HTTP_DATE_LEN);
    http_date_format(INT64_MAX, d);
    assert_memory_equal(d, "Fri, 31 Dec 9999 23:59:59 GMT", HTTP_DATE_LEN);
    int64_t t;
    static const char *same[] = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                                 "Sun Nov  6 08:49:37 1994"};
    for (size_t i = 0; i < 3; i++) {
        t = 0;
        assert_int_equal(http_date_parse((const uint8_t *)same[i], strlen(same[i]), &t), 0);
        assert_int_equal(t, 784111777);
    }
    /* every second of a few years round-trips through format and parse */
    for (int64_t s = 0; s < 4000000000ll; s += 86399 * 7 + 13) {
        http_date_format(s, d);
        assert_int_equal(http_date_parse(d, HTTP_DATE_LEN, &t), 0);
        assert_int_equal(t, s);
    }
    static const char *bad[] = {"Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 1994 08:49:37 GMT",
                                "Sun, 29 Feb 1900 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT",
                                "Sun, 06 Foo 1994 08:49:37 GMT", "Sun,  6 Nov 1994 08:49:37 GMT",
                                "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1969 08:49:37 GMT",
                                "Sunday, 06-Nov-94 08:49:37 UTC", "Sun Nov 6 08:49:37 1994", "", "garbage",
                                "Sun, 06 Nov 1994 08:49:37 GMT "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (http_date_parse((const uint8_t *)bad[i], strlen(bad[i]), &t) != -1)
            fail_msg("case %s", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(head_end_found_once),
        cmocka_unit_test(truncated_heads_byte_by_byte),
        cmocka_unit_test(parses_a_good_head),
        cmocka_unit_test(methods),
        cmocka_unit_test(bad_request_lines),
        cmocka_unit_test(versions),
        cmocka_unit_test(target_length),
        cmocka_unit_test(bad_fields),
        cmocka_unit_test(host_rules),
        cmocka_unit_test(content_length_rules),
        cmocka_unit_test(transfer_encoding),
        cmocka_unit_test(field_count),
        cmocka_unit_test(connection_options),
        cmocka_unit_test(ranges),
        cmocka_unit_test(accept_encoding),
        cmocka_unit_test(entity_tags),
        cmocka_unit_test(hosts),
        cmocka_unit_test(paths),
        cmocka_unit_test(dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
