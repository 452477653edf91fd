/* SPDX-License-Identifier: Apache-2.0 */
#include "appliance/pack/names.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0 when it
 * is not one: overlong forms, surrogates and code points past U+10FFFF
 * are invalid (RFC 3629). *cp receives the code point. */
static size_t utf8_seq(const uint8_t *p, size_t n, uint32_t *cp)
{
    uint8_t c = p[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80u) {
        *cp = c;
        return 1;
    } else if (c >= 0xc2u && c <= 0xdfu) {
        len = 2, v = c & 0x1fu, min = 0x80u;
    } else if (c >= 0xe0u && c <= 0xefu) {
        len = 3, v = c & 0x0fu, min = 0x800u;
    } else if (c >= 0xf0u && c <= 0xf4u) {
        len = 4, v = c & 0x07u, min = 0x10000u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0u) != 0x80u)
            return 0;
        v = v << 6 | (p[i] & 0x3fu);
    }
    if (v < min || v > 0x10ffffu || (v >= 0xd800u && v <= 0xdfffu))
        return 0;
    *cp = v;
    return len;
}

const char *pack_name_problem(const uint8_t *name, size_t n)
{
    if (n == 0)
        return "it is empty";
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_seq(name + i, n - i, &cp);
        if (k == 0)
            return "it is not valid UTF-8";
        if (cp < 0x20u || cp == 0x7fu || (cp >= 0x80u && cp <= 0x9fu))
            return "it holds a control character";
        if (cp == '?')
            return "it holds '?', which would start a URL query";
        if (cp == '#')
            return "it holds '#', which would start a URL fragment";
        if (cp == '\\')
            return "it holds a backslash, a path separator to some clients";
        if (cp == '/')
            return "it holds '/'";
        i += k;
    }
    return NULL;
}

/* RFC 3986 pchar minus pct-encoded, plus '/': unreserved, sub-delims, ':' and '@'. */
static int url_keep(uint8_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != 0 && strchr("-._~!$&'()*+,;=:@/", c) != NULL;
}

size_t pack_url_encode(const uint8_t *p, size_t n, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (url_keep(p[i])) {
            if (cap - o < 2)
                return (size_t)-1;
            out[o++] = (char)p[i];
        } else {
            if (cap - o < 4)
                return (size_t)-1;
            out[o++] = '%';
            out[o++] = hex[p[i] >> 4];
            out[o++] = hex[p[i] & 15u];
        }
    }
    if (cap - o < 1)
        return (size_t)-1;
    out[o] = '\0';
    return o;
}

char *pack_quote(const uint8_t *name, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    if (cap < 8) {
        if (cap > 0)
            out[0] = '\0';
        return out;
    }
    for (size_t i = 0; i < n;) {
        char piece[16];
        size_t plen;
        uint32_t cp;
        size_t k = utf8_seq(name + i, n - i, &cp);
        if (k > 1 && !(cp >= 0x80u && cp <= 0x9fu)) {
            memcpy(piece, name + i, k);
            plen = k;
        } else if (k == 1 && cp >= 0x20u && cp < 0x7fu && cp != '\\') {
            piece[0] = (char)cp;
            plen = 1;
        } else {
            plen = (size_t)snprintf(piece, sizeof piece, "\\x%02x", name[i]);
            k = 1;
        }
        /* o <= cap - 4 holds here: room for "..." and the NUL */
        if (o + plen > cap - 4) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(out + o, piece, plen);
        o += plen;
        i += k;
    }
    out[o] = '\0';
    return out;
}
