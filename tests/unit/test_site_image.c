/* SPDX-License-Identifier: Apache-2.0 */
/* The site image loader and lookup (appliance/site/image.h): images built
 * here by a writer that shares no code with the packer, then every check
 * of site_image_open broken one at a time (the digest re-computed, so the
 * check under test is the one that fires), and lookups of every kind. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mbedtls/sha256.h>

#include "netsim.h"
#include "appliance/site/image.h"

/* ---- a reference writer for the format ---- */

struct tb_entry {
    const char *path;
    unsigned kind;
    const char *body;   /* SITE_REDIRECT: the location */
    const char *gzip;   /* NULL: none */
    const char *type;
    const char *etag;
    uint32_t mtime;
};

struct tb_cred {
    const char *key;
    const char *certs[3];
    size_t ncerts;
    const char *names[3];
    size_t nnames;
};

#define IMG_CAP 8192

static void fix_digest(uint8_t *img, size_t len)
{
    assert_int_equal(mbedtls_sha256_ret(img, len - 32, img + len - 32, 0), 0);
}

/* Appends s to the data section at img + data_off; returns its offset. */
static uint32_t tb_put(uint8_t *img, size_t data_off, size_t *pos, const char *s, size_t n)
{
    assert_true(data_off + *pos + n + 32 <= IMG_CAP);
    memcpy(img + data_off + *pos, s, n);
    uint32_t off = (uint32_t)*pos;
    *pos += n;
    return off;
}

static size_t tb_build(uint8_t *img, const struct tb_entry *e, size_t n, const struct tb_cred *c, size_t nc,
                       uint32_t not_found)
{
    memset(img, 0, IMG_CAP);
    size_t nslice = 0;
    for (size_t i = 0; i < nc; i++)
        nslice += c[i].ncerts + c[i].nnames;
    size_t creds_off = 64 + 40 * n, slices_off = creds_off + 24 * nc, data_off = slices_off + 8 * nslice;
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t *r = img + 64 + 40 * i;
        put32(r, tb_put(img, data_off, &pos, e[i].path, strlen(e[i].path)));
        put16(r + 32, (uint16_t)strlen(e[i].path));
        r[36] = (uint8_t)e[i].kind;
        put32(r + 28, e[i].mtime);
        if (e[i].body != NULL) {
            put32(r + 4, tb_put(img, data_off, &pos, e[i].body, strlen(e[i].body)));
            put32(r + 8, (uint32_t)strlen(e[i].body));
        }
        if (e[i].gzip != NULL) {
            put32(r + 12, tb_put(img, data_off, &pos, e[i].gzip, strlen(e[i].gzip)));
            put32(r + 16, (uint32_t)strlen(e[i].gzip));
        }
        if (e[i].type != NULL) {
            put32(r + 20, tb_put(img, data_off, &pos, e[i].type, strlen(e[i].type)));
            r[34] = (uint8_t)strlen(e[i].type);
        }
        if (e[i].etag != NULL) {
            put32(r + 24, tb_put(img, data_off, &pos, e[i].etag, strlen(e[i].etag)));
            r[35] = (uint8_t)strlen(e[i].etag);
        }
    }
    size_t s = 0;
    for (size_t i = 0; i < nc; i++) {
        uint8_t *r = img + creds_off + 24 * i;
        put32(r, tb_put(img, data_off, &pos, c[i].key, strlen(c[i].key)));
        put32(r + 4, (uint32_t)strlen(c[i].key));
        put32(r + 8, (uint32_t)s);
        put32(r + 12, (uint32_t)c[i].ncerts);
        for (size_t j = 0; j < c[i].ncerts; j++, s++) {
            put32(img + slices_off + 8 * s, tb_put(img, data_off, &pos, c[i].certs[j], strlen(c[i].certs[j])));
            put32(img + slices_off + 8 * s + 4, (uint32_t)strlen(c[i].certs[j]));
        }
        put32(r + 16, (uint32_t)s);
        put32(r + 20, (uint32_t)c[i].nnames);
        for (size_t j = 0; j < c[i].nnames; j++, s++) {
            put32(img + slices_off + 8 * s, tb_put(img, data_off, &pos, c[i].names[j], strlen(c[i].names[j])));
            put32(img + slices_off + 8 * s + 4, (uint32_t)strlen(c[i].names[j]));
        }
    }
    size_t len = data_off + pos + 32;
    memcpy(img, "ATOLLIMG", 8);
    put16(img + 8, 1);
    put16(img + 10, 64);
    put32(img + 16, (uint32_t)len);
    put32(img + 20, (uint32_t)n);
    put32(img + 24, 64);
    put32(img + 28, (uint32_t)nc);
    put32(img + 32, (uint32_t)creds_off);
    put32(img + 36, (uint32_t)nslice);
    put32(img + 40, (uint32_t)slices_off);
    put32(img + 44, (uint32_t)data_off);
    put32(img + 48, (uint32_t)pos);
    put32(img + 52, not_found);
    fix_digest(img, len);
    return len;
}

