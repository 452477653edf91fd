/* SPDX-License-Identifier: Apache-2.0 */
/* The packer: a site directory and TLS credentials in, one site image
 * (appliance/site/image.h) out. build/atoll-pack (appliance/pack/main.c) is a thin command
 * line around site_pack(); the unit tests call it directly. */
#ifndef ATOLL_SITE_PACK_H
#define ATOLL_SITE_PACK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct pack_pair {
    const char *cert;   /* PEM/DER certificate chain, leaf first */
    const char *key;    /* its private key, PEM/DER, unencrypted */
};

struct pack_opts {
    const char *site_dir;
    const char *out_path;        /* written atomically (temporary file, then rename), mode 0600 */
    const struct pack_pair *pairs;
    size_t npairs;               /* >= 1; the first pair is the default (no SNI or no match) */
    FILE *log;                   /* errors, warnings, progress */
    int quiet;                   /* no progress or summary lines */
    time_t now;                  /* certificate validity is judged at this time; 0: the current time */
    uint64_t max_image;          /* 0: SITE_IMAGE_MAX (tests lower it) */
    unsigned progress_files;     /* a progress line every N files (0: 1000) ... */
    uint64_t progress_bytes;     /* ... or every N bytes read (0: 64 MiB) */
};

struct pack_stats {
    size_t files, indexes, redirects, gzipped, creds;
    int has_404;
    uint64_t body_bytes;         /* the files' bytes */
    uint64_t gzip_saved;         /* bytes the gzip variants save over their bodies */
    uint64_t image_bytes;
    unsigned warnings, errors;
};

/* Packs o->site_dir with o->pairs into o->out_path. Returns 0, or -1 when
 * anything was wrong: every problem is printed to o->log as
 * "atoll-pack: NAME: reason" (the file, directory or credential at fault)
 * and no image is left behind. Warnings ("atoll-pack: warning: ...") do
 * not fail. *st (may be NULL) receives the counts. */
int site_pack(const struct pack_opts *o, struct pack_stats *st);

/* Prints an image's contents to out, one line per entry, tab-separated:
 *   file|index  PATH  TYPE  SIZE  ETAG  MTIME  GZIP-SIZE|-
 *   redirect    PATH  LOCATION
 *   cred        N  NAMES(comma-separated)|-  CERTS  KEY-BYTES
 * after a first comment line "# atoll site image v1: ..." with counts, the
 * 404 page and the digest. Returns 0, or -1 with a message on log when
 * the file cannot be read or is not a valid image. */
int site_pack_list(const char *image_path, FILE *out, FILE *log);

#endif
