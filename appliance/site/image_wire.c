/* SPDX-License-Identifier: Apache-2.0 */
/* The site image's header and record views, the whole-image record check
 * and the lookup (contracts in site_image.h, logic in
 * spec/site_image.acsl.h). Kept apart from site_image.c so that the proof
 * sees no mbedtls. Plain code on purpose: bounds are compared as
 * "n <= limit - off" after "off <= limit", never as a sum that could
 * wrap, and integers are read with wire.h's arithmetic readers. */
#include "appliance/site/image.h"

#include "base/wire.h"

/* Is off/n inside a data section of dlen bytes? */
/*@ assigns \nothing;
  @ ensures \result == 1 <==> site_span(off, n, dlen);
  @ ensures \result == 0 || \result == 1;
  @*/
static int span_ok(uint32_t off, uint32_t n, uint32_t dlen)
{
    if (off > dlen)
        return 0;
    if (n > dlen - off)
        return 0;
    return 1;
}

/*@ requires \valid_read(p + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 1 <==> site_text(p, n);
  @ ensures \result == 0 || \result == 1;
  @*/
static int text_ok(const uint8_t *p, size_t n)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> 0x20 <= p[k] <= 0x7e;
        loop assigns i;
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x20u || p[i] > 0x7eu)
            return 0;
    }
    return 1;
}

/*@ requires \valid_read(p + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 1 <==> site_name(p, n);
  @ ensures \result == 0 || \result == 1;
  @*/
static int name_ok(const uint8_t *p, size_t n)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> 0x21 <= p[k] <= 0x7e;
        loop assigns i;
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x21u || p[i] > 0x7eu)
            return 0;
    }
    return 1;
}

/*@ requires \valid_read(p + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 1 <==> site_path(p, n);
  @ ensures \result == 0 || \result == 1;
  @*/
static int path_ok(const uint8_t *p, size_t n)
{
    if (n < 1 || n > SITE_PATH_MAX)
        return 0;
    if (p[0] != 0x2fu)
        return 0;
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> p[k] >= 0x20 && p[k] != 0x7f;
        loop assigns i;
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x20u || p[i] == 0x7fu)
            return 0;
    }
    return 1;
}

int site_header_parse(const uint8_t *img, size_t len, struct site_image *out)
{
    if (len < SITE_HDR_LEN + SITE_DIGEST_LEN)
        return SITE_E_TRUNC;
    if (img[0] != 0x41u || img[1] != 0x54u || img[2] != 0x4fu || img[3] != 0x4cu || img[4] != 0x4cu ||
        img[5] != 0x49u || img[6] != 0x4du || img[7] != 0x47u)
        return SITE_E_MAGIC;
    if (wire_rd16(img + 8) != SITE_VERSION)
        return SITE_E_VERSION;
    if (wire_rd16(img + 10) != SITE_HDR_LEN || wire_rd32(img + 12) != 0u || wire_rd32(img + 56) != 0u ||
        wire_rd32(img + 60) != 0u)
        return SITE_E_HEADER;
    if (len > SITE_IMAGE_MAX || wire_rd32(img + 16) != len)
        return SITE_E_LENGTH;
    /* The layout in 64 bits: counts and offsets are below 2^32, so no sum
     * or product below can wrap. */
    uint64_t entry_count = wire_rd32(img + 20), entries_off = wire_rd32(img + 24);
    uint64_t cred_count = wire_rd32(img + 28), creds_off = wire_rd32(img + 32);
    uint64_t slice_count = wire_rd32(img + 36), slices_off = wire_rd32(img + 40);
    uint64_t data_off = wire_rd32(img + 44), data_len = wire_rd32(img + 48);
    if (entries_off != SITE_HDR_LEN || creds_off != entries_off + SITE_ENTRY_LEN * entry_count ||
        slices_off != creds_off + SITE_CRED_LEN * cred_count ||
        data_off != slices_off + SITE_SLICE_LEN * slice_count ||
        data_off + data_len + SITE_DIGEST_LEN != len)
        return SITE_E_LAYOUT;
    uint32_t not_found = wire_rd32(img + 52);
    if (not_found != SITE_NONE && not_found >= entry_count)
        return SITE_E_NOT_FOUND;
    out->base = img;
    out->len = len;
    out->entry_count = (uint32_t)entry_count;
    out->entries_off = (uint32_t)entries_off;
    out->cred_count = (uint32_t)cred_count;
    out->creds_off = (uint32_t)creds_off;
    out->slice_count = (uint32_t)slice_count;
    out->slices_off = (uint32_t)slices_off;
    out->data_off = (uint32_t)data_off;
    out->data_len = (uint32_t)data_len;
    out->not_found = not_found;
    return SITE_HDR_LEN;
}