#define T_HTML "text/html; charset=utf-8"
#define T_CSS "text/css; charset=utf-8"

/* A small site: sorted by path. */
static const struct tb_entry SITE[] = {
    {"/", SITE_INDEX, "<h1>home</h1>", NULL, T_HTML, "\"home\"", 1000},
    {"/404.html", SITE_FILE, "<h1>not here</h1>", NULL, T_HTML, "\"nf\"", 1001},
    {"/a b.html", SITE_FILE, "spaced", NULL, T_HTML, "\"sp\"", 1002},
    {"/blog", SITE_REDIRECT, "/blog/", NULL, NULL, NULL, 0},
    {"/blog/", SITE_INDEX, "<p>posts</p>", NULL, T_HTML, "\"blog\"", 1003},
    {"/blog/index.html", SITE_FILE, "<p>posts</p>", NULL, T_HTML, "\"blog\"", 1003},
    {"/css/site.css", SITE_FILE, "body { color: red; color: red; color: red; }", "GZ-SMALLER", T_CSS, "\"css\"", 1004},
    {"/index.html", SITE_FILE, "<h1>home</h1>", NULL, T_HTML, "\"home\"", 1000},
    {"/z\xc3\xa9.txt", SITE_FILE, "", NULL, "text/plain; charset=utf-8", "\"empty\"", 1005},
};
#define NSITE (sizeof SITE / sizeof SITE[0])

static const struct tb_cred CREDS[] = {
    {"KEY-ONE", {"LEAF-ONE", "CA-ONE"}, 2, {"example.org", "www.example.org"}, 2},
    {"KEY-TWO", {"LEAF-TWO"}, 1, {"*.example.net"}, 1},
};

static uint8_t img_buf[IMG_CAP];

static size_t good_image(void)
{
    return tb_build(img_buf, SITE, NSITE, CREDS, 2, 1);
}

/* Opens an exact-size copy (ASan catches any read past the end). */
static int open_copy(const uint8_t *img, size_t len, struct site_image *im)
{
    return site_image_open(exact(img, len), len, im);
}

/* The error site_image_open gives after mutating img_buf and, unless
 * keep_digest, re-computing its digest. */
static int open_after(size_t len, int keep_digest)
{
    if (!keep_digest)
        fix_digest(img_buf, len);
    struct site_image im;
    return open_copy(img_buf, len, &im);
}

static uint8_t *rec(size_t i)
{
    return img_buf + 64 + 40 * i;
}

/* ---- tests ---- */

static void opens_a_good_image(void **state)
{
    (void)state;
    size_t len = good_image();
    struct site_image im;
    assert_int_equal(open_copy(img_buf, len, &im), 0);
    assert_int_equal(im.len, len);
    assert_int_equal(im.entry_count, NSITE);
    assert_int_equal(im.cred_count, 2);
    assert_int_equal(im.slice_count, 6);
    assert_int_equal(im.not_found, 1);
    assert_memory_equal(site_image_digest(&im), img_buf + len - 32, 32);
    assert_string_equal(site_image_strerror(0), "ok");
}

