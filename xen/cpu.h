/* SPDX-License-Identifier: Apache-2.0 */
/* The SIMD the crypto will use, read from CPUID the way wolfCrypt's run-time
 * dispatch (with mk/wolfcrypt/cpuid.patch) reads it, for the boot line. Pure
 * (tested on the host); xen/main.c gathers the registers. */
#ifndef ATOLL_XEN_CPU_H
#define ATOLL_XEN_CPU_H

#include <stddef.h>
#include <stdint.h>

struct cpu_ids {
    uint32_t leaf0[4]; /* eax (highest leaf), ebx, ecx, edx (vendor) */
    uint32_t leaf1_ecx;
    uint32_t leaf7_ebx; /* 0 when leaf 7 does not exist */
    uint64_t xcr0;      /* 0 when CR4.OSXSAVE is off */
};

/* Writes "cpu: ..." (NUL-terminated, truncated to cap) naming what the
 * crypto will run. */
void cpu_simd_describe(const struct cpu_ids *c, char *out, size_t cap);

#endif