/* Check 1 of an entry record: a known kind, reserved bytes zero. */
/*@ requires \valid_read(r + (0 .. SITE_ENTRY_LEN - 1));
  @ assigns \nothing;
  @ ensures \result == 1 <==> site_rec_kind_ok(r);
  @ ensures \result == 0 || \result == 1;
  @*/
static int rec_kind_ok(const uint8_t *r)
{
    if (r[37] != 0u || r[38] != 0u || r[39] != 0u)
        return 0;
    if (r[36] != SITE_FILE && r[36] != SITE_INDEX && r[36] != SITE_REDIRECT)
        return 0;
    return 1;
}

/* Check 2: every span inside the data section. */
/*@ requires \valid_read(r + (0 .. SITE_ENTRY_LEN - 1));
  @ assigns \nothing;
  @ ensures \result == 1 <==> site_rec_spans_ok(r, dlen);
  @ ensures \result == 0 || \result == 1;
  @*/
static int rec_spans_ok(const uint8_t *r, uint32_t dlen)
{
    if (!span_ok(wire_rd32(r), wire_rd16(r + 32), dlen))
        return 0;
    if (!span_ok(wire_rd32(r + 4), wire_rd32(r + 8), dlen))
        return 0;
    if (!span_ok(wire_rd32(r + 12), wire_rd32(r + 16), dlen))
        return 0;
    if (!span_ok(wire_rd32(r + 20), r[34], dlen))
        return 0;
    if (!span_ok(wire_rd32(r + 24), r[35], dlen))
        return 0;
    return 1;
}

/* Check 3: the path, and its trailing '/' against the kind. */
/*@ requires \valid_read(r + (0 .. SITE_ENTRY_LEN - 1));
  @ requires \valid_read(d + (0 .. dlen - 1));
  @ requires site_rec_spans_ok(r, dlen);
  @ assigns \nothing;
  @ ensures \result == 1 <==> site_rec_path_ok(r, d);
  @ ensures \result == 0 || \result == 1;
  @*/
static int rec_path_ok(const uint8_t *r, const uint8_t *d, uint32_t dlen)
{
    (void)dlen; /* named by the contract: the path is inside d[0 .. dlen) */
    const uint8_t *path = d + wire_rd32(r);
    uint32_t n = wire_rd16(r + 32);
    if (!path_ok(path, n))
        return 0;
    if (r[36] == SITE_FILE && path[n - 1u] == 0x2fu)
        return 0;
    if (r[36] == SITE_INDEX && path[n - 1u] != 0x2fu)
        return 0;
    return 1;
}

/* Check 4: a redirect has a Location and nothing else; a file or index
 * has a content type, an ETag and maybe a smaller gzip variant. */
/*@ requires \valid_read(r + (0 .. SITE_ENTRY_LEN - 1));
  @ requires \valid_read(d + (0 .. dlen - 1));
  @ requires site_rec_spans_ok(r, dlen);
  @ assigns \nothing;
  @ ensures \result == 0 <==> site_rec_fields_ok(r, d);
  @ ensures \result == 0 || \result < 0;
  @*/
