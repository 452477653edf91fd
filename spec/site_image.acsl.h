/* SPDX-License-Identifier: Apache-2.0 */
/* The read-only site image (appliance/site/image.h) as ACSL logic. Logic
 * only: this header declares no C objects. It is included by site_image.h
 * after the format constants and struct site_image, which it names.
 *
 * Every offset and length below is an unbounded logic integer, so the
 * bounds written here cannot wrap; the C code must compute the same bounds
 * without wrapping for the proof to go through. */
#ifndef ATOLL_SPEC_SITE_IMAGE_ACSL_H
#define ATOLL_SPEC_SITE_IMAGE_ACSL_H

#include "spec/wire.acsl.h"

/* Header fields at b, the start of the image. The magic is "ATOLLIMG". */
#define SI_MAGIC_OK(b)                                                                                    \
    ((b)[0] == 0x41 && (b)[1] == 0x54 && (b)[2] == 0x4f && (b)[3] == 0x4c && (b)[4] == 0x4c &&          \
     (b)[5] == 0x49 && (b)[6] == 0x4d && (b)[7] == 0x47)
#define SI_VERSION(b) BE16((b) + 8)
#define SI_HDR_SIZE(b) BE16((b) + 10)
#define SI_FLAGS(b) BE32((b) + 12)
#define SI_IMAGE_LEN(b) BE32((b) + 16)
#define SI_ENTRY_COUNT(b) BE32((b) + 20)
#define SI_ENTRIES_OFF(b) BE32((b) + 24)
#define SI_CRED_COUNT(b) BE32((b) + 28)
#define SI_CREDS_OFF(b) BE32((b) + 32)
#define SI_SLICE_COUNT(b) BE32((b) + 36)
#define SI_SLICES_OFF(b) BE32((b) + 40)
#define SI_DATA_OFF(b) BE32((b) + 44)
#define SI_DATA_LEN(b) BE32((b) + 48)
#define SI_NOT_FOUND(b) BE32((b) + 52)
#define SI_RESERVED0(b) BE32((b) + 56)
#define SI_RESERVED1(b) BE32((b) + 60)

/* Fields of the entry record at r (SITE_ENTRY_LEN bytes). */
#define SE_PATH_OFF(r) BE32(r)
#define SE_BODY_OFF(r) BE32((r) + 4)
#define SE_BODY_LEN(r) BE32((r) + 8)
#define SE_GZIP_OFF(r) BE32((r) + 12)
#define SE_GZIP_LEN(r) BE32((r) + 16)
#define SE_TYPE_OFF(r) BE32((r) + 20)
#define SE_ETAG_OFF(r) BE32((r) + 24)
#define SE_MTIME(r) BE32((r) + 28)
#define SE_PATH_LEN(r) BE16((r) + 32)
#define SE_TYPE_LEN(r) ((r)[34])
#define SE_ETAG_LEN(r) ((r)[35])
#define SE_KIND(r) ((r)[36])

/* Fields of the credential record at r (SITE_CRED_LEN bytes). */
#define SC_KEY_OFF(r) BE32(r)
#define SC_KEY_LEN(r) BE32((r) + 4)
#define SC_CERT_FIRST(r) BE32((r) + 8)
#define SC_CERT_COUNT(r) BE32((r) + 12)
#define SC_NAME_FIRST(r) BE32((r) + 16)
#define SC_NAME_COUNT(r) BE32((r) + 20)

/* Fields of the slice record at r (SITE_SLICE_LEN bytes). */
#define SS_OFF(r) BE32(r)
#define SS_LEN(r) BE32((r) + 4)

/* Record i of each table, and the data section, of an image whose bytes
 * start at b, with its tables and data at the offsets given. The
 * predicates below take these as plain values (not through a struct in
 * memory), so a loop that writes a local record view does not disturb
 * what its invariant says about the image. */
#define SI_REC(b, off, size, i) ((b) + ((off) + (size) * (i)))
#define SI_DATA_AT(b, doff) ((b) + (doff))
#define SI_PATH_AT(b, eoff, doff, i) (SI_DATA_AT(b, doff) + SE_PATH_OFF(SI_REC(b, eoff, SITE_ENTRY_LEN, i)))
#define SI_PATH_LEN_AT(b, eoff, i) SE_PATH_LEN(SI_REC(b, eoff, SITE_ENTRY_LEN, i))

