/* SPDX-License-Identifier: Apache-2.0 */
/* The PVH entry: Xen (and QEMU's -kernel loader) enter at pvh_start in
 * 32-bit protected mode, paging off, %ebx = the start info's physical
 * address. We zero .bss, identity-map the low 4 GiB (4 KiB pages for the
 * first 8 MiB, so xen_main can unmap page 0 once it has copied the start
 * info that may live there, and the stack's guard page wherever the image
 * puts it), enter long mode, enable SSE (and AVX where
 * present), point FS at the TLS block holding the stack-protector canary,
 * and call xen_main. */
#define MSR_EFER    0xc0000080
#define MSR_FS_BASE 0xc0000100

/* XEN_ELFNOTE_PHYS32_ENTRY (18). QEMU reads the descriptor as a pointer
 * after a namesz rounded up to the segment's alignment: keep the note
 * segment 4-aligned and the value 8 bytes. */
    .section .note.Xen, "a", @note
    .balign 4
    .long 4, 8, 18
    .asciz "Xen"
    .balign 4
    .quad pvh_start

    .section .text.boot, "ax"
    .code32
    .globl pvh_start
pvh_start:
    cli
    cld
    mov %ebx, %esi                  /* start info, kept for xen_main */

    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb

    /* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages,
     * except the first 8 MiB, mapped by 4 KiB pages (four page tables). */
    movl $(boot_pdpt + 3), boot_pml4
    mov $boot_pd, %eax
    or $3, %eax
    mov %eax, boot_pdpt
    add $4096, %eax
    mov %eax, boot_pdpt + 8
    add $4096, %eax
    mov %eax, boot_pdpt + 16
    add $4096, %eax
    mov %eax, boot_pdpt + 24
    mov $4, %ecx                    /* PD entries 4..2047: 2 MiB pages */
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax                  /* present, writable, 2 MiB */
    mov %eax, boot_pd(,%ecx,8)
    inc %ecx
    cmp $2048, %ecx
    jb 1b
    movl $(boot_pt + 3), boot_pd    /* PD entries 0..3: the page tables */
    movl $(boot_pt + 4096 + 3), boot_pd + 8
    movl $(boot_pt + 8192 + 3), boot_pd + 16
    movl $(boot_pt + 12288 + 3), boot_pd + 24
    xor %ecx, %ecx                  /* PT entries 0..2047: 4 KiB pages */
2:  mov %ecx, %eax
    shl $12, %eax
    or $3, %eax
    mov %eax, boot_pt(,%ecx,8)
    inc %ecx
    cmp $2048, %ecx
    jb 2b

    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $((1 << 5) | (1 << 9) | (1 << 10)), %eax   /* PAE, OSFXSR, OSXMMEXCPT */
    mov %eax, %cr4
    mov $MSR_EFER, %ecx
    rdmsr
    or $(1 << 8), %eax              /* LME */
    wrmsr
    mov %cr0, %eax
    and $~(1 << 2), %eax            /* EM off: SSE, which mbedtls uses */
    or $((1 << 31) | (1 << 1) | 1), %eax  /* PG, MP, PE */
    mov %eax, %cr0
    lgdt boot_gdt_ptr
    ljmp $0x08, $long_mode

    .code64
long_mode:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    lea boot_stack_top(%rip), %rsp
    fninit

    /* AVX state, when the CPU offers it: wolfCrypt picks its AVX/AVX2 code
     * from CPUID's AVX bits alone (no OSXSAVE/XCR0 check), so without this
     * its first AVX instruction would raise #UD. When CPUID.1 lists XSAVE
     * and AVX: OSXSAVE, then XCR0 = x87 | SSE, plus AVX's YMM state if leaf
     * 0xD lists it.
     * Nothing saves this state: interrupts only run GPR-only stubs on IST
     * stacks (trap_entry.S) and nothing preempts the one thread. */
    mov $1, %eax
    cpuid
    bt $26, %ecx                    /* XSAVE */
    jnc 8f
    /* Only for AVX: with OSXSAVE set a hypervisor switches our FPU state
     * with XSAVE instead of FXSAVE, and on nested Xen (TCG, no AVX) guests
     * then hung now and then (3 runs in 10); without AVX there is nothing
     * XSAVE would add. */
    bt $28, %ecx                    /* AVX */
    jnc 8f
    mov %ecx, %r9d
    mov %cr4, %rax
    or $(1 << 18), %rax             /* OSXSAVE */
    mov %rax, %cr4
    mov $0xd, %eax
    xor %ecx, %ecx
    cpuid                           /* %eax: the XCR0 bits the CPU supports */
    mov $3, %r8d                    /* x87, SSE */
    bt $28, %r9d                    /* AVX */
    jnc 7f
    test $4, %al
    jz 7f
    or $4, %r8d                     /* YMM */
7:  mov %r8d, %eax
    xor %edx, %edx
    xor %ecx, %ecx
    xsetbv
8:

    /* The canary, before any stack-protected C code runs: RDRAND when the
     * CPU has it, else two TSC readings mixed (weak, but only the canary:
     * plat_entropy warns about the same fallback for keys). The low byte
     * stays zero so a string overflow cannot reproduce it. */
    mov $1, %eax
    cpuid
    bt $30, %ecx
    jnc 4f
    mov $32, %ecx
3:  rdrand %rax
    jc 5f
    loop 3b
4:  rdtsc
    shl $32, %rdx
    or %rdx, %rax
    movabs $0x9e3779b97f4a7c15, %rcx
    imul %rcx, %rax
    mov %rax, %r8
    rdtsc
    rol $29, %rax
    xor %r8, %rax
    imul %rcx, %rax
5:  xor %al, %al
    mov %rax, tls_block + 0x28(%rip)
    lea tls_block(%rip), %rax
    mov %rax, %rdx
    shr $32, %rdx
    mov $MSR_FS_BASE, %ecx
    wrmsr

    mov %esi, %edi
    xor %ebp, %ebp
    call xen_main
6:  cli
    hlt
    jmp 6b

    .section .rodata
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .quad boot_gdt

    .section .bss
    .balign 4096
boot_pml4: .skip 4096
boot_pdpt: .skip 4096
boot_pd:   .skip 4 * 4096
    .globl boot_pt
boot_pt:   .skip 4 * 4096
    /* Unmapped by xen_main: an overflowing stack faults instead of
     * overwriting .bss silently. */
    .balign 4096
    .globl boot_stack_guard
boot_stack_guard:
    .skip 4096
    .globl boot_stack_bottom
boot_stack_bottom:
    .skip 256 * 1024
    .globl boot_stack_top
boot_stack_top:
    .balign 64
    .globl tls_block
tls_block: .skip 256
    .section .note.GNU-stack, "", @progbits
