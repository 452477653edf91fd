/* SPDX-License-Identifier: Apache-2.0 */
/* The PVH start-of-day structure (%ebx at entry), as Xen's public
 * arch-x86/hvm/start_info.h lays it out; version 1 adds the memory map. */
#ifndef ATOLL_XEN_START_INFO_H
#define ATOLL_XEN_START_INFO_H

#include <stdint.h>

#define PVH_START_MAGIC 0x336ec578u

struct pvh_start_info {
    uint32_t magic, version, flags, nr_modules;
    uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
    uint64_t memmap_paddr; /* version >= 1 */
    uint32_t memmap_entries, reserved;
};

struct pvh_module {
    uint64_t paddr, size, cmdline_paddr, reserved;
};

#define PVH_MEMMAP_RAM 1u

struct pvh_memmap_entry {
    uint64_t addr, size;
    uint32_t type, reserved;
};

_Static_assert(sizeof(struct pvh_start_info) == 56, "start info layout");
_Static_assert(sizeof(struct pvh_module) == 32, "module entry layout");
_Static_assert(sizeof(struct pvh_memmap_entry) == 24, "memory map entry layout");

#endif
