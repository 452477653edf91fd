/* SPDX-License-Identifier: Apache-2.0 */
/* tls_client: fetch one page over TLS 1.3 with Atoll's TLS engine on an
 * ordinary Linux socket, validating the server's chain and name.
 *
 * What it shows: the engine is sans-I/O. This program owns the socket, the
 * clock, the memory and the entropy; the engine only turns bytes into
 * bytes. The loop is the whole contract:
 *
 *     send what atoll_tls_output() offers   -> atoll_tls_output_done()
 *     feed what the socket delivers         -> atoll_tls_feed()
 *     read plaintext                        -> atoll_tls_read()
 *     write plaintext once open             -> atoll_tls_write()
 *
 * Build against an installed Atoll (make install PREFIX=...):
 *     cc tls_client.c $(pkg-config --cflags --static --libs atoll-tls) -o tls_client
 * or on the wolfCrypt backend (the program is then GPL-2.0-or-later):
 *     cc -DEXAMPLE_WOLFCRYPT tls_client.c \
 *        $(pkg-config --cflags --static --libs atoll-tls atoll-tls-wolfcrypt) -o tls_client
 * Run:
 *     tls_client --connect 127.0.0.1:4433 --name atoll.test --ca ca.pem --path /index.html
 * The response (head and body) goes to stdout, the handshake's outcome to
 * stderr. Exit 0: the chain verified, the response arrived and the server
 * closed with close_notify; 1: a TLS or connection failure (the alert is
 * named); 2: bad usage. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atoll/tls.h>
#include <atoll/tls_backend.h>
#include <atoll/tls_x509.h>

#ifdef EXAMPLE_WOLFCRYPT
#define BACKEND atoll_tls_backend_wolfcrypt
#else
#define BACKEND atoll_tls_backend_mbedtls
#endif

/* Certificates are checked at this time, and tickets would be stamped
 * with it: wall-clock milliseconds, as <atoll/tls.h> asks. */
