/* SPDX-License-Identifier: Apache-2.0 */
/* build/atoll: the appliance as a Linux process on a tap device. Besides
 * the platform itself, the tap side reads the --cert/--key files (the loop
 * takes their bytes) and runs the --fault injector around the frames. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appliance/appliance.h"
#include "appliance/config.h"
#include "appliance/log.h"
#include "appliance/tap/platform_tap.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: atoll --tap NAME (--ip ADDR/PREFIX [--gw ADDR] | --dhcp) [--site SITE.img] [--echo]\n"
            "             [--mac XX:XX:XX:XX:XX:XX] [--log error|warn|info|debug]\n"
            "             [--fault drop=P,dup=P,reorder=P,corrupt=P] [--no-offload]\n"
            "             [--tls-echo PORT --cert CERT.pem --key KEY.pem [--cert .. --key ..]]\n"
            "\n"
            "  --tap NAME    create or attach the tap device NAME (needs CAP_NET_ADMIN)\n"
            "  --ip A/P      static address and prefix length, e.g. 10.0.0.2/24\n"
            "  --gw ADDR     default gateway (inside the --ip subnet)\n"
            "  --dhcp        acquire the address with DHCP\n"
            "  --site FILE   serve the site image FILE (made by atoll-pack) over HTTPS\n"
            "  --https-port P  HTTPS port (default 443)\n"
            "  --http-port P   plain HTTP port answering 301 to https:// (default 80, 0: none)\n"
            "  --max-conns N   connections served at once, 1-32768 (default 64)\n"
            "  --memory SIZE   memory for connections and their buffers, e.g. 48M\n"
            "                (default: what the machine gives; limits printed at start)\n"
            "  --header-timeout S  TLS handshake and each request head within S seconds (default 10)\n"
            "  --idle-timeout S    close keep-alive connections idle for S seconds (default 60)\n"
            "  --hsts S        Strict-Transport-Security max-age (default 31536000, 0: off)\n"
            "  --orphan-retries N  a closed connection whose peer stops taking its last\n"
            "                bytes is reset after N backed-off retries, 1-12 (default 6)\n"
            "  --header 'Name: value'  add a response header (repeatable; replaces a default)\n"
            "  --no-security-headers   drop X-Content-Type-Options, X-Frame-Options, Referrer-Policy\n"
            "  --echo        RFC 862 echo service on UDP and TCP port 7\n"
            "  --mac MAC     hardware address (default: random, locally administered)\n"
            "  --log LEVEL   console verbosity (default info)\n"
            "  --tls-echo P  TLS 1.3 echo service on TCP port P (interop tests)\n"
            "  --cert FILE   PEM certificate chain, leaf first (with --key; repeat for SNI)\n"
            "  --key FILE    PEM private key of the --cert before it (ECDSA P-256/384, RSA)\n"
            "  --fault SPEC  testing: drop/duplicate/reorder/corrupt that percentage of\n"
            "                frames in each direction, e.g. drop=1,reorder=2,corrupt=0.5\n"
            "                (turns --no-offload on: the faults hit frames as on the wire)\n"
            "  --no-offload  checksum every frame and send TCP one segment a frame, leaving\n"
            "                the kernel nothing to complete or cut (debugging, comparison)\n"
            "\n"
            "Answers ARP and ping. One access-log line per request on stderr (--log info).\n"
            "Stops cleanly on SIGINT or SIGTERM.\n");
}

/* The whole file, NUL-terminated (PEM parsing wants the NUL). 0, or -1
 * with a message naming the file in err. */
static int read_file(const char *path, uint8_t **out, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap + 1);
    while (b) {
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        if (cap > (1u << 24)) {
            free(b);
            b = NULL;
            break;
        }
        cap *= 2;
        uint8_t *nb = realloc(b, cap + 1);
        if (!nb)
            free(b);
        b = nb;
    }
    int bad = ferror(f);
    fclose(f);
    if (!b || bad) {
        free(b);
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    b[n] = 0;
    *out = b;
    *len = n;
    return 0;
}

/* Hands the loop the bytes of every --cert/--key pair, when a TLS service
 * will use them. 0, or -1 after logging the file that failed. */
