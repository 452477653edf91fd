/* SPDX-License-Identifier: Apache-2.0 */
/* Event channels and waiting for them on Xen. Delivery: Xen sets a port's
 * pending bit, then (on a 0->1 change, port unmasked) its selector bit,
 * then vcpu_info's upcall_pending, and raises XEN_EVENT_VECTOR while that
 * byte stays set. So every wake-up must clear all three levels again or
 * later events on the same port or word would wake nothing: xen_wait
 * collects the pending bits into `seen` (ours) and evtchn_test_and_clear
 * reads from there. */
#include "xen/evtchn.h"

#include <stdio.h>
#include <string.h>

#include "xen/hypercall.h"
#include "xen/io.h"
#include "xen/pvclock.h"
#include "xen/xen_event.h"

_Alignas(4096) uint8_t xen_shared_page[4096];
volatile struct shared_info *xen_shared;

static uint64_t seen[64];
static evtchn_port_t timer_port;
static uint64_t wakeups;

static uint64_t read_tsc(void) { return rdtsc(); }

uint64_t xen_now_ns(void) { return pvclock_ns(&xen_shared->vcpu_info[0].time, read_tsc); }
uint64_t xen_now_ms(void) { return xen_now_ns() / 1000000u; }
int64_t xen_unix_s(void) { return pvclock_wall_s(xen_shared, xen_now_ns()); }
uint64_t xen_wakeups(void) { return wakeups; }

int xen_hvm_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};
    long rc = hypercall2(HC_hvm_op, HVMOP_get_param, (uint64_t)(uintptr_t)&p);
    if (rc)
        return (int)rc;
    *value = p.value;
    return 0;
}

int xen_event_init(char *err, unsigned long errlen)
{
    struct xen_add_to_physmap map = {.domid = DOMID_SELF,
                                     .space = XENMAPSPACE_shared_info,
                                     .idx = 0,
                                     .gpfn = (uintptr_t)xen_shared_page >> 12};
    long rc = hypercall2(HC_memory_op, XENMEM_add_to_physmap, (uint64_t)(uintptr_t)&map);
    if (rc) {
        snprintf(err, errlen, "mapping the shared info page failed (Xen error %ld)", rc);
        return -1;
    }
    xen_shared = (volatile struct shared_info *)xen_shared_page;
    for (int i = 0; i < 64; i++)
        xen_shared->evtchn_mask[i] = 0;
    struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 0};
    rc = hypercall2(HC_event_channel_op, EVTCHNOP_bind_virq, (uint64_t)(uintptr_t)&bv);
    if (rc) {
        snprintf(err, errlen, "binding the timer VIRQ failed (Xen error %ld)", rc);
        return -1;
    }
    timer_port = bv.port;
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ,
                              .value = HVM_CALLBACK_VECTOR(XEN_EVENT_VECTOR)};
    rc = hypercall2(HC_hvm_op, HVMOP_set_param, (uint64_t)(uintptr_t)&p);
    if (rc) {
        snprintf(err, errlen, "setting the event callback vector failed (Xen error %ld)", rc);
        return -1;
    }
    xen_shared->vcpu_info[0].evtchn_upcall_mask = 0;
    return 0;
}

/* Moves what Xen marked pending into `seen`, clearing Xen's bits from the
 * top level down so a new event re-raises the vector. 1 if anything was. */
static int collect(void)
{
    volatile struct vcpu_info *vi = &xen_shared->vcpu_info[0];
    vi->evtchn_upcall_pending = 0;
    uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    int any = 0;
    while (sel) {
        int w = __builtin_ctzll(sel);
        sel &= sel - 1;
        uint64_t bits = __atomic_exchange_n(&xen_shared->evtchn_pending[w], 0, __ATOMIC_SEQ_CST);
        seen[w] |= bits;
        any |= bits != 0;
    }
    return any;
}

int evtchn_alloc_unbound(uint16_t remote_domid, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = remote_domid};
    long rc = hypercall2(HC_event_channel_op, EVTCHNOP_alloc_unbound, (uint64_t)(uintptr_t)&a);
    if (rc)
        return (int)rc;
    *port = a.port;
    return 0;
}

int evtchn_notify(evtchn_port_t port)
{
    uint32_t p = port;
    return (int)hypercall2(HC_event_channel_op, EVTCHNOP_send, (uint64_t)(uintptr_t)&p);
}

void evtchn_close(evtchn_port_t port)
{
    uint32_t p = port;
    hypercall2(HC_event_channel_op, EVTCHNOP_close, (uint64_t)(uintptr_t)&p);
}

static int take_seen(evtchn_port_t port)
{
    if (port >= 64 * 64)
        return 0;
    uint64_t bit = 1ull << (port % 64);
    int was = (seen[port / 64] & bit) != 0;
    seen[port / 64] &= ~bit;
    return was;
}

int evtchn_test_and_clear(evtchn_port_t port)
{
    collect();
    return take_seen(port);
}

/* An event on port that came before the call ends the wait at once (and is
 * consumed); otherwise any new event, or the deadline, ends it. */
void xen_wait(evtchn_port_t port, uint64_t deadline_ms)
{
    collect();
    if (take_seen(port) || xen_now_ms() >= deadline_ms)
        return;
    /* The one-shot timer: VIRQ_TIMER fires at the absolute system time. */
    hypercall2(HC_set_timer_op, deadline_ms * 1000000u, 0);
    xen_block_idle();
    wakeups++;
    collect();
    take_seen(timer_port);
}
