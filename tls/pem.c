/* SPDX-License-Identifier: Apache-2.0 */
#include "tls/pem.h"

#include <string.h>

#define PEM_DASHES "-----"
#define PEM_BEGIN "-----BEGIN "
#define PEM_END "-----END "
#define PEM_LABEL_MAX 64u

/* First occurrence of the NUL-terminated needle in buf[from .. len-1]. */
static int find(const uint8_t *buf, size_t len, size_t from, const char *needle, size_t *at)
{
    size_t n = strlen(needle);
    if (n > len)
        return 0;
    for (size_t i = from; i <= len - n; i++) {
        if (memcmp(buf + i, needle, n) == 0) {
            *at = i;
            return 1;
        }
    }
    return 0;
}

int tls_pem_is_pem(const uint8_t *buf, size_t len)
{
    size_t at;
    return find(buf, len, 0, PEM_BEGIN, &at);
}

int tls_pem_next(const uint8_t *buf, size_t len, size_t *pos, struct tls_pem_block *out)
{
    size_t begin, label_end, end;
    if (*pos > len || !find(buf, len, *pos, PEM_BEGIN, &begin))
        return 0;
    size_t label = begin + strlen(PEM_BEGIN);
    if (!find(buf, len, label, PEM_DASHES, &label_end))
        return -1;
    size_t label_len = label_end - label;
    if (label_len > PEM_LABEL_MAX || memchr(buf + label, '\n', label_len) != NULL)
        return -1;
    size_t body = label_end + strlen(PEM_DASHES);
    /* the END line must carry the same label */
    size_t from = body;
    for (;;) {
        if (!find(buf, len, from, PEM_END, &end))
            return -1;
        size_t l = end + strlen(PEM_END);
        if (len - l >= label_len + strlen(PEM_DASHES) && memcmp(buf + l, buf + label, label_len) == 0 &&
            memcmp(buf + l + label_len, PEM_DASHES, strlen(PEM_DASHES)) == 0) {
            out->label = buf + label;
            out->label_len = label_len;
            out->body = buf + body;
            out->body_len = end - body;
            *pos = l + label_len + strlen(PEM_DASHES);
            return 1;
        }
        from = l;
    }
}

int tls_pem_label_is(const struct tls_pem_block *b, const char *label)
{
    size_t n = strlen(label);
    return b->label_len == n && memcmp(b->label, label, n) == 0;
}

int tls_pem_label_ends_with(const struct tls_pem_block *b, const char *suffix)
{
    size_t n = strlen(suffix);
    return b->label_len >= n && memcmp(b->label + b->label_len - n, suffix, n) == 0;
}