static int read_creds(struct app_config *cfg)
{
    if (cfg->tls_echo_port == 0 && cfg->site[0] == '\0')
        return 0;
    for (int i = 0; i < cfg->ncert; i++) {
        char err[512];
        uint8_t *cert, *key;
        if (read_file(cfg->cert[i], &cert, &cfg->cert_len[i], err, sizeof err) != 0) {
            log_msg(LOG_ERROR, "tls: %s", err);
            return -1;
        }
        cfg->cert_data[i] = cert;
        if (read_file(cfg->key[i], &key, &cfg->key_len[i], err, sizeof err) != 0) {
            log_msg(LOG_ERROR, "tls: %s", err);
            return -1;
        }
        cfg->key_data[i] = key;
    }
    return 0;
}

static void free_creds(struct app_config *cfg)
{
    for (int i = 0; i < cfg->ncert; i++) {
        if (cfg->key_data[i])
            memset((uint8_t *)cfg->key_data[i], 0, cfg->key_len[i]);
        free((uint8_t *)cfg->key_data[i]);
        free((uint8_t *)cfg->cert_data[i]);
    }
}

static int start_faults(struct platform *p, const struct fault_spec *f)
{
    if (!fault_active(f))
        return 0;
    uint64_t seeds[2];
    if (plat_entropy(p, seeds, sizeof seeds) != 0)
        return -1;
    plat_tap_faults(p, f, seeds[0], seeds[1]);
    log_msg(LOG_WARN, "fault injection on: drop %u, dup %u, reorder %u, corrupt %u (ppm)", f->drop, f->dup,
            f->reorder, f->corrupt);
    return 0;
}

static void log_tap(const struct platform *p)
{
    const struct plat_tap_stats *t = plat_tap_stats(p);
    log_msg(LOG_INFO, "tap: tx_frames=%llu csum_frames=%llu tso_frames=%llu rx_frames=%llu rx_dropped=%llu",
            (unsigned long long)t->tx_frames, (unsigned long long)t->tx_csum, (unsigned long long)t->tx_tso,
            (unsigned long long)t->rx_frames, (unsigned long long)t->rx_dropped);
}

static void log_faults(const struct platform *p)
{
    const struct fault_dir *rx = plat_tap_fault_counts(p, 0), *tx = plat_tap_fault_counts(p, 1);
    if (!rx || !tx)
        return;
    log_msg(LOG_INFO, "faults injected: rx drop=%llu dup=%llu reorder=%llu corrupt=%llu, tx drop=%llu dup=%llu "
            "reorder=%llu corrupt=%llu",
            (unsigned long long)rx->dropped, (unsigned long long)rx->duplicated,
            (unsigned long long)rx->reordered, (unsigned long long)rx->corrupted,
            (unsigned long long)tx->dropped, (unsigned long long)tx->duplicated,
            (unsigned long long)tx->reordered, (unsigned long long)tx->corrupted);
}

int main(int argc, char **argv)
{
    struct app_config cfg;
    char err[256];
    config_defaults(&cfg);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            fprintf(stderr, "atoll: unexpected argument '%s'\n", arg);
            usage(stderr);
            return 2;
        }
        const char *key = arg + 2;
        const char *value = NULL;
        if (!config_is_known(key)) {
            fprintf(stderr, "atoll: unknown option '%s'\n", arg);
            usage(stderr);
            return 2;
        }
        if (!config_is_flag(key)) {
            if (i + 1 >= argc) {
                fprintf(stderr, "atoll: --%s needs a value\n", key);
                return 2;
            }
            value = argv[++i];
        }
        if (config_set(&cfg, key, value, err, sizeof err) != 0) {
            fprintf(stderr, "atoll: %s\n", err);
            return 2;
        }
    }
    if (config_check(&cfg, 1, err, sizeof err) != 0) {
        fprintf(stderr, "atoll: %s\n", err);
        usage(stderr);
        return 2;
    }
    if (cfg.site[0] && plat_tap_map_site(cfg.site, err, sizeof err) != 0) {
        fprintf(stderr, "atoll: %s\n", err);
        return 1;
    }
    struct platform *p = plat_tap_open(cfg.tap, err, sizeof err);
    if (!p) {
        fprintf(stderr, "atoll: %s\n", err);
        return 1;
    }
    log_init(p, (enum log_level)cfg.log_level);
    log_msg(LOG_INFO, "tap %s open", cfg.tap);
    int rc = 1;
    if (start_faults(p, &cfg.fault) == 0 && read_creds(&cfg) == 0) {
        cfg.offload = cfg.no_offload ? NULL : plat_tap_offload(p);
        rc = appliance_run(p, &cfg);
    }
    if (rc == 0) {
        /* at a clean stop, as the loop's own counters */
        log_tap(p);
        log_faults(p);
    }
    free_creds(&cfg);
    plat_tap_close(p);
    return rc;
}
