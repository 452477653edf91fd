/* SPDX-License-Identifier: Apache-2.0 */
/* tls_server: a small HTTPS server on Linux sockets with Atoll's TLS 1.3
 * engine, and a crypto table of the embedder's own.
 *
 * What it shows:
 *   - server credentials from PEM files (<atoll/tls_x509.h>);
 *   - many connections in one poll() loop, each a sans-I/O engine fed
 *     from a non-blocking socket, with backpressure both ways;
 *   - a drop-in struct atoll_tls_crypto_ops (<atoll/tls_crypto.h>): here
 *     a table that takes its random bytes from the kernel (getrandom)
 *     rather than a DRBG, counts signatures, and hands every other
 *     operation to the mbedtls backend. An embedder with a hardware
 *     crypto engine writes its table the same way.
 *
 * Build against an installed Atoll (make install PREFIX=...):
 *     cc tls_server.c $(pkg-config --cflags --static --libs atoll-tls) -o tls_server
 * Run, then talk to it with curl:
 *     tls_server --listen 127.0.0.1:8443 --cert chain.pem --key key.pem
 *     curl --cacert ca.pem --resolve atoll.test:8443:127.0.0.1 https://atoll.test:8443/
 * GET / answers a greeting, GET /bytes/N answers N bytes (0..16 MiB) of a
 * repeating pattern; any other path is 404, any other method 405. One
 * request per connection (Connection: close). SIGTERM or SIGINT stops it:
 * "tls_server: stopped, N served, N failed, N signatures" on stderr. */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atoll/tls.h>
#include <atoll/tls_backend.h>
#include <atoll/tls_crypto.h>
#include <atoll/tls_x509.h>

#define MAX_CONNS 32
#define HEAD_MAX 4096
#define BODY_MAX (16u << 20)
#define IDLE_MS 10000u /* a peer that stalls this long loses its slot */

/* ---- The embedder's own crypto table ----
 * The rules a table follows are in <atoll/tls_crypto.h>: deterministic
 * given its state, 0 or a negative ATOLL_TLS_CRYPTO_E_*, an AEAD context
 * that owns nothing outside itself. This one keeps the mbedtls backend's
 * state inside its own and passes it on. */
struct own_state {
    struct atoll_tls_crypto inner; /* the mbedtls backend, for what we do not do ourselves */
    unsigned long signatures;
};

static const struct atoll_tls_crypto_ops *inner_ops;

