/* SPDX-License-Identifier: Apache-2.0 */
/* The event loop shared by every platform: frames in, timers, frames out. */
#include <stdio.h>
#include <string.h>

#include "appliance/appliance.h"
#include "atoll/tcpip.h"
#include "tls/backend/backend.h"
#include "tls/backend/creds_mbedtls.h"
#include "appliance/log.h"
#include "appliance/creds.h"
#include "appliance/web_service.h"
#include "appliance/mem_plan.h"
#include "base/civil_date.h"

#define RX_BATCH 64
#define ECHO_PORT 7u

static uint8_t rx_frame[2048];

/* The memory plan (appliance/mem_plan.h) and the web service's share of
 * it: reserved once at start, never grown. */
static struct mem_plan plan;
static uint8_t *web_mem;

struct app {
    struct platform *plat;
    struct atoll_stack *st;
    const struct plat_offload *offload;
    uint64_t tx_errors;
};

static void send_frame(void *ctx, const uint8_t *frame, size_t len)
{
    struct app *a = ctx;
    if (plat_send_frame(a->plat, frame, len) != 0)
        a->tx_errors++;
}

static void send_frame_ex(void *ctx, const uint8_t *head, size_t head_len, const uint8_t *body, size_t body_len,
                          const struct atoll_tx_meta *m)
{
    struct app *a = ctx;
    if (a->offload->send(a->plat, head, head_len, body, body_len, m) != 0)
        a->tx_errors++;
}

static void on_event(void *ctx, enum atoll_event ev, uint32_t x, uint32_t y)
{
    (void)ctx;
    char s1[16], s2[16];
    switch (ev) {
    case ATOLL_EV_ADDR_UP: log_msg(LOG_INFO, "address %s/%u up", format_ipv4(x, s1), y); break;
    case ATOLL_EV_ADDR_DOWN: log_msg(LOG_INFO, "address %s down", format_ipv4(x, s1)); break;
    case ATOLL_EV_DHCP_DISCOVER: log_msg(LOG_INFO, "dhcp: discovering"); break;
    case ATOLL_EV_DHCP_OFFER:
        log_msg(LOG_INFO, "dhcp: offer %s from %s", format_ipv4(x, s1), format_ipv4(y, s2));
        break;
    case ATOLL_EV_DHCP_BOUND: log_msg(LOG_INFO, "dhcp: bound %s, lease %us", format_ipv4(x, s1), y); break;
    case ATOLL_EV_DHCP_RENEWED: log_msg(LOG_INFO, "dhcp: renewed %s, lease %us", format_ipv4(x, s1), y); break;
    case ATOLL_EV_DHCP_REBOUND: log_msg(LOG_INFO, "dhcp: rebound %s, lease %us", format_ipv4(x, s1), y); break;
    case ATOLL_EV_DHCP_NAK: log_msg(LOG_WARN, "dhcp: NAK from %s, starting over", format_ipv4(x, s1)); break;
    case ATOLL_EV_DHCP_EXPIRED: log_msg(LOG_WARN, "dhcp: lease on %s expired", format_ipv4(x, s1)); break;
    case ATOLL_EV_ARP_CONFLICT:
        log_msg(LOG_WARN, "arp: another host claims our address %s", format_ipv4(x, s1));
        break;
    }
}

static void echo_recv(void *user, struct atoll_stack *st, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                      const uint8_t *data, size_t len, uint64_t now)
{
    (void)user;
    int r = atoll_udp_send(st, dst_port, src_ip, src_port, data, len, now);
    if (r != ATOLL_OK && log_enabled(LOG_DEBUG)) {
        char s[16];
        log_msg(LOG_DEBUG, "echo: reply to %s:%u failed (%d)", format_ipv4(src_ip, s), src_port, r);
    }
}

/* TCP echo: move bytes from the receive side to the send side only as fast
 * as the send buffer drains, so a fast sender is slowed by our window
 * instead of us buffering without bound. */
static uint8_t echo_chunk[16384];