static void lookup_finds_every_entry(void **state)
{
    (void)state;
    size_t len = good_image();
    struct site_image im;
    assert_int_equal(open_copy(img_buf, len, &im), 0);
    for (size_t i = 0; i < NSITE; i++) {
        struct site_entry e;
        const char *p = SITE[i].path;
        assert_int_equal(site_lookup(&im, (const uint8_t *)p, strlen(p), &e), 1);
        assert_int_equal(e.index, i);
        assert_int_equal(e.kind, SITE[i].kind);
        assert_int_equal(e.path_len, strlen(p));
        assert_memory_equal(e.path, p, e.path_len);
        assert_int_equal(e.mtime, SITE[i].mtime);
        if (SITE[i].kind == SITE_REDIRECT) {
            assert_int_equal(e.body_len, 0);
            assert_int_equal(e.type_len, 0);
            assert_int_equal(e.etag_len, 0);
            assert_int_equal(e.gzip_len, 0);
            assert_int_equal(e.location_len, strlen(SITE[i].body));
            assert_memory_equal(e.location, SITE[i].body, e.location_len);
            continue;
        }
        assert_int_equal(e.location_len, 0);
        assert_int_equal(e.body_len, strlen(SITE[i].body));
        assert_memory_equal(e.body, SITE[i].body, e.body_len);
        assert_int_equal(e.type_len, strlen(SITE[i].type));
        assert_memory_equal(e.type, SITE[i].type, e.type_len);
        assert_int_equal(e.etag_len, strlen(SITE[i].etag));
        assert_memory_equal(e.etag, SITE[i].etag, e.etag_len);
        if (SITE[i].gzip != NULL) {
            assert_int_equal(e.gzip_len, strlen(SITE[i].gzip));
            assert_memory_equal(e.gzip, SITE[i].gzip, e.gzip_len);
        } else {
            assert_int_equal(e.gzip_len, 0);
        }
    }
}

static void lookup_misses_cleanly(void **state)
{
    (void)state;
    size_t len = good_image();
    struct site_image im;
    assert_int_equal(open_copy(img_buf, len, &im), 0);
    /* before the first, after the last, between, prefixes and extensions of keys,
     * the encoded form of a decoded key, case */
    static const char *const miss[] = {"", "!", "/.", "/404.htm", "/404.html/", "/a%20b.html", "/blog/i",
                                       "/blog//", "/BLOG", "/css", "/index.htm", "/zz", "\xff", "/z\xc3\xa9"};
    for (size_t i = 0; i < sizeof miss / sizeof miss[0]; i++) {
        struct site_entry e;
        assert_int_equal(site_lookup(&im, exact(miss[i], strlen(miss[i])), strlen(miss[i]), &e), 0);
    }
    /* a key followed by more bytes the caller did not count */
    struct site_entry e;
    assert_int_equal(site_lookup(&im, (const uint8_t *)"/blog/index.html", 5, &e), 1);
    assert_int_equal(e.kind, SITE_REDIRECT);
}

static void lookup_in_an_empty_image(void **state)
{
    (void)state;
    size_t len = tb_build(img_buf, NULL, 0, NULL, 0, SITE_NONE);
    assert_int_equal(len, 64 + 32);
    struct site_image im;
    assert_int_equal(open_copy(img_buf, len, &im), 0);
    struct site_entry e;
    assert_int_equal(site_lookup(&im, (const uint8_t *)"/", 1, &e), 0);
    assert_int_equal(site_not_found(&im, &e), 0);
    assert_int_equal(site_entry_parse(&im, 0, &e), SITE_E_RANGE);
}

static void not_found_page(void **state)
{
    (void)state;
    size_t len = good_image();
    struct site_image im;
    struct site_entry e;
    assert_int_equal(open_copy(img_buf, len, &im), 0);
    assert_int_equal(site_not_found(&im, &e), 1);
    assert_int_equal(e.kind, SITE_FILE);
    assert_memory_equal(e.path, "/404.html", 9);
    assert_memory_equal(e.body, "<h1>not here</h1>", e.body_len);

    len = tb_build(img_buf, SITE, NSITE, CREDS, 2, SITE_NONE);
    assert_int_equal(open_copy(img_buf, len, &im), 0);
    assert_int_equal(site_not_found(&im, &e), 0);
}

