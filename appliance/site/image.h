/* SPDX-License-Identifier: Apache-2.0 */
/* The read-only site image: one file holding a whole static site (paths,
 * bodies, their metadata) and the TLS credentials it is served with. The
 * packer (build/atoll-pack, appliance/pack/) writes it; the appliance
 * maps it read-only (a file on the tap, a boot module under PVH) and serves
 * bodies straight out of it.
 *
 * This file is the format's reference. Loading and lookup are pure: no I/O,
 * no allocation, no global state; the caller hands in the image bytes and
 * every pointer handed back points into them.
 *
 * ## Format, version 1
 *
 * All integers are big-endian and unsigned. Offsets inside records are
 * relative to the start of the data section; the header's section offsets
 * are relative to the start of the image. An image is at most 2^32 - 1
 * bytes.
 *
 *   +----------------------+  0
 *   | header (64 bytes)    |
 *   +----------------------+  entries_off (= 64)
 *   | entry records        |  entry_count x 40 bytes, sorted by path
 *   +----------------------+  creds_off
 *   | credential records   |  cred_count x 24 bytes
 *   +----------------------+  slices_off
 *   | slice records        |  slice_count x 8 bytes
 *   +----------------------+  data_off
 *   | data (strings,       |  data_len bytes, no structure of its own:
 *   |  bodies, DER blobs)  |  everything else points into it
 *   +----------------------+  data_off + data_len
 *   | SHA-256 (32 bytes)   |  over every byte before it
 *   +----------------------+  image length
 *
 * Sections are back to back in that order, with no gaps: the offsets are
 * redundant on purpose, and the loader checks each against the layout.
 *
 * Header:
 *    0  8  magic "ATOLLIMG"
 *    8  2  version (1)
 *   10  2  header length (64)
 *   12  4  flags (0; a reader of this version refuses any other value)
 *   16  4  image length in bytes, digest included
 *   20  4  entry_count
 *   24  4  entries_off
 *   28  4  cred_count
 *   32  4  creds_off
 *   36  4  slice_count
 *   40  4  slices_off
 *   44  4  data_off
 *   48  4  data_len
 *   52  4  index of the entry served with 404 responses (the site's own
 *          /404.html), or 0xffffffff for none
 *   56  8  reserved, zero
 *
 * Entry record (one per path; the table is sorted by path, bytes compared
 * as unsigned, a proper prefix first; no two paths are equal):
 *    0  4  path offset         path: the lookup key, see below
 *    4  4  body offset         SITE_REDIRECT: the Location value
 *    8  4  body length
 *   12  4  gzip offset         the gzip-encoded variant of the body
 *   16  4  gzip length         0: none (stored only when smaller than the body)
 *   20  4  content-type offset
 *   24  4  etag offset
 *   28  4  mtime               Last-Modified, unix seconds
 *   32  2  path length         1 .. SITE_PATH_MAX
 *   34  1  content-type length
 *   35  1  etag length
 *   36  1  kind                SITE_FILE, SITE_INDEX or SITE_REDIRECT
 *   37  3  reserved, zero
 *
 * Kinds:
 *   SITE_FILE      a regular file, e.g. /blog/post.html. Its path does not
 *                  end in '/'.
 *   SITE_INDEX     a directory with an index.html, e.g. /blog/: body, type,
 *                  etag, mtime and gzip variant are those of /blog/index.html
 *                  (the same bytes in the data section, stored once). Its
 *                  path ends in '/'.
 *   SITE_REDIRECT  e.g. /blog -> /blog/: the server answers 301 with the
 *                  body span as the Location value (percent-encoded,
 *                  1 .. SITE_LOCATION_MAX bytes). Type, etag and gzip
 *                  lengths are 0.
 * For files and indexes the content type and ETag are non-empty. Every
 * string that may reach a response header (content type, ETag, Location)
 * is printable ASCII or space (0x20 .. 0x7e): no CR, LF or NUL.
 *
 * Paths are the DECODED form of the URL path: the bytes of the file's
 * name relative to the site directory (UTF-8), with a leading '/'. A
 * server looks up the percent-decoded, dot-segment-normalised request path
 * (so "/a%20b.html" finds the file "a b.html"). Paths never hold a control
 * byte (0x00 .. 0x1f, 0x7f); the packer also refuses '?', '#', '\\' and
 * invalid UTF-8, so every key has exactly one URL. Redirect Locations are
 * stored percent-encoded, ready for the header.
 *
 * ETags are strong, quoted (e.g. "\"3f2a...\""), derived from the SHA-256
 * of the body, so identical content gets an identical ETag whatever its
 * name or date. A server that sends the gzip variant must send a distinct
 * strong ETag for it (RFC 9110 8.8.3): by convention the entry's ETag with
 * "-gz" inserted before the closing quote.
 *
 * Credential record (one per certificate/key pair; SNI picks among them):
 *    0  4  private key offset  DER (as mbedtls_pk_write_key_der writes it)
 *    4  4  private key length  >= 1
 *    8  4  first certificate   index into the slice table
 *   12  4  certificate count   >= 1: the chain as DER, leaf first
 *   16  4  first name          index into the slice table
 *   20  4  name count          the leaf's DNS names (lower case, maybe
 *                              "*.example.com"), printable ASCII, no space
 *
 * Slice record (a blob in the data section):
 *    0  4  offset
 *    4  4  length              >= 1
 *
 * The image holds the private keys: keep it as secret as the key files.
 *
 * ## Loading
 *
 * site_image_open() checks everything before anything is served: the
 * header (site_header_parse), the digest, then every record
 * (site_image_check): every span inside the data section (offset + length
 * computed without wrap), paths well formed, sorted and unique, strings
 * header-safe, kinds and their fields consistent, the 404 entry a file,
 * credentials and their slice ranges in bounds. After a successful open the
 * lookups below cannot fail on a malformed record; they still check each
 * record they read, so no caller can make them read outside the image.
 *
 * The parse/check/lookup functions (site_image_wire.c) are proved with
 * Frama-C WP + RTE against the contracts below (spec/site_image.acsl.h);
 * the digest (site_image.c, mbedtls SHA-256) is not part of the proof. */