static int rec_fields_ok(const uint8_t *r, const uint8_t *d, uint32_t dlen)
{
    (void)dlen; /* named by the contract: the spans are inside d[0 .. dlen) */
    uint32_t body_off = wire_rd32(r + 4), body_len = wire_rd32(r + 8), gzip_len = wire_rd32(r + 16);
    uint32_t type_off = wire_rd32(r + 20), etag_off = wire_rd32(r + 24);
    uint32_t type_len = r[34], etag_len = r[35];
    if (r[36] == SITE_REDIRECT) {
        if (type_len != 0u || etag_len != 0u || gzip_len != 0u)
            return SITE_E_KIND;
        if (body_len < 1u || body_len > SITE_LOCATION_MAX || !text_ok(d + body_off, body_len))
            return SITE_E_TEXT;
        return 0;
    }
    if (type_len < 1u || !text_ok(d + type_off, type_len))
        return SITE_E_TEXT;
    if (etag_len < 1u || !text_ok(d + etag_off, etag_len))
        return SITE_E_TEXT;
    if (gzip_len != 0u && gzip_len >= body_len)
        return SITE_E_GZIP;
    return 0;
}

/* Checks 1 to 4 of entry record r, in order: 0, or the first failure. */
/*@ requires \valid_read(r + (0 .. SITE_ENTRY_LEN - 1));
  @ requires \valid_read(d + (0 .. dlen - 1));
  @ assigns \nothing;
  @ ensures \result == 0 <==> site_entry_rec_ok(r, d, dlen);
  @ ensures \result == 0 ==> SE_PATH_OFF(r) + SE_PATH_LEN(r) <= dlen;
  @ ensures \result == 0 || \result < 0;
  @*/
static int entry_rec_check(const uint8_t *r, const uint8_t *d, uint32_t dlen)
{
    if (!rec_kind_ok(r))
        return SITE_E_KIND;
    if (!rec_spans_ok(r, dlen))
        return SITE_E_SPAN;
    if (!rec_path_ok(r, d, dlen))
        return SITE_E_PATH;
    return rec_fields_ok(r, d, dlen);
}

/* Writes the parsed view of entry record r (index i) of a data section d
 * of dlen bytes, once every check has passed. Apart from the checks so
 * that the proof of the checks' result reads the record before any write
 * to *out, and the fifteen writes are reasoned about over r and d alone. */
/*@ requires \valid_read(r + (0 .. SITE_ENTRY_LEN - 1));
  @ requires \valid_read(d + (0 .. dlen - 1));
  @ requires site_entry_rec_ok(r, d, dlen);
  @ requires \valid(out);
  @ requires \separated(out, r + (0 .. SITE_ENTRY_LEN - 1));
  @ requires \separated(out, d + (0 .. dlen - 1));
  @ assigns *out;
  @ ensures site_entry_fields(out, r, d, i);
  @ ensures SITE_ENTRY_READABLE(out);
  @ ensures site_entry_safe(out);
  @*/
static void entry_fill(struct site_entry *out, const uint8_t *r, const uint8_t *d, uint32_t dlen, uint32_t i)
{
    (void)dlen; /* named by the contract: every span is inside d[0 .. dlen) */
    uint32_t kind = r[36];
    uint32_t body_off = wire_rd32(r + 4), body_len = wire_rd32(r + 8);
    out->index = i;
    out->kind = kind;
    out->mtime = wire_rd32(r + 28);
    out->path = d + wire_rd32(r);
    out->path_len = wire_rd16(r + 32);
    out->type = d + wire_rd32(r + 20);
    out->type_len = r[34];
    out->etag = d + wire_rd32(r + 24);
    out->etag_len = r[35];
    out->gzip = d + wire_rd32(r + 12);
    out->gzip_len = wire_rd32(r + 16);
    out->body = d + body_off;
    out->location = d + body_off;
    if (kind == SITE_REDIRECT) {
        out->body_len = 0;
        out->location_len = body_len;
    } else {
        out->body_len = body_len;
        out->location_len = 0;
    }
}