static void credentials_and_slices(void **state)
{
    (void)state;
    size_t len = good_image();
    struct site_image im;
    assert_int_equal(open_copy(img_buf, len, &im), 0);
    for (uint32_t c = 0; c < 2; c++) {
        struct site_cred cr;
        struct site_slice s;
        assert_int_equal(site_cred_parse(&im, c, &cr), SITE_CRED_LEN);
        assert_int_equal(cr.index, c);
        assert_int_equal(cr.key_len, strlen(CREDS[c].key));
        assert_memory_equal(cr.key, CREDS[c].key, cr.key_len);
        assert_int_equal(cr.cert_count, CREDS[c].ncerts);
        assert_int_equal(cr.name_count, CREDS[c].nnames);
        for (uint32_t j = 0; j < cr.cert_count; j++) {
            assert_int_equal(site_cred_cert(&im, &cr, j, &s), SITE_SLICE_LEN);
            assert_int_equal(s.len, strlen(CREDS[c].certs[j]));
            assert_memory_equal(s.ptr, CREDS[c].certs[j], s.len);
        }
        assert_int_equal(site_cred_cert(&im, &cr, cr.cert_count, &s), SITE_E_RANGE);
        for (uint32_t j = 0; j < cr.name_count; j++) {
            assert_int_equal(site_cred_name(&im, &cr, j, &s), SITE_SLICE_LEN);
            assert_memory_equal(s.ptr, CREDS[c].names[j], s.len);
        }
        assert_int_equal(site_cred_name(&im, &cr, cr.name_count, &s), SITE_E_RANGE);
        /* a caller's own record pointing past the table */
        struct site_cred bad = cr;
        bad.name_first = 0xfffffff0u;
        bad.name_count = 0x20;
        assert_int_equal(site_cred_name(&im, &bad, 0x18, &s), SITE_E_RANGE);
    }
    struct site_cred cr;
    struct site_slice s;
    assert_int_equal(site_cred_parse(&im, 2, &cr), SITE_E_RANGE);
    assert_int_equal(site_slice_parse(&im, 6, &s), SITE_E_RANGE);
}

static void path_cmp_orders_bytes_unsigned_prefix_first(void **state)
{
    (void)state;
    assert_int_equal(site_path_cmp((const uint8_t *)"/a", 2, (const uint8_t *)"/a", 2), 0);
    assert_int_equal(site_path_cmp((const uint8_t *)"/a", 2, (const uint8_t *)"/a/", 3), -1);
    assert_int_equal(site_path_cmp((const uint8_t *)"/a/", 3, (const uint8_t *)"/a", 2), 1);
    assert_int_equal(site_path_cmp((const uint8_t *)"/a.html", 7, (const uint8_t *)"/a/", 3), -1);
    assert_int_equal(site_path_cmp((const uint8_t *)"/z", 2, (const uint8_t *)"/\xc3", 2), -1);
    assert_int_equal(site_path_cmp((const uint8_t *)"", 0, (const uint8_t *)"", 0), 0);
    assert_int_equal(site_path_cmp((const uint8_t *)"", 0, (const uint8_t *)"/", 1), -1);
}

static void rejects_truncated(void **state)
{
    (void)state;
    size_t len = good_image();
    struct site_image im;
    for (size_t n = 0; n < 96; n++)
        assert_int_equal(open_copy(img_buf, n, &im), SITE_E_TRUNC);
    /* cut anywhere past the minimum: the header's length disagrees */
    for (size_t n = 96; n < len; n += 7)
        assert_int_equal(open_copy(img_buf, n, &im), SITE_E_LENGTH);
    assert_int_equal(open_copy(img_buf, len - 1, &im), SITE_E_LENGTH);
    /* and bytes appended */
    img_buf[len] = 0;
    assert_int_equal(open_copy(img_buf, len + 1, &im), SITE_E_LENGTH);
}

