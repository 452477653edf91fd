/* SPDX-License-Identifier: Apache-2.0 */
/* appliance/platform.h for the PVH image without Xen (QEMU, KVM): COM1,
 * virtio-net, the TSC and RTC, RDRAND.
 *
 * Waiting: interrupts stay off except inside plat_wait's `sti; hlt`, where
 * only the PIT's 1 kHz tick (on an IST stack) is unmasked. The CPU sleeps
 * between ticks instead of spinning a host core at 100 % (this image runs
 * on shared CI machines under software emulation), at the price of up to
 * 1 ms before a frame that arrived during the sleep is seen: the virtio
 * queues stay polled, which keeps the driver free of interrupt paths. */
#include "xen/platform_qemu.h"

#include <string.h>

#include "appliance/log.h"
#include "xen/alloc.h"
#include "xen/clock.h"
#include "xen/console.h"
#include "xen/entropy.h"
#include "xen/io.h"
#include "xen/virtio_net.h"

struct platform {
    const uint8_t *site;
    size_t site_len;
    int serving;
};

extern struct heap xen_heap;

static struct platform the_platform;

struct platform *plat_qemu_open(const uint8_t *site, size_t site_len)
{
    the_platform.site = site;
    the_platform.site_len = site_len;
    return &the_platform;
}

int plat_send_frame(struct platform *p, const uint8_t *frame, size_t len)
{
    (void)p;
    return vnet_send(frame, len);
}

long plat_recv_frame(struct platform *p, uint8_t *buf, size_t cap)
{
    (void)p;
    return vnet_recv(buf, cap);
}

uint64_t plat_now_ms(struct platform *p)
{
    (void)p;
    return clock_now_ms();
}

int64_t plat_unix_s(struct platform *p)
{
    (void)p;
    return clock_unix_s();
}

int plat_site_image(struct platform *p, const uint8_t **img, size_t *len)
{
    if (!p->site)
        return -1;
    *img = p->site;
    *len = p->site_len;
    return 0;
}

int plat_entropy(struct platform *p, void *buf, size_t len)
{
    (void)p;
    return entropy_fill(buf, len);
}

void plat_console(struct platform *p, const char *s, size_t len)
{
    (void)p;
    console_write(s, len);
}

int plat_wait(struct platform *p, uint64_t deadline_ms)
{
    if (!p->serving) {
        /* The first wait: the appliance has set everything up. */
        p->serving = 1;
        log_msg(LOG_INFO, "boot: serving %llu ms after the PVH entry; heap in use %llu KiB (peak %llu KiB)",
                (unsigned long long)clock_since_entry_ms(rdtsc()), (unsigned long long)(xen_heap.in_use >> 10),
                (unsigned long long)(xen_heap.peak >> 10));
    }
    while (!vnet_rx_pending() && clock_now_ms() < deadline_ms)
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    return 0;
}

int plat_mac(struct platform *p, uint8_t mac[6])
{
    (void)p;
    return vnet_mac(mac);
}
