/* SPDX-License-Identifier: Apache-2.0 */
/* site_image_open / site_lookup and the record views (appliance/site/image.h).
 *
 * Input: one mode byte, then the image. Mode bits repair what a random
 * mutation almost always breaks first, so that the deeper checks get
 * exercised: bit 0 rewrites the header's image length to the real one,
 * bit 1 rewrites the section offsets and the data length from the counts,
 * bit 2 recomputes the SHA-256 trailer (after the other repairs).
 *
 * Oracles: a reference validator written here from the format description
 * (64-bit arithmetic, no shared code) must agree with site_image_open on
 * accept/reject, and the digest must decide SITE_E_DIGEST; on an accepted
 * image every entry is found again by site_lookup at its own index, every
 * pointer handed out lies inside the image, every header string is
 * printable, and the index is strictly sorted. */
#include "fuzz_common.h"

#include <mbedtls/sha256.h>

#include "appliance/site/image.h"

static uint64_t rd32(const uint8_t *p)
{
    return fuzz_rd32(p);
}

static int span(uint64_t off, uint64_t n, uint64_t dlen)
{
    return off + n <= dlen;
}

static int printable(const uint8_t *p, uint64_t n, uint8_t lo)
{
    for (uint64_t i = 0; i < n; i++)
        if (p[i] < lo || p[i] > 0x7e)
            return 0;
    return 1;
}

static int ref_cmp(const uint8_t *a, uint64_t an, const uint8_t *b, uint64_t bn)
{
    uint64_t n = an < bn ? an : bn;
    int c = memcmp(a, b, (size_t)n);
    if (c != 0)
        return c;
    return an < bn ? -1 : an > bn;
}

/* The whole format, checked the simple way. Digest not included. */
static int ref_valid(const uint8_t *b, size_t len)
{
    if (len < 96 || len > 0xffffffffu || memcmp(b, "ATOLLIMG", 8) != 0)
        return 0;
    if (fuzz_rd16(b + 8) != 1 || fuzz_rd16(b + 10) != 64 || rd32(b + 12) || rd32(b + 56) || rd32(b + 60))
        return 0;
    if (rd32(b + 16) != len)
        return 0;
    uint64_t ne = rd32(b + 20), nc = rd32(b + 28), ns = rd32(b + 36), doff = rd32(b + 44), dlen = rd32(b + 48);
    if (rd32(b + 24) != 64 || rd32(b + 32) != 64 + 40 * ne || rd32(b + 40) != 64 + 40 * ne + 24 * nc ||
        doff != 64 + 40 * ne + 24 * nc + 8 * ns || doff + dlen + 32 != len)
        return 0;
    uint64_t nf = rd32(b + 52);
    if (nf != 0xffffffffu && nf >= ne)
        return 0;
    const uint8_t *d = b + doff;
    const uint8_t *prev = NULL;
    uint64_t prev_len = 0;
    for (uint64_t i = 0; i < ne; i++) {
        const uint8_t *r = b + 64 + 40 * i;
        uint64_t po = rd32(r), bo = rd32(r + 4), bl = rd32(r + 8), go = rd32(r + 12), gl = rd32(r + 16);
        uint64_t to = rd32(r + 20), eo = rd32(r + 24), pl = fuzz_rd16(r + 32), tl = r[34], el = r[35], k = r[36];
        if (r[37] || r[38] || r[39] || k < 1 || k > 3)
            return 0;
        if (!span(po, pl, dlen) || !span(bo, bl, dlen) || !span(go, gl, dlen) || !span(to, tl, dlen) ||
            !span(eo, el, dlen))
            return 0;
        const uint8_t *p = d + po;
        if (pl < 1 || pl > 1024 || p[0] != '/')
            return 0;
        for (uint64_t j = 0; j < pl; j++)
            if (p[j] < 0x20 || p[j] == 0x7f)
                return 0;
        if ((k == 1 && p[pl - 1] == '/') || (k == 2 && p[pl - 1] != '/'))
            return 0;
        if (k == 3) {
            if (tl || el || gl || bl < 1 || bl > 4096 || !printable(d + bo, bl, 0x20))
                return 0;
        } else {
            if (tl < 1 || el < 1 || !printable(d + to, tl, 0x20) || !printable(d + eo, el, 0x20))
                return 0;
            if (gl != 0 && gl >= bl)
                return 0;
        }
        if (prev != NULL && ref_cmp(prev, prev_len, p, pl) >= 0)
            return 0;
        prev = p;
        prev_len = pl;
    }
    if (nf != 0xffffffffu && b[64 + 40 * nf + 36] != 1)
        return 0;
    const uint8_t *s0 = b + 64 + 40 * ne + 24 * nc;
    for (uint64_t i = 0; i < ns; i++)
        if (rd32(s0 + 8 * i + 4) < 1 || !span(rd32(s0 + 8 * i), rd32(s0 + 8 * i + 4), dlen))
            return 0;
    for (uint64_t i = 0; i < nc; i++) {
        const uint8_t *r = b + 64 + 40 * ne + 24 * i;
        uint64_t ko = rd32(r), kl = rd32(r + 4), cf = rd32(r + 8), cc = rd32(r + 12), nfst = rd32(r + 16),
                 nn = rd32(r + 20);
        if (!span(ko, kl, dlen) || kl < 1 || cc < 1 || cf + cc > ns || nfst + nn > ns)
            return 0;
        for (uint64_t j = nfst; j < nfst + nn; j++)
            if (!printable(d + rd32(s0 + 8 * j), rd32(s0 + 8 * j + 4), 0x21))
                return 0;
    }
    return 1;
}

