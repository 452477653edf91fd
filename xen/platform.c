/* SPDX-License-Identifier: Apache-2.0 */
/* appliance/platform.h for the PVH image: on Xen, netfront, the PV clock
 * and the console ring; without Xen (QEMU, KVM), virtio-net, the TSC and
 * RTC, and COM1. RDRAND (or the TSC-jitter fallback) either way.
 *
 * Waiting on Xen: SCHEDOP_block until an event (netfront's, xenstore's)
 * or the one-shot timer at the deadline (evtchn.c). Without Xen:
 * interrupts stay off except inside `sti; hlt`, where only the PIT's
 * 1 kHz tick is unmasked, so the CPU sleeps between ticks instead of
 * spinning a host core (this image runs on shared CI machines under
 * software emulation), at the price of up to 1 ms before a frame that
 * arrived during the sleep is seen: the virtio queues stay polled, which
 * keeps that driver free of interrupt paths. */
#include "xen/platform_image.h"

#include <string.h>

#include "appliance/log.h"
#include "xen/alloc.h"
#include "xen/clock.h"
#include "xen/console.h"
#include "xen/entropy.h"
#include "xen/evtchn.h"
#include "xen/gnttab.h"
#include "xen/io.h"
#include "xen/netfront.h"
#include "xen/virtio_net.h"
#include "xen/xen_abi.h"
#include "xen/xen_event.h"
#include "xen/xenstore.h"

struct platform {
    const uint8_t *site;
    size_t site_len;
    int serving;
    int xen;
    int control; /* watching control/shutdown */
};

unsigned xen_clean_stop = SHUTDOWN_poweroff;

extern struct heap xen_heap;

static struct platform the_platform;

struct platform *plat_image_open(int on_xen, const uint8_t *site, size_t site_len)
{
    the_platform.site = site;
    the_platform.site_len = site_len;
    the_platform.xen = on_xen;
    if (on_xen) {
        /* `xl shutdown` and `xl reboot` write control/shutdown; the feature
         * keys tell the toolstack we act on it (no ACPI fallback needed). */
        (void)xs_write(0, "control/feature-poweroff", "1");
        (void)xs_write(0, "control/feature-reboot", "1");
        int rc = xs_watch("control/shutdown", "control");
        if (rc == 0)
            the_platform.control = 1;
        else
            log_msg(LOG_WARN, "xen: cannot watch control/shutdown (%s): `xl shutdown` will not reach the appliance",
                    xs_strerror(rc));
    }
    return &the_platform;
}

/* 1 when the toolstack asked us to stop. The request is acknowledged by
 * clearing the key, as Xen's guests do. */
static int shutdown_requested(struct platform *p)
{
    char path[64], val[32];
    if (!p->control || xs_watch_event("control", path, sizeof path) != 1)
        return 0;
    int n = xs_read(0, "control/shutdown", val, sizeof val);
    if (n <= 0)
        return 0;
    if (strcmp(val, "poweroff") == 0 || strcmp(val, "halt") == 0) {
        xen_clean_stop = SHUTDOWN_poweroff;
    } else if (strcmp(val, "reboot") == 0) {
        xen_clean_stop = SHUTDOWN_reboot;
    } else {
        log_msg(LOG_WARN, "xen: control/shutdown \"%s\" is not supported (poweroff, halt, reboot are); ignored", val);
        (void)xs_write(0, "control/shutdown", "");
        return 0;
    }
    (void)xs_write(0, "control/shutdown", "");
    log_msg(LOG_INFO, "xen: the toolstack asks for %s: stopping", val);
    return 1;
}

void *xen_page_alloc(void) { return heap_page_alloc(&xen_heap); }
void xen_page_free(void *page) { heap_page_free(&xen_heap, page); }

int plat_send_frame(struct platform *p, const uint8_t *frame, size_t len)
{
    return p->xen ? netfront_send(frame, len) : vnet_send(frame, len);
}

long plat_recv_frame(struct platform *p, uint8_t *buf, size_t cap)
{
    if (!p->xen)
        return vnet_recv(buf, cap);
    netfront_poll();
    return netfront_recv(buf, cap);
}

uint64_t plat_now_ms(struct platform *p) { return p->xen ? xen_now_ms() : clock_now_ms(); }

int64_t plat_unix_s(struct platform *p) { return p->xen ? xen_unix_s() : clock_unix_s(); }

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
    if (p->xen) {
        for (;;) {
            if (shutdown_requested(p))
                return 1;
            netfront_poll();
            if (netfront_rx_pending() || xen_now_ms() >= deadline_ms)
                break;
            xen_wait(netfront_port(), deadline_ms);
        }
        return 0;
    }
    while (!vnet_rx_pending() && clock_now_ms() < deadline_ms)
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    return 0;
}

/* What mbedtls allocates during a handshake, and what the drivers may
 * still ask for, stays in the heap beyond the table and the pools. */
#define HEAP_RESERVE (1024u * 1024u)

size_t plat_memory_avail(struct platform *p)
{
    (void)p;
    size_t a = heap_avail(&xen_heap);
    return a > HEAP_RESERVE ? a - HEAP_RESERVE : 0;
}

void *plat_memory_take(struct platform *p, size_t len)
{
    (void)p;
    return heap_take(&xen_heap, len);
}

int plat_mac(struct platform *p, uint8_t mac[6])
{
    if (p->xen) {
        netfront_mac(mac);
        return 0;
    }
    return vnet_mac(mac);
}
