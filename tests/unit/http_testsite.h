/* SPDX-License-Identifier: Apache-2.0 */
/* A small site image built in memory for the HTTP tests and the fuzz
 * harness (header-only: fuzz/fuzz_http.c includes it too). Writes the
 * format of appliance/site/image.h directly, no packer involved. */
#ifndef ATOLL_TEST_HTTP_TESTSITE_H
#define ATOLL_TEST_HTTP_TESTSITE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "appliance/site/image.h"

struct ts_entry {
    const char *path;
    unsigned kind;
    const char *body; /* SITE_REDIRECT: the location */
    const char *gzip; /* NULL: none */
    const char *type;
    const char *etag;
    uint32_t mtime;
};

#define TS_HTML "text/html; charset=utf-8"

/* Sorted by path. /big.txt is 300 bytes "0123456789..." for ranges. */
#define TS_BIG                                                                                              \
    "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" \
    "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" \
    "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
static const struct ts_entry TS_SITE[] = {
    {"/", SITE_INDEX, "<h1>home</h1>", NULL, TS_HTML, "\"home\"", 784111777},
    {"/404.html", SITE_FILE, "<h1>not here</h1>", NULL, TS_HTML, "\"nf\"", 1001},
    {"/a b.html", SITE_FILE, "spaced", NULL, TS_HTML, "\"sp\"", 1002},
    {"/big.txt", SITE_FILE, TS_BIG, NULL, "text/plain; charset=utf-8", "\"big\"", 1600000000},
    {"/blog", SITE_REDIRECT, "/blog/", NULL, NULL, NULL, 0},
    {"/blog/", SITE_INDEX, "<p>posts</p>", NULL, TS_HTML, "\"blog\"", 1003},
    {"/blog/index.html", SITE_FILE, "<p>posts</p>", NULL, TS_HTML, "\"blog\"", 1003},
    {"/css/site.css", SITE_FILE, "body { color: red; color: red; color: red; }", "GZ-SMALLER", "text/css; charset=utf-8",
     "\"css\"", 1004},
    {"/empty.txt", SITE_FILE, "", NULL, "text/plain; charset=utf-8", "\"empty\"", 1005},
    {"/index.html", SITE_FILE, "<h1>home</h1>", NULL, TS_HTML, "\"home\"", 784111777},
};
#define TS_NSITE (sizeof TS_SITE / sizeof TS_SITE[0])
#define TS_CAP 8192

static inline void ts_put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void ts_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint32_t ts_data(uint8_t *img, size_t data_off, size_t *pos, const char *s)
{
    size_t n = strlen(s);
    if (data_off + *pos + n + 32 > TS_CAP)
        abort();
    memcpy(img + data_off + *pos, s, n);
    uint32_t off = (uint32_t)*pos;
    *pos += n;
    return off;
}

/* Builds the image into img (TS_CAP bytes) with the 404 entry given
 * (SITE_NONE: none); returns its length. One credential, as the format
 * wants none of the HTTP code's business. */
static inline size_t ts_build(uint8_t *img, const struct ts_entry *e, size_t n, uint32_t not_found)
{
    memset(img, 0, TS_CAP);
    size_t creds_off = 64 + 40 * n, slices_off = creds_off + 24, data_off = slices_off + 16;
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t *r = img + 64 + 40 * i;
        ts_put32(r, ts_data(img, data_off, &pos, e[i].path));
        ts_put16(r + 32, (uint32_t)strlen(e[i].path));
        r[36] = (uint8_t)e[i].kind;
        ts_put32(r + 28, e[i].mtime);
        ts_put32(r + 4, ts_data(img, data_off, &pos, e[i].body));
        ts_put32(r + 8, (uint32_t)strlen(e[i].body));
        if (e[i].gzip != NULL) {
            ts_put32(r + 12, ts_data(img, data_off, &pos, e[i].gzip));
            ts_put32(r + 16, (uint32_t)strlen(e[i].gzip));
        }
        if (e[i].type != NULL) {
            ts_put32(r + 20, ts_data(img, data_off, &pos, e[i].type));
            r[34] = (uint8_t)strlen(e[i].type);
        }
        if (e[i].etag != NULL) {
            ts_put32(r + 24, ts_data(img, data_off, &pos, e[i].etag));
            r[35] = (uint8_t)strlen(e[i].etag);
        }
    }
    uint8_t *c = img + creds_off;
    ts_put32(c, ts_data(img, data_off, &pos, "KEY"));
    ts_put32(c + 4, 3);
    ts_put32(c + 8, 0);
    ts_put32(c + 12, 1);
    ts_put32(c + 16, 1);
    ts_put32(c + 20, 1);
    ts_put32(img + slices_off, ts_data(img, data_off, &pos, "CERT"));
    ts_put32(img + slices_off + 4, 4);
    ts_put32(img + slices_off + 8, ts_data(img, data_off, &pos, "example.org"));
    ts_put32(img + slices_off + 12, 11);
    size_t len = data_off + pos + 32;
    memcpy(img, "ATOLLIMG", 8);
    ts_put16(img + 8, 1);
    ts_put16(img + 10, 64);
    ts_put32(img + 16, (uint32_t)len);
    ts_put32(img + 20, (uint32_t)n);
    ts_put32(img + 24, 64);
    ts_put32(img + 28, 1);
    ts_put32(img + 32, (uint32_t)creds_off);
    ts_put32(img + 36, 2);
    ts_put32(img + 40, (uint32_t)slices_off);
    ts_put32(img + 44, (uint32_t)data_off);
    ts_put32(img + 48, (uint32_t)pos);
    ts_put32(img + 52, not_found);
    if (mbedtls_sha256_ret(img, len - 32, img + len - 32, 0) != 0)
        abort();
    return len;
}

#endif
