/* SPDX-License-Identifier: Apache-2.0 */
/* Linux platform: a tap device (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR),
 * CLOCK_MONOTONIC, getrandom, stderr, and a signalfd so SIGINT/SIGTERM end
 * the loop cleanly. With --fault, the frame functions pass every frame
 * through the fault injector (fault.h).
 *
 * Every frame read or written starts with a struct virtio_net_hdr. On
 * transmit the kernel completes TCP checksums and cuts TCP super-segments
 * (plat_tap_offload): a 64 KB download chunk costs one write() instead of
 * 45. On receive no offload is enabled (TUNSETOFFLOAD 0): the stack takes
 * frames of at most the MTU, so the kernel must not hand it GRO'd
 * super-frames, and with checksums complete every frame is verified as it
 * would be on any link. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "appliance/platform.h"
#include "appliance/tap/platform_tap.h"
#include "appliance/site/image.h"
#include "tcpip/checksum.h"

/* Frames the fault injector let through on receive, waiting for
 * plat_recv_frame: one call may yield the frame, its duplicate and a frame
 * held back before. */
#define RXQ 3

struct platform {
    int tap;
    int sig;
    int stop;
    const uint8_t *site;
    size_t site_len;
    int faults;
    int tx_failed;            /* a write failed during this plat_send_frame */
    int vnet;                 /* frames carry a struct virtio_net_hdr */
    struct plat_offload offload;
    struct plat_tap_stats stats;
    struct fault_dir tx, rx;
    size_t rxq_head, rxq_n;
    size_t rxq_len[RXQ];
    uint8_t rxq[RXQ][2048];
    uint8_t rx_raw[2048];
};

static struct platform the_platform = {.tap = -1, .sig = -1};

static const char *perm_hint(int e)
{
    return (e == EPERM || e == EACCES) ? " (needs root or CAP_NET_ADMIN)" : "";
}

