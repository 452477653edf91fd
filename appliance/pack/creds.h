/* SPDX-License-Identifier: Apache-2.0 */
/* TLS credentials for the packer: a certificate chain and its private key
 * read from PEM (or DER) files with mbedtls, checked, and turned into the
 * DER blobs and DNS names the image stores (site_image.h). */
#ifndef ATOLL_PACK_CREDS_H
#define ATOLL_PACK_CREDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "appliance/pack/report.h"

#define PACK_MAX_CHAIN 16   /* certificates in one chain */
#define PACK_MAX_NAMES 100  /* DNS names kept per leaf */
#define PACK_NAME_MAX 253   /* bytes in a DNS name */

struct pack_blob {
    uint8_t *data;
    size_t len;
};

struct pack_cred {
    struct pack_blob key;                  /* private key, DER */
    struct pack_blob certs[PACK_MAX_CHAIN]; /* leaf first */
    size_t ncerts;
    char *names[PACK_MAX_NAMES];           /* lower case, NUL-terminated */
    size_t nnames;
};

/* Reads the chain in cert_path (leaf first) and the key in key_path and
 * fills *out. Errors (a file that cannot be read, a certificate or key
 * that does not parse, an encrypted key, a key that does not belong to the
 * leaf) are reported to log as problems (report.h; the certificate and
 * the key each get theirs) and return -1. Warnings (a certificate expired
 * or not yet valid at `now`, a leaf without DNS names, names that are not
 * host names) are reported as warnings; they do not fail. On success free
 * with pack_cred_free. */
int pack_cred_load(const char *cert_path, const char *key_path, time_t now, struct pack_log *log,
                   struct pack_cred *out);

void pack_cred_free(struct pack_cred *c);

/* Reads a whole file into a malloc'd buffer with one extra NUL byte after
 * it (not counted in *len). Returns NULL with errno set on failure. */
uint8_t *pack_read_file(const char *path, size_t *len);

#endif
