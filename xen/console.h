/* SPDX-License-Identifier: Apache-2.0 */
/* The boot console: COM1 (0x3f8) without Xen, the PV console ring on Xen;
 * port 0xE9 (Xen's and QEMU's debug console) before either is set up. */
#ifndef ATOLL_XEN_CONSOLE_H
#define ATOLL_XEN_CONSOLE_H

#include <stddef.h>

void console_init_com1(void);
void console_write(const char *s, size_t len);
void console_puts(const char *s);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* From now on the Xen PV console ring (console_ring.c) carries everything. */
void console_use_ring(void);
int console_ring_active(void);
/* Port 0xE9 only (the Xen debug console). */
void console_e9(const char *s);

#endif
