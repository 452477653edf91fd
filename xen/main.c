/* SPDX-License-Identifier: Apache-2.0 */
/* xen_main: from the long-mode switch (boot.S) to the appliance. Reads the
 * PVH start info (memory map, site image module, command line), sets up
 * the heap, the devices and the clock, then runs the same appliance loop
 * as the tap process. */
#include <stdio.h>
#include <string.h>

#include "appliance/appliance.h"
#include "appliance/config.h"
#include "appliance/log.h"
#include "xen/alloc.h"
#include "xen/clock.h"
#include "xen/cmdline.h"
#include "xen/console.h"
#include "xen/cpu.h"
#include "xen/entropy.h"
#include "xen/evtchn.h"
#include "xen/gnttab.h"
#include "xen/gnttab_map.h"
#include "xen/hypercall.h"
#include "xen/io.h"
#include "xen/mem.h"
#include "xen/netfront.h"
#include "xen/platform_image.h"
#include "xen/pvclock.h"
#include "xen/start_info.h"
#include "xen/trap.h"
#include "xen/virtio_net.h"
#include "xen/xen_event.h"
#include "xen/xenstore.h"
#include "xen/console_ring.h"

extern struct heap xen_heap;
extern char __image_start[], __image_end[], __text_end[], __data_start[], __bss_start[], __bss_end[];
extern uint64_t boot_pt[2048]; /* the first 8 MiB, 4 KiB pages */
extern char boot_stack_guard[];
uint64_t xen_entry_tsc;

#define MAX_RAM 64
#define CMDLINE_MAX 4096

static void hypervisor_name(char out[13])
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1u << 31))) {
        memcpy(out, "none", 5);
        return;
    }
    cpuid(0x40000000u, 0, r);
    memcpy(out, &r[1], 4);
    memcpy(out + 4, &r[2], 4);
    memcpy(out + 8, &r[3], 4);
    out[12] = '\0';
}

/* The SIMD the crypto will run (boot.S enabled the AVX state it could). */
static void cpu_report(void)
{
    struct cpu_ids c = {0};
    uint32_t r[4];
    cpuid(0, 0, c.leaf0);
    cpuid(1, 0, r);
    c.leaf1_ecx = r[2];
    if (c.leaf0[0] >= 7) {
        cpuid(7, 0, r);
        c.leaf7_ebx = r[1];
    }
    if (c.leaf1_ecx & (1u << 27)) { /* OSXSAVE: xgetbv is allowed */
        uint32_t lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        c.xcr0 = ((uint64_t)hi << 32) | lo;
    }
    char line[128];
    cpu_simd_describe(&c, line, sizeof line);
    console_printf("atoll: %s\n", line);
}

_Noreturn static void boot_fail(const char *what)
{
    console_printf("atoll: boot failed: %s\n", what);
    machine_stop(1);
}

static uint64_t page_up(uint64_t v) { return (v + 4095u) & ~(uint64_t)4095u; }

/* The heap arena: the largest RAM piece above 1 MiB, below the mapped
 * 4 GiB, that neither the image nor the site module occupies (the start
 * info, its tables and the command line were copied out by then). */
static void heap_setup(const struct pvh_start_info *si, const struct pvh_memmap_entry *m, uint32_t nm,
                       const struct pvh_module *mod)
{
    struct mem_range ram[MAX_RAM], resv[8];
    size_t nram = 0, nresv = 0;
    uint64_t top = 0;
    if (nm) {
        for (uint32_t i = 0; i < nm && nram < MAX_RAM; i++) {
            if (m[i].type != PVH_MEMMAP_RAM)
                continue;
            ram[nram++] = (struct mem_range){m[i].addr, m[i].addr + m[i].size};
            if (m[i].addr + m[i].size > top)
                top = m[i].addr + m[i].size;
        }
    } else {
        /* Version 0 has no map: the CMOS size of memory above 16 MiB, in
         * 64 KiB blocks, as the PC firmware records it. */
        outb(0x70, 0x34);
        uint64_t lo = inb(0x71);
        outb(0x70, 0x35);
        uint64_t blocks = lo | ((uint64_t)inb(0x71) << 8);
        top = 16ull * 1024 * 1024 + blocks * 65536u;
        ram[nram++] = (struct mem_range){0x100000u, top};
        console_puts("atoll: warning: start info version 0: memory size taken from CMOS\n");
    }
    mem_set_top(top < 0x100000000ull ? top : 0x100000000ull);
    resv[nresv++] = (struct mem_range){(uintptr_t)__image_start, page_up((uintptr_t)__image_end)};
    (void)si;
    if (mod)
        resv[nresv++] = (struct mem_range){mod->paddr & ~4095ull, page_up(mod->paddr + mod->size)};
    struct mem_range arena;
    if (mem_pick_arena(ram, nram, resv, nresv, 0x100000u, 0x100000000ull, &arena) != 0)
        boot_fail("no free RAM for the heap in the memory map");
    heap_init(&xen_heap, (void *)(uintptr_t)arena.start, (size_t)(arena.end - arena.start));
    console_printf("atoll: memory: %llu MiB RAM, heap %llu MiB at 0x%llx\n", (unsigned long long)(top >> 20),
                   (unsigned long long)((arena.end - arena.start) >> 20), (unsigned long long)arena.start);
}

