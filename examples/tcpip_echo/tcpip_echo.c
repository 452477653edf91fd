/* SPDX-License-Identifier: Apache-2.0 */
/* tcpip_echo: an RFC 862 echo server (TCP and UDP port 7) on a Linux tap
 * device, built on Atoll's TCP/IP stack through its one public header.
 *
 * It shows everything an embedder supplies, since the stack itself does
 * no I/O, reads no clock and never allocates: an arena, the current
 * monotonic time, entropy, a way to put frames on the wire, and a loop
 * that feeds received frames in and sleeps until the next timer. On top of
 * that, a TCP service that honours backpressure and a UDP service.
 *
 * Build against an installed Atoll (make install PREFIX=...):
 *   cc -std=c11 -Wall -Wextra -O2 $(pkg-config --cflags atoll-tcpip) tcpip_echo.c \
 *      $(pkg-config --static --libs atoll-tcpip) -o tcpip_echo
 * Run (as root, or with CAP_NET_ADMIN), with the host on 10.0.0.1:
 *   ip tuntap add dev tap0 mode tap && ip addr add 10.0.0.1/24 dev tap0 && ip link set tap0 up
 *   ./tcpip_echo --tap tap0 --ip 10.0.0.2/24
 *   echo hello | nc -q1 10.0.0.2 7;  echo hello | nc -u -w1 10.0.0.2 7
 * SIGINT or SIGTERM (or --seconds N) stops it; it then prints the stack's
 * non-zero counters. */

/* -std=c11 hides POSIX and Linux interfaces (poll, signalfd, getrandom). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <atoll/tcpip.h>

#define ECHO_PORT 7
#define MAX_CONNS 16     /* echo connections served at once */
#define PENDING 8192     /* per connection: bytes read but not yet taken by atoll_tcp_send */
#define RX_BATCH 64      /* frames read before the stack's timers get a turn */

/* One echo connection. The bytes in buf[off..len) were received and are
 * waiting for send space; nothing more is read until they are gone, so a
 * client that sends faster than it reads meets a closed TCP window rather
 * than growing our memory. */
struct echo_conn {
    struct atoll_tcp *tcp; /* NULL: slot free */
    size_t off, len;
    int eof;               /* the peer's FIN has been read */
    uint8_t buf[PENDING];
};

