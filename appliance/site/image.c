/* SPDX-License-Identifier: Apache-2.0 */
/* Opening a site image: header, digest, then every record. The record
 * views and the lookup are in site_image_wire.c (proved); this file adds
 * the SHA-256, which the proof leaves to mbedtls. */
#include "appliance/site/image.h"

#include <string.h>

#include <mbedtls/sha256.h>

int site_image_open(const uint8_t *img, size_t len, struct site_image *out)
{
    struct site_image im;
    int rc = site_header_parse(img, len, &im);
    if (rc < 0)
        return rc;
    /* The digest before the records: a corrupted image says "corrupted"
     * rather than whichever record check the damage happens to trip. */
    uint8_t sum[32];
    if (mbedtls_sha256_ret(img, len - SITE_DIGEST_LEN, sum, 0) != 0)
        return SITE_E_DIGEST;
    /* Not a secret: a plain comparison is fine. */
    if (memcmp(sum, img + len - SITE_DIGEST_LEN, SITE_DIGEST_LEN) != 0)
        return SITE_E_DIGEST;
    rc = site_image_check(&im);
    if (rc < 0)
        return rc;
    *out = im;
    return 0;
}

const uint8_t *site_image_digest(const struct site_image *im)
{
    return im->base + im->len - SITE_DIGEST_LEN;
}

const char *site_image_strerror(int err)
{
    switch (err) {
    case 0:
        return "ok";
    case SITE_E_TRUNC:
        return "truncated: shorter than an image header and digest";
    case SITE_E_MAGIC:
        return "not an Atoll site image (bad magic)";
    case SITE_E_VERSION:
        return "unsupported site image version (repack it with this build's atoll-pack)";
    case SITE_E_HEADER:
        return "malformed header (header length, flags or reserved fields)";
    case SITE_E_LENGTH:
        return "image length in the header differs from the file's (truncated or extended)";
    case SITE_E_LAYOUT:
        return "section offsets and sizes do not tile the image";
    case SITE_E_DIGEST:
        return "SHA-256 digest mismatch: the image is corrupted";
    case SITE_E_SPAN:
        return "a record points outside the data section";
    case SITE_E_PATH:
        return "an entry's path is malformed (empty, too long, no leading '/', control byte, or trailing '/' wrong for its kind)";
    case SITE_E_KIND:
        return "an entry has an unknown kind, reserved bytes set, or fields its kind does not use";
    case SITE_E_TEXT:
        return "a content type, ETag, redirect location or DNS name is empty, too long or not printable ASCII";
    case SITE_E_GZIP:
        return "a gzip variant is not smaller than its body";
    case SITE_E_ORDER:
        return "the path index is not sorted or holds a path twice";
    case SITE_E_NOT_FOUND:
        return "the 404 page entry is out of range or not a file";
    case SITE_E_CRED:
        return "a credential lacks a key or certificate, or its ranges leave the slice table";
    case SITE_E_RANGE:
        return "record index out of range";
    case SITE_E_SLICE:
        return "an empty slice";
    default:
        return "unknown site image error";
    }
}
