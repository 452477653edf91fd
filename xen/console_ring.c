/* SPDX-License-Identifier: Apache-2.0 */
/* The output half of Xen's console ring page: out[2048] after in[1024],
 * then in_cons, in_prod, out_cons, out_prod, free-running 32-bit indices
 * (io/console.h). We produce into out[]; xenconsoled consumes. Bytes go as
 * they are: xenconsoled's log and `xl console` see "\n" line ends, as from
 * Linux's hvc_xen. */
#include "xen/console_ring.h"

#include <string.h>

struct xencons_interface {
    char in[1024];
    char out[2048];
    uint32_t in_cons, in_prod;
    uint32_t out_cons, out_prod;
};
_Static_assert(__builtin_offsetof(struct xencons_interface, out_prod) == 3084, "console ring layout");

static volatile struct xencons_interface *ring;
static evtchn_port_t ring_port;
static uint64_t dropped;

void cons_ring_init(void *page, evtchn_port_t port)
{
    ring = page;
    ring_port = port;
}

uint64_t cons_ring_dropped(void) { return dropped; }

size_t cons_ring_write(const char *s, size_t len)
{
    if (!ring)
        return 0;
    size_t done = 0;
    uint64_t stall_since = 0;
    int stalled = 0;
    while (done < len) {
        uint32_t cons = __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE);
        uint32_t prod = ring->out_prod;
        uint32_t used = prod - cons;
        if (used > sizeof ring->out) /* a daemon that wrote nonsense: start over */
            used = sizeof ring->out, cons = prod - (uint32_t)sizeof ring->out;
        uint32_t space = (uint32_t)sizeof ring->out - used;
        if (space == 0) {
            /* Full: wait for xenconsoled, but never for ever. */
            uint64_t now = xen_now_ms();
            if (!stalled) {
                stalled = 1;
                stall_since = now;
            } else if (now - stall_since >= CONS_RING_STALL_MS) {
                dropped += len - done;
                return done;
            }
            evtchn_notify(ring_port);
            xen_wait(ring_port, now + 10);
            continue;
        }
        stalled = 0;
        while (space && done < len) {
            ring->out[prod % sizeof ring->out] = s[done++];
            prod++;
            space--;
        }
        /* The bytes before the index that publishes them. */
        __atomic_store_n(&ring->out_prod, prod, __ATOMIC_RELEASE);
        evtchn_notify(ring_port);
    }
    return done;
}

int cons_ring_flush(uint64_t deadline_ms)
{
    if (!ring)
        return 0;
    while (__atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE) != ring->out_prod) {
        uint64_t now = xen_now_ms();
        if (now >= deadline_ms)
            return -1;
        evtchn_notify(ring_port);
        xen_wait(ring_port, now + 10 < deadline_ms ? now + 10 : deadline_ms);
    }
    return 0;
}
