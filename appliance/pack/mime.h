/* SPDX-License-Identifier: Apache-2.0 */
/* Content types by file extension, for the packer. */
#ifndef ATOLL_PACK_MIME_H
#define ATOLL_PACK_MIME_H

#include <stddef.h>

struct pack_mime {
    const char *ext;     /* lower case, without the dot */
    const char *type;    /* the Content-Type value */
    int compressed;      /* already compressed: not worth a gzip variant */
};

#define PACK_MIME_DEFAULT "application/octet-stream"

/* The type for a file name (the part after the last '.', ASCII case
 * ignored). Names without a known extension get PACK_MIME_DEFAULT
 * (compressed 0: the packer still tries gzip on them). Never NULL. */
const struct pack_mime *pack_mime_for(const char *name);

/* The whole table, for tests and --help: *n entries. */
const struct pack_mime *pack_mime_table(size_t *n);

#endif