static void rejects_bad_magic_version_header(void **state)
{
    (void)state;
    size_t len = good_image();
    for (size_t i = 0; i < 8; i++) {
        good_image();
        img_buf[i] ^= 0x20;
        assert_int_equal(open_after(len, 0), SITE_E_MAGIC);
    }
    good_image();
    put16(img_buf + 8, 2);
    assert_int_equal(open_after(len, 0), SITE_E_VERSION);
    good_image();
    put16(img_buf + 8, 0);
    assert_int_equal(open_after(len, 0), SITE_E_VERSION);
    good_image();
    put16(img_buf + 10, 65);
    assert_int_equal(open_after(len, 0), SITE_E_HEADER);
    good_image();
    put32(img_buf + 12, 1);
    assert_int_equal(open_after(len, 0), SITE_E_HEADER);
    good_image();
    img_buf[59] = 1;
    assert_int_equal(open_after(len, 0), SITE_E_HEADER);
    good_image();
    img_buf[63] = 1;
    assert_int_equal(open_after(len, 0), SITE_E_HEADER);
    good_image();
    put32(img_buf + 16, (uint32_t)len + 1);
    assert_int_equal(open_after(len, 0), SITE_E_LENGTH);
}

static void rejects_bad_layout(void **state)
{
    (void)state;
    size_t len = good_image();
    static const size_t fields[] = {20, 24, 28, 32, 36, 40, 44, 48};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        for (int d = -1; d <= 1; d += 2) {
            good_image();
            put32(img_buf + fields[f], get32(img_buf + fields[f]) + (uint32_t)d);
            assert_int_equal(open_after(len, 0), SITE_E_LAYOUT);
        }
    }
    /* counts whose table sizes wrap in 32 bits exactly back onto the real
     * layout (40, 24 and 8 times 2^29 are multiples of 2^32): a reader
     * computing offsets in 32 bits would accept these */
    static const size_t counts[] = {20, 28, 36};
    for (size_t f = 0; f < 3; f++) {
        good_image();
        put32(img_buf + counts[f], get32(img_buf + counts[f]) + 0x20000000u);
        assert_int_equal(open_after(len, 0), SITE_E_LAYOUT);
    }
}

static void rejects_bad_digest(void **state)
{
    (void)state;
    size_t len = good_image();
    for (size_t i = 64; i < len; i += 13) {
        good_image();
        img_buf[i] ^= 1;
        assert_int_equal(open_after(len, 1), SITE_E_DIGEST);
    }
}

static void rejects_spans_outside_data(void **state)
{
    (void)state;
    size_t len = good_image();
    uint32_t dlen = get32(img_buf + 48);
    static const size_t off_field[] = {0, 4, 12, 20, 24};
    for (size_t f = 0; f < 5; f++) {
        /* just past the end, and a wrapping offset + length */
        good_image();
        put32(rec(6) + off_field[f], dlen);
        assert_int_equal(open_after(len, 0), SITE_E_SPAN);
        good_image();
        put32(rec(6) + off_field[f], 0xfffffff0u);
        assert_int_equal(open_after(len, 0), SITE_E_SPAN);
    }
    /* a length running off the end; a body length that wraps with its offset */
    good_image();
    put32(rec(6) + 8, dlen);
    assert_int_equal(open_after(len, 0), SITE_E_SPAN);
    good_image();
    put32(rec(6) + 8, 0xffffff00u);
    assert_int_equal(open_after(len, 0), SITE_E_SPAN);
    good_image();
    put32(rec(6) + 16, dlen);
    assert_int_equal(open_after(len, 0), SITE_E_SPAN);
    good_image();
    put32(rec(6) + 4, dlen - 3); /* 3 bytes left, body is longer */
    assert_int_equal(open_after(len, 0), SITE_E_SPAN);
    good_image();
    put32(rec(6), dlen - 1);
    put16(rec(6) + 32, 2);
    assert_int_equal(open_after(len, 0), SITE_E_SPAN);
    /* exactly at the end is fine when empty: the empty file's body */
    good_image();
    put32(rec(8) + 4, dlen);
    assert_int_equal(open_after(len, 0), 0);
}