static void tcp_echo_pump(struct atoll_tcp *c, uint64_t now)
{
    for (;;) {
        size_t room = atoll_tcp_writable(c);
        if (room == 0)
            return;
        if (room > sizeof echo_chunk)
            room = sizeof echo_chunk;
        long n = atoll_tcp_recv(c, echo_chunk, room, now);
        if (n == ATOLL_TCP_EOF) {
            atoll_tcp_shutdown(c, now);
            return;
        }
        if (n <= 0)
            return;
        atoll_tcp_send(c, echo_chunk, (size_t)n, now);
    }
}

static void tcp_echo_event(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    struct app *a = user;
    if (ev == ATOLL_TCP_READABLE || ev == ATOLL_TCP_WRITABLE)
        tcp_echo_pump(c, plat_now_ms(a->plat));
}

static void tcp_echo_accept(void *user, struct atoll_tcp *c)
{
    struct app *a = user;
    atoll_tcp_set_handler(c, tcp_echo_event, a);
    if (log_enabled(LOG_DEBUG)) {
        uint32_t ip;
        uint16_t port;
        char s[16];
        atoll_tcp_peer(c, &ip, &port);
        log_msg(LOG_DEBUG, "echo: tcp connection from %s:%u", format_ipv4(ip, s), port);
    }
}

static uint64_t now_of(void *ctx)
{
    return plat_now_ms(ctx);
}

/* TLS state shared by every connection: backend, DRBG, credentials and
 * ticket keys (rotated daily, the previous key still accepted). */
static struct atoll_tls_crypto atoll_tls_crypto;
static _Alignas(16) uint8_t tls_crypto_state[ATOLL_TLS_BACKEND_STATE_MAX];
static struct atoll_tls_server_config tls_cfg;

static int tls_setup(struct app *a, const struct app_config *cfg)
{
    static int done;
    if (done++)
        return 0; /* one configuration for the echo service and the site */
    uint8_t seed[48];
    char err[512];
    const struct atoll_tls_backend *be = tls_backend_default;
    if (be->state_size > sizeof tls_crypto_state || plat_entropy(a->plat, seed, sizeof seed) != 0 ||
        be->init(&atoll_tls_crypto, tls_crypto_state, seed, sizeof seed) != 0) {
        log_msg(LOG_ERROR, "tls: cannot seed the DRBG");
        return -1;
    }
    memset(seed, 0, sizeof seed);
    log_msg(LOG_INFO, "tls: crypto %s (%s)", be->name, be->licence);
    atoll_tls_creds_sign_with(be);
    memset(&tls_cfg, 0, sizeof tls_cfg);
    for (int i = 0; i < cfg->ncert; i++) {
        if (!cfg->cert_data[i] || !cfg->key_data[i]) {
            log_msg(LOG_ERROR, "tls: %s + %s: not handed in by the platform", cfg->cert[i], cfg->key[i]);
            return -1;
        }
        char what[600];
        snprintf(what, sizeof what, "%s + %s", cfg->cert[i], cfg->key[i]);
        if (tls_creds_load_mem(&tls_cfg, cfg->cert_data[i], cfg->cert_len[i], cfg->key_data[i], cfg->key_len[i],
                               what, err, sizeof err) != 0) {
            log_msg(LOG_ERROR, "tls: %s", err);
            return -1;
        }
        const struct atoll_tls_credential *cr = &tls_cfg.cred[i];
        log_msg(LOG_INFO, "tls: certificate %s for %s%s (%zu in chain)", cfg->cert[i],
                cr->name_count ? cr->names[0] : "(no name)", cr->name_count > 1 ? " and more" : "",
                cr->chain_count);
    }
    tls_cfg.alpn = NULL;
    tls_cfg.ticket_lifetime_s = 86400;
    tls_cfg.tickets_per_handshake = 2;
    tls_cfg.max_early_data_skip = 16384;
    if (plat_entropy(a->plat, tls_cfg.ticket_current.name, sizeof tls_cfg.ticket_current.name) != 0 ||
        plat_entropy(a->plat, tls_cfg.ticket_current.key, sizeof tls_cfg.ticket_current.key) != 0)
        return -1;
    tls_cfg.ticket_current.name[0] |= 1u; /* never the all-zero "no key" name */
    tls_cfg.ticket_current.created_s = plat_now_ms(a->plat) / 1000u;
    return 0;
}