static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int read_file(const char *path, uint8_t **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (buf == NULL) {
            fclose(f);
            return -1;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        uint8_t *bigger = realloc(buf, cap);
        if (bigger == NULL)
            free(buf);
        buf = bigger;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

static int connect_to(const char *hostport)
{
    char host[256];
    const char *colon = strrchr(hostport, ':');
    if (colon == NULL || (size_t)(colon - hostport) >= sizeof host)
        return -1;
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai;
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
        return -1;
    int fd = socket(ai->ai_family, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

/* Everything the engine queued goes out before we wait for the peer: a
 * blocking send is enough for a client with one connection. */
static int flush(struct atoll_tls_conn *c, int fd)
{
    const uint8_t *p;
    size_t n;
    while ((n = atoll_tls_output(c, &p)) > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        atoll_tls_output_done(c, (size_t)w);
    }
    return 0;
}

static int usage(const char *why)
{
    fprintf(stderr, "tls_client: %s\nusage: tls_client --connect HOST:PORT --name SERVER_NAME --ca CA.pem [--path /]\n",
            why);
    return 2;
}

static int report_failure(const struct atoll_tls_conn *c, const char *when)
{
    int sent = atoll_tls_alert_sent(c), got = atoll_tls_alert_received(c);
    if (sent >= 0)
        fprintf(stderr, "tls_client: %s: we sent alert %s\n", when, atoll_tls_alert_name(sent));
    else if (got >= 0)
        fprintf(stderr, "tls_client: %s: the server sent alert %s\n", when, atoll_tls_alert_name(got));
    else
        fprintf(stderr, "tls_client: %s\n", when);
    return 1;
}

int main(int argc, char **argv)
{
    const char *hostport = NULL, *name = NULL, *ca = NULL, *path = "/";
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return usage("every option takes a value");
        if (strcmp(argv[i], "--connect") == 0)
            hostport = argv[++i];
        else if (strcmp(argv[i], "--name") == 0)
            name = argv[++i];
        else if (strcmp(argv[i], "--ca") == 0)
            ca = argv[++i];
        else if (strcmp(argv[i], "--path") == 0)
            path = argv[++i];
        else
            return usage("unknown option");
    }
    if (hostport == NULL || name == NULL || ca == NULL)
        return usage("--connect, --name and --ca are required");

    /* The trust store: the CA file parsed once. */
    struct atoll_tls_x509_trust *trust = aligned_alloc(16, (atoll_tls_x509_trust_size() + 15u) & ~(size_t)15u);
    uint8_t *pem;
    size_t pem_len;
    if (trust == NULL || read_file(ca, &pem, &pem_len) != 0) {
        fprintf(stderr, "tls_client: cannot read %s: %s\n", ca, strerror(errno));
        return 1;
    }
    atoll_tls_x509_trust_init(trust);
    if (atoll_tls_x509_trust_add(trust, pem, pem_len) <= 0) {
        fprintf(stderr, "tls_client: %s holds no certificate that parses\n", ca);
        return 1;
    }
    free(pem);

    /* The backend: its state holds the DRBG, seeded from the kernel. */
    static ATOLL_ALIGNAS(16) unsigned char backend_state[ATOLL_TLS_BACKEND_STATE_MAX];
    struct atoll_tls_crypto crypto;
    uint8_t seed[32];
    if (getrandom(seed, sizeof seed, 0) != (ssize_t)sizeof seed ||
        BACKEND.init(&crypto, backend_state, seed, sizeof seed) != 0) {
        fprintf(stderr, "tls_client: cannot seed the %s backend\n", BACKEND.name);
        return 1;
    }
    memset(seed, 0, sizeof seed);

    /* The connection: its state and its three buffers, all ours. */
    struct atoll_tls_client_config cfg = {
        .server_name = name,
        .alpn = "http/1.1",
        .verify_chain = atoll_tls_x509_verify_chain,
        .verify_ctx = trust,
    };
    struct atoll_tls_buffers buf = {
        .in = malloc(ATOLL_TLS_RECORD_MAX), .in_cap = ATOLL_TLS_RECORD_MAX,
        .hs = malloc(32768), .hs_cap = 32768, /* the server's whole Certificate message */
        .out = malloc(32768), .out_cap = 32768,
    };
    struct atoll_tls_conn *c = aligned_alloc(ATOLL_TLS_CONN_ALIGN, ATOLL_TLS_CONN_SIZE);
    if (c == NULL || buf.in == NULL || buf.hs == NULL || buf.out == NULL) {
        fprintf(stderr, "tls_client: out of memory\n");
        return 1;
    }

    int fd = connect_to(hostport);
    if (fd < 0) {
        fprintf(stderr, "tls_client: cannot connect to %s\n", hostport);
        return 1;
    }
    int rc = 1;
    if (atoll_tls_client_init(c, &cfg, &crypto, &buf, now_ms()) != 0) {
        report_failure(c, "client init failed");
        goto out;
    }

    char request[1024];
    int req_len = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path,
                           name);
    if (req_len < 0 || (size_t)req_len >= sizeof request) {
        usage("--path is too long");
        goto out;
    }
    size_t req_sent = 0, body = 0;
    int announced = 0;
    for (;;) {
        if (flush(c, fd) != 0) {
            fprintf(stderr, "tls_client: send: %s\n", strerror(errno));
            goto out;
        }
        enum atoll_tls_state st = atoll_tls_state(c);
        if (st == ATOLL_TLS_ST_FAILED) {
            report_failure(c, announced ? "connection failed" : "handshake failed");
            goto out;
        }
        if (st == ATOLL_TLS_ST_OPEN && !announced) {
            struct atoll_tls_info info;
            atoll_tls_info(c, &info);
            fprintf(stderr, "tls_client: TLSv1.3 %s %s alpn=%s, %s: certificate for %s verified\n",
                    atoll_tls_suite_name(info.suite), atoll_tls_group_name(info.group),
                    info.alpn ? info.alpn : "none", BACKEND.name, name);
            announced = 1;
        }
        if (st == ATOLL_TLS_ST_OPEN && req_sent < (size_t)req_len) {
            int w = atoll_tls_write(c, (const uint8_t *)request + req_sent, (size_t)req_len - req_sent);
            if (w < 0)
                continue; /* reported as FAILED above, after the alert is sent */
            req_sent += (size_t)w;
            continue;
        }
        uint8_t plain[16384];
        size_t r;
        while ((r = atoll_tls_read(c, plain, sizeof plain)) > 0) {
            fwrite(plain, 1, r, stdout);
            body += r;
        }
        if (st == ATOLL_TLS_ST_CLOSED) {
            /* The server's close_notify: the response is complete. Ours
             * answers it before the socket closes. */
            atoll_tls_close(c);
            (void)flush(c, fd);
            fprintf(stderr, "tls_client: %zu bytes, closed by the server with close_notify\n", body);
            rc = body > 0 ? 0 : 1;
            goto out;
        }

        uint8_t wire[16384];
        ssize_t n = recv(fd, wire, sizeof wire, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            /* A TCP close without close_notify may hide a truncation
             * attack (RFC 8446 §6.1): not a success. */
            fprintf(stderr, "tls_client: connection closed without close_notify after %zu bytes\n", body);
            goto out;
        }
        /* feed takes what fits; the rest waits for the plaintext to be read. */
        size_t off = 0;
        int stalled = 0;
        while (off < (size_t)n) {
            int took = atoll_tls_feed(c, wire + off, (size_t)n - off, now_ms());
            if (took < 0)
                break; /* reported as FAILED above, after the alert is sent */
            off += (size_t)took;
            while ((r = atoll_tls_read(c, plain, sizeof plain)) > 0) {
                fwrite(plain, 1, r, stdout);
                body += r;
            }
            /* Reading the plaintext frees the input buffer, so a second
             * refusal in a row cannot happen; never spin if it did. */
            if (took == 0 && (flush(c, fd) != 0 || ++stalled > 1)) {
                fprintf(stderr, "tls_client: the engine takes no more input\n");
                goto out;
            }
        }
    }
out:
    fflush(stdout);
    atoll_tls_release(c);
    close(fd);
    BACKEND.release(backend_state);
    atoll_tls_x509_trust_free(trust);
    free(trust);
    free(c);
    free(buf.in);
    free(buf.hs);
    free(buf.out);
    return rc;
}
