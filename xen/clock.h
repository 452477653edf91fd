/* SPDX-License-Identifier: Apache-2.0 */
/* Time without Xen: the TSC, calibrated against PIT channel 2, for the
 * monotonic clock; the CMOS RTC, read once at boot, for the wall clock;
 * PIT channel 0 as the wake-up tick of plat_wait. */
#ifndef ATOLL_XEN_CLOCK_H
#define ATOLL_XEN_CLOCK_H

#include <stdint.h>

/* Calibrates the TSC and reads the RTC. */
void clock_init(void);
uint64_t clock_tsc_hz(void);
/* On Xen (no PIT): the frequency the PV clock implies, for the boot
 * figures that clock_since_entry_ms computes from the TSC. */
void clock_set_tsc_hz(uint64_t hz);
uint64_t clock_now_ms(void);
/* Milliseconds since the PVH entry (boot figures), from the entry TSC. */
uint64_t clock_since_entry_ms(uint64_t tsc);
int64_t clock_unix_s(void);
/* The PIT's channel 0 at hz, on IRQ 0 (the legacy PICs remapped to vectors
 * 32-47, every other line masked). */
void clock_start_tick(unsigned hz);

/* The RTC's date and time (BCD or binary, 12 or 24 hour, as register B
 * says) -> seconds since 1970. Pure: tested on the host. */
int64_t rtc_to_unix(uint8_t sec, uint8_t min, uint8_t hour, uint8_t day, uint8_t mon, uint8_t year,
                    uint8_t century, uint8_t regb);

#endif