static void repair(uint8_t *b, size_t len, uint8_t mode)
{
    if (len < 96)
        return;
    if (mode & 1)
        fuzz_wr32(b + 16, (uint32_t)len);
    if (mode & 2) {
        uint64_t ne = rd32(b + 20), nc = rd32(b + 28), ns = rd32(b + 36);
        uint64_t doff = 64 + 40 * ne + 24 * nc + 8 * ns;
        if (doff + 32 <= len) {
            fuzz_wr32(b + 24, 64);
            fuzz_wr32(b + 32, (uint32_t)(64 + 40 * ne));
            fuzz_wr32(b + 40, (uint32_t)(64 + 40 * ne + 24 * nc));
            fuzz_wr32(b + 44, (uint32_t)doff);
            fuzz_wr32(b + 48, (uint32_t)(len - 32 - doff));
        }
    }
    if (mode & 4)
        mbedtls_sha256_ret(b, len - 32, b + len - 32, 0);
}

static void in_image(const struct site_image *im, const uint8_t *p, size_t n)
{
    FUZZ_CHECK(p >= im->base && p <= im->base + im->len);
    FUZZ_CHECK(n <= (size_t)(im->base + im->len - p));
}

static void check_entry(const struct site_image *im, const struct site_entry *e, uint32_t i)
{
    FUZZ_CHECK(e->index == i);
    FUZZ_CHECK(e->kind == SITE_FILE || e->kind == SITE_INDEX || e->kind == SITE_REDIRECT);
    in_image(im, e->path, e->path_len);
    in_image(im, e->type, e->type_len);
    in_image(im, e->etag, e->etag_len);
    in_image(im, e->body, e->body_len);
    in_image(im, e->gzip, e->gzip_len);
    in_image(im, e->location, e->location_len);
    FUZZ_CHECK(e->path_len >= 1 && e->path_len <= SITE_PATH_MAX && e->path[0] == '/');
    FUZZ_CHECK(printable(e->type, e->type_len, 0x20) && printable(e->etag, e->etag_len, 0x20));
    FUZZ_CHECK(printable(e->location, e->location_len, 0x20));
    if (e->kind == SITE_REDIRECT) {
        FUZZ_CHECK(e->location_len >= 1 && e->body_len == 0 && e->gzip_len == 0 && e->type_len == 0);
    } else {
        FUZZ_CHECK(e->location_len == 0 && e->type_len >= 1 && e->etag_len >= 1);
        FUZZ_CHECK(e->gzip_len == 0 || e->gzip_len < e->body_len);
    }
}