static int own_random(void *state, uint8_t *out, size_t len)
{
    (void)state;
    while (len > 0) {
        ssize_t n = getrandom(out, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ATOLL_TLS_CRYPTO_E_FAIL;
        out += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Key shares and signatures need randomness too: the inner backend would
 * draw it from its own DRBG, which is seeded from getrandom below. */
static int own_kex_keygen(void *state, uint16_t group, uint8_t *priv, size_t *priv_len, uint8_t *pub,
                          size_t *pub_len)
{
    struct own_state *s = state;
    return inner_ops->kex_keygen(s->inner.state, group, priv, priv_len, pub, pub_len);
}

static int own_kex_shared(void *state, uint16_t group, const uint8_t *priv, size_t priv_len, const uint8_t *peer,
                          size_t peer_len, uint8_t *secret, size_t *secret_len)
{
    struct own_state *s = state;
    return inner_ops->kex_shared(s->inner.state, group, priv, priv_len, peer, peer_len, secret, secret_len);
}

static int own_sign(void *state, const void *key, uint16_t scheme, const uint8_t *msg, size_t msg_len, uint8_t *sig,
                    size_t sig_cap, size_t *sig_len)
{
    struct own_state *s = state;
    s->signatures++;
    return inner_ops->sign(s->inner.state, key, scheme, msg, msg_len, sig, sig_cap, sig_len);
}

/* Filled at start from the inner table: stateless operations are taken as
 * they are, the ones that get the state pointer are ours. */
static struct atoll_tls_crypto_ops own_ops;

static void own_ops_init(const struct atoll_tls_crypto_ops *inner)
{
    inner_ops = inner;
    own_ops = *inner;
    own_ops.name = "getrandom+mbedtls";
    own_ops.random = own_random;
    own_ops.kex_keygen = own_kex_keygen;
    own_ops.kex_shared = own_kex_shared;
    own_ops.sign = own_sign;
}

/* ---- Connections ---- */

struct conn {
    int fd;                       /* -1: free */
    struct atoll_tls_conn *tls;
    struct atoll_tls_buffers buf;
    char head[HEAD_MAX];
    size_t head_len;
    int answered;                 /* the response is being written */
    char resp_head[256];
    size_t resp_head_len, resp_head_off;
    size_t body_len, body_off;    /* /bytes/N: the pattern */
    const char *body_text;        /* or a fixed text */
    uint64_t last_ms;
};

static struct conn conns[MAX_CONNS];
static unsigned long served, failed;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

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
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return -1;
    }
    long n = ftell(f);
    rewind(f);
    /* one byte more: the PEM reader wants a NUL after the text */
    uint8_t *buf = n >= 0 ? calloc((size_t)n + 1, 1) : NULL;
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    *data = buf;
    *len = (size_t)n;
    return 0;
}

static size_t pending(const struct conn *k)
{
    const uint8_t *p;
    return atoll_tls_output(k->tls, &p);
}

static void conn_free(struct conn *k, int ok)
{
    atoll_tls_release(k->tls);
    close(k->fd);
    k->fd = -1;
    if (ok)
        served++;
    else
        failed++;
}

/* What a request gets: the head now, the body as the output drains. */
static void answer(struct conn *k)
{
    unsigned long long n = 0;
    int status = 200;
    const char *reason = "OK";
    k->body_text = NULL;
    k->body_len = 0;
    char path[256];
    if (strstr(k->head, "\r\n\r\n") == NULL) {
        status = 431;
        reason = "Request Header Fields Too Large";
        k->body_text = "request head too long\n";
    } else if (sscanf(k->head, "GET %255s HTTP/1.1", path) != 1 && sscanf(k->head, "GET %255s HTTP/1.0", path) != 1) {
        status = 405;
        reason = "Method Not Allowed";
        k->body_text = "only GET\n";
    } else if (strcmp(path, "/") == 0) {
        k->body_text = "hello from atoll's tls_server example\n";
    } else if (sscanf(path, "/bytes/%llu", &n) == 1 && n <= BODY_MAX) {
        k->body_len = (size_t)n;
    } else {
        status = 404;
        reason = "Not Found";
        k->body_text = "not found\n";
    }
    if (k->body_text != NULL)
        k->body_len = strlen(k->body_text);
    int len = snprintf(k->resp_head, sizeof k->resp_head,
                       "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\nContent-Type: %s\r\nConnection: close\r\n\r\n", status,
                       reason, k->body_len, k->body_text ? "text/plain" : "application/octet-stream");
    k->resp_head_len = (size_t)len;
    k->resp_head_off = 0;
    k->body_off = 0;
    k->answered = 1;
}

/* Writes as much of the response as the engine takes now. */
static void write_response(struct conn *k)
{
    while (k->resp_head_off < k->resp_head_len) {
        int w = atoll_tls_write(k->tls, (const uint8_t *)k->resp_head + k->resp_head_off,
                                k->resp_head_len - k->resp_head_off);
        if (w <= 0)
            return;
        k->resp_head_off += (size_t)w;
    }
    uint8_t chunk[16384];
    while (k->body_off < k->body_len) {
        size_t n = k->body_len - k->body_off;
        if (n > sizeof chunk)
            n = sizeof chunk;
        if (k->body_text != NULL)
            memcpy(chunk, k->body_text + k->body_off, n);
        else
            for (size_t i = 0; i < n; i++)
                chunk[i] = (uint8_t)('a' + (k->body_off + i) % 26);
        int w = atoll_tls_write(k->tls, chunk, n);
        if (w <= 0)
            return;
        k->body_off += (size_t)w;
    }
    atoll_tls_close(k->tls); /* close_notify after the body */
}

/* Sends what the engine queued; 0 when all of it left, 1 when the socket
 * is full, -1 on error. */
static int flush(struct conn *k)
{
    const uint8_t *p;
    size_t n;
    while ((n = atoll_tls_output(k->tls, &p)) > 0) {
        ssize_t w = send(k->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR))
            return 1;
        if (w <= 0)
            return -1;
        atoll_tls_output_done(k->tls, (size_t)w);
    }
    return 0;
}

/* One turn of a connection after poll said its socket is ready: received
 * bytes in, plaintext read, the response out. */
