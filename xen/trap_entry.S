/* SPDX-License-Identifier: Apache-2.0 */
/* Exception and interrupt entry stubs. Every gate runs on an IST stack
 * (trap.c), so the 128-byte red zone the mbedtls objects keep below %rsp
 * is never overwritten by an interrupt frame. Exceptions save the whole
 * register file into a struct trap_frame (trap.h) and report the crash;
 * the timer and spurious PIC interrupts only acknowledge and return. */

.macro EXC vec, has_err
    .balign 16
exc_\vec:
    .if \has_err == 0
    pushq $0
    .endif
    pushq $\vec
    jmp exc_common
.endm

    .text
    EXC 0, 0
    EXC 1, 0
    EXC 2, 0
    EXC 3, 0
    EXC 4, 0
    EXC 5, 0
    EXC 6, 0
    EXC 7, 0
    EXC 8, 1
    EXC 9, 0
    EXC 10, 1
    EXC 11, 1
    EXC 12, 1
    EXC 13, 1
    EXC 14, 1
    EXC 15, 0
    EXC 16, 0
    EXC 17, 1
    EXC 18, 0
    EXC 19, 0
    EXC 20, 0
    EXC 21, 1
    EXC 22, 0
    EXC 23, 0
    EXC 24, 0
    EXC 25, 0
    EXC 26, 0
    EXC 27, 0
    EXC 28, 0
    EXC 29, 1
    EXC 30, 1
    EXC 31, 0

exc_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    and $-16, %rsp
    call trap_report            /* does not return */
1:  cli
    hlt
    jmp 1b

/* PIT channel 0 (IRQ 0): count the tick, acknowledge the PIC. */
    .globl irq_timer
irq_timer:
    push %rax
    lock incq timer_ticks(%rip)
    mov $0x20, %al
    out %al, $0x20
    pop %rax
    iretq

/* Any other PIC line: all are masked, so this is a spurious IRQ 7/15 or a
 * stray; acknowledge both controllers and carry on. */
    .globl irq_other
irq_other:
    push %rax
    mov $0x20, %al
    out %al, $0xa0
    out %al, $0x20
    pop %rax
    iretq

/* Xen's event callback (HVM_PARAM_CALLBACK_IRQ, vector type): Xen keeps
 * raising it while vcpu_info[0].evtchn_upcall_pending (the first byte of
 * the shared info) is set, so clear it; xen_wait looks at the pending bits
 * itself. No local APIC EOI: this vector does not pass through it. */
    .globl irq_xen_event
irq_xen_event:
    movb $0, xen_shared_page(%rip)
    iretq

    .section .rodata
    .balign 8
    .globl exc_stubs
exc_stubs:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad exc_\v
    .endr

    .section .note.GNU-stack, "", @progbits
