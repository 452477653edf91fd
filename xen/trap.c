/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/trap.h"

#include <string.h>

#include "xen/console.h"
#include "xen/console_ring.h"
#include "xen/hypercall.h"
#include "xen/io.h"
#include "xen/mem.h"
#include "xen/xen_abi.h"
#include "xen/xen_event.h"

volatile uint64_t timer_ticks;

extern const uint64_t exc_stubs[32];
extern char irq_timer[], irq_other[], irq_xen_event[];
extern char boot_stack_guard[];

struct __attribute__((packed)) tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};

struct idt_gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, zero;
};

/* IST1: exceptions; IST2: NMI, #DF and #MC, which may strike while IST1 is
 * in use; IST3: the PIC interrupts. */
#define IST_STACK 16384
static _Alignas(16) uint8_t ist_stacks[3][IST_STACK];
static struct tss64 tss;
static uint64_t gdt[5];
static struct idt_gate idt[256];

static void set_gate(int v, uint64_t handler, int ist)
{
    idt[v] = (struct idt_gate){.off0 = (uint16_t)handler,
                               .sel = 0x08,
                               .ist = (uint8_t)ist,
                               .type = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
                               .off1 = (uint16_t)(handler >> 16),
                               .off2 = (uint32_t)(handler >> 32)};
}

void trap_init(void)
{
    for (int i = 0; i < 3; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i] + IST_STACK);
    tss.iomap_base = sizeof tss; /* no I/O bitmap */
    uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof tss - 1;
    gdt[1] = 0x00af9a000000ffffull; /* 0x08: 64-bit code */
    gdt[2] = 0x00cf92000000ffffull; /* 0x10: data */
    gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
             (((base >> 24) & 0xff) << 56); /* 0x18: available 64-bit TSS */
    gdt[4] = base >> 32;
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } gp = {sizeof gdt - 1, (uint64_t)(uintptr_t)gdt}, ip = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lgdt %0\n\t"
                     "pushq $0x08\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl $0x10, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     "movw $0x18, %%ax\n\t"
                     "ltr %%ax"
                     :
                     : "m"(gp)
                     : "rax", "memory");
    for (int v = 0; v < 32; v++)
        set_gate(v, exc_stubs[v], (v == 2 || v == 8 || v == 18) ? 2 : 1);
    for (int v = 32; v < 256; v++)
        set_gate(v, (uint64_t)(uintptr_t)(v == 32 ? irq_timer : v == XEN_EVENT_VECTOR ? irq_xen_event : irq_other), 3);
    __asm__ volatile("lidt %0" : : "m"(ip) : "memory");
}

static const char *const exc_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
    "#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor segment overrun",
    "#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection", "#PF page fault",
    "reserved", "#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD error",
    "#VE virtualization", "#CP control protection"};

/* A frame pointer we may follow: inside mapped RAM, aligned. */
static int frame_ok(uint64_t fp)
{
    return fp >= 0x1000 && (fp & 7) == 0 && fp + 16 <= mem_mapped_top();
}

void print_backtrace(uint64_t rbp, uint64_t first_rip)
{
    console_puts("backtrace (addr2line -e build/atoll.xen ADDR...):\n");
    if (first_rip)
        console_printf("  #0 0x%016llx\n", (unsigned long long)first_rip);
    int depth = first_rip ? 1 : 0;
    for (; depth < 32 && frame_ok(rbp); depth++) {
        const uint64_t *fp = (const uint64_t *)(uintptr_t)rbp;
        if (fp[1] == 0)
            break;
        console_printf("  #%d 0x%016llx\n", depth, (unsigned long long)fp[1]);
        if (fp[0] <= rbp) /* callers' frames lie above: anything else is a broken chain */
            break;
        rbp = fp[0];
    }
}

static volatile int crashing;

