/* SPDX-License-Identifier: Apache-2.0 */
/* The PV console ring (xen/console_ring.c) against a simulated
 * xenconsoled draining the same page at its own pace: fast logging loses
 * and reorders nothing (across the 32-bit index wrap), a daemon that stops
 * costs a bounded wait and a counted drop, and flush waits for the daemon
 * or its deadline. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "xen/console_ring.h"

#include "xen/console_ring.c"

static _Alignas(4096) struct xencons_interface page;
static uint64_t now;
static size_t drain_per_step; /* 0: the daemon is stuck */
static char logged[1 << 20];
static size_t logged_len;

static void daemon_step(void)
{
    size_t n = 0;
    while (page.out_cons != page.out_prod && n < drain_per_step && logged_len < sizeof logged)
        logged[logged_len++] = page.out[page.out_cons++ % sizeof page.out], n++;
}

void xen_wait(evtchn_port_t port, uint64_t deadline_ms)
{
    assert_int_equal(port, 3);
    now += 10;
    if (now > deadline_ms)
        now = deadline_ms;
    daemon_step();
}

uint64_t xen_now_ms(void) { return now; }

int evtchn_notify(evtchn_port_t port)
{
    assert_int_equal(port, 3);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    memset(&page, 0, sizeof page);
    now = 0;
    drain_per_step = 100;
    logged_len = 0;
    dropped = 0;
    cons_ring_init(&page, 3);
    return 0;
}

static void fast_logging_loses_nothing(void **state)
{
    (void)state;
    page.out_cons = page.out_prod = 0xffffffffu - 5000; /* wraps half-way */
    char expect[200000];
    size_t elen = 0;
    char line[128];
    for (int i = 0; i < 2000; i++) {
        int n = snprintf(line, sizeof line, "atoll: line %d of the fast logger, with some padding\n", i);
        assert_int_equal(cons_ring_write(line, (size_t)n), (size_t)n);
        memcpy(expect + elen, line, (size_t)n);
        elen += (size_t)n;
    }
    assert_int_equal(cons_ring_flush(now + 10000), 0);
    assert_int_equal(logged_len, elen);
    assert_memory_equal(logged, expect, elen);
    assert_int_equal(cons_ring_dropped(), 0);
    assert_true(page.out_prod < 200000u); /* the indices wrapped */
}

static void a_stuck_daemon_costs_a_bounded_wait_and_a_counted_drop(void **state)
{
    (void)state;
    drain_per_step = 0;
    static char big[5000];
    memset(big, 'x', sizeof big);
    uint64_t t0 = now;
    size_t took = cons_ring_write(big, sizeof big);
    assert_int_equal(took, sizeof page.out); /* what fit */
    assert_true(now - t0 >= CONS_RING_STALL_MS && now - t0 <= CONS_RING_STALL_MS + 20);
    assert_int_equal(cons_ring_dropped(), sizeof big - sizeof page.out);
    assert_int_equal(cons_ring_flush(now + 500), -1);
    /* The daemon comes back: what was kept arrives, later lines too. */
    drain_per_step = 1000;
    assert_int_equal(cons_ring_write("after\n", 6), 6);
    assert_int_equal(cons_ring_flush(now + 1000), 0);
    assert_int_equal(logged_len, sizeof page.out + 6);
    assert_memory_equal(logged + sizeof page.out, "after\n", 6);
}

static void a_slow_daemon_is_waited_for(void **state)
{
    (void)state;
    drain_per_step = 1; /* 100 bytes a second */
    static char big[2500];
    memset(big, 'y', sizeof big);
    assert_int_equal(cons_ring_write(big, sizeof big), sizeof big);
    assert_int_equal(cons_ring_dropped(), 0);
}

static void no_ring_no_output(void **state)
{
    (void)state;
    cons_ring_init(NULL, 3);
    assert_int_equal(cons_ring_write("x", 1), 0);
    assert_int_equal(cons_ring_flush(10), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(fast_logging_loses_nothing, setup),
        cmocka_unit_test_setup(a_stuck_daemon_costs_a_bounded_wait_and_a_counted_drop, setup),
        cmocka_unit_test_setup(a_slow_daemon_is_waited_for, setup),
        cmocka_unit_test_setup(no_ring_no_output, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