#ifndef ATOLL_SITE_IMAGE_H
#define ATOLL_SITE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define SITE_VERSION 1
#define SITE_HDR_LEN 64
#define SITE_DIGEST_LEN 32
#define SITE_ENTRY_LEN 40
#define SITE_CRED_LEN 24
#define SITE_SLICE_LEN 8
#define SITE_NONE 0xffffffffu        /* no 404 entry */
#define SITE_IMAGE_MAX 0xffffffffu   /* bytes in an image, digest included */
#define SITE_PATH_MAX 1024           /* bytes in a (decoded) path */
#define SITE_LOCATION_MAX 4096       /* bytes in a redirect Location */
#define SITE_TYPE_MAX 255            /* bytes in a content type */
#define SITE_ETAG_MAX 255            /* bytes in an ETag, quotes included */

/* Entry kinds. */
#define SITE_FILE 1u
#define SITE_INDEX 2u
#define SITE_REDIRECT 3u

enum site_err {
    SITE_E_TRUNC = -1,      /* shorter than a header and a digest */
    SITE_E_MAGIC = -2,      /* not a site image */
    SITE_E_VERSION = -3,    /* a version this build does not read */
    SITE_E_HEADER = -4,     /* header length, flags or reserved fields */
    SITE_E_LENGTH = -5,     /* the header's image length is not the buffer's */
    SITE_E_LAYOUT = -6,     /* section offsets/sizes do not tile the image */
    SITE_E_DIGEST = -7,     /* SHA-256 mismatch: the image is corrupted */
    SITE_E_SPAN = -8,       /* a record points outside the data section */
    SITE_E_PATH = -9,       /* a path is empty, too long, lacks '/', holds a control byte, or its kind disagrees with its trailing '/' */
    SITE_E_KIND = -10,      /* unknown kind, reserved bytes set, or fields its kind does not use */
    SITE_E_TEXT = -11,      /* content type, ETag, Location or DNS name empty, too long or not printable */
    SITE_E_GZIP = -12,      /* a gzip variant not smaller than its body */
    SITE_E_ORDER = -13,     /* the index is not sorted or holds a path twice */
    SITE_E_NOT_FOUND = -14, /* the 404 entry is out of range or not a file */
    SITE_E_CRED = -15,      /* a credential without key or certificate, or a slice range out of the table */
    SITE_E_RANGE = -16,     /* record index out of range (accessors) */
    SITE_E_SLICE = -17      /* an empty slice */
};

