/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/console.h"

#include <stdarg.h>
#include <string.h>

#include "xen/console_ring.h"
#include "xen/fmt.h"
#include "xen/io.h"

#define COM1 0x3f8

static int com1_on, ring_on;

void console_init_com1(void)
{
    outb(COM1 + 1, 0x00); /* no interrupts: we poll the transmitter */
    outb(COM1 + 3, 0x80); /* DLAB */
    outb(COM1 + 0, 0x01); /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1 */
    outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
    outb(COM1 + 4, 0x03); /* DTR, RTS */
    com1_on = 1;
}

static void com1_putc(char c)
{
    /* Bounded: a UART that never drains (absent) must not hang the boot. */
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
        cpu_relax();
    outb(COM1, (uint8_t)c);
}

/* What went to port 0xE9 before the ring was up, replayed into it: the
 * banner and memory lines belong in the console log `xl console` shows. */
static char early[4096];
static size_t early_len;

void console_use_ring(void)
{
    ring_on = 1;
    cons_ring_write(early, early_len);
    early_len = 0;
}

int console_ring_active(void) { return ring_on; }

void console_write(const char *s, size_t len)
{
    if (ring_on) {
        cons_ring_write(s, len);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        if (com1_on) {
            if (s[i] == '\n')
                com1_putc('\r');
            com1_putc(s[i]);
        } else {
            outb(0xe9, (uint8_t)s[i]);
            if (early_len < sizeof early)
                early[early_len++] = s[i];
        }
    }
}

void console_puts(const char *s) { console_write(s, strlen(s)); }

void console_e9(const char *s)
{
    for (; *s; s++)
        outb(0xe9, (uint8_t)*s);
}

void console_printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    console_write(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}