int site_entry_parse(const struct site_image *im, uint32_t i, struct site_entry *out)
{
    if (i >= im->entry_count)
        return SITE_E_RANGE;
    const uint8_t *r = im->base + (im->entries_off + (size_t)SITE_ENTRY_LEN * i);
    const uint8_t *d = im->base + im->data_off;
    uint32_t dlen = im->data_len;
    int rc = entry_rec_check(r, d, dlen);
    if (rc < 0)
        return rc;
    /* The layout as read before *out is written: the provers carry the
     * record's facts across the write through these names. */
    //@ ghost const uint8_t *b0 = im->base;
    //@ ghost uint32_t eoff0 = im->entries_off;
    //@ ghost uint32_t doff0 = im->data_off;
    //@ ghost uint32_t n0 = im->entry_count;
    //@ assert site_entry_at(b0, eoff0, doff0, dlen, n0, i);
    entry_fill(out, r, d, dlen, i);
    /*@ assert im->base == b0 && im->entries_off == eoff0 && im->data_off == doff0 &&
               im->data_len == dlen && im->entry_count == n0; */
    return SITE_ENTRY_LEN;
}

/* A slice record: 0, or why it is not a non-empty span of the data
 * section of dlen bytes. */
/*@ requires \valid_read(r + (0 .. SITE_SLICE_LEN - 1));
  @ assigns \nothing;
  @ ensures \result == 0 <==> site_slice_rec_ok(r, dlen);
  @ ensures \result == 0 ==> 1 <= SS_LEN(r) && SS_OFF(r) + SS_LEN(r) <= dlen;
  @ ensures \result == 0 || \result < 0;
  @*/
static int slice_rec_check(const uint8_t *r, uint32_t dlen)
{
    uint32_t off = wire_rd32(r), n = wire_rd32(r + 4);
    if (n < 1u)
        return SITE_E_SLICE;
    if (!span_ok(off, n, dlen))
        return SITE_E_SPAN;
    return 0;
}

/* A credential record: 0, or why not (a key in the data section of dlen
 * bytes, a certificate, slice ranges inside a table of nslice). */
/*@ requires \valid_read(r + (0 .. SITE_CRED_LEN - 1));
  @ assigns \nothing;
  @ ensures \result == 0 <==> site_cred_rec_ok(r, dlen, nslice);
  @ ensures \result == 0 || \result < 0;
  @*/
static int cred_rec_check(const uint8_t *r, uint32_t dlen, uint32_t nslice)
{
    uint32_t key_off = wire_rd32(r), key_len = wire_rd32(r + 4);
    uint32_t cert_first = wire_rd32(r + 8), cert_count = wire_rd32(r + 12);
    uint32_t name_first = wire_rd32(r + 16), name_count = wire_rd32(r + 20);
    if (!span_ok(key_off, key_len, dlen))
        return SITE_E_SPAN;
    if (key_len < 1u || cert_count < 1u)
        return SITE_E_CRED;
    if ((uint64_t)cert_first + cert_count > nslice || (uint64_t)name_first + name_count > nslice)
        return SITE_E_CRED;
    return 0;
}

int site_slice_parse(const struct site_image *im, uint32_t i, struct site_slice *out)
{
    if (i >= im->slice_count)
        return SITE_E_RANGE;
    const uint8_t *r = im->base + (im->slices_off + (size_t)SITE_SLICE_LEN * i);
    int rc = slice_rec_check(r, im->data_len);
    if (rc < 0)
        return rc;
    out->ptr = im->base + im->data_off + wire_rd32(r);
    out->len = wire_rd32(r + 4);
    return SITE_SLICE_LEN;
}

