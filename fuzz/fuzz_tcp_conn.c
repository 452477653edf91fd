/* SPDX-License-Identifier: Apache-2.0 */
/* Two Atoll stacks joined by a link the fuzzer controls: it decides which
 * frames are delivered, dropped, duplicated, reordered or corrupted, when
 * time passes, what the applications do (send, read, shut down, close,
 * abort, reconnect), and it can forge segments aimed at the live
 * connection in either direction. Checks: no memory error, every frame
 * well formed, and the echoed byte stream intact whenever nothing was
 * forged. */
#include "fuzz_common.h"

#include "atoll/tcpip.h"

#define QCAP 32
#define FMAX 1514
#define PORT 80

struct frameq {
    int n;
    size_t len[QCAP];
    uint8_t f[QCAP][FMAX];
};

struct host {
    struct atoll_stack *st;
    void *arena;
    struct frameq *out; /* frames it sent, waiting on the link */
    uint8_t mac[6];
    uint32_t ip;
};

static struct host H[2];
static uint64_t now;
static struct atoll_tcp *cli;      /* host 0's connection */
static struct atoll_tcp *srv;      /* host 1's accepted connection */
static uint64_t sent, got;         /* client stream offsets */
static int forged;                 /* a forged segment may rightly alter the stream */
static uint8_t buf[8192];

static uint8_t pattern(uint64_t off)
{
    return (uint8_t)(off * 31u + 7u);
}

static void send_frame(void *ctx, const uint8_t *frame, size_t len)
{
    struct host *h = ctx;
    FUZZ_CHECK(len >= 14 && len <= FMAX);
    FUZZ_CHECK(memcmp(frame + 6, h->mac, 6) == 0);
    if (h->out->n < QCAP) {
        memcpy(h->out->f[h->out->n], frame, len);
        h->out->len[h->out->n] = len;
        h->out->n++;
    }
}

static void cli_event(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    (void)user;
    if (ev == ATOLL_TCP_CLOSED || ev == ATOLL_TCP_RESET) {
        if (c == cli)
            cli = NULL;
        return;
    }
    if (ev != ATOLL_TCP_READABLE || c != cli)
        return;
    for (;;) {
        long n = atoll_tcp_recv(c, buf, sizeof buf, now);
        if (n <= 0)
            return;
        for (long i = 0; i < n; i++) {
            if (!forged)
                FUZZ_CHECK(buf[i] == pattern(got + (uint64_t)i));
        }
        got += (uint64_t)n;
        if (!forged)
            FUZZ_CHECK(got <= sent);
    }
}

/* The server echoes what it can; it stops reading while its send buffer is full. */
static void srv_event(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    (void)user;
    if (ev == ATOLL_TCP_CLOSED || ev == ATOLL_TCP_RESET) {
        if (c == srv)
            srv = NULL;
        return;
    }
    for (;;) {
        size_t room = atoll_tcp_writable(c);
        if (room == 0)
            return;
        if (room > sizeof buf)
            room = sizeof buf;
        long n = atoll_tcp_recv(c, buf, room, now);
        if (n == ATOLL_TCP_EOF) {
            atoll_tcp_shutdown(c, now);
            return;
        }
        if (n <= 0)
            return;
        FUZZ_CHECK(atoll_tcp_send(c, buf, (size_t)n, now) == n);
    }
}

static void on_accept(void *user, struct atoll_tcp *c)
{
    (void)user;
    if (srv) {
        atoll_tcp_close(c, now);
        return;
    }
    srv = c;
    atoll_tcp_set_handler(c, srv_event, NULL);
}

static void deliver(int from, int idx, int corrupt_at)
{
    struct frameq *q = H[from].out;
    if (idx >= q->n)
        return;
    uint8_t f[FMAX];
    size_t len = q->len[idx];
    memcpy(f, q->f[idx], len);
    memmove(&q->f[idx], &q->f[idx + 1], (size_t)(q->n - idx - 1) * sizeof q->f[0]);
    memmove(&q->len[idx], &q->len[idx + 1], (size_t)(q->n - idx - 1) * sizeof q->len[0]);
    q->n--;
    if (corrupt_at >= 0 && len > 14)
        f[14 + (size_t)corrupt_at % (len - 14)] ^= 0x5a;
    uint8_t *exact = fuzz_dup(f, len);
    atoll_input(H[1 - from].st, exact, len, now);
    free(exact);
}

static void poll_both(void)
{
    for (int i = 0; i < 2; i++) {
        uint64_t d = atoll_poll(H[i].st, now);
        FUZZ_CHECK(d == ATOLL_NO_DEADLINE || d > now);
    }
}

/* Ones' complement sum for forged headers, written independently of tcpip/. */
static uint16_t csum(uint32_t acc, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        acc += (uint32_t)b[i] << 8 | b[i + 1];
    if (n & 1)
        acc += (uint32_t)b[n - 1] << 8;
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v);
}

/* A segment from host `from`'s address and the connection's ports to the
 * other host, with fuzzer-chosen flags, sequence offsets, window, options
 * and payload, checksums right so that it reaches the TCP engine. */
