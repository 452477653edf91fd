/* SPDX-License-Identifier: Apache-2.0 */
/* CPU tables (GDT with a TSS, IDT on IST stacks), the crash report and the
 * machine's stop. */
#ifndef ATOLL_XEN_TRAP_H
#define ATOLL_XEN_TRAP_H

#include <stdint.h>

/* What exc_common pushes, lowest address first, then what the CPU pushed. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

extern volatile uint64_t timer_ticks;

void trap_init(void);
_Noreturn void trap_report(const struct trap_frame *f);

/* A crash outside an exception (stack smashing, a fortify check, a failed
 * boot step): the reason, a backtrace from the caller, then the stop. */
_Noreturn void crash(const char *why);

/* Ends the machine. On Xen: SCHEDOP_shutdown, poweroff for code 0, crash
 * otherwise (after flushing the console ring). Without Xen: QEMU's isa-debug-exit (exit status 2*code+1), ACPI S5,
 * then a triple fault, which QEMU -no-reboot also turns into an exit.
 * code: 0 clean power-off, 1 the appliance or the boot failed, 2 a crash,
 * 3 a fault inside the crash report. */
_Noreturn void machine_stop(int code);

/* Backtrace lines from a frame-pointer chain. */
void print_backtrace(uint64_t rbp, uint64_t first_rip);

/* Makes the fault the `crash=` boot key asks for (test of the report). */
void trap_provoke(const char *kind);

#endif