/* A checked image: where it is and where its sections are. Filled by
 * site_header_parse/site_image_open; read-only afterwards. */
struct site_image {
    const uint8_t *base;  /* the image, len bytes */
    size_t len;
    uint32_t entry_count, entries_off;
    uint32_t cred_count, creds_off;
    uint32_t slice_count, slices_off;
    uint32_t data_off, data_len;
    uint32_t not_found;   /* entry index of the 404 page, or SITE_NONE */
};

/* One index entry, as pointers into the image. A pointer with length 0 is
 * still a valid address inside the image (never NULL). */
struct site_entry {
    uint32_t index;                 /* position in the index */
    uint32_t kind;                  /* SITE_FILE, SITE_INDEX, SITE_REDIRECT */
    const uint8_t *path;            /* decoded path, starts with '/' */
    size_t path_len;                /* 1 .. SITE_PATH_MAX */
    const uint8_t *type;            /* Content-Type value; empty for redirects */
    size_t type_len;
    const uint8_t *etag;            /* strong ETag, quotes included; empty for redirects */
    size_t etag_len;
    uint32_t mtime;                 /* Last-Modified, unix seconds */
    const uint8_t *body;            /* identity body; empty for redirects */
    size_t body_len;
    const uint8_t *gzip;            /* gzip variant, when gzip_len > 0 */
    size_t gzip_len;                /* 0: none; else < body_len */
    const uint8_t *location;        /* SITE_REDIRECT: Location value; else empty */
    size_t location_len;
};

/* One certificate/key pair. Certificate j (0 = leaf) is slice
 * cert_first + j, DNS name j is slice name_first + j (site_cred_cert,
 * site_cred_name). */
struct site_cred {
    uint32_t index;
    const uint8_t *key;             /* private key, DER */
    size_t key_len;
    uint32_t cert_first, cert_count;
    uint32_t name_first, name_count;
};

struct site_slice {
    const uint8_t *ptr;
    size_t len;
};

#include "spec/site_image.acsl.h"

/*@ // The fields of a parsed entry e: record r (entry i) of an image whose
    // data section starts at d, as the record gives them.
    predicate site_entry_fields{L}(struct site_entry *e, uint8_t *r, uint8_t *d, integer i) =
      e->index == i && e->kind == SE_KIND(r) && e->mtime == SE_MTIME(r) &&
      e->path == d + SE_PATH_OFF(r) && e->path_len == SE_PATH_LEN(r) &&
      e->type == d + SE_TYPE_OFF(r) && e->type_len == SE_TYPE_LEN(r) &&
      e->etag == d + SE_ETAG_OFF(r) && e->etag_len == SE_ETAG_LEN(r) &&
      e->gzip == d + SE_GZIP_OFF(r) && e->gzip_len == SE_GZIP_LEN(r) &&
      e->body == d + SE_BODY_OFF(r) && e->location == d + SE_BODY_OFF(r) &&
      (e->kind == SITE_REDIRECT ==> e->body_len == 0 && e->location_len == SE_BODY_LEN(r)) &&
      (e->kind != SITE_REDIRECT ==> e->body_len == SE_BODY_LEN(r) && e->location_len == 0);

    // The same for entry record i of the image im.
    predicate site_entry_view{L}(struct site_image *im, integer i, struct site_entry *e) =
      site_entry_fields(e, SI_ENTRY(im, i), SI_DATA(im), i);

    // What a server may rely on in a parsed entry, whatever the image held:
    // a well-formed path, header-safe strings, the kind's fields.
    predicate site_entry_safe{L}(struct site_entry *e) =
      site_path(e->path, e->path_len) &&
      (e->kind == SITE_FILE || e->kind == SITE_INDEX || e->kind == SITE_REDIRECT) &&
      (e->kind == SITE_REDIRECT ==>
         1 <= e->location_len <= SITE_LOCATION_MAX && site_text(e->location, e->location_len) &&
         e->body_len == 0 && e->type_len == 0 && e->etag_len == 0 && e->gzip_len == 0) &&
      (e->kind != SITE_REDIRECT ==>
         1 <= e->type_len <= SITE_TYPE_MAX && site_text(e->type, e->type_len) &&
         1 <= e->etag_len <= SITE_ETAG_MAX && site_text(e->etag, e->etag_len) &&
         e->location_len == 0 && (e->gzip_len == 0 || e->gzip_len < e->body_len));

    // A parsed credential c: record r (credential i) of an image whose data
    // section starts at d.
    predicate site_cred_fields{L}(struct site_cred *c, uint8_t *r, uint8_t *d, integer i) =
      c->index == i && c->key == d + SC_KEY_OFF(r) && c->key_len == SC_KEY_LEN(r) &&
      c->cert_first == SC_CERT_FIRST(r) && c->cert_count == SC_CERT_COUNT(r) &&
      c->name_first == SC_NAME_FIRST(r) && c->name_count == SC_NAME_COUNT(r);

    predicate site_cred_view{L}(struct site_image *im, integer i, struct site_cred *c) =
      site_cred_fields(c, SI_CRED(im, i), SI_DATA(im), i);

    predicate site_slice_view{L}(struct site_image *im, integer i, struct site_slice *s) =
      s->ptr == SI_DATA(im) + SS_OFF(SI_SLICE(im, i)) && s->len == SS_LEN(SI_SLICE(im, i));
*/

