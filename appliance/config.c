/* SPDX-License-Identifier: Apache-2.0 */
#include "appliance/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appliance/log.h"
#include "base/mac.h"

void config_defaults(struct app_config *c)
{
    memset(c, 0, sizeof *c);
    c->log_level = LOG_INFO;
    c->https_port = 443;
    c->http_port = 80;
    c->max_conns = 64;
    c->header_timeout_s = 10;
    c->idle_timeout_s = 60;
    c->hsts_s = 31536000;
}

int parse_ipv4(const char *s, uint32_t *out)
{
    uint32_t a = 0;
    for (int part = 0; part < 4; part++) {
        if (*s < '0' || *s > '9')
            return -1;
        uint32_t v = 0;
        int digits = 0;
        /* "010" means 8 to inet_aton and 10 to others: refuse the ambiguity. */
        if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
            return -1;
        while (*s >= '0' && *s <= '9') {
            v = v * 10u + (uint32_t)(*s - '0');
            if (++digits > 3 || v > 255u)
                return -1;
            s++;
        }
        a = a * 256u + v;
        if (part < 3) {
            if (*s != '.')
                return -1;
            s++;
        }
    }
    if (*s != '\0')
        return -1;
    *out = a;
    return 0;
}

const char *format_ipv4(uint32_t a, char *buf)
{
    snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255u, (a >> 8) & 255u, a & 255u);
    return buf;
}

int config_is_known(const char *key)
{
    static const char *const keys[] = {"tap", "ip", "gw", "dhcp", "echo", "log", "mac", "fault", "tls-echo", "cert", "key",
                                        "site", "https-port", "http-port", "max-conns", "memory", "header-timeout",
                                        "idle-timeout", "hsts", "header", "no-security-headers", "orphan-retries",
                                        "no-offload"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

int config_is_flag(const char *key)
{
    return strcmp(key, "dhcp") == 0 || strcmp(key, "echo") == 0 || strcmp(key, "no-security-headers") == 0 ||
           strcmp(key, "no-offload") == 0;
}

static int fail(char *err, size_t errlen, const char *key, const char *value, const char *why)
{
    snprintf(err, errlen, "--%s %s: %s", key, value ? value : "", why);
    return -1;
}

/* A decimal number in [lo, hi], digits only. */
static int parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    unsigned long v = 0;
    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (hi - (unsigned long)(*s - '0')) / 10u)
            return -1;
        v = v * 10u + (unsigned long)(*s - '0');
    }
    if (v < lo)
        return -1;
    *out = v;
    return 0;
}

/* A byte count, with an optional K, M or G suffix (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    unsigned shift = 0;
    if (n > 0 && strchr("KkMmGg", s[n - 1]) != NULL)
        shift = s[n - 1] == 'K' || s[n - 1] == 'k' ? 10u : s[n - 1] == 'M' || s[n - 1] == 'm' ? 20u : 30u;
    char digits[24];
    size_t d = n - (shift ? 1u : 0u);
    if (n == 0 || d == 0 || d >= sizeof digits)
        return -1;
    memcpy(digits, s, d);
    digits[d] = '\0';
    unsigned long v;
    if (parse_uint(digits, 0, (1ul << 46) >> shift, &v) != 0) /* at most 64 TiB */
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

