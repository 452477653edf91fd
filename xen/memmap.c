/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/mem.h"

#define PAGE 4096u

static uint64_t mapped_top = 0x100000000ull;

uint64_t mem_mapped_top(void) { return mapped_top; }
void mem_set_top(uint64_t top) { mapped_top = top; }

/* The largest free piece of [s, e) once every reserved range is taken out:
 * recursion splits at the first reserved range that overlaps. */
static void best_piece(uint64_t s, uint64_t e, const struct mem_range *resv, size_t nresv, size_t from,
                       struct mem_range *best)
{
    for (size_t i = from; i < nresv; i++) {
        if (resv[i].end <= s || resv[i].start >= e)
            continue;
        if (resv[i].start > s)
            best_piece(s, resv[i].start, resv, nresv, i + 1, best);
        if (resv[i].end < e)
            best_piece(resv[i].end, e, resv, nresv, i + 1, best);
        return;
    }
    uint64_t a = (s + PAGE - 1) & ~(uint64_t)(PAGE - 1), b = e & ~(uint64_t)(PAGE - 1);
    if (b > a && b - a > best->end - best->start) {
        best->start = a;
        best->end = b;
    }
}

int mem_pick_arena(const struct mem_range *ram, size_t nram, const struct mem_range *resv, size_t nresv,
                   uint64_t lo, uint64_t hi, struct mem_range *out)
{
    struct mem_range best = {0, 0};
    for (size_t i = 0; i < nram; i++) {
        uint64_t s = ram[i].start < lo ? lo : ram[i].start;
        uint64_t e = ram[i].end > hi ? hi : ram[i].end;
        if (e > s)
            best_piece(s, e, resv, nresv, 0, &best);
    }
    if (best.end == best.start)
        return -1;
    *out = best;
    return 0;
}
