/* SPDX-License-Identifier: Apache-2.0 */
/* Event channels and waiting on Xen (xen/evtchn.c) with the test playing
 * Xen by its 2-level rules: an event sets the port's pending bit; only a
 * 0->1 change of an unmasked port sets its selector bit, only a 0->1
 * change of a selector bit sets upcall_pending, and only that wakes a
 * blocked vCPU. A guest that leaves any level set sleeps through later
 * events, which this Xen reports as a vCPU that would never wake. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "xen/evtchn.h"
#include "xen/hypercall.h"
#include "xen/xen_event.h"

#include "xen/evtchn.c"
#include "xen/pvclock.c"

/* ---- the simulated Xen ---- */

#define TIMER_PORT 5u
static uint64_t callback_param, timer_deadline_ns, blocks;
static uint32_t sent[16], nsent, closed;
/* What happens while the vCPU sleeps: an event on port, or (port ~0) only
 * the timer. */
static uint32_t on_block_port[8];
static unsigned on_block_n, on_block_i;

static void set_time_ns(uint64_t ns) { xen_shared->vcpu_info[0].time.system_time = ns; }

/* 1 when the event would wake a blocked vCPU. */
static int xen_raise(uint32_t port)
{
    volatile struct shared_info *s = xen_shared;
    uint64_t bit = 1ull << (port % 64);
    if (s->evtchn_pending[port / 64] & bit)
        return 0;
    s->evtchn_pending[port / 64] |= bit;
    if (s->evtchn_mask[port / 64] & bit)
        return 0;
    if (s->vcpu_info[0].evtchn_pending_sel & (1ull << (port / 64)))
        return 0;
    s->vcpu_info[0].evtchn_pending_sel |= 1ull << (port / 64);
    if (s->vcpu_info[0].evtchn_upcall_pending)
        return 0;
    s->vcpu_info[0].evtchn_upcall_pending = 1;
    return 1;
}

long hypercall2(unsigned nr, uint64_t a1, uint64_t a2)
{
    void *arg = (void *)(uintptr_t)a2;
    switch (nr) {
    case HC_memory_op: {
        struct xen_add_to_physmap *m = arg;
        assert_int_equal(a1, XENMEM_add_to_physmap);
        assert_int_equal(m->space, XENMAPSPACE_shared_info);
        assert_int_equal(m->gpfn, (uintptr_t)xen_shared_page >> 12);
        return 0;
    }
    case HC_event_channel_op:
        if (a1 == EVTCHNOP_bind_virq) {
            struct evtchn_bind_virq *b = arg;
            assert_int_equal(b->virq, VIRQ_TIMER);
            b->port = TIMER_PORT;
        } else if (a1 == EVTCHNOP_alloc_unbound) {
            struct evtchn_alloc_unbound *u = arg;
            assert_int_equal(u->dom, DOMID_SELF);
            u->port = 70 + u->remote_dom;
        } else if (a1 == EVTCHNOP_send) {
            if (nsent < 16)
                sent[nsent++] = *(uint32_t *)arg;
        } else if (a1 == EVTCHNOP_close) {
            closed = *(uint32_t *)arg;
        }
        return 0;
    case HC_hvm_op: {
        struct xen_hvm_param *p = arg;
        if (a1 == HVMOP_set_param && p->index == HVM_PARAM_CALLBACK_IRQ)
            callback_param = p->value;
        if (a1 == HVMOP_get_param)
            p->value = 0x1234;
        return 0;
    }
    case HC_set_timer_op:
        timer_deadline_ns = a1;
        return 0;
    }
    return -38;
}

long hypercall3(unsigned nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    (void)a3;
    return hypercall2(nr, a1, a2);
}

/* SCHEDOP_block: returns at once when an upcall is pending; else the next
 * scripted event must raise one, or the timer must be armed, or the vCPU
 * would sleep for ever. */
void xen_block_idle(void)
{
    blocks++;
    if (xen_shared->vcpu_info[0].evtchn_upcall_pending)
        return;
    while (on_block_i < on_block_n) {
        uint32_t port = on_block_port[on_block_i++];
        if (port != ~0u && xen_raise(port))
            return;
    }
    assert_true(timer_deadline_ns != 0); /* else: asleep for ever */
    set_time_ns(timer_deadline_ns);
    timer_deadline_ns = 0;
    assert_true(xen_raise(TIMER_PORT)); /* else: the timer would not wake it */
}

