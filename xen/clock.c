/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/clock.h"

#include "xen/io.h"

#define PIT_HZ 1193182u
#define CAL_MS 50u

static uint64_t tsc_hz, tsc_per_ms, tsc_boot;
static int64_t rtc_boot_s;
extern uint64_t xen_entry_tsc;

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static int64_t rtc_read(void)
{
    /* Twice the same reading outside an update, so no field is torn. */
    uint8_t a[8], b[8];
    for (int tries = 0; tries < 10; tries++) {
        for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
            cpu_relax();
        const uint8_t regs[8] = {0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32, 0x0b};
        for (int i = 0; i < 8; i++)
            a[i] = cmos(regs[i]);
        for (int i = 0; i < 8; i++)
            b[i] = cmos(regs[i]);
        int same = 1;
        for (int i = 0; i < 8; i++)
            same &= a[i] == b[i];
        if (same)
            break;
    }
    return rtc_to_unix(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
}

/* TSC ticks while PIT channel 2 counts CAL_MS down in mode 0 (its output,
 * port 0x61 bit 5, rises at terminal count). */
static uint64_t calibrate(void)
{
    uint16_t count = (uint16_t)(PIT_HZ * CAL_MS / 1000u);
    uint8_t g = inb(0x61);
    outb(0x61, (uint8_t)((g & ~0x02u) & ~0x01u)); /* gate low, speaker off */
    outb(0x43, 0xb0);                              /* channel 2, lo/hi, mode 0 */
    outb(0x42, (uint8_t)count);
    outb(0x42, (uint8_t)(count >> 8));
    outb(0x61, (uint8_t)((g & ~0x02u) | 0x01u)); /* gate high: counting starts */
    uint64_t t0 = rdtsc();
    uint64_t spins = 0;
    while (!(inb(0x61) & 0x20) && ++spins < 200000000u)
        ;
    uint64_t t1 = rdtsc();
    outb(0x61, g);
    uint64_t hz = (t1 - t0) * (1000u / CAL_MS);
    return hz > 1000000u ? hz : 1000000000u; /* no PIT: assume 1 GHz rather than divide by zero */
}

void clock_init(void)
{
    tsc_hz = calibrate();
    tsc_per_ms = tsc_hz / 1000u;
    tsc_boot = rdtsc();
    rtc_boot_s = rtc_read();
}

uint64_t clock_tsc_hz(void) { return tsc_hz; }

void clock_set_tsc_hz(uint64_t hz)
{
    tsc_hz = hz > 1000000u ? hz : 1000000000u;
    tsc_per_ms = tsc_hz / 1000u;
    tsc_boot = rdtsc();
}

uint64_t clock_now_ms(void) { return (rdtsc() - tsc_boot) / tsc_per_ms; }

uint64_t clock_since_entry_ms(uint64_t tsc) { return tsc_per_ms ? (tsc - xen_entry_tsc) / tsc_per_ms : 0; }

int64_t clock_unix_s(void) { return rtc_boot_s + (int64_t)(clock_now_ms() / 1000u); }

void clock_start_tick(unsigned hz)
{
    /* ICW1-4: edge-triggered cascade, vectors 32 and 40, 8086 mode. */
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, 32);
    outb(0xa1, 40);
    outb(0x21, 4);
    outb(0xa1, 2);
    outb(0x21, 1);
    outb(0xa1, 1);
    outb(0x21, 0xfe); /* IRQ 0 only */
    outb(0xa1, 0xff);
    uint16_t div = (uint16_t)(PIT_HZ / hz);
    outb(0x43, 0x34); /* channel 0, lo/hi, mode 2 (rate generator) */
    outb(0x40, (uint8_t)div);
    outb(0x40, (uint8_t)(div >> 8));
}