static struct echo_conn conns[MAX_CONNS];
static int tap_fd = -1;
static unsigned long long tx_failed;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int entropy(void *buf, size_t len)
{
    uint8_t *b = buf;
    while (len > 0) {
        ssize_t n = getrandom(b, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        b += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ---- the device ---- */

static int tap_open(const char *name)
{
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "tcpip_echo: /dev/net/tun: %s\n", strerror(errno));
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    /* Plain Ethernet frames, exactly what atoll_input takes and
     * send_frame gives: no packet-info prefix, no virtio-net header. */
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "tcpip_echo: --tap %s: %s\n", name, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void send_frame(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    ssize_t n;
    do
        n = write(tap_fd, frame, len);
    while (n < 0 && errno == EINTR);
    /* A frame the kernel would not take is lost as on any wire: TCP
     * retransmits it, and a UDP client asks again. */
    if (n != (ssize_t)len)
        tx_failed++;
}

static void on_event(void *ctx, enum atoll_event ev, uint32_t a, uint32_t b)
{
    (void)ctx;
    if (ev == ATOLL_EV_ADDR_UP)
        fprintf(stderr, "tcpip_echo: address %u.%u.%u.%u/%u up\n", a >> 24, (a >> 16) & 255u, (a >> 8) & 255u,
                a & 255u, b);
    else if (ev == ATOLL_EV_ARP_CONFLICT)
        fprintf(stderr, "tcpip_echo: another host claims our address\n");
}

/* ---- TCP echo ---- */

/* Moves bytes from the receive side to the send side until one of them
 * has to wait: the send side for ATOLL_TCP_WRITABLE, the receive side for
 * ATOLL_TCP_READABLE. The stack may report CLOSED or RESET from inside any
 * call (that frees the slot), hence the checks of ec->tcp after each.
 * TCP events carry no time, so the clock is read here. */
static void echo_pump(struct echo_conn *ec)
{
    while (ec->tcp) {
        uint64_t now = now_ms();
        if (ec->off < ec->len) {
            long n = atoll_tcp_send(ec->tcp, ec->buf + ec->off, ec->len - ec->off, now);
            if (n < 0) {
                atoll_tcp_abort(ec->tcp, now);
                ec->tcp = NULL;
                return;
            }
            ec->off += (size_t)n;
            if (ec->off < ec->len)
                return; /* a short write arms ATOLL_TCP_WRITABLE */
            continue;
        }
        if (ec->eof) {
            /* Everything is queued: the stack sends it, then our FIN,
             * and finishes the connection without us. */
            atoll_tcp_close(ec->tcp, now);
            ec->tcp = NULL;
            return;
        }
        long n = atoll_tcp_recv(ec->tcp, ec->buf, sizeof ec->buf, now);
        if (!ec->tcp)
            return;
        if (n == ATOLL_TCP_EOF) {
            ec->eof = 1;
        } else if (n > 0) {
            ec->off = 0;
            ec->len = (size_t)n;
        } else if (n == 0) {
            return; /* nothing more until ATOLL_TCP_READABLE */
        } else {
            atoll_tcp_abort(ec->tcp, now);
            ec->tcp = NULL;
            return;
        }
    }
}

static void echo_event(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    struct echo_conn *ec = user;
    (void)c;
    switch (ev) {
    case ATOLL_TCP_READABLE:
    case ATOLL_TCP_WRITABLE:
        echo_pump(ec);
        break;
    case ATOLL_TCP_CLOSED:
    case ATOLL_TCP_RESET:
        ec->tcp = NULL; /* the handle is gone: never touch it again */
        break;
    case ATOLL_TCP_CONNECTED:
        break; /* only for active opens */
    }
}

static void echo_accept(void *user, struct atoll_tcp *c)
{
    (void)user;
    for (int i = 0; i < MAX_CONNS; i++) {
        struct echo_conn *ec = &conns[i];
        if (ec->tcp)
            continue;
        ec->tcp = c;
        ec->off = ec->len = 0;
        ec->eof = 0;
        atoll_tcp_set_handler(c, echo_event, ec);
        echo_pump(ec); /* bytes may have come with the handshake's last ACK */
        return;
    }
    /* Table full: a reset tells the client at once, where a FIN would
     * pass for an echo of nothing. */
    atoll_tcp_abort(c, now_ms());
}

/* ---- UDP echo ---- */

static void udp_echo(void *user, struct atoll_stack *st, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                     const uint8_t *data, size_t len, uint64_t now)
{
    (void)user;
    /* The datagram is only valid during this call: reply from it now. */
    atoll_udp_send(st, dst_port, src_ip, src_port, data, len, now);
}

/* ---- the loop ---- */

/* Frames in, timers run, sleep until the next frame, signal or timer.
 * 0 on a signal or at stop_at, 1 when the device fails. */
static int serve(struct atoll_stack *st, int sig_fd, uint64_t stop_at)
{
    static uint8_t frame[2048]; /* a full 1514-byte Ethernet frame fits */
    uint64_t deadline = atoll_poll(st, now_ms());
    for (;;) {
        uint64_t now = now_ms();
        if (now >= stop_at)
            return 0;
        uint64_t wake = deadline < stop_at ? deadline : stop_at;
        int timeout = -1;
        if (wake != ATOLL_NO_DEADLINE)
            timeout = wake <= now ? 0 : wake - now > 60000u ? 60000 : (int)(wake - now);
        struct pollfd pfd[2] = {{.fd = tap_fd, .events = POLLIN}, {.fd = sig_fd, .events = POLLIN}};
        if (poll(pfd, 2, timeout) < 0 && errno != EINTR) {
            fprintf(stderr, "tcpip_echo: poll: %s\n", strerror(errno));
            return 1;
        }
        if (pfd[1].revents & POLLIN)
            return 0;
        if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            fprintf(stderr, "tcpip_echo: the tap device went away\n");
            return 1;
        }
        /* Drain what the kernel has queued, but in batches, so a flood of
         * frames cannot starve the retransmission and delayed-ACK timers. */
        for (int i = 0; i < RX_BATCH; i++) {
            ssize_t n = read(tap_fd, frame, sizeof frame);
            if (n <= 0)
                break; /* EAGAIN: nothing more for now */
            atoll_input(st, frame, (size_t)n, now_ms());
        }
        deadline = atoll_poll(st, now_ms());
    }
}

/* Every drop has its own counter: the first place to look when a client
 * sees nothing. */
static void print_counters(const struct atoll_stack *st)
{
    const struct atoll_counters *ctr = atoll_get_counters(st);
    fprintf(stderr, "tcpip_echo: counters:");
    for (int i = 0; i < ATOLL_CTR_COUNT; i++)
        if (ctr->v[i])
            fprintf(stderr, " %s=%llu", atoll_counter_name((enum atoll_counter)i), (unsigned long long)ctr->v[i]);
    fprintf(stderr, "\n");
    if (tx_failed)
        fprintf(stderr, "tcpip_echo: %llu frames could not be written (is the tap up?)\n", tx_failed);
}

/* ---- command line ---- */

static int parse_ipv4(const char *s, uint32_t *out)
{
    struct in_addr a;
    if (inet_pton(AF_INET, s, &a) != 1)
        return -1;
    *out = ntohl(a.s_addr); /* the stack wants host order */
    return 0;
}

static int parse_cidr(const char *s, uint32_t *ip, uint32_t *mask)
{
    char buf[32];
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = '\0';
    char *end;
    long p = strtol(slash + 1, &end, 10);
    if (slash[1] == '\0' || *end != '\0' || p < 1 || p > 30 || parse_ipv4(buf, ip) != 0)
        return -1;
    *mask = 0xffffffffu << (32 - p);
    return 0;
}

static int usage(const char *why, const char *arg)
{
    fprintf(stderr, "tcpip_echo: %s%s%s\n", why, arg ? " " : "", arg ? arg : "");
    fprintf(stderr, "usage: tcpip_echo --tap NAME --ip A.B.C.D/PREFIX [--gateway A.B.C.D] [--seconds N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *tap = NULL, *ip = NULL, *gateway = NULL;
    long seconds = 0;
    struct atoll_config cfg;
    memset(&cfg, 0, sizeof cfg); /* 0 is "default" for every sizing field */
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(opt, "--tap") && strcmp(opt, "--ip") && strcmp(opt, "--gateway") && strcmp(opt, "--seconds"))
            return usage("unknown option", opt);
        if (!val)
            return usage("missing value for", opt);
        i++;
        if (!strcmp(opt, "--tap")) {
            if (strlen(val) == 0 || strlen(val) >= IFNAMSIZ)
                return usage("bad interface name for --tap:", val);
            tap = val;
        } else if (!strcmp(opt, "--ip")) {
            if (parse_cidr(val, &cfg.ip, &cfg.netmask) != 0)
                return usage("--ip wants A.B.C.D/PREFIX (prefix 1..30), not", val);
            ip = val;
        } else if (!strcmp(opt, "--gateway")) {
            if (parse_ipv4(val, &cfg.gateway) != 0)
                return usage("--gateway wants A.B.C.D, not", val);
            gateway = val;
        } else {
            char *end;
            seconds = strtol(val, &end, 10);
            if (*end != '\0' || seconds < 1 || seconds > 86400L * 365)
                return usage("--seconds wants a positive number, not", val);
        }
    }
    if (!tap || !ip)
        return usage(!tap ? "--tap is required" : "--ip is required", NULL);
    /* What atoll_stack_init would refuse, said before any device is touched. */
    uint32_t top = cfg.ip >> 24;
    if (top == 0 || top == 127 || top >= 224 || (cfg.ip & ~cfg.netmask) == 0 || (cfg.ip | cfg.netmask) == 0xffffffffu)
        return usage("--ip is not a host address (network, broadcast, 0/8, loopback, multicast):", ip);
    if (cfg.gateway && (cfg.gateway & cfg.netmask) != (cfg.ip & cfg.netmask))
        return usage("--gateway is outside the --ip subnet:", gateway);

    /* Small on purpose (the defaults take 9 MB for 512 connections): room
     * beside our table for connections we closed that the stack still
     * finishes alone, and two buffers (send, receive) for each. */
    cfg.tcp_max_conns = 2 * MAX_CONNS;
    cfg.tcp_buffers = 4 * MAX_CONNS;
    cfg.tcp_buffer_size = 32768;
    /* The seed and secret make sequence numbers and IP identifiers
     * unpredictable; the MAC is random, unicast, locally administered. */
    if (entropy(&cfg.seed, sizeof cfg.seed) != 0 || entropy(cfg.secret, sizeof cfg.secret) != 0 ||
        entropy(cfg.mac, sizeof cfg.mac) != 0) {
        fprintf(stderr, "tcpip_echo: getrandom: %s\n", strerror(errno));
        return 1;
    }
    cfg.mac[0] = (uint8_t)((cfg.mac[0] & 0xfeu) | 0x02u);

    /* SIGINT/SIGTERM arrive as a readable fd in the same poll() as the
     * frames: no handler, no race between checking a flag and sleeping. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    int sig_fd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sig_fd < 0) {
        fprintf(stderr, "tcpip_echo: signalfd: %s\n", strerror(errno));
        return 1;
    }
    tap_fd = tap_open(tap);
    if (tap_fd < 0)
        return 1;

    /* The arena is all the memory the stack will ever use; C11's
     * aligned_alloc wants a size that is a multiple of the alignment. */
    size_t arena_len = (atoll_stack_size_for(&cfg) + 15u) / 16u * 16u;
    void *arena = aligned_alloc(16, arena_len);
    if (!arena) {
        fprintf(stderr, "tcpip_echo: no memory for the %zu-byte arena\n", arena_len);
        return 1;
    }
    struct atoll_callbacks cb = {.ctx = NULL, .send_frame = send_frame, .event = on_event};
    uint64_t now = now_ms();
    /* A static address comes up inside this call (ATOLL_EV_ADDR_UP);
     * frames are only read in the loop below, after the services are
     * bound, so no client can arrive before them. */
    struct atoll_stack *st = atoll_stack_init(arena, arena_len, &cfg, &cb, now);
    if (!st) {
        fprintf(stderr, "tcpip_echo: atoll_stack_init rejected the configuration\n");
        free(arena);
        return 1;
    }
    if (atoll_tcp_listen(st, ECHO_PORT, echo_accept, NULL) != ATOLL_OK ||
        atoll_udp_bind(st, ECHO_PORT, udp_echo, NULL) != ATOLL_OK) {
        fprintf(stderr, "tcpip_echo: cannot bind port %d\n", ECHO_PORT);
        free(arena);
        return 1;
    }

    int rc = serve(st, sig_fd, seconds ? now + (uint64_t)seconds * 1000u : ATOLL_NO_DEADLINE);
    if (rc == 0)
        fprintf(stderr, "tcpip_echo: stopped\n");
    print_counters(st);
    close(tap_fd);
    close(sig_fd);
    free(arena);
    return rc;
}