static int is_tchar(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

/* "Name: value" or "Name:value" (the PVH command line has no spaces to
 * spare) -> "Name: value\r\n" appended to c->headers. */
static int add_header(struct app_config *c, const char *v, char *err, size_t errlen, const char *key)
{
    const char *colon = strchr(v, ':');
    if (!colon || colon == v)
        return fail(err, errlen, key, v, "expected \"Name: value\"");
    for (const char *p = v; p < colon; p++)
        if (!is_tchar(*p))
            return fail(err, errlen, key, v, "the header name must be an HTTP token");
    const char *val = colon + 1;
    while (*val == ' ' || *val == '\t')
        val++;
    size_t vlen = strlen(val);
    while (vlen > 0 && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t'))
        vlen--;
    if (vlen == 0)
        return fail(err, errlen, key, v, "the header value is empty");
    for (size_t i = 0; i < vlen; i++)
        if ((unsigned char)val[i] < 0x20 && val[i] != '\t')
            return fail(err, errlen, key, v, "control characters are not allowed in a header value");
    size_t nlen = (size_t)(colon - v);
    static const char *const reserved[] = {"content-length", "content-type", "content-encoding", "content-range",
                                           "transfer-encoding", "connection", "date", "etag", "last-modified",
                                           "location", "vary", "accept-ranges", "server", "allow", "retry-after"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strlen(reserved[i]) == nlen && strncasecmp(v, reserved[i], nlen) == 0)
            return fail(err, errlen, key, v, "the server sets this header itself");
    if (c->headers_len + nlen + 2 + vlen + 2 >= sizeof c->headers)
        return fail(err, errlen, key, v, "too many --header bytes (at most 1535 in all)");
    char *o = c->headers + c->headers_len;
    memcpy(o, v, nlen);
    memcpy(o + nlen, ": ", 2);
    memcpy(o + nlen + 2, val, vlen);
    memcpy(o + nlen + 2 + vlen, "\r\n", 3);
    c->headers_len += nlen + 2 + vlen + 2;
    return 0;
}

/* Is a header named name (n bytes) among the "Name: value\r\n" lines? */
static int has_header(const char *lines, const char *name, size_t n)
{
    for (const char *l = lines; *l;) {
        const char *colon = strchr(l, ':');
        if (colon && (size_t)(colon - l) == n && strncasecmp(l, name, n) == 0)
            return 1;
        const char *eol = strstr(l, "\r\n");
        if (!eol)
            break;
        l = eol + 2;
    }
    return 0;
}

int config_response_headers(const struct app_config *c, int https, char *out, size_t cap)
{
    char hsts[80];
    snprintf(hsts, sizeof hsts, "Strict-Transport-Security: max-age=%u\r\n", (unsigned)c->hsts_s);
    const char *defaults[] = {
        https && c->hsts_s ? hsts : NULL,
        c->no_security_headers ? NULL : "X-Content-Type-Options: nosniff\r\n",
        c->no_security_headers ? NULL : "X-Frame-Options: SAMEORIGIN\r\n",
        c->no_security_headers ? NULL : "Referrer-Policy: strict-origin-when-cross-origin\r\n",
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        const char *d = defaults[i];
        if (!d || has_header(c->headers, d, (size_t)(strchr(d, ':') - d)))
            continue;
        size_t l = strlen(d);
        if (n + l >= cap)
            return -1;
        memcpy(out + n, d, l);
        n += l;
    }
    if (n + c->headers_len >= cap)
        return -1;
    memcpy(out + n, c->headers, c->headers_len);
    out[n + c->headers_len] = '\0';
    return 0;
}


int config_set(struct app_config *c, const char *key, const char *value, char *err, size_t errlen)
{
    if (config_is_flag(key)) {
        if (strcmp(key, "dhcp") == 0)
            c->dhcp = 1;
        else if (strcmp(key, "echo") == 0)
            c->echo = 1;
        else if (strcmp(key, "no-offload") == 0)
            c->no_offload = 1;
        else
            c->no_security_headers = 1;
        return 0;
    }
    if (value == NULL)
        return fail(err, errlen, key, NULL, "needs a value");
    if (strcmp(key, "tap") == 0) {
        size_t n = strlen(value);
        if (n == 0 || n >= sizeof c->tap || strchr(value, '/') || strchr(value, ' '))
            return fail(err, errlen, key, value, "not a valid interface name (1-15 characters)");
        memcpy(c->tap, value, n + 1);
        return 0;
    }
    if (strcmp(key, "ip") == 0) {
        char addr[32];
        if (c->have_ip)
            return fail(err, errlen, key, value, "given twice");
        const char *slash = strchr(value, '/');
        if (!slash || (size_t)(slash - value) >= sizeof addr)
            return fail(err, errlen, key, value, "expected ADDRESS/PREFIX, e.g. 10.0.0.2/24");
        memcpy(addr, value, (size_t)(slash - value));
        addr[slash - value] = '\0';
        uint32_t ip;
        if (parse_ipv4(addr, &ip) != 0)
            return fail(err, errlen, key, value, "not a dotted-quad IPv4 address");
        const char *p = slash + 1;
        int prefix = 0, digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 3) {
            prefix = prefix * 10 + (*p - '0');
            p++;
            digits++;
        }
        if (digits == 0 || *p != '\0' || prefix < 1 || prefix > 30)
            return fail(err, errlen, key, value, "prefix length must be 1 to 30");
        uint32_t mask = 0xffffffffu << (32 - prefix);
        if ((ip & ~mask) == 0 || (ip | mask) == 0xffffffffu)
            return fail(err, errlen, key, value, "is the network or broadcast address of its subnet");
        if (ip >= 0xe0000000u || (ip >> 24) == 0 || (ip >> 24) == 127)
            return fail(err, errlen, key, value, "not a usable unicast address");
        c->ip = ip;
        c->netmask = mask;
        c->have_ip = 1;
        return 0;
    }
    if (strcmp(key, "gw") == 0) {
        if (parse_ipv4(value, &c->gateway) != 0 || c->gateway == 0)
            return fail(err, errlen, key, value, "not a dotted-quad IPv4 address");
        return 0;
    }
    if (strcmp(key, "log") == 0) {
        int l = log_level_from_name(value);
        if (l < 0)
            return fail(err, errlen, key, value, "log level must be error, warn, info or debug");
        c->log_level = l;
        return 0;
    }
    if (strcmp(key, "mac") == 0) {
        if (mac_parse(value, c->mac) != 0)
            return fail(err, errlen, key, value, "expected a MAC address like 02:00:00:00:00:01");
        if (c->mac[0] & 1u)
            return fail(err, errlen, key, value, "is a multicast address");
        c->have_mac = 1;
        return 0;
    }
    if (strcmp(key, "tls-echo") == 0) {
        char *end;
        unsigned long port = strtoul(value, &end, 10);
        if (*value < '0' || *value > '9' || *end != '\0' || port == 0 || port > 65535)
            return fail(err, errlen, key, value, "expected a TCP port number 1-65535");
        c->tls_echo_port = (uint16_t)port;
        return 0;
    }
    if (strcmp(key, "cert") == 0 || strcmp(key, "key") == 0) {
        int is_cert = key[0] == 'c';
        int *n = is_cert ? &c->ncert : &c->nkey;
        char(*dst)[256] = is_cert ? c->cert : c->key;
        if (*n >= CONFIG_MAX_CERTS)
            return fail(err, errlen, key, value, "at most 4 --cert/--key pairs");
        if (strlen(value) == 0 || strlen(value) >= sizeof dst[0])
            return fail(err, errlen, key, value, "path empty or longer than 255 bytes");
        memcpy(dst[*n], value, strlen(value) + 1);
        (*n)++;
        return 0;
    }
    if (strcmp(key, "site") == 0) {
        if (strlen(value) == 0 || strlen(value) >= sizeof c->site)
            return fail(err, errlen, key, value, "path empty or longer than 255 bytes");
        memcpy(c->site, value, strlen(value) + 1);
        return 0;
    }
    if (strcmp(key, "https-port") == 0 || strcmp(key, "http-port") == 0) {
        unsigned long v;
        int https = key[4] == 's';
        if (parse_uint(value, https ? 1 : 0, 65535, &v) != 0)
            return fail(err, errlen, key, value, https ? "expected a TCP port number 1-65535"
                                                       : "expected a TCP port number 1-65535, or 0 for none");
        *(https ? &c->https_port : &c->http_port) = (uint16_t)v;
        return 0;
    }
    if (strcmp(key, "max-conns") == 0) {
        unsigned long v;
        if (parse_uint(value, 1, CONFIG_MAX_CONNS, &v) != 0)
            return fail(err, errlen, key, value, "expected a number of connections from 1 to 32768");
        c->max_conns = (uint32_t)v;
        c->max_conns_given = 1;
        return 0;
    }
    if (strcmp(key, "memory") == 0) {
        uint64_t v;
        if (parse_size(value, &v) != 0 || v < CONFIG_MEMORY_MIN)
            return fail(err, errlen, key, value,
                        "expected a size of at least 1M: a number of bytes, or with K, M or G (1024-based)");
        c->memory = v;
        return 0;
    }
    if (strcmp(key, "header-timeout") == 0 || strcmp(key, "idle-timeout") == 0) {
        unsigned long v;
        if (parse_uint(value, 1, 3600, &v) != 0)
            return fail(err, errlen, key, value, "expected seconds from 1 to 3600");
        *(key[0] == 'h' ? &c->header_timeout_s : &c->idle_timeout_s) = (uint32_t)v;
        return 0;
    }
    if (strcmp(key, "hsts") == 0) {
        unsigned long v;
        if (parse_uint(value, 0, 0x7fffffffu, &v) != 0)
            return fail(err, errlen, key, value, "expected a max-age in seconds (0 turns HSTS off)");
        c->hsts_s = (uint32_t)v;
        return 0;
    }
    if (strcmp(key, "orphan-retries") == 0) {
        unsigned long v;
        if (parse_uint(value, 1, 12, &v) != 0)
            return fail(err, errlen, key, value, "expected a number of retries from 1 to 12");
        c->orphan_retries = (uint32_t)v;
        return 0;
    }
    if (strcmp(key, "header") == 0)
        return add_header(c, value, err, errlen, key);
    if (strcmp(key, "fault") == 0) {
        char why[160];
        if (fault_spec_from_string(value, &c->fault, why, sizeof why) != 0)
            return fail(err, errlen, key, value, why);
        return 0;
    }
    snprintf(err, errlen, "unknown option --%s", key);
    return -1;
}

int config_from_cmdline(struct app_config *c, const char *cmdline, char *err, size_t errlen)
{
    const char *p = cmdline;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            return 0;
        const char *end = p;
        while (*end && *end != ' ' && *end != '\t')
            end++;
        char word[512];
        size_t n = (size_t)(end - p);
        if (n >= sizeof word) {
            snprintf(err, errlen, "command line: a word longer than %u bytes", (unsigned)sizeof word - 1);
            return -1;
        }
        memcpy(word, p, n);
        word[n] = '\0';
        char *eq = strchr(word, '=');
        if (eq)
            *eq = '\0';
        if (!config_is_known(word)) {
            snprintf(err, errlen, "command line: unknown key '%s'", word);
            return -1;
        }
        if (config_is_flag(word) && eq) {
            snprintf(err, errlen, "command line: '%s' takes no value", word);
            return -1;
        }
        if (!config_is_flag(word) && !eq) {
            snprintf(err, errlen, "command line: '%s' needs a value (%s=...)", word, word);
            return -1;
        }
        if (config_set(c, word, eq ? eq + 1 : NULL, err, errlen) != 0)
            return -1;
        p = end;
    }
}

