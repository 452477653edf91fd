/* SPDX-License-Identifier: Apache-2.0 */
/* Physical memory: the arena the start info's memory map leaves free, and
 * the heap over it. */
#ifndef ATOLL_XEN_MEM_H
#define ATOLL_XEN_MEM_H

#include <stddef.h>
#include <stdint.h>

struct mem_range {
    uint64_t start, end; /* [start, end) */
};

/* The largest piece of the RAM ranges, clipped to [lo, hi), that no
 * reserved range touches, page-aligned inwards. 0 with *out set, or -1
 * when nothing is left. Pure: tested on the host. */
int mem_pick_arena(const struct mem_range *ram, size_t nram, const struct mem_range *resv, size_t nresv,
                   uint64_t lo, uint64_t hi, struct mem_range *out);

/* Highest address of RAM the page tables map (for frame-pointer checks). */
uint64_t mem_mapped_top(void);
void mem_set_top(uint64_t top);

#endif