static int setup(void **state)
{
    (void)state;
    memset(xen_shared_page, 0xff, sizeof xen_shared_page); /* Xen's page: our init must not trust it */
    memset(seen, 0, sizeof seen);
    char err[128];
    assert_int_equal(xen_event_init(err, sizeof err), 0);
    memset((void *)xen_shared->vcpu_info, 0, sizeof xen_shared->vcpu_info);
    memset((void *)xen_shared->evtchn_pending, 0, sizeof xen_shared->evtchn_pending);
    xen_shared->vcpu_info[0].time.version = 2;
    set_time_ns(1000000000ull);
    on_block_n = on_block_i = 0;
    blocks = 0;
    nsent = 0;
    timer_deadline_ns = 0;
    return 0;
}

static void init_asks_for_the_vector_and_unmasks(void **state)
{
    (void)state;
    assert_int_equal(callback_param, (2ull << 56) | XEN_EVENT_VECTOR);
    for (int w = 0; w < 64; w++)
        assert_int_equal(xen_shared->evtchn_mask[w], 0);
    assert_int_equal(xen_now_ms(), 1000);
}

static void an_event_before_the_wait_ends_it_at_once_and_is_consumed(void **state)
{
    (void)state;
    xen_raise(9);
    xen_wait(9, 5000);
    assert_int_equal(blocks, 0);
    assert_int_equal(evtchn_test_and_clear(9), 0);
    /* Xen's three levels are clear again: the next event raises an upcall. */
    assert_true(xen_raise(9));
}

static void another_ports_event_ends_the_wait_and_stays_for_its_owner(void **state)
{
    (void)state;
    on_block_port[on_block_n++] = 12;
    xen_wait(9, 5000);
    assert_int_equal(blocks, 1);
    assert_int_equal(xen_now_ms(), 1000); /* woken by the event, not the timer */
    assert_int_equal(evtchn_test_and_clear(12), 1);
    assert_int_equal(evtchn_test_and_clear(12), 0);
    assert_int_equal(evtchn_test_and_clear(9), 0);
}

static void the_timer_ends_a_quiet_wait_at_its_deadline(void **state)
{
    (void)state;
    xen_wait(9, 3500);
    assert_int_equal(blocks, 1);
    assert_int_equal(xen_now_ms(), 3500);
    assert_int_equal(evtchn_test_and_clear(TIMER_PORT), 0); /* the timer is the wait's, not a port's event */
    /* A deadline already past: no sleep at all. */
    xen_wait(9, 3000);
    assert_int_equal(blocks, 1);
}

static void events_nobody_asked_for_do_not_stop_later_wake_ups(void **state)
{
    (void)state;
    /* Port 3 fires and its owner never looks; then waits on other ports
     * must still be woken by events in the same word and in others. */
    xen_raise(3);
    on_block_port[on_block_n++] = 4;
    xen_wait(9, 5000);
    assert_int_equal(xen_now_ms(), 1000);
    on_block_port[on_block_n++] = 3;
    xen_wait(9, 5000);
    assert_int_equal(xen_now_ms(), 1000);
    on_block_port[on_block_n++] = 70; /* second selector word */
    xen_wait(9, 5000);
    assert_int_equal(xen_now_ms(), 1000);
    assert_int_equal(blocks, 3);
    assert_int_equal(evtchn_test_and_clear(3), 1);
    assert_int_equal(evtchn_test_and_clear(4), 1);
    assert_int_equal(evtchn_test_and_clear(70), 1);
    /* And the timer still works after all that. */
    xen_wait(9, 2000);
    assert_int_equal(xen_now_ms(), 2000);
}

static void ports_are_allocated_notified_and_closed(void **state)
{
    (void)state;
    evtchn_port_t p;
    assert_int_equal(evtchn_alloc_unbound(3, &p), 0);
    assert_int_equal(p, 73);
    assert_int_equal(evtchn_notify(p), 0);
    assert_int_equal(nsent, 1);
    assert_int_equal(sent[0], 73);
    evtchn_close(p);
    assert_int_equal(closed, 73);
    assert_int_equal(evtchn_test_and_clear(64 * 64), 0); /* beyond the 2-level ABI */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(init_asks_for_the_vector_and_unmasks, setup),
        cmocka_unit_test_setup(an_event_before_the_wait_ends_it_at_once_and_is_consumed, setup),
        cmocka_unit_test_setup(another_ports_event_ends_the_wait_and_stays_for_its_owner, setup),
        cmocka_unit_test_setup(the_timer_ends_a_quiet_wait_at_its_deadline, setup),
        cmocka_unit_test_setup(events_nobody_asked_for_do_not_stop_later_wake_ups, setup),
        cmocka_unit_test_setup(ports_are_allocated_notified_and_closed, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