int config_check(const struct app_config *c, int need_tap, char *err, size_t errlen)
{
    if (need_tap && c->tap[0] == '\0') {
        snprintf(err, errlen, "--tap NAME is required");
        return -1;
    }
    if (c->dhcp && c->have_ip) {
        snprintf(err, errlen, "--ip and --dhcp exclude each other");
        return -1;
    }
    if (c->ncert != c->nkey) {
        snprintf(err, errlen, "every --cert needs its --key (got %d certificates, %d keys)", c->ncert, c->nkey);
        return -1;
    }
    if (c->tls_echo_port != 0 && c->ncert == 0) {
        snprintf(err, errlen, "--tls-echo needs a certificate: --cert FILE --key FILE");
        return -1;
    }
    if (c->site[0] && c->tls_echo_port != 0 && c->tls_echo_port == c->https_port) {
        snprintf(err, errlen, "--tls-echo and --https-port both want TCP port %u", c->tls_echo_port);
        return -1;
    }
    if (c->site[0] && c->http_port == c->https_port) {
        snprintf(err, errlen, "--http-port and --https-port are both %u", c->https_port);
        return -1;
    }
    if (!c->dhcp && !c->have_ip) {
        snprintf(err, errlen, "give an address: --ip ADDR/PREFIX [--gw ADDR], or --dhcp");
        return -1;
    }
    if (c->gateway != 0) {
        if (c->dhcp) {
            snprintf(err, errlen, "--gw comes from DHCP when --dhcp is given");
            return -1;
        }
        if ((c->gateway & c->netmask) != (c->ip & c->netmask)) {
            char a[16];
            snprintf(err, errlen, "--gw %s is not inside the --ip subnet", format_ipv4(c->gateway, a));
            return -1;
        }
    }
    return 0;
}
