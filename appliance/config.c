#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

void config_defaults(struct app_config *c)
{
    memset(c, 0, sizeof *c);
    c->log_level = LOG_INFO;
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

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Exactly six pairs of hex digits separated by colons: sscanf's %x would
 * also take blanks, signs and "0x". */
static int parse_mac(const char *s, uint8_t mac[6])
{
    if (strlen(s) != 17)
        return -1;
    for (int i = 0; i < 6; i++) {
        int hi = hex_digit(s[3 * i]), lo = hex_digit(s[3 * i + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
            return -1;
        mac[i] = (uint8_t)(hi * 16 + lo);
    }
    return 0;
}

int config_is_known(const char *key)
{
    static const char *const keys[] = {"tap", "ip", "gw", "dhcp", "echo", "log", "mac", "fault", "tls-echo", "cert", "key"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

int config_is_flag(const char *key)
{
    return strcmp(key, "dhcp") == 0 || strcmp(key, "echo") == 0;
}

static int fail(char *err, size_t errlen, const char *key, const char *value, const char *why)
{
    snprintf(err, errlen, "--%s %s: %s", key, value ? value : "", why);
    return -1;
}

int config_set(struct app_config *c, const char *key, const char *value, char *err, size_t errlen)
{
    if (config_is_flag(key)) {
        if (strcmp(key, "dhcp") == 0)
            c->dhcp = 1;
        else
            c->echo = 1;
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
        if (parse_mac(value, c->mac) != 0)
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
    if (strcmp(key, "fault") == 0) {
        char why[160];
        if (fault_spec_from_string(value, &c->fault, why, sizeof why) != 0)
            return fail(err, errlen, key, value, why);
        return 0;
    }
    snprintf(err, errlen, "unknown option --%s", key);
    return -1;
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
