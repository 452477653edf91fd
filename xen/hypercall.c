/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/hypercall.h"

#include <string.h>

#include "xen/io.h"
#include "xen/xen_abi.h"

static _Alignas(4096) uint8_t hypercall_page[4096];
static int have_page;
/* 1: Intel's vmcall, 2: AMD's vmmcall, 0: neither recognised (idle by hlt). */
static int block_insn;

uint32_t xen_cpuid_base(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1u << 31))) /* no hypervisor bit */
        return 0;
    for (uint32_t base = 0x40000000u; base < 0x40010000u; base += 0x100u) {
        cpuid(base, 0, r);
        if (r[1] == 0x566e6558u && r[2] == 0x65584d4du && r[3] == 0x4d4d566eu && r[0] >= base + 2)
            return base;
    }
    return 0;
}

int hypercall_init(uint32_t base)
{
    uint32_t r[4];
    cpuid(base + 2, 0, r);
    if (r[0] < 1) /* number of hypercall pages */
        return -1;
    wrmsr(r[1], (uint64_t)(uintptr_t)hypercall_page);
    have_page = 1;
    /* Xen writes each entry as mov $nr, %eax; then the vendor's call. */
    const uint8_t *e = hypercall_page + 32 * HC_sched_op;
    if (e[0] == 0xb8 && e[5] == 0x0f && e[6] == 0x01)
        block_insn = e[7] == 0xc1 ? 1 : e[7] == 0xd9 ? 2 : 0;
    return 0;
}

long hypercall3(unsigned nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    if (!have_page)
        return -38; /* ENOSYS */
    register uint64_t rdi __asm__("rdi") = a1, rsi __asm__("rsi") = a2, rdx __asm__("rdx") = a3;
    long ret;
    /* Debug builds of Xen clobber the argument registers it did not use. */
    __asm__ volatile("call *%[entry]"
                     : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx)
                     : [entry] "r"(hypercall_page + 32 * nr)
                     : "r10", "r8", "memory");
    return ret;
}

long hypercall2(unsigned nr, uint64_t a1, uint64_t a2) { return hypercall3(nr, a1, a2, 0); }

uint32_t xen_version(void) { return (uint32_t)hypercall2(HC_xen_version, XENVER_version, 0); }

void xen_block_idle(void)
{
    long ret;
    if (block_insn == 1)
        __asm__ volatile("sti\n\tvmcall\n\tcli"
                         : "=a"(ret)
                         : "a"((long)HC_sched_op), "D"((long)SCHEDOP_block), "S"(0L)
                         : "rdx", "r10", "r8", "memory");
    else if (block_insn == 2)
        __asm__ volatile("sti\n\tvmmcall\n\tcli"
                         : "=a"(ret)
                         : "a"((long)HC_sched_op), "D"((long)SCHEDOP_block), "S"(0L)
                         : "rdx", "r10", "r8", "memory");
    else /* an HVM guest's hlt blocks the vCPU in Xen the same way */
        __asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");
    (void)ret;
}

void xen_shutdown(unsigned reason)
{
    struct sched_shutdown s = {reason};
    hypercall2(HC_sched_op, SCHEDOP_shutdown, (uint64_t)(uintptr_t)&s);
}