static void pump(struct conn *k, short revents, uint64_t now)
{
    if (revents & (POLLIN | POLLHUP | POLLERR)) {
        uint8_t wire[16384];
        ssize_t n = recv(k->fd, wire, sizeof wire, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            /* The peer is gone: a finished exchange counts as served once
             * our close_notify has left. */
            conn_free(k, k->answered && pending(k) == 0 && k->body_off == k->body_len);
            return;
        }
        size_t off = 0;
        while (n > 0 && off < (size_t)n) {
            int took = atoll_tls_feed(k->tls, wire + off, (size_t)n - off, now);
            if (took < 0)
                break; /* the alert is queued: flushed below, then dropped */
            off += (size_t)took;
            /* read the request head; the plaintext frees the input buffer */
            size_t r = atoll_tls_read(k->tls, (uint8_t *)k->head + k->head_len, HEAD_MAX - 1 - k->head_len);
            k->head_len += r;
            k->head[k->head_len] = '\0';
            if (took == 0 && r == 0)
                break; /* nothing more fits: drop the rest, the head is too long */
        }
        k->last_ms = now;
    }
    if (atoll_tls_state(k->tls) == ATOLL_TLS_ST_OPEN && !k->answered &&
        (strstr(k->head, "\r\n\r\n") != NULL || k->head_len >= HEAD_MAX - 1))
        answer(k);
    /* Seal and send until the socket is full or the body is out: the
     * output buffer holds only part of a large body, and an empty output
     * asks poll for nothing, so stopping early would stall. */
    int f;
    for (;;) {
        size_t before = k->body_off + k->resp_head_off;
        if (k->answered)
            write_response(k);
        f = flush(k);
        if (f != 0 || k->body_off + k->resp_head_off == before)
            break;
        k->last_ms = now;
    }
    if (f < 0 || atoll_tls_state(k->tls) == ATOLL_TLS_ST_FAILED) {
        if (atoll_tls_state(k->tls) == ATOLL_TLS_ST_FAILED) {
            int sent = atoll_tls_alert_sent(k->tls), got = atoll_tls_alert_received(k->tls);
            fprintf(stderr, "tls_server: connection failed: alert %s %s\n",
                    atoll_tls_alert_name(sent >= 0 ? sent : got), sent >= 0 ? "sent" : "received");
        }
        conn_free(k, 0);
        return;
    }
    if (f == 0 && k->answered && k->body_off == k->body_len && pending(k) == 0) {
        /* Response and close_notify are out: half-close, and wait for the
         * peer's close (POLLIN with 0 bytes), bounded by IDLE_MS. */
        shutdown(k->fd, SHUT_WR);
    }
}

static int usage(const char *why)
{
    fprintf(stderr, "tls_server: %s\nusage: tls_server --listen ADDR:PORT --cert CHAIN.pem --key KEY.pem\n", why);
    return 2;
}