static int64_t unix_of(void *ctx)
{
    return plat_unix_s(ctx);
}

static void access_log(const char *line, size_t len)
{
    if (log_enabled(LOG_INFO))
        log_raw(line, len);
}

/* One table of connections for every TCP service over TLS or HTTP (the
 * TLS echo, HTTPS, the redirector), under the same limits. */
static struct web_config web_cfg;
static int web_on;

static void web_setup(struct app *a, const struct app_config *cfg)
{
    if (web_on++)
        return;
    web_cfg = (struct web_config){.tls = &tls_cfg,
                                  .crypto = &atoll_tls_crypto,
                                  .max_conns = plan.max_conns,
                                  .mem = web_mem,
                                  .mem_len = plan.web_bytes,
                                  .sets = plan.sets,
                                  .hs_big = plan.hs_big,
                                  .handshake_timeout_ms = cfg->header_timeout_s * 1000u,
                                  .stall_timeout_ms = (cfg->header_timeout_s + cfg->idle_timeout_s) * 1000u,
                                  .now_ms = now_of,
                                  .unix_s = unix_of,
                                  .clock_ctx = a->plat,
                                  .access_log = access_log};
    if (web_init(a->st, &web_cfg) != 0)
        log_msg(LOG_ERROR, "memory: the connection table does not fit its plan"); /* mem_plan's bug, not the user's */
}

/* The site: its image, its certificates, HTTPS on https_port and the
 * redirector on http_port. */
static struct site_image site;
static struct http_config site_https, site_http;
static char hdr_https[HTTP_HDR_OUT_MAX], hdr_http[HTTP_HDR_OUT_MAX];

/* A certificate clients will refuse is served silently otherwise: say so
 * at start, and warn while it has under a month left. */
#define CERT_WARN_DAYS 30
static const char *format_day(int64_t t, char buf[32])
{
    int64_t days = t < 0 ? 0 : t / 86400, y; /* X.509 dates before 1970 print as 1970 */
    if (days > CIVIL_DAYS_MAX)
        days = CIVIL_DAYS_MAX;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, 32, "%04lld-%02u-%02u", (long long)y, m, d);
    return buf;
}
static void check_cert_dates(const struct atoll_tls_server_config *tc, int64_t now)
{
    for (size_t i = 0; i < tc->cred_count; i++) {
        const struct atoll_tls_credential *cr = &tc->cred[i];
        const char *name = cr->name_count ? cr->names[0] : "(no name)";
        char day[32];
        if (now < cr->not_before) {
            log_msg(LOG_WARN, "site certificate for %s is not valid before %s: clients will refuse it "
                    "(is the clock right?)", name, format_day(cr->not_before, day));
        } else if (now > cr->not_after) {
            log_msg(LOG_WARN, "site certificate for %s expired on %s: clients will refuse it; pack a renewed one",
                    name, format_day(cr->not_after, day));
        } else if (cr->not_after - now < (int64_t)CERT_WARN_DAYS * 86400) {
            long days = (long)((cr->not_after - now) / 86400);
            log_msg(LOG_WARN, "site certificate for %s expires in %ld day%s (%s)", name, days, days == 1 ? "" : "s",
                    format_day(cr->not_after, day));
        }
    }
}

