/* SPDX-License-Identifier: Apache-2.0 */
/* The access log's text (http.h): the one escaper of request bytes, used
 * by the connection to fill struct http_log, and the Combined Log Format
 * line built from an entry, used by the appliance's log sink. */
#include "appliance/http/http.h"

#include <stdio.h>
#include <string.h>

#include "base/civil_date.h"

size_t http_log_escape(uint8_t *d, size_t cap, const uint8_t *s, size_t n)
{
    static const char HEX[] = "0123456789abcdef";
    if (cap < 3)
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        uint8_t tmp[4];
        size_t k = 0;
        if (c == '"' || c == '\\') {
            tmp[k++] = '\\';
            tmp[k++] = c;
        } else if (c < 0x20 || c >= 0x7f) {
            tmp[k++] = '\\';
            tmp[k++] = 'x';
            tmp[k++] = (uint8_t)HEX[c >> 4];
            tmp[k++] = (uint8_t)HEX[c & 15];
        } else {
            tmp[k++] = c;
        }
        if (o + k > cap - 3) {
            memcpy(d + o, "...", 3);
            return o + 3;
        }
        memcpy(d + o, tmp, k);
        o += k;
    }
    return o;
}

/* The line under construction: writes past the room are dropped. */
struct line {
    char *p;
    size_t cap, n; /* n <= cap - 1 */
};

static void put(struct line *l, const void *s, size_t n)
{
    size_t room = l->cap - 1 - l->n;
    if (n > room)
        n = room;
    memcpy(l->p + l->n, s, n);
    l->n += n;
}

static void put_str(struct line *l, const char *s)
{
    put(l, s, strlen(s));
}

/* A text of the entry: already escaped by the connection; "-" if empty. */
static void put_text(struct line *l, const uint8_t *p, size_t n)
{
    if (n == 0)
        put_str(l, "-");
    else
        put(l, p, n);
}

/* [04/Dec/2026:20:48:07 +0000] */
static void put_time(struct line *l, int64_t t)
{
    static const char MON[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int64_t t_max = (int64_t)CIVIL_DAYS_MAX * 86400 + 86399;
    if (t < 0)
        t = 0;
    if (t > t_max)
        t = t_max;
    int64_t y;
    unsigned m, d;
    civil_from_days(t / 86400, &y, &m, &d);
    unsigned secs = (unsigned)(t % 86400);
    char b[40];
    int k = snprintf(b, sizeof b, "[%02u/%s/%04lld:%02u:%02u:%02u +0000]", d, MON[m - 1], (long long)y, secs / 3600,
                     secs / 60 % 60, secs % 60);
    put(l, b, (size_t)k);
}

size_t http_access_line(char *out, size_t cap, const struct http_log *e, uint32_t peer_ip, const char *proto,
                        const char *suite)
{
    if (cap == 0)
        return 0;
    struct line l = {out, cap, 0};
    char b[64];
    int k = snprintf(b, sizeof b, "%u.%u.%u.%u - - ", peer_ip >> 24, (peer_ip >> 16) & 255u, (peer_ip >> 8) & 255u,
                     peer_ip & 255u);
    put(&l, b, (size_t)k);
    put_time(&l, e->unix_s);
    put_str(&l, " \"");
    put_text(&l, e->line, e->line_len);
    k = snprintf(b, sizeof b, "\" %d %llu \"", e->status, (unsigned long long)e->bytes);
    put(&l, b, (size_t)k);
    put_text(&l, e->referer, e->referer_len);
    put_str(&l, "\" \"");
    put_text(&l, e->agent, e->agent_len);
    put_str(&l, "\" ");
    put_str(&l, proto);
    put_str(&l, " ");
    put_str(&l, suite);
    out[l.n] = '\0';
    return l.n;
}