/* Every pointer of a parsed entry is readable for its length. */
#define SITE_ENTRY_READABLE(e)                                                                            \
    (\valid_read((e)->path + (0 .. (e)->path_len - 1)) && \valid_read((e)->type + (0 .. (e)->type_len - 1)) && \
     \valid_read((e)->etag + (0 .. (e)->etag_len - 1)) && \valid_read((e)->body + (0 .. (e)->body_len - 1)) && \
     \valid_read((e)->gzip + (0 .. (e)->gzip_len - 1)) &&                                                   \
     \valid_read((e)->location + (0 .. (e)->location_len - 1)))

/* ---- Loading (site_image.c) ---- */

/* Checks the whole image (header, digest, every record) and fills *out.
 * Returns 0, or a negative enum site_err (site_image_strerror says which
 * check failed). *out is meaningful only after success. */
int site_image_open(const uint8_t *img, size_t len, struct site_image *out);

/* A one-line English description of a site_err (or "ok" for 0). */
const char *site_image_strerror(int err);

/* The image's digest, as stored in its last SITE_DIGEST_LEN bytes; an
 * image's identity (logs, --list). */
const uint8_t *site_image_digest(const struct site_image *im);

/* ---- Lookup (site_image_wire.c, proved) ---- */

/* Finds the entry whose path is exactly path[0 .. path_len-1] (decoded,
 * normalised; see above) by binary search. Returns 1 and fills *out when
 * found, 0 when no entry has that path, or a negative site_err if a
 * record it reads is malformed (never after a successful site_image_open). */
/*@ requires \valid_read(im) && site_image_inv(im);
  @ requires \valid_read(path + (0 .. path_len - 1));
  @ requires \valid(out);
  @ requires \separated(out, im);
  @ requires \separated(out, im->base + (0 .. im->len - 1));
  @ requires \separated(out, path + (0 .. path_len - 1));
  @ assigns *out;
  @ ensures \result == 1 || \result == 0 || \result < 0;
  @ ensures \result == 1 ==> site_entry_ok(im, out->index) && site_entry_view(im, out->index, out);
  @ ensures \result == 1 ==> SITE_ENTRY_READABLE(out) && site_entry_safe(out);
  @ ensures \result == 1 ==> site_same(out->path, out->path_len, path, path_len);
  @*/
int site_lookup(const struct site_image *im, const uint8_t *path, size_t path_len, struct site_entry *out);

/* The site's own 404 page: 1 and *out when the image has one, else 0. */
/*@ requires \valid_read(im) && site_image_inv(im);
  @ requires \valid(out);
  @ requires \separated(out, im);
  @ requires \separated(out, im->base + (0 .. im->len - 1));
  @ assigns *out;
  @ ensures \result == 1 || \result == 0 || \result < 0;
  @ ensures \result == 1 ==> im->not_found != SITE_NONE && site_entry_ok(im, im->not_found) &&
  @                          site_entry_view(im, im->not_found, out);
  @ ensures \result == 1 ==> SITE_ENTRY_READABLE(out) && site_entry_safe(out);
  @ ensures im->not_found == SITE_NONE ==> \result == 0;
  @*/