struct platform *plat_tap_open(const char *name, char *err, size_t errlen)
{
    struct platform *p = &the_platform;
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot open /dev/net/tun: %s%s", strerror(e), perm_hint(e));
        return NULL;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
    int r = ioctl(fd, TUNSETIFF, &ifr);
    if (r < 0 && errno == EINVAL) {
        /* A kernel without IFF_VNET_HDR: plain frames, no offload. */
        ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
        r = ioctl(fd, TUNSETIFF, &ifr);
    }
    if (r < 0) {
        int e = errno;
        if (e == EBUSY)
            snprintf(err, errlen, "tap %s: in use by another process, or not a tap device", name);
        else if (e == EINVAL)
            snprintf(err, errlen, "tap %s: exists but is not a tap device without packet info", name);
        else
            snprintf(err, errlen, "tap %s: %s%s", name, strerror(e), perm_hint(e));
        close(fd);
        return NULL;
    }
    p->vnet = (ifr.ifr_flags & IFF_VNET_HDR) != 0;
    if (p->vnet) {
        int sz = (int)sizeof(struct virtio_net_hdr);
        /* A persistent tap keeps the offloads a former owner enabled: none
         * here, so nothing arrives bigger than the MTU or half-summed. */
        if (ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0 || ioctl(fd, TUNSETOFFLOAD, 0u) < 0) {
            snprintf(err, errlen, "tap %s: cannot set up the virtio-net header: %s", name, strerror(errno));
            close(fd);
            return NULL;
        }
    }
    /* Bring the link up; a tap created by `ip tuntap` and left down would
     * otherwise swallow every frame. Failure is not fatal: the owner may
     * manage the link. */
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s >= 0) {
        struct ifreq fl;
        memset(&fl, 0, sizeof fl);
        snprintf(fl.ifr_name, IFNAMSIZ, "%s", name);
        if (ioctl(s, SIOCGIFFLAGS, &fl) == 0 && !(fl.ifr_flags & IFF_UP)) {
            fl.ifr_flags |= IFF_UP;
            (void)ioctl(s, SIOCSIFFLAGS, &fl);
        }
        close(s);
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    p->sig = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (p->sig < 0) {
        snprintf(err, errlen, "signalfd: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    p->tap = fd;
    return p;
}

void plat_tap_close(struct platform *p)
{
    if (p->tap >= 0)
        close(p->tap);
    if (p->sig >= 0)
        close(p->sig);
    p->tap = p->sig = -1;
    if (p->site)
        munmap((void *)p->site, p->site_len);
    p->site = NULL;
}

/* One frame, in up to two pieces, behind its virtio-net header when the
 * tap takes one. */
static int tap_writev(struct platform *p, const struct virtio_net_hdr *vh, const uint8_t *a, size_t alen,
                      const uint8_t *b, size_t blen)
{
    struct iovec iov[3];
    int n_iov = 0;
    size_t len = alen + blen;
    if (p->vnet) {
        iov[n_iov++] = (struct iovec){.iov_base = (void *)vh, .iov_len = sizeof *vh};
        len += sizeof *vh;
    }
    iov[n_iov++] = (struct iovec){.iov_base = (void *)a, .iov_len = alen};
    if (blen)
        iov[n_iov++] = (struct iovec){.iov_base = (void *)b, .iov_len = blen};
    for (int tries = 0; tries < 3; tries++) {
        ssize_t n = writev(p->tap, iov, n_iov);
        if (n == (ssize_t)len) {
            p->stats.tx_frames++;
            return 0;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            /* The kernel's queue is full: wait briefly rather than drop. */
            struct pollfd pfd = {.fd = p->tap, .events = POLLOUT};
            poll(&pfd, 1, 10);
            continue;
        }
        return -1;
    }
    return -1;
}

static int tap_write(struct platform *p, const uint8_t *frame, size_t len)
{
    struct virtio_net_hdr vh;
    memset(&vh, 0, sizeof vh);
    return tap_writev(p, &vh, frame, len, NULL, 0);
}

/* The stack's meta is virtio_net_hdr's own (include/atoll/tcpip.h). */
static int tap_send_offload(struct platform *p, const uint8_t *head, size_t head_len, const uint8_t *body,
                            size_t body_len, const struct atoll_tx_meta *m)
{
    struct virtio_net_hdr vh;
    memset(&vh, 0, sizeof vh);
    if (m->flags & ATOLL_TX_CSUM) {
        vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
        vh.csum_start = m->csum_start;
        vh.csum_offset = m->csum_offset;
        p->stats.tx_csum++;
    }
    if (m->gso_type == ATOLL_TX_GSO_TCPV4) {
        vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
        vh.gso_size = m->gso_size;
        vh.hdr_len = m->hdr_len;
        p->stats.tx_tso++;
    }
    return tap_writev(p, &vh, head, head_len, body, body_len);
}

/* A frame whose checksum the sender left to the device (a partial
 * checksum, VIRTIO_NET_HDR_F_NEEDS_CSUM): complete it, as the NIC would
 * have. Not expected with TUNSETOFFLOAD 0, but then never dropped as bad. */
static int complete_csum(uint8_t *f, size_t len, const struct virtio_net_hdr *vh)
{
    size_t start = vh->csum_start, at = start + vh->csum_offset;
    if (start >= len || at + 2u > len)
        return -1;
    uint32_t sum = csum_add(0, f + start, len - start);
    uint16_t v = csum_finish(sum);
    f[at] = (uint8_t)(v >> 8);
    f[at + 1] = (uint8_t)v;
    return 0;
}

static long tap_read(struct platform *p, uint8_t *buf, size_t cap)
{
    for (;;) {
        struct virtio_net_hdr vh;
        struct iovec iov[2] = {{.iov_base = &vh, .iov_len = sizeof vh}, {.iov_base = buf, .iov_len = cap}};
        ssize_t n = p->vnet ? readv(p->tap, iov, 2) : read(p->tap, buf, cap);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return 0;
        if (n < 0)
            return -1;
        if (!p->vnet)
            return (long)n;
        if ((size_t)n < sizeof vh)
            continue;
        n -= (ssize_t)sizeof vh;
        /* A super-frame (offloads were never enabled): the stack could not
         * take it whole. A frame longer than buf arrives cut at cap, as
         * without the header, and the stack counts it oversize. */
        if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
            p->stats.rx_dropped++;
            continue;
        }
        if ((vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) && complete_csum(buf, (size_t)n, &vh) != 0) {
            p->stats.rx_dropped++;
            continue;
        }
        p->stats.rx_frames++;
        return (long)n;
    }
}

static void fault_tx_deliver(void *ctx, const uint8_t *frame, size_t len)
{
    struct platform *p = ctx;
    if (tap_write(p, frame, len) != 0)
        p->tx_failed = 1;
}

static void fault_rx_deliver(void *ctx, const uint8_t *frame, size_t len)
{
    struct platform *p = ctx;
    if (p->rxq_n == RXQ || len > sizeof p->rxq[0])
        return; /* cannot happen: fault_apply yields at most RXQ frames of its own size */
    size_t i = (p->rxq_head + p->rxq_n) % RXQ;
    memcpy(p->rxq[i], frame, len);
    p->rxq_len[i] = len;
    p->rxq_n++;
}

const struct plat_offload *plat_tap_offload(struct platform *p)
{
    /* The injector acts on wire frames: a super-segment would be dropped or
     * corrupted as one, and a corrupted byte under a checksum the kernel
     * computes afterwards would pass as good. */
    if (!p->vnet || p->faults)
        return NULL;
    p->offload = (struct plat_offload){.csum = 1, .tso_max = 65535u, .send = tap_send_offload};
    return &p->offload;
}

const struct plat_tap_stats *plat_tap_stats(const struct platform *p)
{
    return &p->stats;
}

void plat_tap_faults(struct platform *p, const struct fault_spec *spec, uint64_t seed_tx, uint64_t seed_rx)
{
    fault_dir_init(&p->tx, spec, seed_tx);
    fault_dir_init(&p->rx, spec, seed_rx);
    p->rxq_head = p->rxq_n = 0;
    p->faults = 1;
}

const struct fault_dir *plat_tap_fault_counts(const struct platform *p, int tx)
{
    if (!p->faults)
        return NULL;
    return tx ? &p->tx : &p->rx;
}

int plat_send_frame(struct platform *p, const uint8_t *frame, size_t len)
{
    if (!p->faults)
        return tap_write(p, frame, len);
    p->tx_failed = 0;
    fault_apply(&p->tx, frame, len, fault_tx_deliver, p);
    return p->tx_failed ? -1 : 0;
}

long plat_recv_frame(struct platform *p, uint8_t *buf, size_t cap)
{
    if (!p->faults)
        return tap_read(p, buf, cap);
    while (p->rxq_n == 0) {
        long n = tap_read(p, p->rx_raw, sizeof p->rx_raw < cap ? sizeof p->rx_raw : cap);
        if (n < 0)
            return n;
        if (n == 0) {
            /* Nothing more on the device: a frame held back for
             * reordering waits no longer. */
            if (!p->rx.held)
                return 0;
            fault_flush(&p->rx, fault_rx_deliver, p);
        } else {
            fault_apply(&p->rx, p->rx_raw, (size_t)n, fault_rx_deliver, p);
        }
    }
    size_t i = p->rxq_head, len = p->rxq_len[i];
    memcpy(buf, p->rxq[i], len);
    p->rxq_head = (i + 1) % RXQ;
    p->rxq_n--;
    return (long)len;
}

uint64_t plat_now_ms(struct platform *p)
{
    (void)p;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int64_t plat_unix_s(struct platform *p)
{
    (void)p;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int plat_site_image(struct platform *p, const uint8_t **img, size_t *len)
{
    if (!p->site)
        return -1;
    *img = p->site;
    *len = p->site_len;
    return 0;
}

int plat_tap_map_site(const char *path, char *err, size_t errlen)
{
    struct platform *p = &the_platform;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "site image %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "site image %s: not a regular file", path);
        close(fd);
        return -1;
    }
    if (st.st_size <= 0 || (uint64_t)st.st_size > 0xffffffffu) {
        snprintf(err, errlen, "site image %s: size %lld is not that of a site image", path, (long long)st.st_size);
        close(fd);
        return -1;
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        snprintf(err, errlen, "site image %s: cannot map: %s", path, strerror(errno));
        return -1;
    }
    struct site_image im;
    int r = site_image_open(m, (size_t)st.st_size, &im);
    if (r != 0) {
        snprintf(err, errlen, "site image %s: %s", path, site_image_strerror(r));
        munmap(m, (size_t)st.st_size);
        return -1;
    }
    p->site = m;
    p->site_len = (size_t)st.st_size;
    return 0;
}

int plat_entropy(struct platform *p, void *buf, size_t len)
{
    (void)p;
    uint8_t *b = buf;
    while (len > 0) {
        ssize_t n = getrandom(b, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        b += n;
        len -= (size_t)n;
    }
    return 0;
}

void plat_console(struct platform *p, const char *s, size_t len)
{
    (void)p;
    while (len > 0) {
        ssize_t n = write(2, s, len);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return;
        }
        s += n;
        len -= (size_t)n;
    }
}

size_t plat_memory_avail(struct platform *p)
{
    (void)p;
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (size_t)pages * (size_t)size : 0;
}

/* Anonymous pages: zero-filled, and resident only once touched, so a
 * large table costs only what its connections use. */
void *plat_memory_take(struct platform *p, size_t len)
{
    (void)p;
    void *m = mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return m == MAP_FAILED ? NULL : m;
}

int plat_mac(struct platform *p, uint8_t mac[6])
{
    (void)p;
    (void)mac;
    return -1;
}

int plat_wait(struct platform *p, uint64_t deadline_ms)
{
    if (p->stop)
        return 1;
    int timeout = -1;
    if (p->faults) {
        /* Before sleeping, a frame held back for reordering goes out; one
         * received and still queued (or held) means no sleeping. */
        fault_flush(&p->tx, fault_tx_deliver, p);
        if (p->rxq_n != 0 || p->rx.held)
            deadline_ms = 0;
    }
    if (deadline_ms != UINT64_MAX) {
        uint64_t now = plat_now_ms(p);
        uint64_t d = deadline_ms > now ? deadline_ms - now : 0;
        timeout = d > 60000u ? 60000 : (int)d;
    }
    struct pollfd pfd[2] = {{.fd = p->tap, .events = POLLIN}, {.fd = p->sig, .events = POLLIN}};
    int r = poll(pfd, 2, timeout);
    if (r < 0 && errno != EINTR)
        return 1;
    if (r > 0 && (pfd[1].revents & POLLIN)) {
        struct signalfd_siginfo si;
        if (read(p->sig, &si, sizeof si) == (ssize_t)sizeof si)
            p->stop = 1;
    }
    if (r > 0 && (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)))
        return 1;
    return p->stop;
}