/* Writes the parsed view of credential record r (index i), once it has
 * passed its check; apart for the same reason as entry_fill. */
/*@ requires \valid_read(r + (0 .. SITE_CRED_LEN - 1));
  @ requires \valid_read(d + (0 .. dlen - 1));
  @ requires site_cred_rec_ok(r, dlen, nslice);
  @ requires \valid(out);
  @ requires \separated(out, r + (0 .. SITE_CRED_LEN - 1));
  @ assigns *out;
  @ ensures site_cred_fields(out, r, d, i);
  @ ensures \valid_read(out->key + (0 .. out->key_len - 1));
  @*/
static void cred_fill(struct site_cred *out, const uint8_t *r, const uint8_t *d, uint32_t dlen, uint32_t nslice,
                      uint32_t i)
{
    (void)dlen;   /* named by the contract: the key is inside d[0 .. dlen) */
    (void)nslice; /* and the slice ranges inside the table */
    out->index = i;
    out->key = d + wire_rd32(r);
    out->key_len = wire_rd32(r + 4);
    out->cert_first = wire_rd32(r + 8);
    out->cert_count = wire_rd32(r + 12);
    out->name_first = wire_rd32(r + 16);
    out->name_count = wire_rd32(r + 20);
}

int site_cred_parse(const struct site_image *im, uint32_t i, struct site_cred *out)
{
    if (i >= im->cred_count)
        return SITE_E_RANGE;
    const uint8_t *r = im->base + (im->creds_off + (size_t)SITE_CRED_LEN * i);
    const uint8_t *d = im->base + im->data_off;
    uint32_t dlen = im->data_len, nslice = im->slice_count;
    int rc = cred_rec_check(r, dlen, nslice);
    if (rc < 0)
        return rc;
    //@ ghost const uint8_t *b0 = im->base;
    //@ ghost uint32_t coff0 = im->creds_off;
    //@ ghost uint32_t doff0 = im->data_off;
    //@ ghost uint32_t n0 = im->cred_count;
    //@ assert site_cred_at(b0, coff0, dlen, nslice, n0, i);
    cred_fill(out, r, d, dlen, nslice, i);
    /*@ assert im->base == b0 && im->creds_off == coff0 && im->data_off == doff0 &&
               im->data_len == dlen && im->slice_count == nslice && im->cred_count == n0; */
    return SITE_CRED_LEN;
}

int site_cred_cert(const struct site_image *im, const struct site_cred *c, uint32_t j, struct site_slice *out)
{
    if (j >= c->cert_count)
        return SITE_E_RANGE;
    uint64_t s = (uint64_t)c->cert_first + j;
    if (s >= im->slice_count)
        return SITE_E_RANGE;
    return site_slice_parse(im, (uint32_t)s, out);
}

int site_cred_name(const struct site_image *im, const struct site_cred *c, uint32_t j, struct site_slice *out)
{
    if (j >= c->name_count)
        return SITE_E_RANGE;
    uint64_t s = (uint64_t)c->name_first + j;
    if (s >= im->slice_count)
        return SITE_E_RANGE;
    int rc = site_slice_parse(im, (uint32_t)s, out);
    if (rc < 0)
        return rc;
    /* checked here too: c may not come from site_cred_parse */
    if (!name_ok(out->ptr, out->len))
        return SITE_E_TEXT;
    return rc;
}

int site_path_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    size_t n = an;
    if (bn < n)
        n = bn;
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer j; 0 <= j < i ==> a[j] == b[j];
        loop assigns i;
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            if (a[i] < b[i]) {
                //@ assert site_lt_at(a, an, b, bn, i);
                return -1;
            }
            //@ assert site_lt_at(b, bn, a, an, i);
            return 1;
        }
    }
    if (an < bn) {
        //@ assert site_lt_at(a, an, b, bn, an);
        return -1;
    }
    if (an > bn) {
        //@ assert site_lt_at(b, bn, a, an, bn);
        return 1;
    }
    return 0;
}