int site_not_found(const struct site_image *im, struct site_entry *out);

/* ---- Record views (site_image_wire.c, proved) ---- */

/* Reads and checks the 64-byte header of an image of len bytes and fills
 * *out with its layout. Returns SITE_HDR_LEN, or a negative site_err. Does
 * not check the digest or the records (site_image_open does). */
/*@ requires \valid_read(img + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(img + (0 .. len - 1), out);
  @ assigns *out;
  @ behavior trunc:
  @   assumes len < SITE_HDR_LEN + SITE_DIGEST_LEN;
  @   assigns \nothing;
  @   ensures \result == SITE_E_TRUNC;
  @ behavior magic:
  @   assumes len >= SITE_HDR_LEN + SITE_DIGEST_LEN && !SI_MAGIC_OK(img);
  @   assigns \nothing;
  @   ensures \result == SITE_E_MAGIC;
  @ behavior version:
  @   assumes len >= SITE_HDR_LEN + SITE_DIGEST_LEN && SI_MAGIC_OK(img);
  @   assumes SI_VERSION(img) != SITE_VERSION;
  @   assigns \nothing;
  @   ensures \result == SITE_E_VERSION;
  @ behavior layout:
  @   assumes len >= SITE_HDR_LEN + SITE_DIGEST_LEN && SI_MAGIC_OK(img);
  @   assumes SI_VERSION(img) == SITE_VERSION;
  @   ensures \result == SITE_HDR_LEN <==> site_hdr_ok(img, len);
  @   ensures \result == SITE_HDR_LEN || \result < 0;
  @   ensures \result == SITE_HDR_LEN ==> site_image_inv(out) && out->base == img && out->len == len;
  @   ensures \result == SITE_HDR_LEN ==>
  @           out->entry_count == SI_ENTRY_COUNT(img) && out->cred_count == SI_CRED_COUNT(img) &&
  @           out->slice_count == SI_SLICE_COUNT(img) && out->data_off == SI_DATA_OFF(img) &&
  @           out->data_len == SI_DATA_LEN(img) && out->not_found == SI_NOT_FOUND(img);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int site_header_parse(const uint8_t *img, size_t len, struct site_image *out);

/* Checks every record of an image whose header site_header_parse accepted:
 * entries (spans, paths, kinds, text, gzip), their order, the 404 entry,
 * slices, credentials and their names. Returns 0 or a negative site_err. */
/*@ requires \valid_read(im) && site_image_inv(im);
  @ assigns \nothing;
  @ ensures \result == 0 || \result < 0;
  @ ensures \result == 0 ==> \forall integer i; 0 <= i < im->entry_count ==> site_entry_ok(im, i);
  @ ensures \result == 0 ==> \forall integer i; 1 <= i < im->entry_count ==> site_ordered_at(im, i);
  @ ensures \result == 0 && im->not_found != SITE_NONE ==>
  @         SE_KIND(SI_ENTRY(im, im->not_found)) == SITE_FILE;
  @ ensures \result == 0 ==> \forall integer i; 0 <= i < im->slice_count ==> site_slice_ok(im, i);
  @ ensures \result == 0 ==> \forall integer i; 0 <= i < im->cred_count ==> site_cred_ok(im, i);
  @ ensures \result == 0 ==> \forall integer i; 0 <= i < im->cred_count ==> site_cred_names(im, i);
  @*/
int site_image_check(const struct site_image *im);

/* Entry record i. Returns SITE_ENTRY_LEN and fills *out, or a negative
 * site_err (SITE_E_RANGE when i >= entry_count). */
/*@ requires \valid_read(im) && site_image_inv(im);
  @ requires \valid(out);
  @ requires \separated(out, im);
  @ requires \separated(out, im->base + (0 .. im->len - 1));
  @ assigns *out;
  @ ensures \result == SITE_ENTRY_LEN <==> site_entry_ok(im, i);
  @ ensures \result == SITE_ENTRY_LEN || \result < 0;
  @ ensures \result == SITE_ENTRY_LEN ==> SITE_ENTRY_READABLE(out);
  @ ensures \result == SITE_ENTRY_LEN ==> site_entry_safe(out);
  @ ensures \result == SITE_ENTRY_LEN ==> site_entry_view(im, i, out);
  @*/