/* The same for a struct site_image *im. */
#define SI_ENTRY(im, i) SI_REC((im)->base, (im)->entries_off, SITE_ENTRY_LEN, i)
#define SI_CRED(im, i) SI_REC((im)->base, (im)->creds_off, SITE_CRED_LEN, i)
#define SI_SLICE(im, i) SI_REC((im)->base, (im)->slices_off, SITE_SLICE_LEN, i)
#define SI_DATA(im) SI_DATA_AT((im)->base, (im)->data_off)
#define SI_PATH(im, i) SI_PATH_AT((im)->base, (im)->entries_off, (im)->data_off, i)
#define SI_PATH_LEN(im, i) SI_PATH_LEN_AT((im)->base, (im)->entries_off, i)

/* Record-level facts about an image im (predicates below, over its fields). */
#define site_entry_ok(im, i)                                                                              \
    site_entry_at((im)->base, (im)->entries_off, (im)->data_off, (im)->data_len, (im)->entry_count, i)
#define site_slice_ok(im, i) site_slice_at((im)->base, (im)->slices_off, (im)->data_len, (im)->slice_count, i)
#define site_cred_ok(im, i)                                                                               \
    site_cred_at((im)->base, (im)->creds_off, (im)->data_len, (im)->slice_count, (im)->cred_count, i)
#define site_slice_name(im, j) site_name_at((im)->base, (im)->slices_off, (im)->data_off, j)
#define site_cred_names(im, i) site_cred_names_at((im)->base, (im)->creds_off, (im)->slices_off, (im)->data_off, i)
#define site_ordered_at(im, i) site_ordered((im)->base, (im)->entries_off, (im)->data_off, i)