static void rejects_bad_paths(void **state)
{
    (void)state;
    size_t len = good_image();
    uint32_t path6 = get32(rec(6));
    uint8_t *p6 = img_buf + get32(img_buf + 44) + path6;
    /* no leading slash */
    good_image();
    p6[0] = 'c';
    assert_int_equal(open_after(len, 0), SITE_E_PATH);
    /* control bytes */
    static const uint8_t ctl[] = {0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1f, 0x7f};
    for (size_t i = 0; i < sizeof ctl; i++) {
        good_image();
        p6[5] = ctl[i];
        assert_int_equal(open_after(len, 0), SITE_E_PATH);
    }
    /* empty */
    good_image();
    put16(rec(6) + 32, 0);
    assert_int_equal(open_after(len, 0), SITE_E_PATH);
    /* a file ending in '/', an index not ending in '/' */
    good_image();
    put16(rec(5) + 32, 6); /* "/blog/" */
    assert_int_equal(open_after(len, 0), SITE_E_PATH);
    good_image();
    put16(rec(4) + 32, 5); /* "/blog" */
    assert_int_equal(open_after(len, 0), SITE_E_PATH);
}

static void rejects_path_over_the_limit(void **state)
{
    (void)state;
    static char longp[SITE_PATH_MAX + 2];
    longp[0] = '/';
    memset(longp + 1, 'a', SITE_PATH_MAX);
    struct tb_entry e = {longp, SITE_FILE, "x", NULL, T_HTML, "\"x\"", 0};
    size_t len = tb_build(img_buf, &e, 1, NULL, 0, SITE_NONE);
    struct site_image im;
    assert_int_equal(open_copy(img_buf, len, &im), SITE_E_PATH);
    longp[SITE_PATH_MAX] = '\0'; /* SITE_PATH_MAX bytes: fine */
    len = tb_build(img_buf, &e, 1, NULL, 0, SITE_NONE);
    assert_int_equal(open_copy(img_buf, len, &im), 0);
}

static void rejects_bad_kinds(void **state)
{
    (void)state;
    size_t len = good_image();
    static const uint8_t kinds[] = {0, 4, 255};
    for (size_t i = 0; i < sizeof kinds; i++) {
        good_image();
        rec(2)[36] = kinds[i];
        assert_int_equal(open_after(len, 0), SITE_E_KIND);
    }
    for (size_t b = 37; b < 40; b++) {
        good_image();
        rec(2)[b] = 1;
        assert_int_equal(open_after(len, 0), SITE_E_KIND);
    }
    /* a redirect with a type, an etag or a gzip variant */
    good_image();
    rec(3)[34] = 1;
    assert_int_equal(open_after(len, 0), SITE_E_KIND);
    good_image();
    rec(3)[35] = 1;
    assert_int_equal(open_after(len, 0), SITE_E_KIND);
    good_image();
    put32(rec(3) + 16, 1);
    assert_int_equal(open_after(len, 0), SITE_E_KIND);
}