static int site_setup(struct app *a, const struct app_config *cfg)
{
    const uint8_t *img;
    size_t len;
    char err[512];
    if (plat_site_image(a->plat, &img, &len) != 0)
        return 0;
    int r = site_image_open(img, len, &site);
    if (r != 0) {
        log_msg(LOG_ERROR, "site image %s: %s", cfg->site[0] ? cfg->site : "(boot module)", site_image_strerror(r));
        return -1;
    }
    if (tls_setup(a, cfg) != 0)
        return -1;
    if (tls_creds_load_site(&tls_cfg, &site, err, sizeof err) != 0) {
        log_msg(LOG_ERROR, "site image: %s", err);
        return -1;
    }
    tls_cfg.alpn = "http/1.1";
    tls_cfg.alpn_also = "http/1.0"; /* curl --http1.0 offers only this; HTTP/1.0 is served */
    check_cert_dates(&tls_cfg, plat_unix_s(a->plat));
    if (config_response_headers(cfg, 1, hdr_https, sizeof hdr_https) != 0 ||
        config_response_headers(cfg, 0, hdr_http, sizeof hdr_http) != 0) {
        log_msg(LOG_ERROR, "--header: the response headers do not fit in %u bytes", (unsigned)sizeof hdr_https);
        return -1;
    }
    site_https = (struct http_config){.site = &site,
                                      .https_port = cfg->https_port,
                                      .headers = hdr_https,
                                      .header_timeout_ms = cfg->header_timeout_s * 1000u,
                                      .idle_timeout_ms = cfg->idle_timeout_s * 1000u,
                                      .log = web_http_log};
    site_http = site_https;
    site_http.redirect_https = 1;
    site_http.headers = hdr_http;
    web_setup(a, cfg);
    if (web_listen(WEB_HTTPS, cfg->https_port, &site_https) != 0 ||
        (cfg->http_port && web_listen(WEB_HTTP, cfg->http_port, &site_http) != 0)) {
        log_msg(LOG_ERROR, "cannot listen on TCP port %u or %u", cfg->https_port, cfg->http_port);
        return -1;
    }
    /* With DHCP the ports are open but nobody can reach them until an
     * address is bound ("address ... up" follows then). */
    const char *when = cfg->dhcp ? " once DHCP gives an address (waiting)" : "";
    log_msg(LOG_INFO, "site: %u paths, %u certificate%s; HTTPS on port %u%s%s", (unsigned)site.entry_count,
            (unsigned)site.cred_count, site.cred_count == 1 ? "" : "s", cfg->https_port,
            cfg->http_port ? "" : ", no plain HTTP port", when);
    if (cfg->http_port)
        log_msg(LOG_INFO, "site: plain HTTP on port %u answers 301 to https://%s", cfg->http_port, when);
    return 1;
}

/* A fresh ticket key a day; tickets under the previous one still resume,
 * so a ticket lives at most two days whatever lifetime it claims. */
static void tls_rotate_tickets(struct app *a)
{
    uint64_t now_s = plat_now_ms(a->plat) / 1000u;
    if (tls_cfg.cred_count == 0 || now_s - tls_cfg.ticket_current.created_s < 86400u)
        return;
    struct atoll_tls_ticket_key k;
    if (plat_entropy(a->plat, k.name, sizeof k.name) != 0 || plat_entropy(a->plat, k.key, sizeof k.key) != 0)
        return;
    k.name[0] |= 1u;
    k.created_s = now_s;
    atoll_tls_ticket_keys_rotate(&tls_cfg, &k);
    memset(&k, 0, sizeof k);
    log_msg(LOG_INFO, "tls: ticket key rotated");
}

static void log_counters(const struct atoll_stack *st, enum log_level level)
{
    if (!log_enabled(level))
        return;
    const struct atoll_counters *c = atoll_get_counters(st);
    char line[400];
    size_t n = 0;
    line[0] = '\0';
    for (int i = 0; i < ATOLL_CTR_COUNT; i++) {
        if (c->v[i] == 0)
            continue;
        char item[64];
        int m = snprintf(item, sizeof item, " %s=%llu", atoll_counter_name((enum atoll_counter)i),
                         (unsigned long long)c->v[i]);
        if (n + (size_t)m >= sizeof line - 1) {
            log_msg(level, "counters:%s", line);
            n = 0;
            line[0] = '\0';
        }
        memcpy(line + n, item, (size_t)m + 1);
        n += (size_t)m;
    }
    if (n)
        log_msg(level, "counters:%s", line);
}

static const char *kib(size_t bytes, char buf[24])
{
    if (bytes >= 10u * 1024u * 1024u)
        snprintf(buf, 24, "%zu MiB", bytes >> 20);
    else if (bytes >= 10u * 1024u)
        snprintf(buf, 24, "%zu KiB", bytes >> 10);
    else
        snprintf(buf, 24, "%zu B", bytes);
    return buf;
}

