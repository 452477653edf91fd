/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/clock.h"
#include "xen/libc/libc.h"

static unsigned bcd(uint8_t v, int binary) { return binary ? v : (unsigned)(v >> 4) * 10u + (v & 15u); }

int64_t rtc_to_unix(uint8_t sec, uint8_t min, uint8_t hour, uint8_t day, uint8_t mon, uint8_t year,
                    uint8_t century, uint8_t regb)
{
    int binary = (regb & 4) != 0, h24 = (regb & 2) != 0;
    int pm = !h24 && (hour & 0x80);
    unsigned h = bcd(hour & 0x7f, binary);
    if (!h24)
        h = (h % 12u) + (pm ? 12u : 0u);
    unsigned c = century ? bcd(century, binary) : 20u;
    if (c < 19 || c > 99) /* a century register some machines do not have */
        c = 20;
    int64_t y = (int64_t)c * 100 + bcd(year, binary);
    unsigned m = bcd(mon, binary), d = bcd(day, binary);
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return 0;
    return libc_days_from_civil(y, m, d) * 86400 + (int64_t)h * 3600 + (int64_t)bcd(min, binary) * 60 +
           bcd(sec, binary);
}
