/* SPDX-License-Identifier: Apache-2.0 */
/* Xen's PV clock arithmetic (xen/pvclock.c): the TSC scaling both ways of
 * the shift, the frequency it implies, a record Xen updates mid-read (the
 * version counter makes the reader retry), and the wall clock with its
 * high word. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "xen/pvclock.h"

#include "xen/pvclock.c"

static void scaling(void **state)
{
    (void)state;
    /* 2 GHz: half a nanosecond per tick = mul 2^31, shift 0. */
    assert_int_equal(pvclock_scale(2000000000ull, 1u << 31, 0), 1000000000ull);
    assert_int_equal(pvclock_tsc_hz(1u << 31, 0), 2000000000ull);
    /* 500 MHz: 2 ns per tick = mul 2^31 with shift +2. */
    assert_int_equal(pvclock_scale(500000000ull, 1u << 31, 2), 1000000000ull);
    assert_int_equal(pvclock_tsc_hz(1u << 31, 2), 500000000ull);
    /* 8 GHz: shift -2. */
    assert_int_equal(pvclock_scale(8000000000ull, 1u << 31, -2), 1000000000ull);
    assert_int_equal(pvclock_tsc_hz(1u << 31, -2), 8000000000ull);
    /* A day of 3 GHz ticks does not overflow the 64x32 product. */
    uint32_t mul = (uint32_t)(((unsigned __int128)1000000000u << 32) / 3000000000u);
    uint64_t day = 86400ull * 3000000000ull;
    uint64_t ns = pvclock_scale(day, mul, 0);
    assert_true(ns > 86399ull * 1000000000ull && ns <= 86400ull * 1000000000ull);
    assert_int_equal(pvclock_tsc_hz(0, 0), 0);
}

static struct vcpu_time_info rec;
static uint64_t tsc_now;
static int reads;

/* The first read of the TSC finds Xen in the middle of an update. */
static uint64_t tsc_during_update(void)
{
    if (reads++ == 0) {
        rec.version++;
        rec.system_time = 5000000000ull;
        rec.tsc_timestamp = 1000;
        rec.version++;
    }
    return tsc_now;
}

static void a_torn_record_is_read_again(void **state)
{
    (void)state;
    memset(&rec, 0, sizeof rec);
    rec.version = 2;
    rec.tsc_to_system_mul = 1u << 31;
    rec.system_time = 1;
    tsc_now = 3000;
    reads = 0;
    /* 5 s + (3000 - 1000) ticks at 2 GHz */
    assert_int_equal(pvclock_ns(&rec, tsc_during_update), 5000001000ull);
    assert_int_equal(reads, 2);
}

static void wall_clock(void **state)
{
    (void)state;
    static struct shared_info s;
    memset(&s, 0, sizeof s);
    s.wc_version = 4;
    s.wc_sec = 0x10;
    s.wc_sec_hi = 1; /* past 2106 */
    s.wc_nsec = 600000000u;
    assert_int_equal(pvclock_wall_s(&s, 2500000000ull), (int64_t)(0x100000010ll + 3));
    s.wc_sec_hi = 0;
    s.wc_sec = 1796000000u;
    s.wc_nsec = 0;
    assert_int_equal(pvclock_wall_s(&s, 999999999ull), 1796000000ll);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scaling),
        cmocka_unit_test(a_torn_record_is_read_again),
        cmocka_unit_test(wall_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
