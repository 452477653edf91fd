/* SPDX-License-Identifier: Apache-2.0 */
/* build/atoll-tls-client: Atoll's TLS 1.3 client engine over a Linux TCP
 * socket, through the appliance's one connection pump (appliance/pump.h).
 * Lines from stdin go to the server, what the server sends goes to
 * stdout. The embedder's example, and the peer for `openssl s_server`
 * interop tests.
 *
 *   atoll-tls-client HOST PORT [--name SNI] [--ca CA.pem] [--alpn PROTO]
 *                    [--sess FILE] [--group x25519|secp256r1|secp384r1]
 *                    [--suite NAME] [--key-update] [--crypto wolfcrypt|mbedtls]
 *
 * --sess FILE keeps the last ticket in FILE and resumes with it when the
 * file exists. --key-update sends a KeyUpdate (requesting one back) after
 * the first line. Exit status: 0 after a clean close, 1 on a TLS failure
 * (the alert is printed), 2 on usage errors. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tls/backend/backend.h"
#include "tls/backend/crypto_mbedtls.h"
#include "tls/msg.h"
#include "tls/tls.h"
#include "appliance/pump.h"
#include "tls/backend/x509_mbedtls.h"

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static long sock_send(void *ctx, const uint8_t *p, size_t len)
{
    ssize_t n = send(*(int *)ctx, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    return n;
}

static long sock_recv(void *ctx, uint8_t *p, size_t cap)
{
    ssize_t n = recv(*(int *)ctx, p, cap, MSG_DONTWAIT);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    return n == 0 ? -1 : n;
}

static struct atoll_tls_conn c;

/* The pump's application: what the server sends goes to stdout, one line
 * of stdin at a time goes to the server; done when stdin ends (after its
 * last line has gone) or the server has finished. */
static struct {
    char line[4096];
    size_t off, len;
    int stdin_open, peer_done, lines, key_update;
} app = {.stdin_open = 1};

static void app_start(void *ctx)
{
    (void)ctx;
}

static size_t app_input(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    fwrite(p, 1, n, stdout);
    fflush(stdout);
    return n;
}

static void app_input_eof(void *ctx)
{
    (void)ctx;
    app.peer_done = 1;
}

static size_t app_output(void *ctx, const uint8_t **p)
{
    (void)ctx;
    *p = (const uint8_t *)app.line + app.off;
    return app.len - app.off;
}

static void app_sent(void *ctx, size_t n)
{
    (void)ctx;
    app.off += n;
    if (app.off < app.len)
        return;
    app.off = app.len = 0;
    /* The KeyUpdate follows the first line's record. */
    if (app.key_update && app.lines == 1)
        atoll_tls_key_update(&c, 1);
}

static int app_done(void *ctx)
{
    (void)ctx;
    return (!app.stdin_open && app.len == 0) || app.peer_done;
}

static const struct pump_app line_app = {app_start, app_input, app_input_eof, app_output, app_sent, app_done};

static struct atoll_tls_x509_trust trust;
static int have_trust;

static const char *sess_path;

static void save_ticket(void *ctx, uint16_t suite, const uint8_t *t, size_t tl, const uint8_t *psk, size_t pl,
                        uint32_t lifetime, uint32_t age_add)
{
    (void)ctx;
    (void)lifetime;
    FILE *f = sess_path ? fopen(sess_path, "wb") : NULL;
    if (!f)
        return;
    uint64_t issued = now_ms();
    uint32_t tl32 = (uint32_t)tl, pl32 = (uint32_t)pl;
    fwrite(&suite, sizeof suite, 1, f);
    fwrite(&issued, sizeof issued, 1, f);
    fwrite(&age_add, sizeof age_add, 1, f);
    fwrite(&tl32, sizeof tl32, 1, f);
    fwrite(t, 1, tl, f);
    fwrite(&pl32, sizeof pl32, 1, f);
    fwrite(psk, 1, pl, f);
    fclose(f);
}