/* Event delivery, the PV clock, then the console ring: every later line
 * (and the ones so far, kept by console.c) goes to `xl console`. */
static void xen_setup(char *err, size_t errlen)
{
    if (xen_event_init(err, errlen) != 0)
        boot_fail(err);
    const volatile struct vcpu_time_info *t = &xen_shared->vcpu_info[0].time;
    clock_set_tsc_hz(pvclock_tsc_hz(t->tsc_to_system_mul, t->tsc_shift));
    uint64_t pfn, port;
    if (xen_hvm_param(HVM_PARAM_CONSOLE_PFN, &pfn) == 0 && xen_hvm_param(HVM_PARAM_CONSOLE_EVTCHN, &port) == 0 &&
        pfn && pfn < (1ull << 20)) {
        cons_ring_init(xen_gfn_ptr(pfn), (evtchn_port_t)port);
        console_use_ring();
    } else {
        console_puts("atoll: warning: no PV console (HVM_PARAM_CONSOLE_PFN): output on port 0xE9 only\n");
    }
    console_printf("atoll: clock: Xen PV clock, TSC %llu MHz; wall clock %lld\n",
                   (unsigned long long)(clock_tsc_hz() / 1000000u), (long long)xen_unix_s());
}

/* Grants, xenstore, then netfront on device/vif/0. */
static void xen_devices(char *err, size_t errlen)
{
    int frames = gnttab_map(err, errlen);
    if (frames < 0)
        boot_fail(err);
    uint64_t pfn, port;
    if (xen_hvm_param(HVM_PARAM_STORE_PFN, &pfn) != 0 || xen_hvm_param(HVM_PARAM_STORE_EVTCHN, &port) != 0 || !pfn ||
        pfn >= (1ull << 20))
        boot_fail("no xenstore (HVM_PARAM_STORE_PFN/STORE_EVTCHN unset or above 4 GiB)");
    xs_init(xen_gfn_ptr(pfn), (evtchn_port_t)port);
    char name[64];
    int n = xs_read(0, "name", name, sizeof name);
    console_printf("atoll: xen: domain %s, %d grant frames, xenstore on port %llu\n", n >= 0 ? name : "(unnamed)",
                   frames, (unsigned long long)port);
    if (netfront_init(0, err, errlen) != 0)
        boot_fail(err);
}