/* The budget (memory=, or what the machine gives) becomes the table and
 * the pools; the limits that follow are printed, so a user sizing a guest
 * sees what a connection costs. */
static int plan_memory(struct platform *p, const struct app_config *cfg)
{
    size_t avail = plat_memory_avail(p);
    uint64_t budget = cfg->memory ? cfg->memory : avail;
    char why[200], b1[24], b2[24], b3[24], b4[24];
    if (cfg->memory && cfg->memory > avail) {
        log_msg(LOG_ERROR, "memory=%s: more than the %s this machine gives", kib(cfg->memory, b1), kib(avail, b2));
        return -1;
    }
    if (mem_plan(budget, cfg->max_conns, cfg->max_conns_given, &plan, why, sizeof why) != 0) {
        log_msg(LOG_ERROR, "max-conns=%u, memory=%s: %s", (unsigned)cfg->max_conns, kib(budget, b1), why);
        return -1;
    }
    if (plan.max_conns < cfg->max_conns)
        log_msg(LOG_WARN, "memory: %s holds %u connections, not the default %u", kib(budget, b1),
                (unsigned)plan.max_conns, (unsigned)cfg->max_conns);
    log_msg(LOG_INFO,
            "memory: %s planned of %s: %u connections (%zu B each idle), %u buffer sets (%s each, lent "
            "while bytes are in flight), %u TCP buffers (%u KiB), %u large-ClientHello buffers (%s)",
            kib(plan.stack_bytes + plan.web_bytes, b1), kib(budget, b2), (unsigned)plan.max_conns,
            plan.conn_idle_bytes, (unsigned)plan.sets, kib(web_set_bytes(), b3), (unsigned)plan.tcp_buffers,
            MEM_PLAN_TCP_BUFSIZE / 1024u, (unsigned)plan.hs_big, kib(web_hs_big_bytes(), b4));
    return 0;
}