int site_entry_parse(const struct site_image *im, uint32_t i, struct site_entry *out);

/* Credential record i. Returns SITE_CRED_LEN and fills *out, or a negative
 * site_err. */
/*@ requires \valid_read(im) && site_image_inv(im);
  @ requires \valid(out);
  @ requires \separated(out, im);
  @ requires \separated(out, im->base + (0 .. im->len - 1));
  @ assigns *out;
  @ ensures \result == SITE_CRED_LEN <==> site_cred_ok(im, i);
  @ ensures \result == SITE_CRED_LEN || \result < 0;
  @ ensures \result == SITE_CRED_LEN ==> \valid_read(out->key + (0 .. out->key_len - 1));
  @ ensures \result == SITE_CRED_LEN ==> site_cred_view(im, i, out);
  @*/
int site_cred_parse(const struct site_image *im, uint32_t i, struct site_cred *out);

/* Slice record i. Returns SITE_SLICE_LEN and fills *out, or a negative
 * site_err. */
/*@ requires \valid_read(im) && site_image_inv(im);
  @ requires \valid(out);
  @ requires \separated(out, im);
  @ requires \separated(out, im->base + (0 .. im->len - 1));
  @ assigns *out;
  @ ensures \result == SITE_SLICE_LEN <==> site_slice_ok(im, i);
  @ ensures \result == SITE_SLICE_LEN || \result < 0;
  @ ensures \result == SITE_SLICE_LEN ==> \valid_read(out->ptr + (0 .. out->len - 1));
  @ ensures \result == SITE_SLICE_LEN ==> site_slice_view(im, i, out);
  @*/
int site_slice_parse(const struct site_image *im, uint32_t i, struct site_slice *out);

/* Certificate j (0 = leaf) and DNS name j of credential c: the slices
 * c->cert_first + j and c->name_first + j. Return SITE_SLICE_LEN, or
 * SITE_E_RANGE when j is past the count, or another negative site_err. */
/*@ requires \valid_read(im) && site_image_inv(im);
  @ requires \valid_read(c);
  @ requires \valid(out);
  @ requires \separated(out, im);
  @ requires \separated(out, c);
  @ requires \separated(out, im->base + (0 .. im->len - 1));
  @ assigns *out;
  @ ensures \result == SITE_SLICE_LEN || \result < 0;
  @ ensures \result == SITE_SLICE_LEN ==> j < c->cert_count && site_slice_view(im, c->cert_first + j, out);
  @ ensures \result == SITE_SLICE_LEN ==> \valid_read(out->ptr + (0 .. out->len - 1));
  @*/
int site_cred_cert(const struct site_image *im, const struct site_cred *c, uint32_t j, struct site_slice *out);

/*@ requires \valid_read(im) && site_image_inv(im);
  @ requires \valid_read(c);
  @ requires \valid(out);
  @ requires \separated(out, im);
  @ requires \separated(out, c);
  @ requires \separated(out, im->base + (0 .. im->len - 1));
  @ assigns *out;
  @ ensures \result == SITE_SLICE_LEN || \result < 0;
  @ ensures \result == SITE_SLICE_LEN ==> j < c->name_count && site_slice_view(im, c->name_first + j, out);
  @ ensures \result == SITE_SLICE_LEN ==> \valid_read(out->ptr + (0 .. out->len - 1));
  @ ensures \result == SITE_SLICE_LEN ==> site_name(out->ptr, out->len);
  @*/
int site_cred_name(const struct site_image *im, const struct site_cred *c, uint32_t j, struct site_slice *out);

/* Compares two paths as the index orders them: bytes as unsigned, a
 * proper prefix first. Returns -1, 0 or 1. */
/*@ requires \valid_read(a + (0 .. an - 1));
  @ requires \valid_read(b + (0 .. bn - 1));
  @ assigns \nothing;
  @ ensures \result == -1 || \result == 0 || \result == 1;
  @ ensures \result == 0 <==> site_same(a, an, b, bn);
  @ ensures \result < 0 ==> site_lt(a, an, b, bn);
  @ ensures \result > 0 ==> site_lt(b, bn, a, an);
  @*/
int site_path_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn);

#endif
