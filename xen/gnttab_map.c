/* SPDX-License-Identifier: Apache-2.0 */
/* Asks Xen to place the grant table's frames into pages of ours, then
 * hands them to the bookkeeping (gnttab.c). */
#include <stdio.h>

#include "xen/gnttab.h"
#include "xen/gnttab_map.h"
#include "xen/hypercall.h"
#include "xen/xen_abi.h"

/* 4 frames = 2048 v1 entries: netfront's 2 x 256 ring slots and their
 * pages, the two ring pages, and room for a reconnect while old grants are
 * still mapped by a departing backend. */
#define GNT_FRAMES 4u

static _Alignas(4096) uint8_t frames[GNT_FRAMES][4096];

int gnttab_map(char *err, size_t errlen)
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    long rc = hypercall3(HC_grant_table_op, GNTTABOP_query_size, (uint64_t)(uintptr_t)&q, 1);
    if (rc || q.status) {
        snprintf(err, errlen, "grant table: query_size failed (Xen error %ld, status %d)", rc, q.status);
        return -1;
    }
    uint32_t n = q.max_nr_frames < GNT_FRAMES ? q.max_nr_frames : GNT_FRAMES;
    for (uint32_t i = 0; i < n; i++) {
        struct xen_add_to_physmap map = {.domid = DOMID_SELF,
                                         .space = XENMAPSPACE_grant_table,
                                         .idx = i,
                                         .gpfn = (uintptr_t)frames[i] >> 12};
        rc = hypercall2(HC_memory_op, XENMEM_add_to_physmap, (uint64_t)(uintptr_t)&map);
        if (rc) {
            if (i == 0) {
                snprintf(err, errlen, "grant table: mapping frame 0 failed (Xen error %ld)", rc);
                return -1;
            }
            n = i;
            break;
        }
    }
    gnttab_init((struct grant_entry_v1 *)frames, n * (4096u / sizeof(struct grant_entry_v1)));
    return (int)n;
}