int appliance_run(struct platform *p, const struct app_config *cfg)
{
    struct app a = {.plat = p};
    struct atoll_config sc;
    memset(&sc, 0, sizeof sc);
    if (plat_entropy(p, &sc.seed, sizeof sc.seed) != 0 || plat_entropy(p, sc.secret, sizeof sc.secret) != 0) {
        log_msg(LOG_ERROR, "no entropy source");
        return 1;
    }
    if (cfg->have_mac) {
        memcpy(sc.mac, cfg->mac, 6);
    } else if (plat_mac(p, sc.mac) != 0) {
        /* Locally administered, unicast, random per run. */
        if (plat_entropy(p, sc.mac, 6) != 0)
            return 1;
        sc.mac[0] = (uint8_t)((sc.mac[0] & 0xfeu) | 0x02u);
    }
    sc.use_dhcp = cfg->dhcp;
    sc.ip = cfg->ip;
    sc.netmask = cfg->netmask;
    sc.gateway = cfg->gateway;
    sc.tcp_orphan_retries = cfg->orphan_retries;
    struct atoll_callbacks cb = {.ctx = &a, .send_frame = send_frame, .event = on_event};
    if (cfg->offload && !cfg->no_offload && (cfg->offload->csum || cfg->offload->tso_max)) {
        a.offload = cfg->offload;
        cb.send_frame_ex = send_frame_ex;
        sc.tx_csum_offload = (uint8_t)cfg->offload->csum;
        sc.tso_max = cfg->offload->tso_max;
        log_msg(LOG_INFO, "offload: the device completes TCP checksums%s", sc.tso_max ? " and cuts super-segments" : "");
    }
    log_msg(LOG_INFO, "mac %02x:%02x:%02x:%02x:%02x:%02x", sc.mac[0], sc.mac[1], sc.mac[2], sc.mac[3], sc.mac[4],
            sc.mac[5]);
    if (plan_memory(p, cfg) != 0)
        return 1;
    uint8_t *arena = plat_memory_take(p, plan.stack_bytes + plan.web_bytes);
    if (!arena) {
        log_msg(LOG_ERROR, "memory: the machine did not give the %zu KiB planned",
                (plan.stack_bytes + plan.web_bytes) >> 10);
        return 1;
    }
    web_mem = arena + plan.stack_bytes;
    sc.tcp_max_conns = plan.tcp_conns;
    sc.tcp_buffers = plan.tcp_buffers;
    sc.tcp_buffer_size = MEM_PLAN_TCP_BUFSIZE;
    uint64_t now = plat_now_ms(p);
    a.st = atoll_stack_init(arena, plan.stack_bytes, &sc, &cb, now);
    if (!a.st) {
        log_msg(LOG_ERROR, "stack configuration rejected");
        return 1;
    }
    if (cfg->echo) {
        if (atoll_udp_bind(a.st, ECHO_PORT, echo_recv, &a) != ATOLL_OK) {
            log_msg(LOG_ERROR, "cannot bind UDP port %u", ECHO_PORT);
            return 1;
        }
        if (atoll_tcp_listen(a.st, ECHO_PORT, tcp_echo_accept, &a) != ATOLL_OK) {
            log_msg(LOG_ERROR, "cannot listen on TCP port %u", ECHO_PORT);
            return 1;
        }
        log_msg(LOG_INFO, "echo service on UDP and TCP port %u", ECHO_PORT);
    }
    if (cfg->tls_echo_port != 0) {
        if (tls_setup(&a, cfg) != 0)
            return 1;
        web_setup(&a, cfg);
        if (web_listen(WEB_TLS_ECHO, cfg->tls_echo_port, NULL) != 0) {
            log_msg(LOG_ERROR, "cannot listen on TCP port %u", cfg->tls_echo_port);
            return 1;
        }
        log_msg(LOG_INFO, "tls echo service on TCP port %u", cfg->tls_echo_port);
    }
    int serving = site_setup(&a, cfg);
    if (serving < 0)
        return 1;
    uint64_t deadline = atoll_poll(a.st, now);
    for (;;) {
        if (plat_wait(p, deadline))
            break;
        for (int i = 0; i < RX_BATCH; i++) {
            long n = plat_recv_frame(p, rx_frame, sizeof rx_frame);
            if (n <= 0)
                break;
            atoll_input(a.st, rx_frame, (size_t)n, plat_now_ms(p));
        }
        deadline = atoll_poll(a.st, plat_now_ms(p));
        if (web_on) {
            uint64_t d = web_poll(plat_now_ms(p));
            if (d < deadline)
                deadline = d;
        }
        tls_rotate_tickets(&a);
    }
    log_counters(a.st, LOG_INFO);
    if (serving) {
        const struct web_stats *w = web_stats();
        log_msg(LOG_INFO, "web: accepted=%llu handshakes=%llu tls_failed=%llu evicted=%llu busy_503=%llu refused=%llu "
                "lingered=%llu timeouts=%llu stalled=%llu",
                (unsigned long long)w->accepted, (unsigned long long)w->handshakes, (unsigned long long)w->tls_failed,
                (unsigned long long)w->evicted, (unsigned long long)w->busy, (unsigned long long)w->refused,
                (unsigned long long)w->lingered, (unsigned long long)w->timeouts, (unsigned long long)w->stalled);
        /* The memory model at work: how many connections are open now,
         * how many of them hold buffers (an idle one holds none). */
        log_msg(LOG_INFO, "buffers: open=%u sets_in_use=%u sets_peak=%u of %u lent=%llu waited=%llu reclaimed=%llu",
                (unsigned)w->open, (unsigned)w->sets_in_use, (unsigned)w->sets_peak, (unsigned)plan.sets,
                (unsigned long long)w->sets_lent, (unsigned long long)w->waited,
                (unsigned long long)w->sets_reclaimed);
    }
    if (a.tx_errors)
        log_msg(LOG_WARN, "%llu frames could not be sent", (unsigned long long)a.tx_errors);
    log_msg(LOG_INFO, "stopped");
    return 0;
}