static void rejects_bad_text(void **state)
{
    (void)state;
    size_t len = good_image();
    uint8_t *data = img_buf + get32(img_buf + 44);
    /* empty type, empty etag, empty location */
    good_image();
    rec(2)[34] = 0;
    assert_int_equal(open_after(len, 0), SITE_E_TEXT);
    good_image();
    rec(2)[35] = 0;
    assert_int_equal(open_after(len, 0), SITE_E_TEXT);
    good_image();
    put32(rec(3) + 8, 0);
    assert_int_equal(open_after(len, 0), SITE_E_TEXT);
    /* CR, LF, NUL, DEL, 0x80 in a type, an etag, a location */
    static const uint8_t bad[] = {'\r', '\n', 0, 0x7f, 0x80};
    static const size_t off_field[] = {20, 24, 4};
    static const size_t rec_of[] = {2, 2, 3};
    for (size_t f = 0; f < 3; f++)
        for (size_t i = 0; i < sizeof bad; i++) {
            good_image();
            data[get32(rec(rec_of[f]) + off_field[f])] = bad[i];
            assert_int_equal(open_after(len, 0), SITE_E_TEXT);
        }
    /* a location over the limit */
    static char longl[SITE_LOCATION_MAX + 2];
    memset(longl, 'a', SITE_LOCATION_MAX + 1);
    longl[0] = '/';
    struct tb_entry e = {"/d", SITE_REDIRECT, longl, NULL, NULL, NULL, 0};
    len = tb_build(img_buf, &e, 1, NULL, 0, SITE_NONE);
    assert_int_equal(open_after(len, 1), SITE_E_TEXT);
}

static void rejects_gzip_not_smaller(void **state)
{
    (void)state;
    size_t len = good_image();
    uint32_t body_len = get32(rec(6) + 8);
    good_image();
    put32(rec(6) + 16, body_len);
    assert_int_equal(open_after(len, 0), SITE_E_GZIP);
    good_image();
    put32(rec(6) + 16, body_len - 1);
    assert_int_equal(open_after(len, 0), 0);
    /* an empty body cannot have a variant */
    good_image();
    put32(rec(8) + 16, 1);
    assert_int_equal(open_after(len, 0), SITE_E_GZIP);
}

static void swap_records(size_t a, size_t b)
{
    uint8_t t[40];
    memcpy(t, rec(a), 40);
    memcpy(rec(a), rec(b), 40);
    memcpy(rec(b), t, 40);
}

static void rejects_unsorted_and_duplicate(void **state)
{
    (void)state;
    size_t len = good_image();
    for (size_t i = 0; i + 1 < NSITE; i++) {
        good_image();
        put32(img_buf + 52, SITE_NONE);
        swap_records(i, i + 1);
        assert_int_equal(open_after(len, 0), SITE_E_ORDER);
    }
    /* first and last swapped */
    good_image();
    put32(img_buf + 52, SITE_NONE);
    swap_records(0, NSITE - 1);
    assert_int_equal(open_after(len, 0), SITE_E_ORDER);
    /* a duplicate: /index.html's record pointing at /css/site.css's path */
    good_image();
    memcpy(rec(7), rec(6), 40);
    assert_int_equal(open_after(len, 0), SITE_E_ORDER);
    /* a prefix after its extension: "/blog/" before "/blog" */
    good_image();
    put32(img_buf + 52, SITE_NONE);
    swap_records(3, 4);
    assert_int_equal(open_after(len, 0), SITE_E_ORDER);
}

static void rejects_bad_not_found_entry(void **state)
{
    (void)state;
    size_t len = good_image();
    put32(img_buf + 52, NSITE);
    assert_int_equal(open_after(len, 0), SITE_E_NOT_FOUND);
    good_image();
    put32(img_buf + 52, 3); /* a redirect */
    assert_int_equal(open_after(len, 0), SITE_E_NOT_FOUND);
    good_image();
    put32(img_buf + 52, 0); /* an index */
    assert_int_equal(open_after(len, 0), SITE_E_NOT_FOUND);
    good_image();
    put32(img_buf + 52, 0xfffffffeu);
    assert_int_equal(open_after(len, 0), SITE_E_NOT_FOUND);
}