static void check_accepted(const struct site_image *im)
{
    struct site_entry e, f, prev;
    for (uint32_t i = 0; i < im->entry_count; i++) {
        FUZZ_CHECK(site_entry_parse(im, i, &e) == SITE_ENTRY_LEN);
        check_entry(im, &e, i);
        if (i > 0)
            FUZZ_CHECK(ref_cmp(prev.path, prev.path_len, e.path, e.path_len) < 0);
        prev = e;
        /* found again, at its own index: the index is searchable */
        FUZZ_CHECK(site_lookup(im, e.path, e.path_len, &f) == 1);
        FUZZ_CHECK(f.index == i && f.path == e.path && f.body == e.body);
        /* a key one byte longer is absent unless it is the next entry */
        uint8_t *longer = malloc(e.path_len + 1);
        FUZZ_CHECK(longer != NULL);
        memcpy(longer, e.path, e.path_len);
        longer[e.path_len] = '/';
        int r = site_lookup(im, longer, e.path_len + 1, &f);
        FUZZ_CHECK(r == 0 || (r == 1 && f.path_len == e.path_len + 1 && memcmp(f.path, longer, f.path_len) == 0));
        free(longer);
    }
    FUZZ_CHECK(site_entry_parse(im, im->entry_count, &e) == SITE_E_RANGE);
    int nf = site_not_found(im, &e);
    FUZZ_CHECK(nf == (im->not_found != SITE_NONE));
    if (nf == 1)
        FUZZ_CHECK(e.kind == SITE_FILE && e.index == im->not_found);
    for (uint32_t c = 0; c < im->cred_count; c++) {
        struct site_cred cr;
        struct site_slice s;
        FUZZ_CHECK(site_cred_parse(im, c, &cr) == SITE_CRED_LEN);
        in_image(im, cr.key, cr.key_len);
        FUZZ_CHECK(cr.key_len >= 1 && cr.cert_count >= 1);
        for (uint32_t j = 0; j < cr.cert_count; j++) {
            FUZZ_CHECK(site_cred_cert(im, &cr, j, &s) == SITE_SLICE_LEN);
            in_image(im, s.ptr, s.len);
        }
        for (uint32_t j = 0; j < cr.name_count; j++) {
            FUZZ_CHECK(site_cred_name(im, &cr, j, &s) == SITE_SLICE_LEN);
            FUZZ_CHECK(printable(s.ptr, s.len, 0x21));
        }
        FUZZ_CHECK(site_cred_cert(im, &cr, cr.cert_count, &s) == SITE_E_RANGE);
        FUZZ_CHECK(site_cred_name(im, &cr, cr.name_count, &s) == SITE_E_RANGE);
    }
    /* every slice record of a checked image is a non-empty blob inside it */
    for (uint32_t k = 0; k < im->slice_count; k++) {
        struct site_slice s;
        FUZZ_CHECK(site_slice_parse(im, k, &s) == SITE_SLICE_LEN);
        FUZZ_CHECK(s.len >= 1);
        in_image(im, s.ptr, s.len);
    }
    struct site_slice past;
    FUZZ_CHECK(site_slice_parse(im, im->slice_count, &past) == SITE_E_RANGE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    size_t len = size - 1;
    uint8_t *work = fuzz_dup(data + 1, len);
    repair(work, len, mode);
    uint8_t *img = fuzz_dup(work, len); /* exactly len bytes: ASan sees any over-read */
    free(work);

    struct site_image im;
    memset(&im, 0xa5, sizeof im);
    int rc = site_image_open(img, len, &im);
    FUZZ_CHECK(rc == 0 || (rc <= SITE_E_TRUNC && rc >= SITE_E_SLICE));
    FUZZ_CHECK(strcmp(site_image_strerror(rc), "unknown site image error") != 0);
    struct site_image h;
    int hr = site_header_parse(img, len, &h);
    int digest_ok = 0;
    if (hr == SITE_HDR_LEN) {
        uint8_t sum[32];
        mbedtls_sha256_ret(img, len - 32, sum, 0);
        digest_ok = memcmp(sum, img + len - 32, 32) == 0;
        if (!digest_ok)
            FUZZ_CHECK(rc == SITE_E_DIGEST);
    } else {
        FUZZ_CHECK(hr < 0 && rc == hr);
    }
    FUZZ_CHECK((rc == 0) == (digest_ok && ref_valid(img, len)));
    if (rc == 0) {
        FUZZ_CHECK(im.base == img && im.len == len);
        check_accepted(&im);
    } else if (hr == SITE_HDR_LEN) {
        /* the record checks alone agree with the reference */
        FUZZ_CHECK((site_image_check(&h) == 0) == ref_valid(img, len));
    }
    free(img);
    return 0;
}