/*@ // The header at b describes an image of exactly len bytes: magic,
    // version, fixed header size, no flags, sections laid out back to back
    // in the order header, entries, credentials, slices, data, digest, and
    // the 404 entry either absent or an index into the entry table.
    predicate site_hdr_ok{L}(uint8_t *b, integer len) =
      SITE_HDR_LEN + SITE_DIGEST_LEN <= len <= 0xffffffff &&
      SI_MAGIC_OK(b) && SI_VERSION(b) == SITE_VERSION &&
      SI_HDR_SIZE(b) == SITE_HDR_LEN && SI_FLAGS(b) == 0 &&
      SI_RESERVED0(b) == 0 && SI_RESERVED1(b) == 0 &&
      SI_IMAGE_LEN(b) == len &&
      SI_ENTRIES_OFF(b) == SITE_HDR_LEN &&
      SI_CREDS_OFF(b) == SI_ENTRIES_OFF(b) + SITE_ENTRY_LEN * SI_ENTRY_COUNT(b) &&
      SI_SLICES_OFF(b) == SI_CREDS_OFF(b) + SITE_CRED_LEN * SI_CRED_COUNT(b) &&
      SI_DATA_OFF(b) == SI_SLICES_OFF(b) + SITE_SLICE_LEN * SI_SLICE_COUNT(b) &&
      SI_DATA_OFF(b) + SI_DATA_LEN(b) + SITE_DIGEST_LEN == len &&
      (SI_NOT_FOUND(b) == SITE_NONE || SI_NOT_FOUND(b) < SI_ENTRY_COUNT(b));

    // What a parsed header guarantees to every later reader of the image:
    // the bytes are readable and every table and the data section lie
    // inside them.
    predicate site_image_inv{L}(struct site_image *im) =
      \valid_read(im->base + (0 .. im->len - 1)) &&
      SITE_HDR_LEN + SITE_DIGEST_LEN <= im->len <= 0xffffffff &&
      im->entries_off == SITE_HDR_LEN &&
      im->creds_off == im->entries_off + SITE_ENTRY_LEN * im->entry_count &&
      im->slices_off == im->creds_off + SITE_CRED_LEN * im->cred_count &&
      im->data_off == im->slices_off + SITE_SLICE_LEN * im->slice_count &&
      im->data_off + im->data_len + SITE_DIGEST_LEN == im->len &&
      (im->not_found == SITE_NONE || im->not_found < im->entry_count);

    // off/n names bytes inside a data section of dlen bytes.
    predicate site_span(integer off, integer n, integer dlen) = 0 <= off && 0 <= n && off + n <= dlen;

    // Header-safe text: printable ASCII and space, so no CR, LF or NUL can
    // reach an HTTP response from an image.
    predicate site_text{L}(uint8_t *p, integer n) =
      \forall integer k; 0 <= k < n ==> 0x20 <= p[k] <= 0x7e;

    // A DNS name for SNI: printable ASCII without space.
    predicate site_name{L}(uint8_t *p, integer n) =
      \forall integer k; 0 <= k < n ==> 0x21 <= p[k] <= 0x7e;

    // A lookup key: starts with '/', no control byte (C0 or DEL). Bytes
    // 0x80 and up are allowed: keys are decoded UTF-8.
    predicate site_path{L}(uint8_t *p, integer n) =
      1 <= n <= SITE_PATH_MAX && p[0] == 0x2f &&
      \forall integer k; 0 <= k < n ==> p[k] >= 0x20 && p[k] != 0x7f;

    // Entry record r in an image whose data section starts at d (dlen
    // bytes), check by check: the loader tests them in this order.
    // 1. a known kind, reserved bytes zero;
    predicate site_rec_kind_ok{L}(uint8_t *r) =
      r[37] == 0 && r[38] == 0 && r[39] == 0 &&
      (SE_KIND(r) == SITE_FILE || SE_KIND(r) == SITE_INDEX || SE_KIND(r) == SITE_REDIRECT);
    // 2. every span inside the data section;
    predicate site_rec_spans_ok{L}(uint8_t *r, integer dlen) =
      site_span(SE_PATH_OFF(r), SE_PATH_LEN(r), dlen) &&
      site_span(SE_BODY_OFF(r), SE_BODY_LEN(r), dlen) &&
      site_span(SE_GZIP_OFF(r), SE_GZIP_LEN(r), dlen) &&
      site_span(SE_TYPE_OFF(r), SE_TYPE_LEN(r), dlen) &&
      site_span(SE_ETAG_OFF(r), SE_ETAG_LEN(r), dlen);
    // 3. a well-formed path whose trailing '/' agrees with the kind;
    predicate site_rec_path_ok{L}(uint8_t *r, uint8_t *d) =
      site_path(d + SE_PATH_OFF(r), SE_PATH_LEN(r)) &&
      (SE_KIND(r) == SITE_FILE ==> (d + SE_PATH_OFF(r))[SE_PATH_LEN(r) - 1] != 0x2f) &&
      (SE_KIND(r) == SITE_INDEX ==> (d + SE_PATH_OFF(r))[SE_PATH_LEN(r) - 1] == 0x2f);
    // 4. a redirect has a Location and nothing else; a file or index has a
    //    content type, an ETag and maybe a smaller gzip variant.
    predicate site_rec_fields_ok{L}(uint8_t *r, uint8_t *d) =
      (SE_KIND(r) == SITE_REDIRECT ==>
         SE_TYPE_LEN(r) == 0 && SE_ETAG_LEN(r) == 0 && SE_GZIP_LEN(r) == 0 &&
         1 <= SE_BODY_LEN(r) <= SITE_LOCATION_MAX && site_text(d + SE_BODY_OFF(r), SE_BODY_LEN(r))) &&
      (SE_KIND(r) != SITE_REDIRECT ==>
         SE_TYPE_LEN(r) >= 1 && site_text(d + SE_TYPE_OFF(r), SE_TYPE_LEN(r)) &&
         SE_ETAG_LEN(r) >= 1 && site_text(d + SE_ETAG_OFF(r), SE_ETAG_LEN(r)) &&
         (SE_GZIP_LEN(r) == 0 || SE_GZIP_LEN(r) < SE_BODY_LEN(r)));

    predicate site_entry_rec_ok{L}(uint8_t *r, uint8_t *d, integer dlen) =
      site_rec_kind_ok(r) && site_rec_spans_ok(r, dlen) && site_rec_path_ok(r, d) && site_rec_fields_ok(r, d);

    // Entry i of n in the image at b (entries at eoff, data at doff).
    predicate site_entry_at{L}(uint8_t *b, integer eoff, integer doff, integer dlen, integer n, integer i) =
      0 <= i < n && site_entry_rec_ok(SI_REC(b, eoff, SITE_ENTRY_LEN, i), SI_DATA_AT(b, doff), dlen);

    // Slice record r: a non-empty span of the data section.
    predicate site_slice_rec_ok{L}(uint8_t *r, integer dlen) =
      SS_LEN(r) >= 1 && site_span(SS_OFF(r), SS_LEN(r), dlen);
    predicate site_slice_at{L}(uint8_t *b, integer soff, integer dlen, integer n, integer i) =
      0 <= i < n && site_slice_rec_ok(SI_REC(b, soff, SITE_SLICE_LEN, i), dlen);

    // Credential record r: a non-empty key in the data section, at least
    // one certificate, certificate and name ranges inside a slice table of
    // nslice records.
    predicate site_cred_rec_ok{L}(uint8_t *r, integer dlen, integer nslice) =
      site_span(SC_KEY_OFF(r), SC_KEY_LEN(r), dlen) &&
      SC_KEY_LEN(r) >= 1 && SC_CERT_COUNT(r) >= 1 &&
      SC_CERT_FIRST(r) + SC_CERT_COUNT(r) <= nslice &&
      SC_NAME_FIRST(r) + SC_NAME_COUNT(r) <= nslice;
    predicate site_cred_at{L}(uint8_t *b, integer coff, integer dlen, integer nslice, integer n, integer i) =
      0 <= i < n && site_cred_rec_ok(SI_REC(b, coff, SITE_CRED_LEN, i), dlen, nslice);

    // Slice j read as a DNS name.
    predicate site_name_at{L}(uint8_t *b, integer soff, integer doff, integer j) =
      site_name(SI_DATA_AT(b, doff) + SS_OFF(SI_REC(b, soff, SITE_SLICE_LEN, j)),
                SS_LEN(SI_REC(b, soff, SITE_SLICE_LEN, j)));

    // Every name of credential i is a DNS name. One predicate per
    // credential, over its index: a quantifier over credential and slice
    // index at once is beyond the provers, and so is one whose instances
    // are told apart only by record addresses (arithmetic in the trigger).
    predicate site_cred_names_at{L}(uint8_t *b, integer coff, integer soff, integer doff, integer i) =
      \forall integer j;
        SC_NAME_FIRST(SI_REC(b, coff, SITE_CRED_LEN, i)) <= j <
          SC_NAME_FIRST(SI_REC(b, coff, SITE_CRED_LEN, i)) + SC_NAME_COUNT(SI_REC(b, coff, SITE_CRED_LEN, i)) ==>
        site_name_at(b, soff, doff, j);

    // The bytes a[0..an) and b[0..bn) are the same string.
    predicate site_same{L}(uint8_t *a, integer an, uint8_t *b, integer bn) =
      an == bn && \forall integer k; 0 <= k < an ==> a[k] == b[k];

    // a[0..an) sorts strictly before b[0..bn): bytes compared as unsigned,
    // a proper prefix first. k is where they first differ (or where a ends).
    predicate site_lt_at{L}(uint8_t *a, integer an, uint8_t *b, integer bn, integer k) =
      0 <= k <= an && k <= bn &&
      (\forall integer j; 0 <= j < k ==> a[j] == b[j]) &&
      ((k == an && k < bn) || (k < an && k < bn && a[k] < b[k]));
    predicate site_lt{L}(uint8_t *a, integer an, uint8_t *b, integer bn) =
      \exists integer k; site_lt_at(a, an, b, bn, k);

    // Entries i-1 and i of the image at b are in strictly increasing path order.
    predicate site_ordered{L}(uint8_t *b, integer eoff, integer doff, integer i) =
      site_lt(SI_PATH_AT(b, eoff, doff, i - 1), SI_PATH_LEN_AT(b, eoff, i - 1),
              SI_PATH_AT(b, eoff, doff, i), SI_PATH_LEN_AT(b, eoff, i));
*/

#endif