static void rejects_bad_credentials(void **state)
{
    (void)state;
    size_t len = good_image();
    uint32_t creds_off = get32(img_buf + 32), slices_off = get32(img_buf + 40), dlen = get32(img_buf + 48);
    uint8_t *c0 = img_buf + creds_off, *c1 = c0 + 24;
    uint8_t *data = img_buf + get32(img_buf + 44);
    good_image();
    put32(c0 + 4, 0);
    assert_int_equal(open_after(len, 0), SITE_E_CRED);
    good_image();
    put32(c0 + 12, 0);
    assert_int_equal(open_after(len, 0), SITE_E_CRED);
    good_image();
    put32(c1 + 8, 6); /* first cert past the 6 slices */
    assert_int_equal(open_after(len, 0), SITE_E_CRED);
    good_image();
    put32(c1 + 20, 2); /* names running past the table */
    assert_int_equal(open_after(len, 0), SITE_E_CRED);
    good_image();
    put32(c1 + 8, 0xffffffffu); /* first + count wraps in 32 bits */
    put32(c1 + 12, 2);
    assert_int_equal(open_after(len, 0), SITE_E_CRED);
    good_image();
    put32(c0, dlen);
    assert_int_equal(open_after(len, 0), SITE_E_SPAN);
    good_image();
    put32(c0 + 4, 0xffffffffu);
    assert_int_equal(open_after(len, 0), SITE_E_SPAN);
    /* slices: empty, outside the data, a name with a space or a control byte */
    good_image();
    put32(img_buf + slices_off + 4, 0);
    assert_int_equal(open_after(len, 0), SITE_E_SLICE);
    good_image();
    put32(img_buf + slices_off + 8 * 5, dlen);
    assert_int_equal(open_after(len, 0), SITE_E_SPAN);
    good_image();
    data[get32(img_buf + slices_off + 8 * 2) + 3] = ' ';
    assert_int_equal(open_after(len, 0), SITE_E_TEXT);
    good_image();
    data[get32(img_buf + slices_off + 8 * 5)] = '\n';
    assert_int_equal(open_after(len, 0), SITE_E_TEXT);
    /* a certificate slice may hold any bytes */
    good_image();
    data[get32(img_buf + slices_off)] = 0;
    assert_int_equal(open_after(len, 0), 0);
}

static void every_error_has_a_message(void **state)
{
    (void)state;
    for (int e = SITE_E_SLICE; e <= SITE_E_TRUNC; e++) {
        const char *m = site_image_strerror(e);
        assert_non_null(m);
        assert_string_not_equal(m, "unknown site image error");
        for (int f = SITE_E_SLICE; f < e; f++)
            assert_string_not_equal(m, site_image_strerror(f));
    }
    assert_string_equal(site_image_strerror(-99), "unknown site image error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(opens_a_good_image, exact_teardown),
        cmocka_unit_test_teardown(lookup_finds_every_entry, exact_teardown),
        cmocka_unit_test_teardown(lookup_misses_cleanly, exact_teardown),
        cmocka_unit_test_teardown(lookup_in_an_empty_image, exact_teardown),
        cmocka_unit_test_teardown(not_found_page, exact_teardown),
        cmocka_unit_test_teardown(credentials_and_slices, exact_teardown),
        cmocka_unit_test(path_cmp_orders_bytes_unsigned_prefix_first),
        cmocka_unit_test_teardown(rejects_truncated, exact_teardown),
        cmocka_unit_test_teardown(rejects_bad_magic_version_header, exact_teardown),
        cmocka_unit_test_teardown(rejects_bad_layout, exact_teardown),
        cmocka_unit_test_teardown(rejects_bad_digest, exact_teardown),
        cmocka_unit_test_teardown(rejects_spans_outside_data, exact_teardown),
        cmocka_unit_test_teardown(rejects_bad_paths, exact_teardown),
        cmocka_unit_test_teardown(rejects_path_over_the_limit, exact_teardown),
        cmocka_unit_test_teardown(rejects_bad_kinds, exact_teardown),
        cmocka_unit_test_teardown(rejects_bad_text, exact_teardown),
        cmocka_unit_test_teardown(rejects_gzip_not_smaller, exact_teardown),
        cmocka_unit_test_teardown(rejects_unsorted_and_duplicate, exact_teardown),
        cmocka_unit_test_teardown(rejects_bad_not_found_entry, exact_teardown),
        cmocka_unit_test_teardown(rejects_bad_credentials, exact_teardown),
        cmocka_unit_test(every_error_has_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, exact_teardown);
}
