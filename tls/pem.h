/* SPDX-License-Identifier: Apache-2.0 */
/* PEM framing (RFC 7468): finds "-----BEGIN <label>-----" ... "-----END
 * <label>-----" blocks in a text buffer that need not be NUL-terminated.
 * Decoding the base64 body is the backend's job. Pure: no allocation. */
#ifndef ATOLL_TLS_PEM_H
#define ATOLL_TLS_PEM_H

#include <stddef.h>
#include <stdint.h>

struct tls_pem_block {
    const uint8_t *label;  /* e.g. "CERTIFICATE", not NUL-terminated */
    size_t label_len;
    const uint8_t *body;   /* base64 text with line breaks, between the lines */
    size_t body_len;
};

/* Looks for the next block starting at buf[*pos]. Returns 1 and fills *out,
 * moving *pos past the END line; 0 when no further BEGIN line exists; -1
 * for a BEGIN line without its matching END line (or a label over 64
 * bytes). */
int tls_pem_next(const uint8_t *buf, size_t len, size_t *pos, struct tls_pem_block *out);

/* Does the buffer look like PEM text (a BEGIN line anywhere)? */
int tls_pem_is_pem(const uint8_t *buf, size_t len);

/* Label equality / suffix tests ("PRIVATE KEY" is a suffix of "RSA PRIVATE KEY"). */
int tls_pem_label_is(const struct tls_pem_block *b, const char *label);
int tls_pem_label_ends_with(const struct tls_pem_block *b, const char *suffix);

#endif
