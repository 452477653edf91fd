/* SPDX-License-Identifier: Apache-2.0 */
/* Xen's PV clock: system time (ns since the domain started) from the TSC
 * and the per-vCPU time record Xen keeps in the shared info, and the wall
 * clock at system time 0. */
#ifndef ATOLL_XEN_PVCLOCK_H
#define ATOLL_XEN_PVCLOCK_H

#include <stdint.h>

#include "xen/xen_abi.h"

/* TSC ticks since tsc_timestamp -> ns, as the record's multiplier and
 * shift say. Pure: tested on the host. */
uint64_t pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift);
/* The TSC frequency those imply. */
uint64_t pvclock_tsc_hz(uint32_t mul, int8_t shift);
/* System time now: reads the record under its version counter. */
uint64_t pvclock_ns(const volatile struct vcpu_time_info *t, uint64_t (*read_tsc)(void));
/* Seconds since 1970 at system time now_ns. */
int64_t pvclock_wall_s(const volatile struct shared_info *s, uint64_t now_ns);

#endif