/* The check loops below state their invariants over local copies of the
 * image's layout (base, offsets, counts): the record views they write
 * (e, c, s) share memory with a struct site_image, never with the image
 * bytes, so facts about the bytes stay true from one iteration to the
 * next without a separation argument. */

/* Every entry valid, paths strictly increasing. */
/*@ requires \valid_read(im) && site_image_inv(im);
  @ assigns \nothing;
  @ ensures \result == 0 || \result < 0;
  @ ensures \result == 0 ==> \forall integer i; 0 <= i < im->entry_count ==> site_entry_ok(im, i);
  @ ensures \result == 0 ==> \forall integer i; 1 <= i < im->entry_count ==> site_ordered_at(im, i);
  @*/
static int check_entries(const struct site_image *im)
{
    uint32_t n = im->entry_count;
    const uint8_t *base = im->base;
    uint32_t eoff = im->entries_off, doff = im->data_off, dlen = im->data_len;
    const uint8_t *d = base + doff;
    const uint8_t *prev = base;
    size_t prev_len = 0;
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> site_entry_at(base, eoff, doff, dlen, n, k);
        loop invariant \forall integer k; 1 <= k < i ==> site_ordered(base, eoff, doff, k);
        loop invariant i >= 1 ==> prev == SI_PATH_AT(base, eoff, doff, i - 1);
        loop invariant i >= 1 ==> prev_len == SI_PATH_LEN_AT(base, eoff, i - 1);
        loop invariant i >= 1 ==> \valid_read(prev + (0 .. prev_len - 1));
        loop assigns i, prev, prev_len;
        loop variant n - i;
    */
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *r = base + (eoff + (size_t)SITE_ENTRY_LEN * i);
        int rc = entry_rec_check(r, d, dlen);
        if (rc < 0)
            return rc;
        //@ assert site_entry_at(base, eoff, doff, dlen, n, i);
        const uint8_t *path = d + wire_rd32(r);
        size_t path_len = wire_rd16(r + 32);
        //@ assert \valid_read(path + (0 .. path_len - 1));
        //@ assert path == SI_PATH_AT(base, eoff, doff, i) && path_len == SI_PATH_LEN_AT(base, eoff, i);
        if (i >= 1u && site_path_cmp(prev, prev_len, path, path_len) >= 0)
            return SITE_E_ORDER;
        //@ assert i >= 1 ==> site_ordered(base, eoff, doff, i);
        prev = path;
        prev_len = path_len;
    }
    return 0;
}

/*@ requires \valid_read(im) && site_image_inv(im);
  @ assigns \nothing;
  @ ensures \result == 0 || \result < 0;
  @ ensures \result == 0 ==> \forall integer i; 0 <= i < im->slice_count ==> site_slice_ok(im, i);
  @*/
