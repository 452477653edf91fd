/* SPDX-License-Identifier: Apache-2.0 */
/* Hypercalls through the page Xen fills in (located by its CPUID leaves
 * and registered by an MSR write), so the image needs no vendor-specific
 * vmcall/vmmcall of its own except where it must (xen_block_idle). */
#ifndef ATOLL_XEN_HYPERCALL_H
#define ATOLL_XEN_HYPERCALL_H

#include <stdint.h>

/* The CPUID base of Xen's leaves (0x40000000 or a 0x100 step above), or 0
 * when not running on Xen. */
uint32_t xen_cpuid_base(void);
/* Installs the hypercall page. 0, or -1 when Xen offers none. */
int hypercall_init(uint32_t cpuid_base);
long hypercall2(unsigned nr, uint64_t a1, uint64_t a2);
long hypercall3(unsigned nr, uint64_t a1, uint64_t a2, uint64_t a3);
/* Xen's version as major<<16 | minor. */
uint32_t xen_version(void);

/* SCHEDOP_block with interrupts enabled in the same instruction window, so
 * an event that arrives after the caller's last check still wakes it (the
 * one-instruction interrupt shadow of sti covers the vmcall). Returns with
 * interrupts off again. */
void xen_block_idle(void);

/* SCHEDOP_shutdown; does not return when Xen accepts it. */
void xen_shutdown(unsigned reason);

#endif