void xen_main(uint32_t start_info_pa);
void xen_main(uint32_t start_info_pa)
{
    char err[256];
    xen_entry_tsc = rdtsc();
    trap_init();
    uint32_t xen_base = xen_cpuid_base();
    int on_xen = xen_base && hypercall_init(xen_base) == 0;
    char hv[48];
    if (on_xen) {
        uint32_t v = xen_version();
        snprintf(hv, sizeof hv, "on Xen %u.%u", v >> 16, v & 0xffffu);
    } else {
        console_init_com1();
        char name[13];
        hypervisor_name(name);
        snprintf(hv, sizeof hv, "no Xen (hypervisor: %s)", name);
    }
    console_printf("atoll: PVH image up, %s; image %llu KiB (text+rodata %llu, data %llu, "
                   "bss %llu)\n",
                   hv, (unsigned long long)((__image_end - __image_start) >> 10),
                   (unsigned long long)((__text_end - __image_start) >> 10),
                   (unsigned long long)((__bss_start - __data_start) >> 10),
                   (unsigned long long)((__bss_end - __bss_start) >> 10));
    cpu_report();
    /* Copy what the start info points at (QEMU keeps it in the first page),
     * then unmap page 0 so a NULL dereference faults. */
    static struct pvh_start_info si_copy;
    static struct pvh_memmap_entry mm[MAX_RAM];
    static struct pvh_module mod0;
    static char cmdline[CMDLINE_MAX], app_cmdline[CMDLINE_MAX];
    const struct pvh_start_info *si = (const void *)(uintptr_t)start_info_pa;
    if (si->magic != PVH_START_MAGIC)
        boot_fail("no PVH start info (bad magic in %ebx)");
    si_copy = *si;
    if (si->version == 0)
        si_copy.memmap_paddr = 0, si_copy.memmap_entries = 0;
    uint32_t nm = si_copy.memmap_paddr ? si_copy.memmap_entries : 0;
    if (nm > MAX_RAM)
        nm = MAX_RAM;
    memcpy(mm, (const void *)(uintptr_t)si_copy.memmap_paddr, nm * sizeof mm[0]);
    int have_mod = si_copy.nr_modules && si_copy.modlist_paddr;
    if (have_mod)
        mod0 = *(const struct pvh_module *)(uintptr_t)si_copy.modlist_paddr;
    if (si_copy.cmdline_paddr)
        snprintf(cmdline, sizeof cmdline, "%s", (const char *)(uintptr_t)si_copy.cmdline_paddr);
    boot_pt[0] = 0;
    __asm__ volatile("invlpg (%0)" : : "r"((uintptr_t)0) : "memory");
    /* The stack's guard page, in the 4 KiB-mapped first 8 MiB while the
     * image (loaded at 1 MiB) stays under 7 MiB; test_qemu's crash=overflow
     * fails if it ever does not. */
    uintptr_t guard = (uintptr_t)boot_stack_guard;
    if (guard < 2048u * 4096u) {
        boot_pt[guard >> 12] = 0;
        __asm__ volatile("invlpg (%0)" : : "r"(guard) : "memory");
    } else {
        console_puts("atoll: warning: the image is over 7 MiB: its stack has no guard page\n");
    }
    si = &si_copy;
    heap_setup(si, mm, nm, have_mod ? &mod0 : NULL);
    if (on_xen) {
        xen_setup(err, sizeof err);
    } else {
        clock_init();
        console_printf("atoll: clock: TSC %llu MHz (calibrated against the PIT)\n",
                       (unsigned long long)(clock_tsc_hz() / 1000000u));
    }

    char crash_kind[32];
    console_printf("atoll: command line: %s\n", cmdline);
    if (cmdline_split(cmdline, app_cmdline, sizeof app_cmdline, crash_kind, sizeof crash_kind) != 0)
        boot_fail("command line: a crash= value longer than 31 bytes");
    if (crash_kind[0])
        trap_provoke(crash_kind);

    static struct app_config cfg;
    config_defaults(&cfg);
    if (config_from_cmdline(&cfg, app_cmdline, err, sizeof err) != 0 || config_check(&cfg, 0, err, sizeof err) != 0) {
        console_printf("atoll: %s\n", err);
        boot_fail("bad command line (keys as the tap binary's options: ip=A/P gw=A | dhcp, log=LEVEL, ...)");
    }

    const uint8_t *site = NULL;
    size_t site_len = 0;
    if (have_mod) {
        site = (const uint8_t *)(uintptr_t)mod0.paddr;
        site_len = (size_t)mod0.size;
        console_printf("atoll: site image: boot module of %llu bytes at 0x%llx\n", (unsigned long long)mod0.size,
                       (unsigned long long)mod0.paddr);
    } else {
        console_puts("atoll: warning: no boot module: no site to serve (QEMU: -initrd SITE.img)\n");
    }

    if (!entropy_init())
        console_puts("atoll: warning: no RDRAND/RDSEED: entropy from TSC jitter, which is WEAK; "
                     "keys and tickets may be predictable (QEMU: -cpu max or host)\n");
    console_printf("atoll: entropy: %s\n", entropy_source());
    if (on_xen) {
        xen_devices(err, sizeof err);
    } else {
        if (vnet_init(err, sizeof err) != 0)
            boot_fail(err);
        clock_start_tick(1000);
    }

    struct platform *p = plat_image_open(on_xen, site, site_len);
    log_init(p, (enum log_level)cfg.log_level);
    log_msg(LOG_INFO, "boot: %llu ms from the PVH entry to the appliance", (unsigned long long)clock_since_entry_ms(rdtsc()));
    int rc = appliance_run(p, &cfg);
    if (on_xen) {
        const struct netfront_stats *ns = netfront_stats();
        log_msg(LOG_INFO,
                "netfront: rx %llu tx %llu rx_dropped %llu rx_errors %llu tx_full %llu tx_errors %llu "
                "backend_lost %llu; console dropped %llu; heap peak %llu KiB",
                (unsigned long long)ns->rx, (unsigned long long)ns->tx, (unsigned long long)ns->rx_dropped,
                (unsigned long long)ns->rx_errors, (unsigned long long)ns->tx_full,
                (unsigned long long)ns->tx_errors, (unsigned long long)ns->backend_lost,
                (unsigned long long)cons_ring_dropped(), (unsigned long long)(xen_heap.peak >> 10));
    } else {
        const struct vnet_stats *vs = vnet_stats();
        log_msg(LOG_INFO, "virtio-net: rx %llu tx %llu rx_dropped %llu tx_full %llu; heap peak %llu KiB",
                (unsigned long long)vs->rx, (unsigned long long)vs->tx, (unsigned long long)vs->rx_dropped,
                (unsigned long long)vs->tx_full, (unsigned long long)(xen_heap.peak >> 10));
    }
    console_printf("atoll: appliance stopped (exit %d); powering off\n", rc);
    machine_stop(rc == 0 ? 0 : 1);
}