static uint8_t saved_ticket[2048], saved_psk[ATOLL_TLS_HASH_MAX];

static int load_ticket(struct atoll_tls_client_config *cfg)
{
    FILE *f = fopen(sess_path, "rb");
    if (!f)
        return 0;
    uint16_t suite;
    uint64_t issued;
    uint32_t age_add, tl, pl;
    int ok = fread(&suite, sizeof suite, 1, f) == 1 && fread(&issued, sizeof issued, 1, f) == 1 &&
             fread(&age_add, sizeof age_add, 1, f) == 1 && fread(&tl, sizeof tl, 1, f) == 1 &&
             tl <= sizeof saved_ticket && fread(saved_ticket, 1, tl, f) == tl && fread(&pl, sizeof pl, 1, f) == 1 &&
             pl <= sizeof saved_psk && fread(saved_psk, 1, pl, f) == pl;
    fclose(f);
    if (!ok)
        return 0;
    cfg->resume_ticket = saved_ticket;
    cfg->resume_ticket_len = tl;
    cfg->resume_psk = saved_psk;
    cfg->resume_psk_len = pl;
    cfg->resume_suite = suite;
    cfg->resume_age_add = age_add;
    cfg->resume_age_ms = (uint32_t)(now_ms() - issued);
    return 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: atoll-tls-client HOST PORT [--name SNI] [--ca CA.pem] [--alpn PROTO] [--sess FILE]\n"
                    "                        [--group x25519|secp256r1|secp384r1] [--suite NAME] [--key-update]\n"
                    "                        [--crypto wolfcrypt|mbedtls]\n");
    return 2;
}

