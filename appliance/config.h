/* SPDX-License-Identifier: Apache-2.0 */
/* Boot-time configuration. The same keys are used on the tap command line
 * (--key value, --flag) and on the PVH kernel command line (key=value, flag),
 * so config_set() is the one place that interprets them. */
#ifndef ATOLL_CONFIG_H
#define ATOLL_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "appliance/fault_spec.h"

#define CONFIG_MAX_CERTS 4
#define CONFIG_MAX_CONNS 32768    /* --max-conns ceiling (TCP's table holds twice as many, at most 65535) */
#define CONFIG_MEMORY_MIN (1024u * 1024u) /* --memory floor */
#define CONFIG_HEADERS_MAX 1536   /* bytes of --header lines, "Name: value\r\n" each */

struct plat_offload;

struct app_config {
    char tap[16];        /* Linux only: interface name */
    int dhcp;
    int have_ip;
    uint32_t ip, netmask, gateway;
    int echo;            /* RFC 862 echo on UDP port 7 */
    int log_level;
    int have_mac;
    uint8_t mac[6];
    struct fault_spec fault; /* test only: injected link faults */
    uint16_t tls_echo_port;  /* TLS echo service (tests, interop), 0 off */
    int ncert, nkey;         /* --cert/--key pairs, in order */
    char cert[CONFIG_MAX_CERTS][256];
    char key[CONFIG_MAX_CERTS][256];
    /* Their bytes, handed in by the platform before appliance_run (the
     * tap's main reads the files) so the loop opens no file. A PEM text is
     * followed by a NUL not counted in its length. */
    const uint8_t *cert_data[CONFIG_MAX_CERTS], *key_data[CONFIG_MAX_CERTS];
    size_t cert_len[CONFIG_MAX_CERTS], key_len[CONFIG_MAX_CERTS];
    /* The HTTPS site appliance. */
    char site[256];               /* tap: the site image file (PVH: boot module) */
    uint16_t https_port;          /* default 443 */
    uint16_t http_port;           /* default 80: 301 to https://; 0 off */
    uint32_t max_conns;           /* connections served at once, default 64 */
    int max_conns_given;          /* set by the user: refused, not lowered, when the memory is short */
    uint64_t memory;              /* bytes for connections and their buffers; 0: what the machine gives */
    uint32_t header_timeout_s;    /* request head (and TLS handshake) must complete within, default 10 */
    uint32_t idle_timeout_s;      /* keep-alive idle limit, default 60 */
    uint32_t hsts_s;              /* Strict-Transport-Security max-age, default 1 year; 0 off */
    uint32_t orphan_retries;      /* TCP: closed connections give up after this many retries; 0: the stack's 6 */
    int no_security_headers;      /* drop the default security headers */
    size_t headers_len;
    char headers[CONFIG_HEADERS_MAX]; /* --header lines, each "Name: value\r\n" */
    int no_offload;               /* send every frame whole and checksummed, even where the device could help */
    /* The device's transmit offloads, handed in by the platform before
     * appliance_run (platform.h); NULL: none. */
    const struct plat_offload *offload;
};

void config_defaults(struct app_config *c);

/* Is `key` one of ours? */
int config_is_known(const char *key);

/* Is `key` a flag (takes no value)? */
int config_is_flag(const char *key);

/* Applies one key (value NULL for flags). 0 on success, else -1 with a
 * message naming the key and the reason in err. */
int config_set(struct app_config *c, const char *key, const char *value, char *err, size_t errlen);

/* The extra response headers for a site: Strict-Transport-Security (on
 * HTTPS, when hsts_s > 0), the default security headers unless turned
 * off, then every --header line; a --header replaces a default of the same
 * name. Written NUL-terminated into out; -1 when it does not fit. */
int config_response_headers(const struct app_config *c, int https, char *out, size_t cap);

/* A PVH kernel command line: words separated by spaces, each "key=value"
 * or "flag", with the keys of config_set (so "ip=10.0.0.2/24 gw=10.0.0.1
 * header=X-A:b" is "--ip 10.0.0.2/24 --gw 10.0.0.1 --header X-A:b").
 * 0, or -1 with the first bad word and the reason in err. */
int config_from_cmdline(struct app_config *c, const char *cmdline, char *err, size_t errlen);

/* Checks the whole: an address source chosen, etc. */
int config_check(const struct app_config *c, int need_tap, char *err, size_t errlen);

/* Strict dotted-quad parser: 0 and the host-order address, or -1. */
int parse_ipv4(const char *s, uint32_t *out);
/* Formats a host-order address into buf (at least 16 bytes). */
const char *format_ipv4(uint32_t a, char *buf);

#endif
