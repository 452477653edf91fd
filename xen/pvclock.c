/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/pvclock.h"

uint64_t pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t pvclock_tsc_hz(uint32_t mul, int8_t shift)
{
    if (!mul)
        return 0;
    unsigned __int128 num = (unsigned __int128)1000000000u << 32;
    if (shift < 0)
        num <<= -shift;
    else
        num >>= shift;
    return (uint64_t)(num / mul);
}

uint64_t pvclock_ns(const volatile struct vcpu_time_info *t, uint64_t (*read_tsc)(void))
{
    uint32_t v;
    uint64_t ns;
    do {
        v = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        ns = t->system_time + pvclock_scale(read_tsc() - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((v & 1u) || v != t->version);
    return ns;
}

int64_t pvclock_wall_s(const volatile struct shared_info *s, uint64_t now_ns)
{
    uint32_t v;
    uint64_t sec, nsec;
    do {
        v = s->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        sec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
        nsec = s->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((v & 1u) || v != s->wc_version);
    return (int64_t)(sec + (nsec + now_ns) / 1000000000u);
}
