/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 6125 DNS-ID matching (dns_name.h). */
#include "tls/dns_name.h"

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static int same_name(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* The labels of s[0 .. n-1]: how many, or 0 when the name is empty, has
 * an empty label or holds a NUL. */
static size_t count_labels(const char *s, size_t n)
{
    size_t labels = 1, len = 0;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0')
            return 0;
        if (s[i] != '.') {
            len++;
            continue;
        }
        if (len == 0)
            return 0;
        labels++;
        len = 0;
    }
    return len == 0 ? 0 : labels;
}

/* An IPv6 literal holds a ':'; a dotted IPv4 address ends in a numeric
 * label, which no DNS name does (top-level domains are alphabetic). */
static int is_ip_address(const char *s, size_t n)
{
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ':')
            return 1;
        if (s[i] == '.')
            last = i + 1;
    }
    for (size_t i = last; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int tls_dns_name_matches(const char *pattern, size_t pattern_len, const char *host, size_t host_len)
{
    if (pattern_len > 0 && pattern[pattern_len - 1] == '.')
        pattern_len--;
    if (host_len > 0 && host[host_len - 1] == '.')
        host_len--;
    size_t pattern_labels = count_labels(pattern, pattern_len), host_labels = count_labels(host, host_len);
    if (pattern_labels == 0 || host_labels == 0)
        return 0;
    size_t stars = 0;
    for (size_t i = 0; i < pattern_len; i++)
        stars += pattern[i] == '*';
    if (stars == 0)
        return pattern_len == host_len && same_name(pattern, host, host_len);
    /* the one wildcard honoured: "*" as the whole left-most label, with
     * two labels or more after it, standing for one label of the host */
    if (stars != 1 || pattern_labels < 3 || pattern[0] != '*' || pattern[1] != '.' || host_labels != pattern_labels ||
        is_ip_address(host, host_len))
        return 0;
    const char *rest = pattern + 1; /* ".example.com" */
    size_t rest_len = pattern_len - 1;
    /* as many labels on both sides and none empty: host[0 .. first-1] is one label */
    if (host_len <= rest_len)
        return 0;
    size_t first = host_len - rest_len;
    return same_name(host + first, rest, rest_len);
}