_Noreturn void trap_report(const struct trap_frame *f)
{
    if (crashing) /* a fault inside the report: stop without another word */
        machine_stop(3);
    crashing = 1;
    uint64_t cr2, cr3;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    const char *name = f->vector < 32 && exc_names[f->vector] ? exc_names[f->vector] : "reserved";
    console_printf("\natoll: CRASH: exception vector %llu (%s), error code 0x%llx\n",
                   (unsigned long long)f->vector, name, (unsigned long long)f->error);
    console_printf("  rip=0x%016llx rsp=0x%016llx rflags=0x%016llx\n", (unsigned long long)f->rip,
                   (unsigned long long)f->rsp, (unsigned long long)f->rflags);
    console_printf("  cr2=0x%016llx cr3=0x%016llx cs=0x%llx ss=0x%llx\n", (unsigned long long)cr2,
                   (unsigned long long)cr3, (unsigned long long)f->cs, (unsigned long long)f->ss);
    console_printf("  rax=0x%016llx rbx=0x%016llx rcx=0x%016llx rdx=0x%016llx\n", (unsigned long long)f->rax,
                   (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
    console_printf("  rsi=0x%016llx rdi=0x%016llx rbp=0x%016llx r8 =0x%016llx\n", (unsigned long long)f->rsi,
                   (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->r8);
    console_printf("  r9 =0x%016llx r10=0x%016llx r11=0x%016llx r12=0x%016llx\n", (unsigned long long)f->r9,
                   (unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
    console_printf("  r13=0x%016llx r14=0x%016llx r15=0x%016llx\n", (unsigned long long)f->r13,
                   (unsigned long long)f->r14, (unsigned long long)f->r15);
    uintptr_t guard = (uintptr_t)boot_stack_guard;
    if (f->vector == 14 && cr2 >= guard && cr2 < guard + 4096u)
        console_puts("  stack overflow: the fault is in the boot stack's guard page\n");
    print_backtrace(f->rbp, f->rip);
    console_puts("atoll: machine stopped after a crash\n");
    machine_stop(2);
}

_Noreturn void crash(const char *why)
{
    __asm__ volatile("cli");
    if (crashing)
        machine_stop(3);
    crashing = 1;
    console_printf("\natoll: CRASH: %s\n", why);
    print_backtrace((uint64_t)(uintptr_t)__builtin_frame_address(0), 0);
    console_puts("atoll: machine stopped after a crash\n");
    machine_stop(2);
}

_Noreturn void machine_stop(int code)
{
    __asm__ volatile("cli");
    if (hypercall_ready()) {
        /* The console daemon gets the last lines (the crash report) before
         * the domain goes. */
        if (console_ring_active() && xen_shared && code != 3)
            (void)cons_ring_flush(xen_now_ms() + 2000u);
        xen_shutdown(code == 0 ? xen_clean_stop : SHUTDOWN_crash);
    }
    outb(0xf4, (uint8_t)code);  /* isa-debug-exit, when QEMU has one */
    outw(0x604, 0x2000);        /* ACPI PM1a_CNT SLP_EN, S5: QEMU q35 */
    outw(0xb004, 0x2000);       /* and i440fx (PIIX4 PM) */
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } none = {0, 0};
    __asm__ volatile("lidt %0\n\tint3" : : "m"(none)); /* triple fault */
    for (;;)
        __asm__ volatile("hlt");
}

/* The faults the crash= key provokes, two calls deep so the backtrace has
 * frames of ours to show. noinline/noipa keep those frames. */
/* Through a variable, so the compiler sees no constant bad address. */
static volatile uintptr_t bad_page = 0x1000000000ull, bad_null = 8, bad_canon = 0x8000000000000000ull;

/* Runaway recursion: the frames walk down into the guard page below the
 * boot stack. */
__attribute__((noinline, noipa)) static int recurse(int n)
{
    volatile char frame[1024];
    frame[0] = (char)n;
    return n ? recurse(n - 1) + frame[0] : 0;
}

__attribute__((noinline, noipa)) static void provoke_now(const char *kind)
{
    if (strcmp(kind, "page") == 0) {
        *(volatile uint64_t *)bad_page = 1; /* 64 GiB: canonical, never mapped */
    } else if (strcmp(kind, "null") == 0) {
        *(volatile uint64_t *)bad_null = 1; /* page 0 is not mapped */
    } else if (strcmp(kind, "gp") == 0) {
        *(volatile uint64_t *)bad_canon = 1; /* not canonical */
    } else if (strcmp(kind, "ud") == 0) {
        __asm__ volatile("ud2");
    } else if (strcmp(kind, "divide") == 0) {
        volatile unsigned zero = 0;
        volatile unsigned r = 1u / zero;
        (void)r;
    } else if (strcmp(kind, "overflow") == 0) {
        (void)recurse(1024); /* 1 MiB of frames, 1 KiB at a time, against a 256 KiB stack */
    } else if (strcmp(kind, "stack") == 0) {
        volatile char small[8];
        volatile size_t n = 64;
        for (size_t i = 0; i < n; i++) /* past the canary */
            small[i] = 'A';
        __asm__ volatile("" : : "r"(small[0]));
    }
}

__attribute__((noinline, noipa)) void trap_provoke(const char *kind)
{
    console_printf("atoll: crash=%s: faulting on purpose\n", kind);
    provoke_now(kind);
    console_printf("atoll: crash=%s: no such fault (page, null, gp, ud, divide, stack, overflow)\n", kind);
}