static int check_slices(const struct site_image *im)
{
    uint32_t n = im->slice_count;
    const uint8_t *base = im->base;
    uint32_t soff = im->slices_off, dlen = im->data_len;
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> site_slice_at(base, soff, dlen, n, k);
        loop assigns i;
        loop variant n - i;
    */
    for (uint32_t i = 0; i < n; i++) {
        int rc = slice_rec_check(base + (soff + (size_t)SITE_SLICE_LEN * i), dlen);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The names of credential i: printable without space. Reads the slice
 * records in place rather than through site_slice_parse: a view written
 * to a local would have to be proved apart from *im at every step. */
/*@ requires \valid_read(im) && site_image_inv(im);
  @ requires site_cred_ok(im, i);
  @ assigns \nothing;
  @ ensures \result == 0 || \result < 0;
  @ ensures \result == 0 ==> site_cred_names(im, i);
  @*/
static int check_names(const struct site_image *im, uint32_t i)
{
    const uint8_t *base = im->base;
    uint32_t soff = im->slices_off, doff = im->data_off, dlen = im->data_len;
    const uint8_t *r = base + (im->creds_off + (size_t)SITE_CRED_LEN * i);
    uint32_t first = wire_rd32(r + 16), count = wire_rd32(r + 20);
    /*@ loop invariant 0 <= j <= count;
        loop invariant \forall integer k; first <= k < first + j ==> site_name_at(base, soff, doff, k);
        loop assigns j;
        loop variant count - j;
    */
    for (uint32_t j = 0; j < count; j++) {
        uint32_t k = first + j;
        const uint8_t *s = base + (soff + (size_t)SITE_SLICE_LEN * k);
        //@ assert s == SI_REC(base, soff, SITE_SLICE_LEN, k);
        int rc = slice_rec_check(s, dlen);
        if (rc < 0)
            return rc;
        uint32_t off = wire_rd32(s), n = wire_rd32(s + 4);
        //@ assert off + n <= dlen;
        //@ assert doff + off + n <= im->len;
        //@ assert \valid_read(base + (doff + off .. doff + off + n - 1));
        if (!name_ok(base + doff + off, n))
            return SITE_E_TEXT;
        //@ assert site_name_at(base, soff, doff, k);
    }
    return 0;
}

/* Every credential valid and its names printable without space. */
/*@ requires \valid_read(im) && site_image_inv(im);
  @ assigns \nothing;
  @ ensures \result == 0 || \result < 0;
  @ ensures \result == 0 ==> \forall integer i; 0 <= i < im->cred_count ==> site_cred_ok(im, i);
  @ ensures \result == 0 ==> \forall integer i; 0 <= i < im->cred_count ==> site_cred_names(im, i);
  @*/
static int check_creds(const struct site_image *im)
{
    uint32_t n = im->cred_count;
    const uint8_t *base = im->base;
    uint32_t coff = im->creds_off;
    //@ ghost uint32_t soff = im->slices_off;
    //@ ghost uint32_t doff = im->data_off;
    uint32_t dlen = im->data_len, nslice = im->slice_count;
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> site_cred_at(base, coff, dlen, nslice, n, k);
        loop invariant \forall integer k; 0 <= k < i ==> site_cred_names_at(base, coff, soff, doff, k);
        loop assigns i;
        loop variant n - i;
    */
    for (uint32_t i = 0; i < n; i++) {
        int rc = cred_rec_check(base + (coff + (size_t)SITE_CRED_LEN * i), dlen, nslice);
        if (rc < 0)
            return rc;
        rc = check_names(im, i);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int site_image_check(const struct site_image *im)
{
    int rc = check_entries(im);
    if (rc < 0)
        return rc;
    if (im->not_found != SITE_NONE) {
        const uint8_t *r = im->base + (im->entries_off + (size_t)SITE_ENTRY_LEN * im->not_found);
        if (r[36] != SITE_FILE)
            return SITE_E_NOT_FOUND;
    }
    rc = check_slices(im);
    if (rc < 0)
        return rc;
    return check_creds(im);
}

int site_lookup(const struct site_image *im, const uint8_t *path, size_t path_len, struct site_entry *out)
{
    uint32_t lo = 0, hi = im->entry_count;
    /*@ loop invariant 0 <= lo <= hi <= im->entry_count;
        loop assigns lo, hi, *out;
        loop variant hi - lo;
    */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        int rc = site_entry_parse(im, mid, out);
        if (rc < 0)
            return rc;
        int c = site_path_cmp(out->path, out->path_len, path, path_len);
        if (c == 0)
            return 1;
        if (c > 0)
            hi = mid;
        else
            lo = mid + 1u;
    }
    return 0;
}

int site_not_found(const struct site_image *im, struct site_entry *out)
{
    if (im->not_found == SITE_NONE)
        return 0;
    int rc = site_entry_parse(im, im->not_found, out);
    if (rc < 0)
        return rc;
    return 1;
}
