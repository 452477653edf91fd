/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers for the handshake message tests (tests/unit/test_tls_msg_*.c):
 * exactly-sized heap copies (so ASan sees any over-read), a ClientHello
 * builder from a list of extensions, and big-endian writers. */
#ifndef ATOLL_TLS_MSG_UTIL_H
#define ATOLL_TLS_MSG_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls/alert.h"
#include "tls/msg.h"

#define DE (-TLS_ALERT_DECODE_ERROR)
#define IP (-TLS_ALERT_ILLEGAL_PARAMETER)
#define PV (-TLS_ALERT_PROTOCOL_VERSION)
#define UE (-TLS_ALERT_UNSUPPORTED_EXTENSION)
#define BC (-TLS_ALERT_BAD_CERTIFICATE)

/* A heap copy of exactly n bytes; freed by the next call (one at a time). */
static inline const uint8_t *tm_exact(const uint8_t *b, size_t n)
{
    static uint8_t *last;
    free(last);
    last = malloc(n ? n : 1);
    if (!last)
        abort();
    if (n)
        memcpy(last, b, n);
    return last;
}

static inline size_t tm_put16(uint8_t *b, size_t p, unsigned v)
{
    b[p] = (uint8_t)(v >> 8);
    b[p + 1] = (uint8_t)v;
    return p + 2;
}

static inline size_t tm_put24(uint8_t *b, size_t p, unsigned long v)
{
    b[p] = (uint8_t)(v >> 16);
    b[p + 1] = (uint8_t)(v >> 8);
    b[p + 2] = (uint8_t)v;
    return p + 3;
}

static inline size_t tm_put(uint8_t *b, size_t p, const void *src, size_t n)
{
    memcpy(b + p, src, n);
    return p + n;
}

static inline unsigned tm_rd16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static inline unsigned long tm_rd24(const uint8_t *p)
{
    return (unsigned long)p[0] << 16 | (unsigned long)p[1] << 8 | p[2];
}

/* One extension for tm_ch(). */
struct tm_ext {
    uint16_t type;
    const uint8_t *data;
    size_t len;
};

#define TM_EXT(t, ...)                                                                                         \
    ((struct tm_ext){(t), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})})
#define TM_EMPTY(t) ((struct tm_ext){(t), NULL, 0})

/* The usual TLS 1.3 offer: supported_versions {0x0304}. */
#define TM_SV13 TM_EXT(TLS_EXT_SUPPORTED_VERSIONS, 2, 0x03, 0x04)

/* A ClientHello body: legacy_version 0x0303, random 0x11.., a 32-byte
 * session id 0x22.., suites {0x1301, 0x1302}, compression {null}, then the
 * extensions (a block of length 0 when n is 0 and with_block). Returns the
 * body length. */
static inline size_t tm_ch_ext(uint8_t *b, const struct tm_ext *e, size_t n, int with_block)
{
    size_t p = tm_put16(b, 0, 0x0303);
    memset(b + p, 0x11, 32);
    p += 32;
    b[p++] = 32;
    memset(b + p, 0x22, 32);
    p += 32;
    p = tm_put16(b, p, 4);
    p = tm_put16(b, p, 0x1301);
    p = tm_put16(b, p, 0x1302);
    b[p++] = 1;
    b[p++] = 0;
    if (n == 0 && !with_block)
        return p;
    size_t lenpos = p;
    p += 2;
    for (size_t i = 0; i < n; i++) {
        p = tm_put16(b, p, e[i].type);
        p = tm_put16(b, p, (unsigned)e[i].len);
        if (e[i].len)
            p = tm_put(b, p, e[i].data, e[i].len);
    }
    tm_put16(b, lenpos, (unsigned)(p - lenpos - 2));
    return p;
}

static inline size_t tm_ch(uint8_t *b, const struct tm_ext *e, size_t n)
{
    return tm_ch_ext(b, e, n, 1);
}

/* Parses a ClientHello body from an exact copy. */
static inline int tm_ch_parse(const uint8_t *b, size_t n, struct tls_client_hello *ch)
{
    memset(ch, 0xa5, sizeof *ch);
    return tls_client_hello_parse(tm_exact(b, n), n, ch);
}

#endif
