/* SPDX-License-Identifier: Apache-2.0 */
/* A MAC address as people and xenstore write it: exactly six pairs of hex
 * digits separated by colons, either case (sscanf's %x would also take
 * blanks, signs and "0x"). Used by the boot options (mac=) and netfront
 * (device/vif/N/mac). */
#ifndef ATOLL_BASE_MAC_H
#define ATOLL_BASE_MAC_H

#include <stdint.h>

#include "base/hex.h"

/* 0 with mac set, -1 (mac untouched past the bad pair) otherwise. */
static inline int mac_parse(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        int hi = hex_value(s[3 * i]), lo = hi < 0 ? -1 : hex_value(s[3 * i + 1]);
        if (hi < 0 || lo < 0 || s[3 * i + 2] != (i < 5 ? ':' : '\0'))
            return -1;
        mac[i] = (uint8_t)(hi * 16 + lo);
    }
    return 0;
}

#endif