static size_t forge(int from, const uint8_t *in, size_t avail, uint16_t sport, uint16_t dport)
{
    if (avail < 12)
        return avail;
    uint8_t f[FMAX];
    size_t optlen = (size_t)(in[10] % 11u) * 4u;
    size_t plen = in[11] % 64u;
    size_t need = 12 + optlen + plen;
    if (avail < need)
        return avail;
    memcpy(f, H[1 - from].mac, 6);
    memcpy(f + 6, H[from].mac, 6);
    put16(f + 12, 0x0800);
    uint8_t *ip = f + 14, *t = ip + 20;
    size_t tl = 20 + optlen + plen;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (uint32_t)(20 + tl));
    ip[8] = 64;
    ip[9] = 6;
    put32(ip + 12, H[from].ip);
    put32(ip + 16, H[1 - from].ip);
    put16(ip + 10, csum(0, ip, 20));
    put16(t, sport);
    put16(t + 2, dport);
    memcpy(t + 4, in, 8); /* seq and ack straight from the input */
    t[12] = (uint8_t)((5 + optlen / 4) << 4);
    t[13] = in[8];
    put16(t + 14, (uint32_t)in[9] * 257u);
    put16(t + 16, 0);
    put16(t + 18, 0);
    memcpy(t + 20, in + 12, optlen + plen);
    uint32_t acc = (H[from].ip >> 16) + (H[from].ip & 0xffff) + (H[1 - from].ip >> 16) + (H[1 - from].ip & 0xffff) + 6u
                   + (uint32_t)tl;
    put16(t + 16, csum(acc, t, tl));
    uint8_t *exact = fuzz_dup(f, 14 + 20 + tl);
    atoll_input(H[1 - from].st, exact, 14 + 20 + tl, now);
    free(exact);
    return need;
}

static void setup(void)
{
    static struct frameq q[2];
    for (int i = 0; i < 2; i++) {
        struct atoll_config cfg;
        memset(&cfg, 0, sizeof cfg);
        uint8_t mac[6] = {0x02, 0, 0, 0, 0, (uint8_t)(i + 1)};
        memcpy(cfg.mac, mac, 6);
        cfg.ip = 0x0a000001u + (uint32_t)i;
        cfg.netmask = 0xffffff00u;
        cfg.seed = 1234u + (uint64_t)i;
        cfg.secret[0] = (uint8_t)i;
        cfg.tcp_max_conns = 4;
        cfg.tcp_buffers = 8;
        cfg.tcp_buffer_size = 4096;
        size_t need = (atoll_stack_size_for(&cfg) + 15u) / 16u * 16u;
        H[i].arena = aligned_alloc(16, need);
        q[i].n = 0;
        H[i].out = &q[i];
        memcpy(H[i].mac, mac, 6);
        H[i].ip = cfg.ip;
        struct atoll_callbacks cb = {.ctx = &H[i], .send_frame = send_frame, .event = NULL};
        H[i].st = atoll_stack_init(H[i].arena, need, &cfg, &cb, now);
        FUZZ_CHECK(H[i].st != NULL);
    }
    FUZZ_CHECK(atoll_tcp_listen(H[1].st, PORT, on_accept, NULL) == ATOLL_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    now = 1000;
    cli = srv = NULL;
    sent = got = 0;
    forged = 0;
    setup();
    cli = atoll_tcp_connect(H[0].st, H[1].ip, PORT, cli_event, NULL, now);
    size_t i = 0;
    while (i < size) {
        uint8_t op = data[i++];
        uint8_t arg = i < size ? data[i] : 0;
        switch (op % 16u) {
        case 0: deliver(0, 0, -1); break;
        case 1: deliver(1, 0, -1); break;
        case 2: if (H[0].out->n) H[0].out->n--; break;           /* lose the newest */
        case 3: if (H[1].out->n) H[1].out->n--; break;
        case 4: deliver(op & 16 ? 1 : 0, 0, arg); i++; break;     /* corrupted */
        case 5: deliver(op & 16 ? 1 : 0, 1, -1); break;           /* reordered */
        case 6: {                                                 /* duplicated */
            struct frameq *q = H[op & 16 ? 1 : 0].out;
            if (q->n > 0 && q->n < QCAP) {
                memcpy(q->f[q->n], q->f[0], q->len[0]);
                q->len[q->n] = q->len[0];
                q->n++;
            }
            break;
        }
        case 7: now += (uint64_t)arg * 20u + 1u; i++; poll_both(); break;
        case 8:
            if (cli) {
                size_t n = (size_t)arg * 8u + 1u;
                uint8_t chunk[2048];
                for (size_t k = 0; k < n; k++)
                    chunk[k] = pattern(sent + k);
                long r = atoll_tcp_send(cli, chunk, n, now);
                if (r > 0)
                    sent += (uint64_t)r;
            }
            i++;
            break;
        case 9: if (cli) cli_event(NULL, cli, ATOLL_TCP_READABLE); break;
        case 10: if (cli) atoll_tcp_shutdown(cli, now); break;
        case 11: if (cli) { atoll_tcp_close(cli, now); cli = NULL; } break;
        case 12: if (cli) { atoll_tcp_abort(cli, now); cli = NULL; } break;
        case 13: if (srv) { atoll_tcp_close(srv, now); srv = NULL; } break;
        case 14:
        case 15: {
            /* Forge toward the other side of the live connection. */
            int from = op % 16u == 14 ? 0 : 1;
            /* The client's port is the server side's peer port; without a
             * server connection the fuzzer guesses. */
            uint16_t cport = (uint16_t)(49152u + arg * 64u);
            if (srv && (arg & 1u))
                atoll_tcp_peer(srv, NULL, &cport);
            forged = 1;
            i += forge(from, data + i, size - i, from == 0 ? cport : PORT, from == 0 ? PORT : cport);
            break;
        }
        }
        if (!cli && op == 0xff) {
            sent = got = 0;
            cli = atoll_tcp_connect(H[0].st, H[1].ip, PORT, cli_event, NULL, now);
        }
    }
    /* Let the link drain and the timers run: still no crash, no hang. */
    for (int k = 0; k < 200 && (H[0].out->n || H[1].out->n); k++) {
        deliver(0, 0, -1);
        deliver(1, 0, -1);
    }
    now += 5000;
    poll_both();
    for (int h = 0; h < 2; h++)
        free(H[h].arena);
    return 0;
}
