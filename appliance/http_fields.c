/* Field values (http_fields.h). Lists follow RFC 9110 §5.6.1: elements
 * separated by commas with optional whitespace, empty elements allowed. */
#include "http_fields.h"

#include "http_parse.h"

static int ows(uint8_t c)
{
    return c == ' ' || c == '\t';
}

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static int same_ci(const uint8_t *p, size_t n, const char *lit)
{
    size_t i = 0;
    for (; i < n && lit[i] != 0; i++)
        if (lower(p[i]) != (uint8_t)lit[i])
            return 0;
    return i == n && lit[i] == 0;
}

/* A qvalue (§12.4.2) is zero: "0", "0.", "0.0", ... up to three zeros. */
static int q_zero(const uint8_t *q, size_t n)
{
    if (n == 0 || q[0] != '0')
        return 0;
    if (n == 1)
        return 1;
    if (q[1] != '.' || n > 5)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (q[i] != '0')
            return 0;
    return 1;
}

int http_accepts_gzip(const uint8_t *v, size_t n)
{
    int gzip = -1, star = -1; /* -1: not named; else 1 when q > 0 */
    size_t i = 0;
    while (i < n) {
        while (i < n && (ows(v[i]) || v[i] == ','))
            i++;
        if (i == n)
            break;
        size_t cs = i;
        while (i < n && http_is_tchar(v[i]))
            i++;
        size_t ce = i;
        int positive = 1;
        /* parameters: ;q=... (others ignored) */
        while (i < n && v[i] != ',') {
            while (i < n && ows(v[i]))
                i++;
            if (i < n && v[i] == ';') {
                i++;
                while (i < n && ows(v[i]))
                    i++;
                size_t ps = i;
                while (i < n && http_is_tchar(v[i]))
                    i++;
                size_t pe = i;
                if (i < n && v[i] == '=') {
                    i++;
                    size_t vs = i;
                    while (i < n && v[i] != ',' && v[i] != ';' && !ows(v[i]))
                        i++;
                    if (pe - ps == 1 && lower(v[ps]) == 'q' && q_zero(v + vs, i - vs))
                        positive = 0;
                }
            } else if (i < n && v[i] != ',') {
                i++; /* junk: skip it rather than loop */
            }
        }
        if (same_ci(v + cs, ce - cs, "gzip") || same_ci(v + cs, ce - cs, "x-gzip"))
            gzip = gzip == 1 ? 1 : positive;
        else if (ce - cs == 1 && v[cs] == '*')
            star = star == 1 ? 1 : positive;
    }
    if (gzip >= 0)
        return gzip;
    return star == 1;
}

/* The opaque-tag of an entity-tag at v[*i ..] (quotes included):
 * 1 with [*s, *e), or 0 when malformed. weak: it had "W/". */
static int entity_tag(const uint8_t *v, size_t n, size_t *i, size_t *s, size_t *e, int *weak)
{
    *weak = 0;
    if (*i + 1 < n && v[*i] == 'W' && v[*i + 1] == '/') {
        *weak = 1;
        *i += 2;
    }
    if (*i >= n || v[*i] != '"')
        return 0;
    *s = *i;
    (*i)++;
    while (*i < n && v[*i] != '"') {
        uint8_t c = v[*i];
        if (c < 0x21 || c == 0x7f) /* etagc = %x21 / %x23-7E / obs-text */
            return 0;
        (*i)++;
    }
    if (*i >= n)
        return 0;
    (*i)++;
    *e = *i;
    return 1;
}

static int bytes_eq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

int http_inm_match(const uint8_t *v, size_t n, const uint8_t *etag, size_t elen)
{
    if (n == 1 && v[0] == '*')
        return 1;
    if (elen >= 2 && etag[0] == 'W' && etag[1] == '/') {
        etag += 2;
        elen -= 2;
    }
    size_t i = 0;
    int match = 0;
    while (i < n) {
        while (i < n && (ows(v[i]) || v[i] == ','))
            i++;
        if (i == n)
            break;
        size_t s, e;
        int weak;
        if (!entity_tag(v, n, &i, &s, &e, &weak))
            return 0;
        if (bytes_eq(v + s, e - s, etag, elen))
            match = 1;
        while (i < n && ows(v[i]))
            i++;
        if (i < n && v[i] != ',')
            return 0;
    }
    return match;
}

int http_if_range_etag_match(const uint8_t *v, size_t n, const uint8_t *etag, size_t elen)
{
    size_t i = 0, s, e;
    int weak;
    if (!entity_tag(v, n, &i, &s, &e, &weak) || i != n || weak)
        return 0;
    if (elen >= 2 && etag[0] == 'W' && etag[1] == '/')
        return 0;
    return bytes_eq(v + s, e - s, etag, elen);
}

static int hexdig(uint8_t c)
{
    return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'f');
}

int http_host_parse(const uint8_t *v, size_t n, size_t *name_len)
{
    size_t i = 0;
    if (n == 0)
        return -1;
    if (v[0] == '[') {
        i = 1;
        while (i < n && (hexdig(v[i]) || v[i] == ':' || v[i] == '.'))
            i++;
        if (i == 1 || i >= n || v[i] != ']')
            return -1;
        i++;
    } else {
        while (i < n) {
            uint8_t c = v[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '.' || c == '_' || c == '~'))
                break;
            i++;
        }
        if (i == 0)
            return -1;
    }
    *name_len = i;
    if (i == n)
        return 0;
    if (v[i] != ':')
        return -1;
    i++;
    if (n - i > 5)
        return -1;
    uint32_t port = 0;
    for (; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        port = port * 10 + (uint32_t)(v[i] - '0');
    }
    return port <= 65535 ? 0 : -1;
}

size_t http_etag_gz(const uint8_t *etag, size_t elen, uint8_t *out)
{
    size_t k = elen > 0 && etag[elen - 1] == '"' ? elen - 1 : elen;
    size_t o = 0;
    for (size_t i = 0; i < k; i++)
        out[o++] = etag[i];
    out[o++] = '-';
    out[o++] = 'g';
    out[o++] = 'z';
    for (size_t i = k; i < elen; i++)
        out[o++] = etag[i];
    return o;
}