int main(int argc, char **argv)
{
    const char *listen_at = NULL, *cert = NULL, *key = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return usage("every option takes a value");
        if (strcmp(argv[i], "--listen") == 0)
            listen_at = argv[++i];
        else if (strcmp(argv[i], "--cert") == 0)
            cert = argv[++i];
        else if (strcmp(argv[i], "--key") == 0)
            key = argv[++i];
        else
            return usage("unknown option");
    }
    if (listen_at == NULL || cert == NULL || key == NULL)
        return usage("--listen, --cert and --key are required");

    /* Credentials: the chain (leaf first) and its key. */
    static struct atoll_tls_server_config cfg = {.alpn = "http/1.1"};
    uint8_t *pem, *keypem;
    size_t pem_len, key_len;
    char err[256];
    if (read_file(cert, &pem, &pem_len) != 0 || read_file(key, &keypem, &key_len) != 0) {
        fprintf(stderr, "tls_server: cannot read %s or %s: %s\n", cert, key, strerror(errno));
        return 1;
    }
    atoll_tls_cred_begin(&cfg);
    if (atoll_tls_cred_add_pem(&cfg, pem, pem_len) != 0) {
        atoll_tls_cred_abandon(&cfg);
        fprintf(stderr, "tls_server: %s: no certificate chain in it\n", cert);
        return 1;
    }
    if (atoll_tls_cred_finish(&cfg, keypem, key_len, key, err, sizeof err) != 0) {
        fprintf(stderr, "tls_server: %s\n", err);
        return 1;
    }
    free(pem);
    free(keypem);

    /* The crypto: the mbedtls backend's DRBG seeded from the kernel, and
     * our table around it. */
    static ATOLL_ALIGNAS(16) unsigned char mbedtls_state[ATOLL_TLS_BACKEND_STATE_MAX];
    static struct own_state own;
    uint8_t seed[32];
    if (getrandom(seed, sizeof seed, 0) != (ssize_t)sizeof seed ||
        atoll_tls_backend_mbedtls.init(&own.inner, mbedtls_state, seed, sizeof seed) != 0) {
        fprintf(stderr, "tls_server: cannot seed the mbedtls backend\n");
        return 1;
    }
    memset(seed, 0, sizeof seed);
    own_ops_init(own.inner.ops);
    const struct atoll_tls_crypto crypto = {.ops = &own_ops, .state = &own};

    /* Memory for every connection, reserved once. */
    for (int i = 0; i < MAX_CONNS; i++) {
        struct conn *k = &conns[i];
        k->fd = -1;
        k->tls = aligned_alloc(ATOLL_TLS_CONN_ALIGN, ATOLL_TLS_CONN_SIZE);
        k->buf = (struct atoll_tls_buffers){
            .in = malloc(ATOLL_TLS_RECORD_MAX), .in_cap = ATOLL_TLS_RECORD_MAX,
            .hs = malloc(16384), .hs_cap = 16384,
            .out = malloc(65536), .out_cap = 65536,
        };
        if (k->tls == NULL || k->buf.in == NULL || k->buf.hs == NULL || k->buf.out == NULL) {
            fprintf(stderr, "tls_server: out of memory\n");
            return 1;
        }
    }

    char host[64];
    const char *colon = strrchr(listen_at, ':');
    struct sockaddr_in sa = {.sin_family = AF_INET};
    if (colon == NULL || (size_t)(colon - listen_at) >= sizeof host)
        return usage("--listen wants ADDR:PORT");
    memcpy(host, listen_at, (size_t)(colon - listen_at));
    host[colon - listen_at] = '\0';
    sa.sin_port = htons((uint16_t)atoi(colon + 1));
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 || sa.sin_port == 0)
        return usage("--listen wants an IPv4 ADDR:PORT");
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lfd, 64) != 0) {
        fprintf(stderr, "tls_server: cannot listen on %s: %s\n", listen_at, strerror(errno));
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    fprintf(stderr, "tls_server: listening on %s (TLS 1.3, crypto %s, credential for %s)\n", listen_at, own_ops.name,
            cfg.cred[0].name_count ? cfg.cred[0].names[0] : "?");

    while (!stop) {
        struct pollfd pfd[MAX_CONNS + 1];
        int who[MAX_CONNS + 1], n = 0;
        pfd[n] = (struct pollfd){.fd = lfd, .events = POLLIN};
        who[n++] = -1;
        for (int i = 0; i < MAX_CONNS; i++) {
            if (conns[i].fd < 0)
                continue;
            short ev = POLLIN;
            if (pending(&conns[i]) > 0)
                ev |= POLLOUT;
            pfd[n] = (struct pollfd){.fd = conns[i].fd, .events = ev};
            who[n++] = i;
        }
        if (poll(pfd, (nfds_t)n, 500) < 0 && errno != EINTR)
            break;
        uint64_t now = now_ms();
        for (int j = 1; j < n; j++) {
            struct conn *k = &conns[who[j]];
            if (pfd[j].revents)
                pump(k, pfd[j].revents, now);
            else if (now - k->last_ms > IDLE_MS) {
                fprintf(stderr, "tls_server: dropping a connection idle for %u ms\n", IDLE_MS);
                conn_free(k, 0);
            }
        }
        if (pfd[0].revents & POLLIN) {
            int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
            int slot = -1;
            for (int i = 0; fd >= 0 && i < MAX_CONNS && slot < 0; i++)
                if (conns[i].fd < 0)
                    slot = i;
            if (fd >= 0 && slot < 0) {
                close(fd); /* full: the client sees a reset and may retry */
            } else if (fd >= 0) {
                struct conn *k = &conns[slot];
                k->fd = fd;
                k->head_len = 0;
                k->head[0] = '\0';
                k->answered = 0;
                k->body_off = k->body_len = 0;
                k->last_ms = now;
                if (atoll_tls_server_init(k->tls, &cfg, &crypto, &k->buf) != 0)
                    conn_free(k, 0);
            }
        }
    }
    for (int i = 0; i < MAX_CONNS; i++)
        if (conns[i].fd >= 0)
            conn_free(&conns[i], 0);
    fprintf(stderr, "tls_server: stopped, %lu served, %lu failed, %lu signatures\n", served, failed, own.signatures);
    atoll_tls_creds_free(&cfg);
    atoll_tls_backend_mbedtls.release(mbedtls_state);
    return 0;
}