static int read_all(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    static uint8_t buf[1 << 20];
    *len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*len] = 0;
    *out = buf;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    const char *host = argv[1], *port = argv[2];
    struct atoll_tls_client_config cfg;
    memset(&cfg, 0, sizeof cfg);
    const struct atoll_tls_backend *backend = &atoll_tls_backend_wolfcrypt;
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--key-update") == 0) {
            app.key_update = 1;
            continue;
        }
        if (!v)
            return usage();
        i++;
        if (strcmp(a, "--name") == 0) {
            cfg.server_name = v;
        } else if (strcmp(a, "--alpn") == 0) {
            cfg.alpn = v;
        } else if (strcmp(a, "--sess") == 0) {
            sess_path = v;
        } else if (strcmp(a, "--ca") == 0) {
            uint8_t *p;
            size_t n;
            atoll_tls_x509_trust_init(&trust);
            if (read_all(v, &p, &n) != 0 || atoll_tls_x509_trust_add(&trust, p, n) <= 0) {
                fprintf(stderr, "atoll-tls-client: %s: no CA certificate could be read\n", v);
                return 2;
            }
            have_trust = 1;
        } else if (strcmp(a, "--group") == 0) {
            cfg.first_group = strcmp(v, "secp256r1") == 0   ? ATOLL_TLS_GROUP_SECP256R1
                              : strcmp(v, "secp384r1") == 0 ? ATOLL_TLS_GROUP_SECP384R1
                                                            : ATOLL_TLS_GROUP_X25519;
        } else if (strcmp(a, "--crypto") == 0) {
            if (strcmp(v, "wolfcrypt") == 0) {
                backend = &atoll_tls_backend_wolfcrypt;
            } else if (strcmp(v, "mbedtls") == 0) {
                backend = &atoll_tls_backend_mbedtls;
            } else {
                fprintf(stderr, "atoll-tls-client: --crypto %s: the backends are wolfcrypt and mbedtls\n", v);
                return 2;
            }
        } else if (strcmp(a, "--suite") == 0) {
            cfg.only_suite = strcmp(v, "TLS_AES_256_GCM_SHA384") == 0         ? TLS_AES_256_GCM_SHA384
                             : strcmp(v, "TLS_CHACHA20_POLY1305_SHA256") == 0 ? TLS_CHACHA20_POLY1305_SHA256
                                                                              : TLS_AES_128_GCM_SHA256;
        } else {
            return usage();
        }
    }
    if (have_trust) {
        cfg.verify_chain = atoll_tls_x509_verify_chain;
        cfg.verify_ctx = &trust;
    } else {
        fprintf(stderr, "atoll-tls-client: no --ca given: the server's certificate is NOT checked\n");
    }
    if (sess_path) {
        cfg.on_ticket = save_ticket;
        if (load_ticket(&cfg))
            fprintf(stderr, "atoll-tls-client: offering a ticket from %s\n", sess_path);
    }

    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai;
    if (getaddrinfo(host, port, &hints, &ai) != 0) {
        fprintf(stderr, "atoll-tls-client: cannot resolve %s:%s\n", host, port);
        return 2;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        fprintf(stderr, "atoll-tls-client: cannot connect to %s:%s: %s\n", host, port, strerror(errno));
        return 1;
    }
    freeaddrinfo(ai);

    uint8_t seed[48];
    FILE *ur = fopen("/dev/urandom", "rb");
    if (!ur || fread(seed, 1, sizeof seed, ur) != sizeof seed)
        return 1;
    fclose(ur);
    static _Alignas(16) uint8_t st[ATOLL_TLS_BACKEND_STATE_MAX];
    static struct atoll_tls_crypto crypto;
    static uint8_t in[TLS_RECORD_MAX], hs[65536], out[65536], plain_in[16384];
    if (backend->state_size > sizeof st || backend->init(&crypto, st, seed, sizeof seed) != 0)
        return 1;
    memset(seed, 0, sizeof seed);
    struct atoll_tls_buffers b = {in, sizeof in, hs, sizeof hs, out, sizeof out};
    if (atoll_tls_client_init(&c, &cfg, &crypto, &b, now_ms()) != 0)
        return 1;
    struct pump_transport t = {.ctx = &fd, .send = sock_send, .recv = sock_recv};
    /* linger: after our close_notify, the server's replies still come in. */
    struct pump pump;
    pump_init(&pump, &c, &t, &line_app, NULL, plain_in, sizeof plain_in, 1);
    int announced = 0;
    uint64_t close_deadline = 0;
    for (;;) {
        int progress = 0;
        enum pump_result r = pump_run(&pump, now_ms(), &progress);
        if (!announced && atoll_tls_state(&c) == ATOLL_TLS_ST_OPEN) {
            announced = 1;
            fprintf(stderr, "atoll-tls-client: TLSv1.3 %s %s %s%s\n", atoll_tls_suite_name(c.suite),
                    atoll_tls_group_name(c.group), c.resumed ? "psk" : c.sig_scheme < 0x0800 ? "ecdsa" : "rsa_pss",
                    c.resumed ? " resumed" : "");
        }
        if (r != PUMP_AGAIN || (close_deadline && now_ms() > close_deadline))
            break;
        struct pollfd p[2] = {{fd, POLLIN, 0}, {0, POLLIN, 0}};
        if (pump_output_pending(&pump))
            p[0].events |= POLLOUT;
        /* The next line once the last has gone: stdin waits meanwhile. */
        int nfds = app.stdin_open && app.len == 0 && atoll_tls_state(&c) == ATOLL_TLS_ST_OPEN ? 2 : 1;
        if (poll(p, (nfds_t)nfds, 200) < 0)
            break;
        if (nfds == 2 && (p[1].revents & (POLLIN | POLLHUP))) {
            if (fgets(app.line, sizeof app.line, stdin) == NULL) {
                app.stdin_open = 0;
                close_deadline = now_ms() + 3000;
            } else {
                app.len = strlen(app.line);
                app.lines++;
            }
        }
    }
    close(fd);
    if (atoll_tls_state(&c) == ATOLL_TLS_ST_FAILED) {
        fprintf(stderr, "atoll-tls-client: failed: alert sent %d, received %d\n", atoll_tls_alert_sent(&c),
                atoll_tls_alert_received(&c));
        return 1;
    }
    return announced ? 0 : 1;
}
