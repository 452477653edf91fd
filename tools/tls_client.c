/* build/atoll-tls-client: Atoll's TLS 1.3 client engine over a Linux TCP
 * socket. Lines from stdin go to the server, what the server sends goes to
 * stdout. The embedder's example, and the peer for `openssl s_server`
 * interop tests.
 *
 *   atoll-tls-client HOST PORT [--name SNI] [--ca CA.pem] [--alpn PROTO]
 *                    [--sess FILE] [--group x25519|secp256r1|secp384r1]
 *                    [--suite NAME] [--key-update]
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

static void print_app(void *app, struct tls_conn *c)
{
    (void)app;
    uint8_t buf[4096];
    size_t n;
    while ((n = tls_read(c, buf, sizeof buf)) != 0)
        fwrite(buf, 1, n, stdout);
    fflush(stdout);
}

static struct tls_x509_trust trust;
static int have_trust;

static int verify_chain(void *ctx, const uint8_t *const *certs, const size_t *lens, size_t n, const char *host,
                        uint64_t now_s)
{
    (void)ctx;
    struct tls_x509_cert chain[TLS_X509_CHAIN_MAX];
    if (n > TLS_X509_CHAIN_MAX)
        n = TLS_X509_CHAIN_MAX;
    for (size_t i = 0; i < n; i++) {
        chain[i].der = certs[i];
        chain[i].len = lens[i];
    }
    return tls_x509_verify_server(&trust, chain, n, host, (int64_t)now_s);
}

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

static uint8_t saved_ticket[2048], saved_psk[TLS_HASH_MAX];

static int load_ticket(struct tls_client_config *cfg)
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
                    "                        [--group x25519|secp256r1|secp384r1] [--suite NAME] [--key-update]\n");
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
    struct tls_client_config cfg;
    memset(&cfg, 0, sizeof cfg);
    int key_update = 0;
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--key-update") == 0) {
            key_update = 1;
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
            tls_x509_trust_init(&trust);
            if (read_all(v, &p, &n) != 0 || tls_x509_trust_add(&trust, p, n) <= 0) {
                fprintf(stderr, "atoll-tls-client: %s: no CA certificate could be read\n", v);
                return 2;
            }
            have_trust = 1;
        } else if (strcmp(a, "--group") == 0) {
            cfg.first_group = strcmp(v, "secp256r1") == 0   ? TLS_GROUP_SECP256R1
                              : strcmp(v, "secp384r1") == 0 ? TLS_GROUP_SECP384R1
                                                            : TLS_GROUP_X25519;
        } else if (strcmp(a, "--suite") == 0) {
            cfg.only_suite = strcmp(v, "TLS_AES_256_GCM_SHA384") == 0         ? TLS_AES_256_GCM_SHA384
                             : strcmp(v, "TLS_CHACHA20_POLY1305_SHA256") == 0 ? TLS_CHACHA20_POLY1305_SHA256
                                                                              : TLS_AES_128_GCM_SHA256;
        } else {
            return usage();
        }
    }
    if (have_trust) {
        cfg.verify_chain = verify_chain;
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
    static struct tls_mbedtls_state st;
    static struct tls_crypto crypto;
    static struct tls_conn c;
    static uint8_t in[TLS_RECORD_MAX], hs[65536], out[65536];
    if (tls_crypto_mbedtls_init(&crypto, &st, seed, sizeof seed) != 0)
        return 1;
    struct tls_buffers b = {in, sizeof in, hs, sizeof hs, out, sizeof out};
    if (tls_client_init(&c, &cfg, &crypto, &b, now_ms()) != 0)
        return 1;
    struct tls_transport t = {.ctx = &fd, .send = sock_send, .recv = sock_recv};
    int peer_eof = 0, stdin_open = 1, announced = 0, lines = 0;
    uint64_t close_deadline = 0;
    for (;;) {
        enum tls_pump_result r = tls_pump(&c, &t, print_app, NULL, now_ms(), &peer_eof);
        if (!announced && tls_state(&c) == TLS_ST_OPEN) {
            announced = 1;
            fprintf(stderr, "atoll-tls-client: TLSv1.3 %s %s %s%s\n", tls_suite_name(c.suite),
                    tls_group_name(c.group), c.resumed ? "psk" : c.sig_scheme < 0x0800 ? "ecdsa" : "rsa_pss",
                    c.resumed ? " resumed" : "");
        }
        if (r == TLS_PUMP_DONE || (close_deadline && now_ms() > close_deadline))
            break;
        struct pollfd p[2] = {{fd, POLLIN, 0}, {0, POLLIN, 0}};
        const uint8_t *o;
        if (tls_output(&c, &o) != 0)
            p[0].events |= POLLOUT;
        int nfds = stdin_open && tls_state(&c) == TLS_ST_OPEN ? 2 : 1;
        if (poll(p, (nfds_t)nfds, 200) < 0)
            break;
        if (nfds == 2 && (p[1].revents & (POLLIN | POLLHUP))) {
            char line[4096];
            if (fgets(line, sizeof line, stdin) == NULL) {
                stdin_open = 0;
                tls_close(&c);
                close_deadline = now_ms() + 3000;
            } else {
                if (tls_write(&c, (const uint8_t *)line, strlen(line)) < 0)
                    break;
                if (key_update && ++lines == 1)
                    tls_key_update(&c, 1);
            }
        }
    }
    close(fd);
    if (tls_state(&c) == TLS_ST_FAILED) {
        fprintf(stderr, "atoll-tls-client: failed: alert sent %d, received %d\n", tls_alert_sent(&c),
                tls_alert_received(&c));
        return 1;
    }
    return announced ? 0 : 1;
}
